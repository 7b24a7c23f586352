"""The case page's queries: a bound for the aandachtsfunctionaris and the ib'er on a case in
steps 2, 4 and 5b that holds what those steps record, and a number that does not grow with
the case's entries or the board's schools (cases.case_page reads each kind of record once).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.consultations.services import consent_record, consultation_record
from cases.dossier.services import DOSSIER_PAGE
from cases.help.services import help_plan_create
from cases.matrix import matrix_save
from cases.models import DEFAULT_MATRIX, AccessChange, Entry, EntrySignal
from cases.report.services import report_record, response_record
from cases.services import case_advance, case_grant
from cases.weighing.services import weighing_record
from cases.workflow import Step
from meldcode.models import Role
from tests.cases.dossier.conftest import TAG_BRUISES
from tests.cases.factories import hold_parent_talk, make_case
from tests.factories import BoardFactory, PupilFactory, SchoolFactory, member
from tests.socialmap.factories import OrganisationFactory

# Per step, the most queries the page may take for either of the two, on SQLite. Each is a
# read of something the page shows (or the access-log row it writes):
#   the session, the user, their memberships; the case (with which records it holds and
#   the school's matrix); its moves; the colleagues added; the school's staff (for the
#   forms that name a person); a page of the dossier and its signals; the crisis services
#   of the sociale kaart (noodsituatie form); the access log: savepoint, the chain's last
#   row, the new row, release;
#   step 2 adds the consultations and the consents; step 4 also the talks and the
#   weighings with their answers; 5b also the help plans, the reports and Veilig Thuis's
#   answers (and no noodsituatie form).
BOUND = {Step.CONSULT: 16, Step.WEIGH: 19, Step.REPORT: 21}


def chain_lock() -> int:
    """PostgreSQL takes the access-log chain's lock in a query of its own."""
    return 1 if connection.vendor == "postgresql" else 0


def add_entries(case, author, total: int) -> None:
    today = timezone.localdate()
    entries = Entry.objects.bulk_create(
        Entry(
            case=case,
            author=author,
            kind=Entry.Kind.OBSERVATION,
            occurred_on=today - dt.timedelta(days=n % 30),
            description=f"Aantekening {n}",
            place="Klas",
            situation="Les",
        )
        for n in range(total - case.entries.count())
    )
    EntrySignal.objects.bulk_create(EntrySignal(entry=entry, code=TAG_BRUISES) for entry in entries)


def case_in(cast, step: Step, entries: int = 20):
    """A case of `cast.pupil` in `step` with what its earlier steps recorded: entries, a
    colleague added, consent asked and a consultation (2); a held and reported talk and a
    weighing that decided to report (4); the report with an answer of Veilig Thuis, and
    two help plans alongside (5b)."""
    today = timezone.localdate()
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.SIGNALS)
    case.opened_at = case.step_entered_at = timezone.now() - dt.timedelta(days=40)
    case.save(update_fields=["opened_at", "step_entered_at"])
    add_entries(case, cast.leerkracht, entries)
    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    case_grant(case=case, person=cast.leerkracht_b, level=AccessChange.Level.READ, by=cast.ib)
    consent_record(case=case, by=cast.ib, status="requested", on=today)
    consultation_record(
        case=case, by=cast.ib, held_on=today, party="colleague", anonymous=False,
        colleague_role="zorgteam", question="Wat zien jullie?", advice="Gesprek met ouders.",
    )  # fmt: skip
    if step == Step.CONSULT:
        return case
    case_advance(case=case, to=Step.TALK, by=cast.ib)
    hold_parent_talk(case, cast.ib)
    case_advance(case=case, to=Step.WEIGH, by=cast.ib)
    weighing_record(
        case=case,
        by=cast.af,
        answers={
            1: ("yes", "Redenering bij vraag 1."),
            2: ("no", "Geen acuut gevaar."),
            3: ("yes", "Hulp is mogelijk."),
            4: ("no", "Reactie van de ouders."),
        },
        report_needed=True,
        help_possible=False,
    )
    if step == Step.WEIGH:
        return case
    case_advance(case=case, to=Step.REPORT, by=cast.af)
    report = report_record(
        case=case, by=cast.af, reported_on=today, reported_by=cast.af, parents_told_on=today,
        pupil_not_told_reason="In het gesprek met de ouders besloten: nog niet nu.",
    )  # fmt: skip
    response_record(report=report, by=cast.af, kind="decision", received_on=today, takes_on=True)
    for provider in ("Wijkteam", "Jeugdhulp"):
        help_plan_create(
            case=case, by=cast.af,
            organisation=OrganisationFactory(school=case.school, name=provider),
            help_offered="Opvoedondersteuning.", case_manager="Wijkteam, casusregisseur",
            results_agreed="Rust in huis.", term=today + dt.timedelta(days=30),
        )  # fmt: skip
    return case


def page_queries(client, case) -> tuple[int, str]:
    """The queries of a second showing of the case page (the first one fills what a session
    in use keeps), and the page."""
    client.get(case.get_absolute_url())
    with CaptureQueriesContext(connection) as captured:
        response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    return len(captured.captured_queries), response.text


# What each step's page shows of the records, so that a bound is not met by a page that
# lost a part.
SHOWN = {
    Step.CONSULT: ['data-testid="consent"', 'data-testid="consultation"'],
    Step.WEIGH: ['data-testid="consultation"', 'data-testid="meeting"', 'data-testid="weighing"'],
    Step.REPORT: [
        'data-testid="consultation"',
        'data-testid="meeting"',
        'data-testid="weighing"',
        'data-testid="help-plan"',
        'data-testid="report"',
    ],
}


@pytest.mark.parametrize("step", [Step.CONSULT, Step.WEIGH, Step.REPORT])
@pytest.mark.parametrize("role", ["af", "ib"])
def test_the_case_page_stays_within_its_bound_in_steps_2_4_and_5b(cast, client_for, role, step):
    case = case_in(cast, step)
    count, page = page_queries(client_for(getattr(cast, role)), case)
    assert count <= BOUND[step] + chain_lock()
    assert all(shown in page for shown in SHOWN[step])
    assert "Aantekening 19" in page and cast.leerkracht_b.get_full_name() in page


@pytest.mark.parametrize("role", ["af", "ib"])
def test_the_case_page_needs_as_many_queries_for_60_entries_as_for_5(cast, client_for, role):
    case = case_in(cast, Step.WEIGH, entries=5)
    client = client_for(getattr(cast, role))
    few, _page = page_queries(client, case)
    add_entries(case, cast.leerkracht, 60)
    many, page = page_queries(client, case)
    assert few == many
    assert case.entries.count() > DOSSIER_PAGE
    assert page.count('class="entry entry-') == DOSSIER_PAGE


def school_with_a_case(board, number: int, af, ib):
    """Another school of the board, where the af and the ib'er also work, with staff of its
    own and a case in step 4."""
    school = SchoolFactory(board=board, name=f"School {number}")
    for user, role in ((af, Role.AANDACHTSFUNCTIONARIS), (ib, Role.IB)):
        user.memberships.create(school=school, board=board, role=role)
    teacher = member(school, Role.LEERKRACHT, username=f"leerkracht_{number}")
    member(school, Role.AANDACHTSFUNCTIONARIS, username=f"af_{number}")
    make_case(opened_by=teacher, pupil=PupilFactory(school=school), step=Step.WEIGH)


@pytest.mark.parametrize("role", ["af", "ib"])
def test_the_case_page_needs_as_many_queries_on_a_board_of_3_schools_as_of_1(
    cast, client_for, role
):
    cast.other_school.board = BoardFactory(name="Een ander bestuur")
    cast.other_school.save()
    case = case_in(cast, Step.WEIGH)
    user = getattr(cast, role)
    one, _page = page_queries(client_for(user), case)
    for number in (2, 3):
        school_with_a_case(cast.board, number, cast.af, cast.ib)
    assert cast.board.schools.count() == 3
    three, _page = page_queries(client_for(user), case)
    assert one == three


def test_the_case_page_follows_the_matrix_the_school_set_read_with_the_case(cast, client_for):
    """The school's own matrix comes with the case (cases.matrix.matrix_cells): in this
    school the aandachtsfunctionaris, not the ib'er, acts in step 2."""
    matrix = {step: set(roles) for step, roles in DEFAULT_MATRIX.items()}
    matrix[Step.CONSULT] = {Role.AANDACHTSFUNCTIONARIS}
    matrix_save(school=cast.school, matrix=matrix, by=cast.af)
    case = case_in(cast, Step.CONSULT)
    af_page = client_for(cast.af).get(case.get_absolute_url())
    assert [form.target for form in af_page.context["move_forms"]] == [Step.TALK, Step.WEIGH]
    # The af names who is responsible in step 3: whoever may act there (the ib'er).
    assert list(af_page.context["move_forms"][0].fields["responsible"].queryset) == [cast.ib]
    ib_page = client_for(cast.ib).get(case.get_absolute_url())
    assert ib_page.context["move_forms"] == []
