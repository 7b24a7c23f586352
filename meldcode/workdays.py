"""Dutch working days, for terms such as Veilig Thuis's five working days to decide
whether it takes a report on.

A working day is a weekday that is not a generally recognised public holiday. The list
follows the Algemene termijnenwet (article 3), the law Dutch statutory terms are counted
by: New Year's Day, Easter Monday, Ascension Day, Whit Monday, both Christmas days,
King's Day and Liberation Day (5 May, every year). The `holidays` package gives the
moving dates (Easter, King's Day on the 26th when the 27th is a Sunday); it also lists
Good Friday, which that law does not, so it is left out, and it adds 5 May only in
lustrum years, so 5 May is added every year.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays

NOT_A_STATUTORY_HOLIDAY = {"Goede vrijdag"}


@cache
def public_holidays(year: int) -> frozenset[dt.date]:
    days = {
        day
        for day, name in holidays.Netherlands(years=year, language="nl").items()
        if name not in NOT_A_STATUTORY_HOLIDAY
    }
    days.add(dt.date(year, 5, 5))
    return frozenset(days)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` Dutch working days after `start` (weekends and national public
    holidays skipped). `start` itself never counts: a report made on a Friday has its
    first working day on Monday."""
    if isinstance(start, dt.datetime):
        start = start.date()
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
