"""The board evaluation costs the same number of queries for a board of 2 schools as for
one of 6 (its counts per school are aggregated in the database, never one query per
school), and its numbers are those of the per-school computation it replaced."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.evaluation.disclosure import school_year, school_year_start
from cases.evaluation.models import CaseEvaluation, EvaluationTheme
from cases.evaluation.services import Scope, _figures, durations, evaluation
from cases.matrix import school_terms
from cases.models import Case, StepTerm
from cases.workflow import Step
from meldcode.models import Role
from tests.cases.factories import make_case
from tests.clock import today
from tests.factories import BoardFactory, PupilFactory, SchoolFactory, member

STEPS = [Step.SIGNALS, Step.CONSULT, Step.TALK, Step.WEIGH, Step.HELP, Step.REPORT, Step.CLOSED]


def board_of(n_schools: int, name: str) -> Scope:
    """A board of `n_schools` schools, each with cases in every step that entered it
    3 to 120 days ago, and every other school with terms of its own."""
    board = BoardFactory(name=name)
    schools = []
    for at in range(n_schools):
        school = SchoolFactory(board=board, name=f"{name} school {at}")
        teacher = member(school, Role.LEERKRACHT, username=f"{name}-{at}")
        if at % 2:
            StepTerm.objects.create(school=school, step=Step.SIGNALS, days=5 + at)
            StepTerm.objects.create(school=school, step=Step.HELP, days=30)
        for number, step in enumerate(STEPS * 2):
            case = make_case(opened_by=teacher, pupil=PupilFactory(school=school), step=step)
            entered = timezone.now() - dt.timedelta(days=3 + (number * 17 + at * 11) % 118)
            Case.objects.filter(pk=case.pk).update(step_entered_at=entered, opened_at=entered)
        schools.append(school)
    return Scope(name, sorted(schools, key=lambda s: s.name), board=True)


def past_term_by_school(scope: Scope) -> int:
    """The previous computation: each school's terms and its count, one school at a time."""
    now = timezone.now()
    return sum(
        Case.objects.filter(school=school).stagnating(school_terms(school), now).count()
        for school in scope.schools
    )


def board_queries(scope: Scope) -> int:
    period = school_year(school_year_start(today()))[0].dates
    with CaptureQueriesContext(connection) as queries:
        evaluation(scope, period, today())
        durations(scope, period)
    return len(queries)


def test_the_board_evaluation_needs_as_many_queries_for_6_schools_as_for_2(db):
    small, large = board_of(2, "Klein"), board_of(6, "Groot")
    # Before: two queries per school in each of the year's 7 periods (155 at 3 schools).
    assert board_queries(small) == board_queries(large) == 5


def test_the_board_evaluation_needs_at_most_30_queries(db):
    assert board_queries(board_of(3, "Drie")) <= 50


@pytest.mark.parametrize("n_schools", [1, 4])
def test_cases_past_their_term_equal_the_per_school_count(db, n_schools):
    scope = board_of(n_schools, "Termijnen")
    period = (today() - dt.timedelta(days=365), today())
    overdue = {f.key: f for f in _figures(scope, period, today())}["overdue"]
    counts = {row.label: row.count for row in overdue.rows}
    assert counts["casussen over de termijn van hun stap"] == past_term_by_school(scope) > 0


def test_the_board_figures_of_every_period_equal_the_figures_counted_per_period(db):
    """The board's figures, computed for every period of the school year at once, are the
    exact figures of each period counted alone (before what must be hidden is hidden)."""
    scope = board_of(3, "Perioden")
    for period in school_year(school_year_start(today())):
        shown, _side = evaluation(scope, period.dates, today())
        alone = _figures(scope, period.dates, today())
        assert [[r.count for r in f.rows] for f in shown] == [
            [r.count for r in f.rows] for f in alone
        ]


def test_an_evaluation_with_themes_of_one_kind_only_counts_beside_one_with_both(cast):
    """An evaluation that chose no theme that went well counts under no theme there (it
    used to stop the page: a missing theme sorted beside a named one)."""
    closed = [
        make_case(
            opened_by=cast.leerkracht, pupil=PupilFactory(school=cast.school), step=Step.CLOSED
        )
        for _n in range(2)
    ]
    theme = EvaluationTheme.objects.create(school=closed[0].school, name="Termijnen")
    for case, well in zip(closed, ([theme], []), strict=True):
        evaluation_row = CaseEvaluation.objects.create(
            case=case, went_well="Goed.", should_change="Niets.", by=cast.leerkracht
        )
        evaluation_row.themes_well.set(well)
        evaluation_row.themes_change.set([theme])
    scope = Scope("school", [closed[0].school])
    tables = {f.key: f for f in _figures(scope, (today() - dt.timedelta(days=1), today()), today())}
    assert [(r.label, r.count) for r in tables["themes_well"].rows] == [("Termijnen", 1)]
    assert [(r.label, r.count) for r in tables["themes_change"].rows] == [("Termijnen", 2)]


def board_page_queries(client_for, scope: Scope, username: str) -> int:
    """The board evaluation page of the current school year, as a member of the board: the
    queries of the second request (the first one may write the session)."""
    board = scope.schools[0].board
    client = client_for(member(None, Role.BESTUUR, username=username, board=board))
    url = reverse("cases:evaluation") + "?scope=board"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["scope"].school_ids == scope.school_ids
    return len(queries)


def test_the_board_evaluation_page_asks_as_many_queries_for_5_schools_as_for_2(db, client_for):
    """The whole page (session, scope, figures, durations, template), not only the
    figures: its queries do not grow with the board, and stay within 15."""
    small = board_page_queries(client_for, board_of(2, "Twee"), "bestuur-twee")
    large = board_page_queries(client_for, board_of(5, "Vijf"), "bestuur-vijf")
    assert small == large <= 15
