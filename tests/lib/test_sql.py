"""The SQL helpers of the bulk writes: arrays sent as one text parameter come back as they were."""

import datetime

import pytest
from django.db import connection

from lib.sql import array_literal

pytestmark = pytest.mark.django_db


def read_back(values, sql_type):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT %s::{sql_type}[]", [array_literal(values)])
        return cursor.fetchone()[0]


def test_a_text_array_keeps_quotes_backslashes_braces_and_nulls():
    values = ['Le "Relais"', "C:\\chemin\\", "{a,b}", "", "NULL", None, "l'été\nà Saint-Étienne", " espace "]
    assert read_back(values, "text") == values


def test_numbers_booleans_and_timestamps_keep_their_value():
    moment = datetime.datetime(2026, 12, 7, 13, 5, 1, 250, tzinfo=datetime.UTC)
    assert read_back([1, None, 2**40], "bigint") == [1, None, 2**40]
    assert read_back([True, False], "boolean") == [True, False]
    assert read_back([moment], "timestamptz") == [moment]
