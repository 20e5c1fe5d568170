"""Environment variables are read by helpers that refuse what they do not understand: start-up stops with
a French message naming the variable, instead of running with a default the operator did not choose."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import settings as config

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **environment):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DJANGO_DEBUG", "flase"),
        ("PAGE_CACHE_SECONDS", "abc"),
        ("EMAIL_PORT", "-25"),
        ("API_ANON_RATE", "12/fortnight"),
        ("DJANGO_LOG_LEVEL", "verbose"),
        ("REDIS_URL", "127.0.0.1:6379"),
        ("DATABASE_URL", "sqlite:///db.sqlite3"),
        # A semicolon would add a directive to the header.
        ("EMBED_FRAME_ANCESTORS", "https://a.example; script-src *"),
    ],
)
def test_a_value_that_is_not_understood_stops_start_up_naming_the_variable(name, value):
    result = manage("check", **{name: value})
    assert result.returncode != 0
    assert f"Variable d'environnement {name} : « {value} » n'est pas compris" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), ("Yes", True), (" on ", True), ("0", False), ("off", False), ("", False)],
)
def test_booleans_read_the_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("SOME_FLAG", value)
    assert config.env_bool("SOME_FLAG") is expected


def test_numbers_accept_underscores_and_refuse_what_is_below_their_minimum(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "10_000")
    assert config.env_int("SOME_NUMBER", 5) == 10_000
    monkeypatch.setenv("SOME_NUMBER", "0")
    with pytest.raises(config.ConfigurationError, match="1 ou plus"):
        config.env_int("SOME_NUMBER", 5, minimum=1)


def test_an_empty_rate_means_no_limit_and_an_unset_one_the_default(monkeypatch):
    pattern = r"\d+/(s|m)"
    monkeypatch.setenv("SOME_RATE", "")
    assert config.env_pattern("SOME_RATE", "120/m", pattern, "") is None
    monkeypatch.delenv("SOME_RATE")
    assert config.env_pattern("SOME_RATE", "120/m", pattern, "") == "120/m"
