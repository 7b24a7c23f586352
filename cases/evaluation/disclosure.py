"""What the board may see of the counts: fixed periods, and small counts hidden so that no
hidden count can be worked out from the counts that are shown.

Inside a school, the directie and the aandachtsfunctionaris may open every case: they see
exact numbers. The board may not see the cases, and a count of 1 to 4 at a board of a few
schools can point at a child. Hiding those counts alone is beaten by differencing: the
total minus the cells shown, or the school year minus its first half. So:

- the board chooses among fixed periods of the school year (the year, its halves, its
  quarters), never free dates: no two periods differ by a day;
- every count is part of the equations it is published in (a year is the sum of its
  halves, a half of its quarters, the board's total of its schools' counts), and in no
  equation may exactly one count be hidden: then the next smallest count is hidden too
  (secondary suppression), or the total when there is none.

Every period of one school year is judged together, so a count is hidden alike in every
view of that year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

SMALL = 5
# Every hidden count is shown as this one mark, small or hidden to protect a small one:
# two marks would tell which is which.
HIDDEN = "*"


def is_small(count: int) -> bool:
    return 0 < count < SMALL


def suppress(
    values: dict[Hashable, int],
    equations: Iterable[tuple[Hashable, list[Hashable]]],
    unknown: Iterable[Hashable] = (),
) -> set[Hashable]:
    """The keys of `values` to hide: every small count, and as many more as needed so
    that no equation `total = sum(parts)` has exactly one hidden member. `unknown` keys
    are not published at all (they count as hidden)."""
    equations = list(equations)
    hidden = {key for key, count in values.items() if is_small(count)} | set(unknown)
    changed = True
    while changed:
        changed = False
        for total, parts in equations:
            members = [total, *parts]
            if sum(member in hidden for member in members) != 1:
                continue
            shown = [part for part in parts if part not in hidden and values[part] > 0]
            if shown:
                hidden.add(min(shown, key=lambda part: (values[part], str(part))))
            elif total not in hidden:
                hidden.add(total)
            else:
                continue  # the total is hidden and every part is 0: nothing to protect
            changed = True
    return hidden


# --- the fixed periods of the board ---------------------------------------------------------


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: dt.date
    end: dt.date

    @property
    def dates(self) -> tuple[dt.date, dt.date]:
        return self.start, self.end


def _end_of_month_before(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1) - dt.timedelta(days=1)


def school_year(year: int) -> list[Period]:
    """The school year that starts on 1 August `year`: the year, its two halves (August to
    January, February to July) and its four quarters, in that order."""
    name = f"{year}-{year + 1}"
    bounds = [
        (dt.date(year, 8, 1), _end_of_month_before(year + 1, 8)),
        (dt.date(year, 8, 1), _end_of_month_before(year + 1, 2)),
        (dt.date(year + 1, 2, 1), _end_of_month_before(year + 1, 8)),
        (dt.date(year, 8, 1), _end_of_month_before(year, 11)),
        (dt.date(year, 11, 1), _end_of_month_before(year + 1, 2)),
        (dt.date(year + 1, 2, 1), _end_of_month_before(year + 1, 5)),
        (dt.date(year + 1, 5, 1), _end_of_month_before(year + 1, 8)),
    ]
    keys = [f"{year}", f"{year}-h1", f"{year}-h2", *(f"{year}-q{n}" for n in range(1, 5))]
    labels = [
        _("school year %(year)s") % {"year": name},
        *(
            _("%(year)s, half %(n)d (%(start)s to %(end)s)")
            % {"year": name, "n": n, "start": f"{s:%d-%m}", "end": f"{e:%d-%m}"}
            for n, (s, e) in enumerate(bounds[1:3], start=1)
        ),
        *(
            _("%(year)s, quarter %(n)d (%(start)s to %(end)s)")
            % {"year": name, "n": n, "start": f"{s:%d-%m}", "end": f"{e:%d-%m}"}
            for n, (s, e) in enumerate(bounds[3:], start=1)
        ),
    ]
    return [Period(k, label, s, e) for k, label, (s, e) in zip(keys, labels, bounds, strict=True)]


# How the periods of one school year add up: the year is its halves, a half its quarters.
PERIOD_SUMS = [(0, [1, 2]), (1, [3, 4]), (2, [5, 6])]


def school_year_start(day: dt.date) -> int:
    return day.year if day.month >= 8 else day.year - 1


def board_periods(today: dt.date, years: int = 4) -> list[Period]:
    """The periods the board may choose: this school year and the `years - 1` before it."""
    current = school_year_start(today)
    return [period for year in range(current, current - years, -1) for period in school_year(year)]


def board_period(key: str | None, today: dt.date) -> Period:
    """The chosen period; the current school year when none (or an unknown one) is given."""
    periods = board_periods(today)
    return next((period for period in periods if period.key == key), periods[0])
