"""Mijn acties: every kind of item, only what the person may see, overdue first,
escalation, and one reminder a day."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.actions.models import ReminderSent
from cases.actions.services import actions_for
from cases.consultations.services import consent_record
from cases.help.services import help_plan_create
from cases.meetings.services import meeting_plan, report_record
from cases.models import Case
from cases.report.services import report_record as vt_report_record
from cases.services import case_grant, case_revoke
from cases.workflow import Step
from meldcode.models import Membership, Pupil, Role
from tests.cases.factories import make_case
from tests.clock import today
from tests.factories import PupilFactory
from tests.socialmap.factories import OrganisationFactory


def kinds(user, today=None):
    return [item.kind for item in actions_for(user, today)]


def talk_with_agreement(case, by, owner, due_on):
    meeting = meeting_plan(
        case=case, by=by, kind="parents", starts_at=timezone.now() - dt.timedelta(hours=1),
        place="Kamer", agenda="", staff=[by],
    )  # fmt: skip
    return report_record(
        meeting=meeting, by=by, report="Besproken.", reaction="Geen bezwaar.",
        agreements=[{"description": "Wijkteam bellen.", "owner": owner, "due_on": due_on}],
    )  # fmt: skip


def backdate(case, days):
    Case.objects.filter(pk=case.pk).update(
        step_entered_at=timezone.now() - dt.timedelta(days=days),
        opened_at=timezone.now() - dt.timedelta(days=days),
    )
    case.refresh_from_db()


def test_a_case_the_person_is_responsible_for_is_an_action(cast, case_at):
    case = case_at(Step.SIGNALS)
    items = actions_for(cast.leerkracht)
    assert [(item.kind, item.case) for item in items] == [("responsible", case)]


def test_cases_past_their_term_reach_the_af_and_directie(cast, case_at):
    case = case_at(Step.CONSULT, responsible=cast.ib)
    backdate(case, 30)
    for person in (cast.af, cast.directie):
        assert "stalled" in kinds(person)
    assert "stalled" not in kinds(cast.leerkracht)


def test_an_agreement_the_person_owns_is_an_action_marked_late_when_due(cast, case_at):
    case = case_at(Step.TALK, responsible=cast.ib)
    talk_with_agreement(case, cast.ib, cast.leerkracht, today() - dt.timedelta(days=1))
    item = next(i for i in actions_for(cast.leerkracht) if i.kind == "agreement")
    assert item.overdue and item.days_late == 1


def test_a_held_talk_without_report_and_a_report_to_sign_are_actions(cast, case_at):
    case = case_at(Step.TALK, responsible=cast.ib)
    meeting = meeting_plan(case=case, by=cast.ib, kind="parents", place="Kamer", agenda="",
                           starts_at=timezone.now() - dt.timedelta(hours=2),
                           staff=[cast.ib, cast.af])  # fmt: skip
    assert "talk_report" in kinds(cast.ib)
    report_record(meeting=meeting, by=cast.ib, report="x", reaction="y", agreements=[])
    assert "sign" in kinds(cast.af)


def test_a_help_plan_whose_term_has_come_is_an_action(cast, case_at):
    case = case_at(Step.HELP, responsible=cast.af)
    plan = help_plan_create(case=case, by=cast.af, organisation=OrganisationFactory(
        school=cast.school), help_offered="Hulp", case_manager="Wijkteam", results_agreed="Rust",
        term=today() + dt.timedelta(days=10))  # fmt: skip
    assert "help_term" not in kinds(cast.af)
    assert "help_term" in kinds(cast.af, plan.term + dt.timedelta(days=1))


def test_a_late_decision_of_veilig_thuis_is_an_action(cast, case_at):
    case = case_at(Step.REPORT, responsible=cast.af)
    backdate(case, 30)
    twenty_days_ago = today() - dt.timedelta(days=20)
    vt_report_record(
        case=case, by=cast.af, reported_on=twenty_days_ago, reported_by=cast.af,
        parents_told_on=twenty_days_ago,
    )  # fmt: skip
    assert "vt_decision" in kinds(cast.af)


def test_a_consent_form_awaited_is_an_action(cast, case_at):
    case = case_at(Step.CONSULT, responsible=cast.ib)
    consent_record(case=case, by=cast.ib, status="requested", on=today())
    assert "consent" in kinds(cast.ib)


def test_a_school_without_an_aandachtsfunctionaris_is_an_action_for_its_directie(cast, client_for):
    Membership.objects.filter(role=Role.AANDACHTSFUNCTIONARIS).delete()
    assert "no_af" in kinds(cast.directie)
    page = client_for(cast.bestuur).get(reverse("home")).content.decode()
    assert 'data-testid="schools-without-af"' in page


def test_overdue_items_come_first(cast, case_at):
    case = case_at(Step.TALK, responsible=cast.ib)
    talk_with_agreement(case, cast.ib, cast.ib, today() + dt.timedelta(days=5))
    talk_with_agreement(case, cast.ib, cast.ib, today() - dt.timedelta(days=3))
    items = actions_for(cast.ib)
    assert items[0].overdue
    assert [item.overdue for item in items] == sorted((i.overdue for i in items), reverse=True)


def test_an_item_of_a_case_the_person_may_not_see_never_shows(cast, case_at):
    case = case_at(Step.TALK, opened_by=cast.ib, responsible=cast.ib)
    case_grant(case=case, person=cast.leerkracht_b, level="read", by=cast.ib)
    talk_with_agreement(case, cast.ib, cast.leerkracht_b, today())
    assert "agreement" in kinds(cast.leerkracht_b)
    case_revoke(case=case, person=cast.leerkracht_b, by=cast.ib)
    assert actions_for(cast.leerkracht_b) == []
    assert actions_for(cast.other_leerkracht) == []


def test_an_agreement_overdue_beyond_the_term_escalates_to_af_and_directie(cast, case_at):
    case = case_at(Step.TALK, responsible=cast.ib)
    talk_with_agreement(case, cast.ib, cast.ib, today() - dt.timedelta(days=5))
    assert "escalated_agreement" not in kinds(cast.af)
    later = today() + dt.timedelta(days=30)  # the term of step 3 is 21 days
    assert "escalated_agreement" in kinds(cast.af, later)
    assert "escalated_agreement" in kinds(cast.directie, later)
    assert "escalated_agreement" not in kinds(cast.ib, later)


def test_the_list_needs_the_same_number_of_queries_for_5_and_100_cases(cast):
    def count(size):
        for pupil in PupilFactory.create_batch(size, school=cast.school):
            case = make_case(opened_by=cast.leerkracht, pupil=pupil, step=Step.TALK,
                             responsible=cast.ib)  # fmt: skip
            talk_with_agreement(case, cast.ib, cast.ib, today())
        with CaptureQueriesContext(connection) as queries:
            actions_for(cast.ib)
        return len(queries)

    assert count(5) == count(95)  # 5 cases, then 100


def test_one_content_free_mail_a_day(cast, case_at, mailoutbox, django_capture_on_commit_callbacks):
    case = case_at(Step.TALK, responsible=cast.ib)
    talk_with_agreement(case, cast.ib, cast.ib, today() - dt.timedelta(days=1))
    mailoutbox.clear()
    # The mails leave the outbox when the run's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    to_ib = [mail for mail in mailoutbox if mail.to == [cast.ib.email]]
    assert len(to_ib) == 1
    # responsible for the step, the late agreement, and the report to sign
    assert "3 acties" in to_ib[0].subject and "1 te laat" in to_ib[0].subject
    text = to_ib[0].subject + to_ib[0].body
    assert cast.pupil.first_name not in text and "Wijkteam" not in text
    assert reverse("cases:actions") in to_ib[0].body
    assert ReminderSent.objects.filter(user=cast.ib).count() == 1


def test_a_dry_run_sends_nothing(cast, case_at, mailoutbox, capsys):
    case_at(Step.SIGNALS)
    call_command("send_reminders", "--dry-run")
    assert mailoutbox == [] and not ReminderSent.objects.exists()
    assert "leerkracht" in capsys.readouterr().out


def test_the_page_lists_the_actions_and_is_for_signed_in_people(cast, case_at, client_for):
    case = case_at(Step.SIGNALS)
    response = client_for(cast.leerkracht).get(reverse("cases:actions"))
    assert response.status_code == 200 and case.get_absolute_url() in response.text
    assert client_for(cast.leerkracht).post(reverse("cases:actions")).status_code == 405


@pytest.mark.parametrize("size", [5, 60])
def test_the_page_asks_at_most_23_queries_of_the_af_however_many_cases(
    cast, client_for, django_assert_max_num_queries, size
):
    """The aandachtsfunctionaris sees the most kinds of item (stalled cases, escalated
    agreements); the viewer's schools are read once for all providers (case_scope).
    23 since the merge of issues 21, 22 and 25, each provider one fixed query: the
    missing report, VT's conclusion, arrival at the help, the board's escalations, the
    inzage requests, the staff-signal duties and the leaving checklists. The number is the
    same for 5 and 60 cases."""
    for pupil in PupilFactory.create_batch(size, school=cast.school):
        case = make_case(opened_by=cast.leerkracht, pupil=pupil, step=Step.TALK,
                         responsible=cast.af)  # fmt: skip
        talk_with_agreement(case, cast.ib, cast.af, today() - dt.timedelta(days=40))
    client = client_for(cast.af)
    client.get(reverse("cases:actions"))  # warm the session
    with django_assert_max_num_queries(23):
        response = client.get(reverse("cases:actions"))
    assert response.status_code == 200
    assert len(response.context["items"]) >= size


def test_the_kept_probe_follows_a_new_role_and_a_new_day(cast, case_at):
    """The probe's SQL is kept per person, roles and day (cases.actions.services
    ._probe_sql): the ib'er who is made aandachtsfunctionaris sees the leaving checklist at
    once, and a help plan's term that comes tomorrow shows tomorrow."""
    case = case_at(Step.HELP)
    Pupil.objects.filter(pk=case.pupil_id).update(left_on=today())
    assert "leaving" not in kinds(cast.ib)
    Membership.objects.create(user=cast.ib, school=cast.school, role=Role.AANDACHTSFUNCTIONARIS)
    assert "leaving" in kinds(cast.ib)

    plan = help_plan_create(case=case, by=cast.af, organisation=OrganisationFactory(
        school=cast.school), help_offered="Hulp", case_manager="Wijkteam", results_agreed="Rust",
        term=today() + dt.timedelta(days=1))  # fmt: skip
    assert "help_term" not in kinds(cast.af, today())
    assert "help_term" in kinds(cast.af, plan.term + dt.timedelta(days=1))


def test_the_kept_probe_holds_ids_and_sql_only(cast, case_at, client_for):
    """What a server process keeps of the probe is its question: the person's id, the day,
    their roles and the SQL, never the user object (on a page it keeps its request, with
    the session, alive) and never an answer."""
    from cases.actions import services

    case_at(Step.TALK)
    services._PROBES.clear()
    assert client_for(cast.af).get(reverse("cases:actions")).status_code == 200
    assert services._PROBES
    for (person, day, roles), (sql, params, answers) in services._PROBES.items():
        assert person == cast.af.pk and day == today()
        assert roles == cast.af.held_roles()
        assert isinstance(sql, str) and isinstance(params, tuple)
        assert all(isinstance(kind, str) for kind in answers)
