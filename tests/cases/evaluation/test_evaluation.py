"""The evaluation of the meldcode: each figure on a fixed data set, exact counts inside a
school, who sees which scope, and the case evaluation at closing. What the board sees of
small counts: tests/cases/evaluation/test_disclosure.py."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.evaluation.models import CaseEvaluation
from cases.evaluation.services import (
    Scope,
    case_evaluation_record,
    durations,
    figures,
    themes_of,
)
from cases.models import Case, Transition
from cases.workflow import Step
from tests.cases.factories import make_case
from tests.clock import today
from tests.factories import PupilFactory


def period():
    """The last year up to today."""
    return (today() - dt.timedelta(days=365), today())


def figure(scope, key):
    return {f.key: f for f in figures(scope, period(), today())}[key]


def counts(scope, key):
    return {row.label: row.count for row in figure(scope, key).rows}


def a_case(cast, step=Step.SIGNALS, **extra):
    return make_case(
        opened_by=cast.leerkracht, pupil=PupilFactory(school=cast.school), step=step, **extra
    )


def stay(case, to_step, days_ago, from_step=""):
    """A move `days_ago` days ago. Moves are append-only and stamped at insert, so the
    test writes the row itself with its time (an INSERT, which the guards allow)."""
    at = timezone.now() - dt.timedelta(days=days_ago)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Transition._meta.db_table} "
            "(case_id, from_step, to_step, by_id, at, reason, reason_category, emergency) "
            "VALUES (%s, %s, %s, %s, %s, '', '', %s)",
            [case.pk, from_step, to_step, case.opened_by_id, at, False],
        )


def test_cases_opened_and_per_step_now(cast):
    for _n in range(6):
        a_case(cast, Step.CONSULT)
    a_case(cast, Step.WEIGH)
    scope = Scope("school", [cast.school])
    assert counts(scope, "cases")["geopend"] == 7
    per_step = figure(scope, "per_step")
    assert {row.label: row.display for row in per_step.rows}[
        "2. Collegiale consultatie en advies Veilig Thuis"
    ] == "6"
    # Inside the school the counts are exact: the directie may open every case.
    assert {row.label: row.display for row in per_step.rows}["4. Wegen"] == "1"


def test_median_and_longest_days_per_step_computed_by_hand(cast):
    # Five cases stayed in step 2 for 2, 4, 6, 8 and 30 days: median 6, longest 30.
    for days in (2, 4, 6, 8, 30):
        case = a_case(cast, Step.SIGNALS)
        stay(case, Step.CONSULT, days + 1, from_step=Step.SIGNALS)
        stay(case, Step.TALK, 1, from_step=Step.CONSULT)
    row = {d.step: d for d in durations(Scope("school", [cast.school]), period())}[
        "2. Collegiale consultatie en advies Veilig Thuis"
    ]
    assert (row.stays, row.median, row.longest) == (5, 6.0, 30.0)


def test_step_3_skipped_is_counted_by_category(cast):
    for _n in range(5):
        case = a_case(cast, Step.CONSULT, responsible=cast.ib)
        from cases.services import case_advance

        case_advance(case=case, to=Step.WEIGH, by=cast.ib, reason="Veiligheid.",
                     reason_category="child_safety")  # fmt: skip
    rows = counts(Scope("school", [cast.school]), "skipped")
    assert rows["de veiligheid van het kind"] == 5


def test_no_names_case_numbers_or_free_text_on_the_dashboard(cast, client_for):
    case = a_case(cast)
    page = client_for(cast.directie).get(reverse("cases:evaluation")).content.decode()
    assert case.pupil.last_name not in page
    assert f"Casus {case.pk}" not in page


@pytest.mark.parametrize(
    ("username", "query", "status"),
    [
        ("directie", "", 200),
        ("af", "", 200),
        ("bestuur", "?scope=board", 200),
        ("leerkracht", "", 404),
        ("ib", "", 404),
        ("leerkracht", "?scope=board", 404),
        ("outsider", "", 404),
    ],
)
def test_who_may_see_which_scope(cast, client_for, username, query, status):
    response = client_for(getattr(cast, username)).get(reverse("cases:evaluation") + query)
    assert response.status_code == status


def test_the_board_sees_schools_side_by_side_only_when_each_has_enough_cases(cast, client_for):
    for _n in range(5):
        a_case(cast)
    url = reverse("cases:evaluation") + "?scope=board"
    page = client_for(cast.bestuur).get(url).content.decode()
    assert "Niet elke school heeft" in page
    for _n in range(5):
        make_case(opened_by=cast.other_leerkracht, pupil=PupilFactory(school=cast.other_school))
    page = client_for(cast.bestuur).get(url).content.decode()
    assert cast.other_school.name in page and "Niet elke school heeft" not in page


def test_the_csv_hides_a_small_count_from_the_board_and_not_from_the_directie(cast, client_for):
    a_case(cast)
    for user, query, count in ((cast.directie, "", "1"), (cast.bestuur, "?scope=board", "*")):
        response = client_for(user).get(reverse("cases:evaluation_csv") + query)
        assert response["Content-Disposition"].startswith("attachment;")
        rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
        opened = next(row for row in rows if row[1] == "geopend")
        assert opened[2] == count


def test_the_yearly_report_is_a_pdf(cast, client_for):
    response = client_for(cast.directie).get(reverse("cases:evaluation_pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_page_needs_the_same_number_of_queries_for_10_and_100_cases(cast, client_for):
    client = client_for(cast.directie)
    url = reverse("cases:evaluation")
    for _n in range(10):
        a_case(cast, Step.CONSULT)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _n in range(90):
        a_case(cast, Step.CONSULT)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


def test_a_closed_case_asks_for_its_evaluation_by_themes(cast, case_at, client_for):
    case = case_at(Step.CLOSED)
    page = client_for(cast.af).get(case.get_absolute_url()).content.decode()
    assert 'data-testid="case-evaluation"' in page
    themes = themes_of(cast.school)
    case_evaluation_record(case=case, by=cast.af, went_well="Snel overleg.",
                           should_change="Eerder bellen.", themes_well=themes[:1],
                           themes_change=themes[1:2])  # fmt: skip
    page = client_for(cast.af).get(case.get_absolute_url()).content.decode()
    assert 'data-testid="case-evaluation"' not in page
    rows = counts(Scope("school", [cast.school]), "themes_well")
    assert rows == {themes[0].name: 1}
    assert CaseEvaluation.objects.count() == 1
    assert Case.objects.get(pk=case.pk).step == Step.CLOSED


def test_a_theme_named_like_a_formula_leaves_the_csv_starting_with_a_quote(
    cast, case_at, client_for
):
    from cases.evaluation.models import EvaluationTheme

    names = ['=HYPERLINK("http://x")', "+1+1", "@SUM(1)"]
    themes = [EvaluationTheme.objects.create(school=cast.school, name=name) for name in names]
    case_evaluation_record(case=case_at(Step.CLOSED), by=cast.af, went_well="Snel overleg.",
                           should_change="Niets.", themes_well=themes,
                           themes_change=[])  # fmt: skip
    response = client_for(cast.directie).get(reverse("cases:evaluation_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff")), delimiter=";"))
    labels = {row[1] for row in rows}
    for name in names:
        assert f"'{name}" in labels and name not in labels
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
