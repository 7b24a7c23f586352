"""What the board sees of small counts: fixed periods only, and no hidden count that can be
worked out from the counts shown (a total minus the cells, a year minus a half)."""

import csv
import datetime as dt
import io
import random

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.evaluation.disclosure import (
    PERIOD_SUMS,
    board_periods,
    school_year,
    school_year_start,
    suppress,
)
from cases.models import Case
from tests.cases.factories import make_case
from tests.clock import today
from tests.factories import PupilFactory

LAST_YEAR = school_year_start(today()) - 1


def worked_out(values: dict, equations: list, hidden: set) -> set:
    """The attack: every equation with one unknown left gives it away; repeat."""
    known = set(values) - hidden
    found = True
    while found:
        found = False
        for total, parts in equations:
            unknown = [key for key in [total, *parts] if key not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                found = True
    return hidden & known


def csv_rows(client, query: str) -> list[list[str]]:
    response = client.get(reverse("cases:evaluation_csv") + query)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff")), delimiter=";"))


def opened_on(cast, school, day: dt.date, n: int) -> None:
    teacher = cast.leerkracht if school == cast.school else cast.other_leerkracht
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    for _n in range(n):
        case = make_case(opened_by=teacher, pupil=PupilFactory(school=school))
        Case.objects.filter(pk=case.pk).update(opened_at=at)


# --- the rule ---------------------------------------------------------------------------------


def test_a_single_small_cell_in_a_row_takes_the_next_smallest_with_it():
    values = {"total": 30, "a": 3, "b": 7, "c": 20}
    hidden = suppress(values, [("total", ["a", "b", "c"])])
    assert hidden == {"a", "b"}
    assert worked_out(values, [("total", ["a", "b", "c"])], hidden) == set()


def test_a_total_that_would_reveal_a_small_cell_is_hidden():
    values = {"total": 2, "a": 2, "b": 0}
    assert suppress(values, [("total", ["a", "b"])]) == {"a", "total"}


@pytest.mark.parametrize("seed", range(200))
def test_no_hidden_count_follows_from_totals_and_the_cells_shown(seed):
    """Random boards of schools over the seven periods of a school year: the attacker
    knows every equation and every count shown, and works out nothing hidden."""
    rng = random.Random(seed)
    schools = range(rng.randint(2, 5))
    values, equations = {}, []
    for school in schools:
        quarters = [rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 15]) for _q in range(4)]
        halves = [quarters[0] + quarters[1], quarters[2] + quarters[3]]
        for at, count in enumerate([sum(quarters), *halves, *quarters]):
            values[(school, at)] = count
        equations += [
            ((school, whole), [(school, p) for p in parts]) for whole, parts in PERIOD_SUMS
        ]
    for at in range(7):
        values[("board", at)] = sum(values[(school, at)] for school in schools)
        equations.append((("board", at), [(school, at) for school in schools]))
    equations += [(("board", whole), [("board", p) for p in parts]) for whole, parts in PERIOD_SUMS]
    hidden = suppress(values, equations)
    assert {key for key, count in values.items() if 0 < count < 5} <= hidden
    assert worked_out(values, equations, hidden) == set()


def test_the_periods_of_a_school_year_add_up():
    year = school_year(2025)
    assert (year[0].start, year[0].end) == (dt.date(2025, 8, 1), dt.date(2026, 7, 31))
    for whole, parts in PERIOD_SUMS:
        assert year[parts[0]].start == year[whole].start
        assert year[parts[0]].end + dt.timedelta(days=1) == year[parts[1]].start
        assert year[parts[1]].end == year[whole].end


# --- the board's dashboard --------------------------------------------------------------------


def test_free_dates_are_not_read_for_the_board(cast, client_for):
    day = today() - dt.timedelta(days=3)
    rows = csv_rows(client_for(cast.bestuur), f"?scope=board&start={day}&end={day}")
    year = board_periods(today())[0]
    assert rows[1][1] == f"{year.start:%d-%m-%Y} - {year.end:%d-%m-%Y}"


def test_the_board_chooses_a_fixed_period_and_an_unknown_one_falls_back(cast, client_for):
    client = client_for(cast.bestuur)
    half = school_year(LAST_YEAR)[2]
    rows = csv_rows(client, f"?scope=board&periode={half.key}")
    assert rows[1][1] == f"{half.start:%d-%m-%Y} - {half.end:%d-%m-%Y}"
    rows = csv_rows(client, "?scope=board&periode=2025-08-01")
    year = board_periods(today())[0]
    assert rows[1][1] == f"{year.start:%d-%m-%Y} - {year.end:%d-%m-%Y}"
    page = client.get(reverse("cases:evaluation") + "?scope=board").content.decode()
    assert 'name="periode"' in page and 'name="start"' not in page


def test_the_directie_still_chooses_free_dates(cast, client_for):
    day = today() - dt.timedelta(days=3)
    rows = csv_rows(client_for(cast.directie), f"?start={day}&end={day}")
    assert rows[1][1] == f"{day:%d-%m-%Y} - {day:%d-%m-%Y}"


def test_the_year_minus_a_half_does_not_give_the_other_half_away(cast, client_for):
    # Last school year: 10 cases opened in the first half, 3 in the second.
    opened_on(cast, cast.school, dt.date(LAST_YEAR, 10, 1), 10)
    opened_on(cast, cast.school, dt.date(LAST_YEAR + 1, 3, 2), 3)
    client = client_for(cast.bestuur)
    seen = {}
    for at, period in enumerate(school_year(LAST_YEAR)):
        rows = csv_rows(client, f"?scope=board&periode={period.key}")
        seen[at] = next(row[2] for row in rows if row[1] == "geopend")
    assert seen[2] == "*"  # the 3 of the second half
    assert seen[1] == "*"  # and the 10 of the first, or the year would give the 3 away
    values = {at: 0 if shown == "*" else int(shown) for at, shown in seen.items()}
    hidden = {at for at, shown in seen.items() if shown == "*"}
    assert worked_out(values, PERIOD_SUMS, hidden) == set()


def test_the_directie_sees_the_same_counts_exactly(cast, client_for):
    opened_on(cast, cast.school, dt.date(LAST_YEAR + 1, 3, 2), 3)
    start, end = school_year(LAST_YEAR)[2].dates
    rows = csv_rows(client_for(cast.directie), f"?start={start}&end={end}")
    assert next(row[2] for row in rows if row[1] == "geopend") == "3"
