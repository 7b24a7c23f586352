"""Mijn acties as a page: grouped per case (late groups first, items of no case in their
own group), an agreement marked done in place, items routed to the person responsible
first (the af and directie only once late), and wording that follows the case's state."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from cases.actions.services import action_groups, actions_for
from cases.consultations.services import consent_record
from cases.meetings.models import Agreement
from cases.meetings.services import meeting_plan, report_record
from cases.models import Case
from cases.report.models import Assessment
from cases.report.services import report_record as vt_report_record
from cases.report.services import response_record
from cases.workflow import Step
from meldcode.models import Membership, Role
from meldcode.workdays import add_working_days
from tests.cases.factories import make_case
from tests.clock import today
from tests.factories import PupilFactory


def talk_with_agreement(case, by, owner, due_on, description="Wijkteam bellen."):
    meeting = meeting_plan(
        case=case, by=by, kind="parents", starts_at=timezone.now() - dt.timedelta(hours=1),
        place="Kamer", agenda="", staff=[by],
    )  # fmt: skip
    report = report_record(
        meeting=meeting, by=by, report="Besproken.", reaction="Geen bezwaar.",
        agreements=[{"description": description, "owner": owner, "due_on": due_on}],
    )  # fmt: skip
    return report.agreements.get()


def page(client):
    response = client.get(reverse("cases:actions"))
    assert response.status_code == 200
    return response


def done_url(agreement):
    return reverse(
        "cases:action_agreement_done", args=[agreement.report.meeting.case_id, agreement.pk]
    )


def items_of(user, kind, today=None):
    return [item for item in actions_for(user, today) if item.kind == kind]


# --- Grouped per case ------------------------------------------------------------------


def test_groups_with_a_late_item_come_first_and_late_items_lead_inside(cast, client_for):
    calm = make_case(opened_by=cast.leerkracht, step=Step.TALK, responsible=cast.ib,
                     pupil=PupilFactory(school=cast.school, first_name="Anna"))  # fmt: skip
    late = make_case(opened_by=cast.leerkracht, step=Step.TALK, responsible=cast.af,
                     pupil=PupilFactory(school=cast.school, first_name="Zara"))  # fmt: skip
    talk_with_agreement(calm, cast.ib, cast.ib, today() + dt.timedelta(days=3))
    talk_with_agreement(late, cast.ib, cast.ib, today() + dt.timedelta(days=1), "Later.")
    talk_with_agreement(late, cast.ib, cast.ib, today() - dt.timedelta(days=2), "Te laat.")

    groups = page(client_for(cast.ib)).context["groups"]
    assert [group.case for group in groups] == [late, calm]
    assert groups[0].overdue == 1 and not groups[1].overdue
    agreements = [item.what for item in groups[0].items if item.kind == "agreement"]
    assert agreements == ["Afspraak: Te laat.", "Afspraak: Later."]
    assert groups[0].items[0].what == "Afspraak: Te laat."
    # The ib'er's own step item and the agreement of `calm` share one group.
    assert {"responsible", "agreement"} <= {item.kind for item in groups[1].items}


def test_a_group_heading_names_the_pupil_case_and_step_and_links_to_the_case(
    cast, case_at, client_for
):
    case = case_at(Step.TALK, responsible=cast.ib)
    html = page(client_for(cast.ib)).content.decode()
    heading = html.split(f'id="case-{case.pk}"')[1].split("</h2>")[0]
    assert f'href="{case.get_absolute_url()}"' in heading
    assert "Roos Testhuis" in heading and f"Casus {case.pk}" in heading
    assert "3. Gesprek" in heading


def test_items_of_no_case_form_their_own_group(cast, case_at, client_for):
    Membership.objects.filter(role=Role.AANDACHTSFUNCTIONARIS).delete()
    case = case_at(Step.WEIGH, responsible=cast.directie)
    groups = page(client_for(cast.directie)).context["groups"]
    school = [group for group in groups if group.case is None]
    assert [group.title for group in school] == ["Voor de school"]
    assert [item.kind for item in school[0].items] == ["no_af"]
    assert any(group.case == case for group in groups)


def test_a_group_of_only_done_items_goes_last(cast, case_at):
    case = case_at(Step.TALK, responsible=cast.ib)
    other = make_case(opened_by=cast.leerkracht, step=Step.TALK, responsible=cast.af,
                      pupil=PupilFactory(school=cast.school))  # fmt: skip
    agreement = talk_with_agreement(other, cast.ib, cast.ib, today() - dt.timedelta(days=5))
    Agreement.objects.filter(pk=agreement.pk).update(done_at=timezone.now(), done_by=cast.ib)
    items = actions_for(cast.ib, with_done=True)
    groups = action_groups([item for item in items if item.kind != "sign"])
    assert [group.case for group in groups] == [case, other]
    assert groups[1].items[0].done and not groups[1].overdue


# --- An agreement marked done in place ------------------------------------------------


def test_an_agreement_marked_done_returns_to_mijn_acties_as_afgerond(cast, case_at, client_for):
    case = case_at(Step.TALK, responsible=cast.ib)
    agreement = talk_with_agreement(case, cast.ib, cast.ib, today() - dt.timedelta(days=1))
    client = client_for(cast.ib)
    assert f'action="{done_url(agreement)}"' in page(client).content.decode()

    response = client.post(done_url(agreement), follow=True)

    assert response.redirect_chain == [(reverse("cases:actions") + f"#case-{case.pk}", 302)]
    agreement.refresh_from_db()
    assert agreement.done_by == cast.ib and agreement.done_at is not None
    # Recorded with its history (who, when), never an overwrite without a trace.
    assert agreement.history.filter(done_by=cast.ib).exists()
    html = response.content.decode()
    on = date_format(today(), "j F Y")
    assert f"Vastgelegd: de afspraak bij Casus {case.pk} is afgerond op {on}, op jouw naam" in html
    item = html.split(f'id="agreement-{agreement.pk}"')[1].split("</li>")[0]
    assert "afgerond" in item and "Wijkteam bellen." in item and "<form" not in item
    assert response.context["overdue"] == 0  # the done item counts no longer


def test_what_was_agreed_is_escaped_on_mijn_acties(cast, case_at, client_for):
    case = case_at(Step.TALK, responsible=cast.ib)
    typed = '<script>alert("x")</script> & <b>vet</b>'
    talk_with_agreement(case, cast.ib, cast.ib, today(), description=typed)
    html = page(client_for(cast.ib)).content.decode()
    assert "<script>alert" not in html and "<b>vet</b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;vet&lt;/b&gt;" in html


def test_a_done_agreement_is_gone_the_next_day(cast, case_at):
    case = case_at(Step.TALK, responsible=cast.ib)
    agreement = talk_with_agreement(case, cast.ib, cast.ib, today())
    Agreement.objects.filter(pk=agreement.pk).update(done_at=timezone.now(), done_by=cast.ib)
    done = [i for i in actions_for(cast.ib, today(), with_done=True) if i.kind == "agreement"]
    assert [item.done for item in done] == [True]
    tomorrow = today() + dt.timedelta(days=1)
    assert not [i for i in actions_for(cast.ib, tomorrow, with_done=True) if i.kind == "agreement"]
    # Reminders and the start page never count it.
    assert not items_of(cast.ib, "agreement")


def test_marking_done_asks_for_a_post(cast, case_at, client_for):
    case = case_at(Step.TALK, responsible=cast.ib)
    agreement = talk_with_agreement(case, cast.ib, cast.ib, today())
    assert client_for(cast.ib).get(done_url(agreement)).status_code == 405
    assert Agreement.objects.get(pk=agreement.pk).done_at is None


def test_an_outsider_gets_404_and_changes_nothing(cast, case_at, client_for):
    case = case_at(Step.TALK, responsible=cast.ib)
    agreement = talk_with_agreement(case, cast.ib, cast.ib, today())
    for person in (cast.other_leerkracht, cast.leerkracht_b):
        assert client_for(person).post(done_url(agreement)).status_code == 404
    assert Agreement.objects.get(pk=agreement.pk).done_at is None


def test_a_teacher_who_sees_the_case_but_is_no_party_gets_403(cast, case_at, client_for):
    # The opener sees the case; in step 3 she neither acts nor owns the agreement.
    case = case_at(Step.TALK, responsible=cast.ib)
    agreement = talk_with_agreement(case, cast.ib, cast.ib, today())
    assert client_for(cast.leerkracht).post(done_url(agreement)).status_code == 403
    assert Agreement.objects.get(pk=agreement.pk).done_at is None


def test_an_agreement_of_another_case_is_404(cast, case_at, client_for):
    case = case_at(Step.TALK, responsible=cast.ib)
    other = make_case(opened_by=cast.leerkracht, step=Step.TALK, responsible=cast.ib,
                      pupil=PupilFactory(school=cast.school))  # fmt: skip
    agreement = talk_with_agreement(other, cast.ib, cast.ib, today())
    url = reverse("cases:action_agreement_done", args=[case.pk, agreement.pk])
    assert client_for(cast.ib).post(url).status_code == 404


def test_marking_done_twice_says_so_and_keeps_the_first(cast, case_at, client_for):
    case = case_at(Step.TALK, responsible=cast.ib)
    agreement = talk_with_agreement(case, cast.ib, cast.ib, today())
    client = client_for(cast.ib)
    client.post(done_url(agreement))
    first = Agreement.objects.get(pk=agreement.pk).done_at
    response = client.post(done_url(agreement), follow=True)
    assert "Deze afspraak is al afgerond." in response.content.decode()
    assert Agreement.objects.get(pk=agreement.pk).done_at == first


# --- Routing: the responsible person first, the af and directie once late -----------------


def test_a_consent_form_goes_to_who_asked_and_reaches_af_and_directie_only_when_late(cast, case_at):
    case = case_at(Step.CONSULT, responsible=cast.ib)
    consent_record(case=case, by=cast.ib, status="requested", on=today())
    assert items_of(cast.ib, "consent")
    for person in (cast.af, cast.directie, cast.leerkracht):
        assert not items_of(person, "consent")
    late = today() + dt.timedelta(days=8)  # the form was due a week after asking
    for person in (cast.af, cast.directie):
        [item] = items_of(person, "consent", late)
        assert item.escalated and item.overdue
    [own] = items_of(cast.ib, "consent", late)
    assert not own.escalated
    assert not items_of(cast.leerkracht, "consent", late)


def test_a_case_nobody_is_responsible_for_goes_to_the_af_at_once(cast, case_at):
    case = case_at(Step.CONSULT, responsible=cast.ib)
    consent_record(case=case, by=cast.ib, status="requested", on=today())
    Case.objects.filter(pk=case.pk).update(responsible=None)
    Membership.objects.filter(user=cast.ib).delete()  # the ib'er left the school
    [item] = items_of(cast.af, "consent")
    assert not item.escalated
    assert not items_of(cast.directie, "consent")


def test_a_late_decision_of_veilig_thuis_reaches_the_directie_only_after_the_chase(cast, case_at):
    case = case_at(Step.REPORT, responsible=cast.af)
    two_days_ago = timezone.now() - dt.timedelta(days=2)
    Case.objects.filter(pk=case.pk).update(opened_at=two_days_ago, step_entered_at=two_days_ago)
    reported = today() - dt.timedelta(days=1)
    report = vt_report_record(case=case, by=cast.af, reported_on=reported, reported_by=cast.af,
                              parents_told_on=reported)  # fmt: skip
    late = report.decision_expected_by + dt.timedelta(days=1)
    assert items_of(cast.af, "vt_decision", late)
    assert not items_of(cast.directie, "vt_decision", late)
    chased = add_working_days(report.decision_expected_by, 5) + dt.timedelta(days=1)
    [item] = items_of(cast.directie, "vt_decision", chased)
    assert item.escalated


def test_a_stalled_case_reaches_af_and_directie_marked_escalated(cast, case_at):
    case = case_at(Step.CONSULT, responsible=cast.ib)
    Case.objects.filter(pk=case.pk).update(step_entered_at=timezone.now() - dt.timedelta(days=3))
    assert not items_of(cast.af, "stalled") and not items_of(cast.directie, "stalled")
    Case.objects.filter(pk=case.pk).update(step_entered_at=timezone.now() - dt.timedelta(days=60))
    for person in (cast.af, cast.directie):
        [item] = items_of(person, "stalled")
        assert item.escalated and str(cast.ib) in item.what


# --- Wording that follows the state -------------------------------------------------------


def test_after_the_report_the_responsible_waits_for_veilig_thuis(cast, case_at, client_for):
    case = case_at(Step.REPORT, responsible=cast.af)
    client = client_for(cast.af)
    before = page(client).content.decode()
    assert "Leg de melding bij Veilig Thuis vast" in before

    report = vt_report_record(case=case, by=cast.af, reported_on=today(), reported_by=cast.af,
                              parents_told_on=today())  # fmt: skip
    html = page(client).content.decode()
    by = date_format(report.decision_expected_by, "j F Y")
    assert f"Wacht op het besluit van Veilig Thuis (uiterlijk {by})" in html
    assert "Leg de melding bij Veilig Thuis vast" not in html
    assert "Pak de casus op" not in html and "verantwoordelijk voor stap" not in html

    response_record(report=report, by=cast.af, kind="assessment", received_on=today(),
                    assessment=Assessment.INVESTIGATION)  # fmt: skip
    html = page(client).content.decode()
    assert "Wacht op de conclusie van het onderzoek van Veilig Thuis (uiterlijk" in html

    response_record(report=report, by=cast.af, kind="conclusion", received_on=today(),
                    conclusion="confirmed")  # fmt: skip
    assert "Veilig Thuis heeft geantwoord: besluit hoe het verdergaat" in page(client).text


def test_a_late_decision_asks_to_call_veilig_thuis_instead_of_waiting(cast, case_at):
    case = case_at(Step.REPORT, responsible=cast.af)
    report = vt_report_record(case=case, by=cast.af, reported_on=today(), reported_by=cast.af,
                              parents_told_on=today())  # fmt: skip
    late = report.decision_expected_by + dt.timedelta(days=1)
    items = [item for item in actions_for(cast.af, late) if item.case == case]
    assert [item.kind for item in items] == ["vt_decision"]
    assert "bel Veilig Thuis" in items[0].what


def test_the_step_item_names_the_work_of_the_step(cast, case_at):
    case_at(Step.WEIGH, responsible=cast.af)
    [item] = items_of(cast.af, "responsible")
    assert item.what.startswith("Weeg de zorgen")


@pytest.mark.parametrize("size", [3, 12])
def test_the_page_with_reported_cases_stays_within_the_bound(
    cast, client_for, django_assert_max_num_queries, size
):
    """The af responsible for cases in 5b after their report, beside late agreements: the
    report's state costs one query for all cases, within the page's bound of 23."""
    for pupil in PupilFactory.create_batch(size, school=cast.school):
        case = make_case(opened_by=cast.leerkracht, pupil=pupil, step=Step.REPORT,
                         responsible=cast.af)  # fmt: skip
        vt_report_record(case=case, by=cast.af, reported_on=today(), reported_by=cast.af,
                         parents_told_on=today())  # fmt: skip
        other = make_case(opened_by=cast.leerkracht, step=Step.TALK, responsible=cast.af,
                          pupil=PupilFactory(school=cast.school))  # fmt: skip
        talk_with_agreement(other, cast.ib, cast.af, today() - dt.timedelta(days=40))
    client = client_for(cast.af)
    client.get(reverse("cases:actions"))  # warm the session
    with django_assert_max_num_queries(23):
        response = client.get(reverse("cases:actions"))
    waiting = [i for i in response.context["items"] if i.what.startswith("Wacht op het besluit")]
    assert len(waiting) == size


def test_a_reported_case_waiting_for_veilig_thuis_is_not_stalled_at_the_school(cast, case_at):
    case = case_at(Step.REPORT, responsible=cast.af)
    long_ago = timezone.now() - dt.timedelta(days=100)  # the term of 5b is 77 days
    Case.objects.filter(pk=case.pk).update(opened_at=long_ago, step_entered_at=long_ago)
    assert items_of(cast.directie, "stalled")  # past the term without a report
    report = vt_report_record(case=case, by=cast.af, reported_on=today(), reported_by=cast.af,
                              parents_told_on=today())  # fmt: skip
    assert not items_of(cast.directie, "stalled")
    response_record(report=report, by=cast.af, kind="assessment", received_on=today(),
                    assessment=Assessment.CLOSE)  # fmt: skip
    assert items_of(cast.directie, "stalled")  # answered: the school decides what follows
