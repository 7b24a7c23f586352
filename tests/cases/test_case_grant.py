"""Adding a colleague to a case, to read or to contribute, and removing them again."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.access import may_act, may_contribute
from cases.models import AccessChange
from cases.services import case_advance, case_grant, case_grants, case_revoke
from cases.workflow import Step


def test_a_read_grant_lets_a_colleague_read_but_not_contribute(cast, case):
    case_grant(case=case, person=cast.leerkracht_b, level="read", by=cast.ib)
    assert not may_contribute(cast.leerkracht_b, case)
    assert case_grants(case) == [(cast.leerkracht_b, False)]


def test_a_contribute_grant_lets_a_colleague_contribute_but_not_move_the_case(cast, case_at):
    case = case_at(Step.CONSULT)
    case_grant(case=case, person=cast.leerkracht_b, level="contribute", by=cast.af)
    assert may_contribute(cast.leerkracht_b, case)
    assert not may_act(cast.leerkracht_b, case)


def test_changing_a_contribute_grant_to_read_removes_contributing(cast, case):
    case_grant(case=case, person=cast.leerkracht_b, level="contribute", by=cast.af)
    case_grant(case=case, person=cast.leerkracht_b, level="read", by=cast.af)
    assert case_grants(case) == [(cast.leerkracht_b, False)]


def test_the_matrix_role_for_the_current_step_may_contribute(cast, case_at):
    case = case_at(Step.CONSULT)
    assert may_contribute(cast.ib, case)
    assert not may_contribute(cast.leerkracht, case)


def test_only_a_colleague_of_the_school_can_be_added(cast, case):
    for stranger in (cast.other_leerkracht, cast.bestuur, cast.outsider):
        with pytest.raises(ValidationError):
            case_grant(case=case, person=stranger, level="read", by=cast.af)
    assert not case_grants(case)


@pytest.mark.parametrize("who", ["leerkracht", "leerkracht_b", "other_leerkracht", "bestuur"])
def test_only_ib_af_and_directie_add_colleagues(cast, case, who):
    with pytest.raises(PermissionDenied):
        case_grant(case=case, person=cast.leerkracht_b, level="read", by=getattr(cast, who))


def test_every_grant_and_removal_is_kept_on_record(cast, case):
    case_grant(case=case, person=cast.leerkracht_b, level="read", by=cast.ib)
    case_revoke(case=case, person=cast.leerkracht_b, by=cast.af)
    assert list(AccessChange.objects.values_list("level", "by__username")) == [
        ("read", "ib"),
        ("removed", "af"),
    ]


def test_removing_someone_who_was_not_added_is_refused(cast, case):
    with pytest.raises(ValidationError):
        case_revoke(case=case, person=cast.leerkracht_b, by=cast.af)


def test_the_case_page_adds_and_removes_a_colleague(cast, case, client_for):
    client = client_for(cast.af)
    client.post(
        reverse("cases:grant", args=[case.pk]),
        {"grant-person": cast.leerkracht_b.pk, "grant-level": "contribute"},
    )
    page = client.get(case.get_absolute_url()).text
    assert "Voornaam" in page and "lezen en bijdragen" in page
    client.post(reverse("cases:revoke", args=[case.pk]), {"person": cast.leerkracht_b.pk})
    assert case_grants(case) == []


def test_the_grant_form_shows_a_dutch_error_next_to_the_field(cast, case, client_for):
    response = client_for(cast.af).post(
        reverse("cases:grant", args=[case.pk]), {"grant-level": "read"}
    )
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.text


def test_a_teacher_added_to_read_may_not_move_a_case_in_step_one(cast, case):
    case_grant(case=case, person=cast.leerkracht_b, level="read", by=cast.ib)
    assert not may_act(cast.leerkracht_b, case)
    with pytest.raises(PermissionDenied):
        case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht_b)


def test_a_teacher_added_to_contribute_may_move_a_case_in_step_one(cast, case):
    case_grant(case=case, person=cast.leerkracht_b, level="contribute", by=cast.ib)
    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht_b)
    assert case.step == Step.CONSULT
