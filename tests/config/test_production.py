import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError, connection
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7Vq2-production-like-secret-key-of-sufficient-length-and-variety-9f3k",
    "DJANGO_ALLOWED_HOSTS": "cooperations.example.org",
    "SITE_URL": "https://cooperations.example.org",
    "OPERATOR_NAME": "Fédération des entreprises d'insertion (association loi 1901)",
    "OPERATOR_ADDRESS": "1 rue de l'Exemple, 75000 Paris",
    "PUBLICATION_DIRECTOR": "Camille Martin, déléguée générale",
    "HOST_DETAILS": "Hébergeur Exemple SAS, 2 rue du Serveur, 59000 Lille, 01 23 45 67 89",
    "CONTACT_EMAIL": "contact@cooperations.example.org",
}


def deploy_check(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_deploy_checks_are_clean_with_production_environment_variables():
    result = deploy_check({**os.environ, **PRODUCTION})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_the_site_s_address_nor_its_operator_is_warned():
    env = {**os.environ, **PRODUCTION}
    for name in ("SITE_URL", "OPERATOR_NAME", "CONTACT_EMAIL"):
        env.pop(name)
    result = deploy_check(env)
    assert result.returncode != 0
    assert "(site.W001) SITE_URL n'est pas défini" in result.stderr
    assert "(site.W002) Les mentions légales affichent « à compléter » : OPERATOR_NAME, CONTACT_EMAIL" in (
        result.stderr
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY est obligatoire" in result.stderr


@pytest.mark.django_db
def test_healthz_reports_a_reachable_database(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "email": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("pages.views.connection.cursor", broken_cursor)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_script(client):
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"] + directives["default-src"]
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_sign_in_is_locked_after_five_failures(client, django_user_model):
    django_user_model.objects.create_user("editrice", password="le-bon-mot-de-passe", is_staff=True)
    login_url = reverse("admin:login")
    for _ in range(5):
        client.post(login_url, {"username": "editrice", "password": "faux"})

    response = client.post(login_url, {"username": "editrice", "password": "le-bon-mot-de-passe"})

    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_postgresql_never_compiles_a_page_query_just_in_time():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
