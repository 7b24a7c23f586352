"""Seed 002: the logboek is the teacher's. Adding observations is not acting in the step."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.dossier.models import Entry
from cases.dossier.services import entry_add, kinds_for
from cases.services import case_advance, case_grant, case_open
from cases.workflow import Step

Kind = Entry.Kind
OBSERVATION = {
    "place": "Klas",
    "situation": "Binnenkomst",
    "description": "Huilde bij binnenkomst.",
}


@pytest.mark.parametrize("step", [Step.CONSULT, Step.TALK, Step.WEIGH, Step.HELP, Step.REPORT])
def test_the_teacher_who_opened_the_case_adds_observations_in_every_open_step(cast, case_at, step):
    case = case_at(step)
    entry = entry_add(case=case, author=cast.leerkracht, kind=Kind.OBSERVATION, **OBSERVATION)
    assert entry.author == cast.leerkracht
    assert Kind.FOLLOW_UP in kinds_for(cast.leerkracht, case)


def test_a_colleague_added_to_contribute_keeps_the_logboek_too(cast, case_at):
    case = case_at(Step.WEIGH, opened_by=cast.ib)
    case_grant(case=case, person=cast.leerkracht_b, level="contribute", by=cast.ib)
    entry_add(case=case, author=cast.leerkracht_b, kind=Kind.OBSERVATION, **OBSERVATION)


def test_a_colleague_with_read_access_does_not_write_in_the_logboek(cast, case_at):
    case = case_at(Step.CONSULT, opened_by=cast.ib)
    case_grant(case=case, person=cast.leerkracht_b, level="read", by=cast.ib)
    with pytest.raises(PermissionDenied):
        entry_add(case=case, author=cast.leerkracht_b, kind=Kind.OBSERVATION, **OBSERVATION)


def test_keeping_the_logboek_is_not_acting_in_the_step(cast, case_at):
    case = case_at(Step.CONSULT)
    assert Kind.HYPOTHESIS not in kinds_for(cast.leerkracht, case)
    with pytest.raises(PermissionDenied):
        case_advance(case=case, to=Step.TALK, by=cast.leerkracht)


def test_a_closed_case_takes_no_more_observations(cast, case_at):
    with pytest.raises(PermissionDenied):
        entry_add(
            case=case_at(Step.CLOSED), author=cast.leerkracht, kind=Kind.OBSERVATION,
            **OBSERVATION,
        )  # fmt: skip


def test_opening_a_case_tells_the_ib_at_once_without_content(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = case_open(pupil=cast.pupil, by=cast.leerkracht)
    assert [mail.to for mail in mailoutbox] == [[cast.ib.email]]
    body = mailoutbox[0].body + mailoutbox[0].subject
    assert cast.pupil.first_name not in body and cast.pupil.last_name not in body
    assert case.get_absolute_url() in body


def test_a_new_case_shows_on_the_start_page_of_the_ib(cast, client_for):
    case = case_open(pupil=cast.pupil, by=cast.leerkracht)
    page = client_for(cast.ib).get(reverse("home")).content.decode()
    assert 'data-testid="new-cases"' in page and case.get_absolute_url() in page


def test_a_third_partys_source_is_a_role_not_a_name(cast, case_at):
    case = case_at(Step.SIGNALS)
    third = {"kind": Kind.THIRD_PARTY, "source_role": "ouder", "source_consent": True,
             "description": "Hoort geschreeuw."}  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        entry_add(case=case, author=cast.leerkracht, source="Moeder van Kees Jansen", **third)
    assert "source" in refused.value.message_dict
    entry = entry_add(case=case, author=cast.leerkracht, source="een ouder uit groep 5", **third)
    assert entry.source == "een ouder uit groep 5"
