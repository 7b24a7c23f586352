"""The case page: the route as a step bar, who is responsible now and at every earlier
step, and only the actions this user may take now."""

from django.urls import reverse

from cases.services import case_advance, case_set_responsible
from cases.workflow import Step
from tests.cases.factories import ready_to_leave


def test_the_step_bar_marks_the_current_step(cast, case, client_for):
    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    response = client_for(cast.ib).get(case.get_absolute_url())
    current = [item for item in response.context["steps"] if item["current"]]
    assert [item["step"] for item in current] == [Step.CONSULT]
    assert 'aria-current="step"' in response.text


def test_the_page_shows_who_is_responsible_now_and_at_every_earlier_step(cast, case, client_for):
    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    case_advance(case=case, to=Step.TALK, by=cast.ib)
    ready_to_leave(case, Step.WEIGH, cast.ib)
    case_advance(case=case, to=Step.WEIGH, by=cast.ib)
    case_set_responsible(case=case, person=cast.directie, by=cast.af)
    response = client_for(cast.af).get(case.get_absolute_url())
    history = response.context["history"]
    assert [stay.move.to_step for stay in history] == ["1", "2", "3", "4"]
    assert [[r[0] for r in stay.responsibles] for stay in history] == [
        [cast.leerkracht],
        [cast.ib],
        [cast.ib],
        [cast.af, cast.directie],
    ]
    assert response.context["case"].responsible == cast.directie


def test_the_teacher_who_opened_sees_the_hand_over_but_nothing_more_in_step_one(
    cast, case, client_for
):
    response = client_for(cast.leerkracht).get(case.get_absolute_url())
    assert [form.target for form in response.context["move_forms"]] == [Step.CONSULT]
    assert response.context["responsible_form"] is None
    assert response.context["grant_form"] is None
    assert reverse("cases:move", args=[case.pk, "2"]) in response.text
    assert reverse("cases:grant", args=[case.pk]) not in response.text


def test_the_teacher_sees_no_actions_once_the_case_is_in_step_two(cast, case, client_for):
    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    response = client_for(cast.leerkracht).get(case.get_absolute_url())
    assert response.context["move_forms"] == []
    assert response.context["emergency_form"] is None
    assert reverse("cases:move", args=[case.pk, "3"]) not in response.text


def test_the_ib_in_step_two_may_choose_the_talk_or_skip_it_but_not_name_the_responsible(
    cast, case, client_for
):
    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    response = client_for(cast.ib).get(case.get_absolute_url())
    forms = response.context["move_forms"]
    assert [form.target for form in forms] == [Step.TALK, Step.WEIGH]
    assert all("responsible" not in form.fields for form in forms)
    assert forms[1].fields["reason"].required
    assert response.context["emergency_form"] is not None


def test_the_af_names_the_responsible_person_when_moving_on(cast, case_at, client_for):
    case = case_at(Step.WEIGH, responsible=cast.af)
    response = client_for(cast.af).get(case.get_absolute_url())
    form = response.context["move_forms"][0]
    assert set(form.fields["responsible"].queryset) == {cast.af, cast.directie}
    assert response.context["responsible_form"] is not None


def test_a_closed_case_offers_only_reopening(cast, case_at, client_for):
    case = case_at(Step.CLOSED)
    response = client_for(cast.af).get(case.get_absolute_url())
    assert [form.target for form in response.context["move_forms"]] == [Step.SIGNALS]
    assert response.context["emergency_form"] is None
    assert response.context["responsible_form"] is None


def test_the_case_page_shows_its_dossier(cast, case, client_for):
    page = client_for(cast.ib).get(case.get_absolute_url()).text
    assert 'aria-labelledby="dossier-title"' in page
    assert ">Dossier</h2>" in page
