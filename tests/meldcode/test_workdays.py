"""Dutch working days: weekends and the public holidays of the Algemene termijnenwet."""

import datetime as dt

import pytest

from meldcode.workdays import add_working_days, is_working_day

D = dt.date


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # Thursday 22 April 2027: Koningsdag (Tuesday 27 April) and a weekend are skipped.
        (D(2027, 4, 22), D(2027, 4, 30)),
        # Wednesday 23 December 2026: Christmas Day (Friday) and the weekend are skipped.
        (D(2026, 12, 23), D(2026, 12, 31)),
        # Thursday 25 March 2027: Easter Monday (29 March) is skipped; Good Friday is not
        # a statutory holiday, so it counts.
        (D(2027, 3, 25), D(2027, 4, 2)),
        # A report on a Friday: Monday is the first working day.
        (D(2026, 11, 20), D(2026, 11, 27)),
        # Saturday: counting starts on Monday.
        (D(2026, 11, 21), D(2026, 11, 27)),
    ],
)
def test_five_working_days_skip_weekends_and_public_holidays(start, expected):
    assert add_working_days(start, 5) == expected


def test_koningsdag_2027_is_not_a_working_day():
    assert D(2027, 4, 27).weekday() == 1  # a Tuesday
    assert not is_working_day(D(2027, 4, 27))


def test_liberation_day_is_a_holiday_every_year():
    assert not is_working_day(D(2026, 5, 5))


def test_zero_days_is_the_start_itself():
    assert add_working_days(D(2026, 11, 23), 0) == D(2026, 11, 23)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 11, 23), -1)
