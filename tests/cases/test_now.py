"""The case page leads with "nu te doen" (cases/now.py): the step's work for the person
who looks, the moves folded below it, a blocked move with its reason, and after a
weighing only the path it decided."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from cases.meetings.services import meeting_plan
from cases.models import Case
from cases.report.services import report_record
from cases.services import case_advance
from cases.weighing.services import weighing_record
from cases.workflow import Step
from meldcode.models import Pupil
from tests.cases.factories import hold_parent_talk, make_case, ready_to_leave


def _now(response):
    return response.context["now"]


def test_step_one_leads_with_the_observation_form_for_the_teacher_who_opened(
    cast, case, client_for
):
    response = client_for(cast.leerkracht).get(case.get_absolute_url())
    assert _now(response).observation_form
    text = response.text
    # The observation form comes before the moves and before the dossier.
    assert text.index('data-testid="observation-form"') < text.index('data-testid="other-step"')
    assert text.count('data-testid="observation-form"') == 1


def test_step_one_shows_a_teacher_no_panels_of_later_steps(cast, case, client_for):
    response = client_for(cast.leerkracht).get(case.get_absolute_url())
    assert response.context["panels"] == set()
    assert 'id="weighing-heading"' not in response.text
    assert 'id="report-heading"' not in response.text
    assert 'id="consult-heading"' not in response.text


def test_step_two_leads_with_the_consultation_and_the_consent(cast, case, client_for):
    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    now = _now(client_for(cast.ib).get(case.get_absolute_url()))
    assert now.title == "Consulteer en vraag toestemming"
    assert [link.primary for link in now.links] == [True, False]
    assert now.links[0].url == reverse("cases:consultation_new", args=[case.pk])
    assert now.links[1].url == reverse("cases:consent_new", args=[case.pk])


def test_step_three_offers_to_plan_the_talk_then_to_write_its_report_after_its_time(
    cast, client_for
):
    case = make_case(opened_by=cast.ib, pupil=cast.pupil, step=Step.TALK)
    client = client_for(cast.ib)
    assert _now(client.get(case.get_absolute_url())).title == "Plan het gesprek met de ouders"
    meeting = meeting_plan(
        case=case, by=cast.ib, kind="parents", place="Kamer 1", agenda="", staff=[cast.ib],
        starts_at=timezone.now() + dt.timedelta(days=2),
    )  # fmt: skip
    assert _now(client.get(case.get_absolute_url())).title == "Het gesprek met de ouders is gepland"
    meeting.starts_at = timezone.now() - dt.timedelta(hours=1)
    meeting.save(update_fields=["starts_at"])
    now = _now(client.get(case.get_absolute_url()))
    assert now.title == "Schrijf het verslag van het gesprek"
    assert now.links[0].url.endswith(f"/{meeting.pk}/")


def test_step_four_leads_with_the_weighing_and_blocks_every_move_until_it_is_recorded(
    cast, client_for
):
    case = make_case(opened_by=cast.ib, pupil=cast.pupil, step=Step.WEIGH, responsible=cast.af)
    response = client_for(cast.af).get(case.get_absolute_url())
    assert _now(response).title == "Weeg de signalen"
    options = response.context["move_options"]
    assert options and all(option.blocked for option in options)
    assert "Nog niet mogelijk" in response.text


def test_after_a_weighing_only_the_decided_path_is_offered(cast, client_for):
    case = make_case(opened_by=cast.ib, pupil=cast.pupil, step=Step.WEIGH, responsible=cast.af)
    weighing_record(
        case=case,
        by=cast.af,
        answers={1: ("yes", "Ja."), 2: ("no", "Nee."), 3: ("yes", "Ja."), 4: ("yes", "Ja.")},
        report_needed=False,
        help_possible=True,
    )
    response = client_for(cast.af).get(case.get_absolute_url())
    options = response.context["move_options"]
    assert [option.form.target for option in options] == [Step.HELP]
    assert not options[0].blocked
    assert response.context["moves_decided"]
    assert 'data-testid="move-closed"' not in response.text


def test_in_five_b_without_a_report_the_page_leads_with_the_report_and_blocks_leaving(
    cast, client_for
):
    case = make_case(opened_by=cast.ib, pupil=cast.pupil, step=Step.REPORT, responsible=cast.af)
    response = client_for(cast.af).get(case.get_absolute_url())
    assert _now(response).title == "Leg de melding bij Veilig Thuis vast"
    blocked = {o.form.target: o.blocked for o in response.context["move_options"]}
    assert "geen melding" in blocked[Step.HELP]
    assert "geen melding" in blocked[Step.CLOSED]


def test_after_the_report_the_page_says_it_waits_for_veilig_thuis_with_the_date(cast, client_for):
    case = make_case(opened_by=cast.ib, pupil=cast.pupil, step=Step.REPORT, responsible=cast.af)
    report = report_record(
        case=case, by=cast.af, reported_on=timezone.localdate(), reported_by=cast.af,
        parents_told_on=timezone.localdate(), pupil_not_told_reason="Te jong.",
    )  # fmt: skip
    now = _now(client_for(cast.af).get(case.get_absolute_url()))
    assert now.waiting
    assert now.title.startswith("Wacht op Veilig Thuis (uiterlijk ")
    assert str(report.decision_expected_by.year) in now.title


def test_close_the_case_is_never_a_primary_button(cast, client_for):
    case = make_case(opened_by=cast.ib, pupil=cast.pupil, step=Step.WEIGH, responsible=cast.af)
    ready_to_leave(case, Step.CLOSED, cast.af)
    text = client_for(cast.af).get(case.get_absolute_url()).text
    form = text.split('data-testid="move-closed"', 1)[1].split("</form>", 1)[0]
    assert 'class="button secondary"' in form


def test_a_closed_case_has_nothing_to_do(cast, client_for):
    case = make_case(opened_by=cast.ib, pupil=cast.pupil, step=Step.CLOSED)
    assert _now(client_for(cast.ib).get(case.get_absolute_url())) is None


def test_after_the_talk_is_reported_step_three_points_to_the_weighing_not_a_new_talk(
    cast, client_for
):
    case = make_case(opened_by=cast.ib, pupil=cast.pupil, step=Step.TALK)
    hold_parent_talk(case, cast.ib)
    now = _now(client_for(cast.ib).get(case.get_absolute_url()))
    assert now.title == "Het gesprek met de ouders en het verslag zijn vastgelegd"
    assert not any("meeting_new" in link.url or "nieuw" in link.url for link in now.links)


def test_a_teacher_who_may_not_act_in_five_b_gets_no_button_that_ends_in_no_access(
    cast, client_for
):
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.REPORT,
                     responsible=cast.af)  # fmt: skip
    report_record(
        case=case, by=cast.af, reported_on=timezone.localdate(), reported_by=cast.af,
        parents_told_on=timezone.localdate(), pupil_not_told_reason="Te jong.",
    )  # fmt: skip
    client = client_for(cast.leerkracht)
    now = _now(client.get(case.get_absolute_url()))
    assert now.waiting
    assert now.links == []
    answer = reverse("cases:report_response", args=[case.pk, case.reports.get().pk])
    assert client.get(answer).status_code == 403


def test_a_pupil_who_left_leads_the_aandachtsfunctionaris_to_the_leaving_checklist(
    cast, client_for
):
    case = make_case(opened_by=cast.ib, pupil=cast.pupil, step=Step.TALK, responsible=cast.af)
    Pupil.objects.filter(pk=cast.pupil.pk).update(left_on=timezone.localdate())
    case = Case.objects.get(pk=case.pk)
    now = _now(client_for(cast.af).get(case.get_absolute_url()))
    assert now.title == "De leerling is vertrokken: werk de vertreklijst af"
    assert now.links[0].url == reverse("cases:leaving", args=[case.pk])
    # The ib'er, who does not keep the checklist, still gets the step's work.
    assert _now(client_for(cast.ib).get(case.get_absolute_url())).title != now.title


def test_who_may_not_report_gets_no_link_to_record_an_exception(cast, client_for):
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.REPORT,
                     responsible=cast.af)  # fmt: skip
    exception = reverse("cases:report_exception_new", args=[case.pk])
    teacher = client_for(cast.leerkracht)
    text = teacher.get(case.get_absolute_url()).text
    assert 'data-testid="report-missing"' in text
    assert exception not in text
    assert teacher.get(exception).status_code == 403
    assert exception in client_for(cast.af).get(case.get_absolute_url()).text


def test_in_five_a_an_ended_plan_asks_nothing_more_and_a_plan_is_named_by_its_provider(
    cast, client_for
):
    from cases.help.services import help_evaluation_record, help_plan_create
    from tests.socialmap.factories import OrganisationFactory

    case = make_case(opened_by=cast.ib, pupil=cast.pupil, step=Step.HELP, responsible=cast.af)
    plan = help_plan_create(
        case=case, by=cast.af, organisation=OrganisationFactory(school=cast.school,
        name="Wijkteam Testdorp"), help_offered="Opvoedondersteuning.", case_manager="M. de Vries",
        results_agreed="Vaste bedtijden.", term=timezone.localdate() + dt.timedelta(days=42),
    )  # fmt: skip
    client = client_for(cast.af)
    now = _now(client.get(case.get_absolute_url()))
    assert now.links[0].label == "Aankomst vastleggen of evalueren: Wijkteam Testdorp"
    help_evaluation_record(
        plan=plan, by=cast.af, held_on=timezone.localdate(), result="Besproken.",
        results_reached=True, outcome="ended",
    )  # fmt: skip
    now = _now(client.get(case.get_absolute_url()))
    assert now.title == "De hulp is geëvalueerd"
    assert now.links == []


def test_a_link_of_nu_te_doen_is_not_repeated_in_its_panel(cast, client_for):
    """One button per action: the panel leaves out what nu te doen already offers."""
    case = make_case(opened_by=cast.ib, pupil=cast.pupil, step=Step.REPORT, responsible=cast.af)
    text = client_for(cast.af).get(case.get_absolute_url()).text
    assert text.count(f'href="{reverse("cases:report_new", args=[case.pk])}"') == 1
    assert text.count(f'href="{reverse("cases:call_sheet", args=[case.pk, "melding"])}"') == 1
