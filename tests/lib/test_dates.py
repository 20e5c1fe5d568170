"""Calendar months, for the retention of personal data."""

import datetime

import pytest

from lib.dates import months_before


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (
            datetime.datetime(2026, 8, 31, 12, tzinfo=datetime.UTC),
            datetime.datetime(2026, 2, 28, 12, tzinfo=datetime.UTC),
        ),
        (
            datetime.datetime(2026, 3, 15, tzinfo=datetime.UTC),
            datetime.datetime(2025, 9, 15, tzinfo=datetime.UTC),
        ),
    ],
)
def test_months_are_counted_on_the_calendar(moment, expected):
    assert months_before(moment, 6) == expected
