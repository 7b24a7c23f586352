"""Opschalen bij stagnatie: a case that stays too long in a step comes to the attention
of the aandachtsfunctionaris and the directie."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from cases.matrix import school_terms, terms_save
from cases.models import DEFAULT_TERMS, Case, StepTerm
from cases.workflow import Step


def stagnating_cases(user, school):
    """The cases of `school` that `user` sees and that stay too long in their step, as the
    case list's filter asks them (`CaseQuerySet.stagnating`)."""
    return (
        Case.objects.visible_to(user)
        .filter(school=school)
        .stagnating(school_terms(school), timezone.now())
        .order_by("step_entered_at")
    )


def age(case: Case, days: int) -> Case:
    # The case's own metadata (not an append-only record): set back in time for the test.
    Case.objects.filter(pk=case.pk).update(step_entered_at=timezone.now() - dt.timedelta(days=days))
    return case


def test_a_school_starts_with_the_default_terms(cast):
    assert school_terms(cast.school) == DEFAULT_TERMS


def test_a_case_older_than_the_term_of_its_step_is_stagnating(cast, case_at):
    late = age(case_at(Step.CONSULT), DEFAULT_TERMS[Step.CONSULT] + 1)
    age(case_at(Step.CONSULT), DEFAULT_TERMS[Step.CONSULT] - 1)
    age(case_at(Step.HELP), DEFAULT_TERMS[Step.CONSULT] + 1)  # help has a longer term
    assert list(stagnating_cases(cast.af, cast.school)) == [late]


def test_a_closed_case_never_stagnates(cast, case_at):
    age(case_at(Step.CLOSED), 400)
    assert not stagnating_cases(cast.af, cast.school).exists()


def test_the_schools_own_term_decides(cast, case_at):
    case = age(case_at(Step.CONSULT), 5)
    terms_save(school=cast.school, terms={**DEFAULT_TERMS, Step.CONSULT: 3}, by=cast.af)
    assert list(stagnating_cases(cast.af, cast.school)) == [case]


def test_stagnating_cases_show_on_the_start_page_of_af_and_directie_only(cast, case_at, client_for):
    case = age(case_at(Step.SIGNALS), 30)
    for person in (cast.af, cast.directie):
        page = client_for(person).get(reverse("home")).text
        assert "Casussen die te lang in een stap staan" in page
        assert case.get_absolute_url() in page
    for person in (cast.ib, cast.leerkracht):
        page = client_for(person).get(reverse("home")).text
        assert "te lang in een stap" not in page


def test_only_af_and_directie_set_the_terms(cast):
    with pytest.raises(PermissionDenied):
        terms_save(school=cast.school, terms=DEFAULT_TERMS, by=cast.ib)


def test_terms_page_saves_only_changes_and_keeps_their_history(cast, client_for):
    client = client_for(cast.directie)
    data = {step.value: days for step, days in DEFAULT_TERMS.items()}
    response = client.post(reverse("cases:terms"), {**data, "2": 7})
    assert response.status_code == 302
    assert list(StepTerm.objects.values_list("step", "days")) == [("2", 7)]
    assert StepTerm.history.get().history_user == cast.directie
    assert "7 dagen" in client.get(reverse("cases:terms")).text


def test_a_term_out_of_range_gets_a_dutch_message_and_nothing_is_saved(cast, client_for):
    data = {step.value: days for step, days in DEFAULT_TERMS.items()}
    response = client_for(cast.af).post(reverse("cases:terms"), {**data, "1": 3, "4": 0})
    assert response.status_code == 200
    assert "Zorg ervoor dat deze waarde minstens 1 is." in response.text
    assert not StepTerm.objects.exists()


@pytest.mark.parametrize("person", ["leerkracht", "ib", "other_leerkracht", "bestuur"])
def test_others_may_not_open_the_terms_page(cast, client_for, person):
    assert client_for(getattr(cast, person)).get(reverse("cases:terms")).status_code == 403


def test_terms_page_refuses_other_methods(cast, client_for):
    assert client_for(cast.af).delete(reverse("cases:terms")).status_code == 405


def test_the_case_list_marks_and_filters_cases_past_their_term(cast, case_at, client_for):
    late = age(case_at(Step.CONSULT), 30)
    fresh = case_at(Step.CONSULT)
    client = client_for(cast.af)
    page = client.get(reverse("cases:list")).text
    assert page.count("te lang in deze stap") == 1
    only_late = client.get(reverse("cases:list"), {"overdue": "on"}).text
    assert late.get_absolute_url() in only_late
    assert fresh.get_absolute_url() not in only_late
