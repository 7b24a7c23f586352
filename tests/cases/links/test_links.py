"""Linked cases of brothers and sisters (issue 25): the aandachtsfunctionaris or the ib'er
links two cases of the same school, suggested from the family name and the kindcheck;
the link is recorded in both dossiers and sealed; a case page shows a linked case only to
those who may see it, and to nobody else."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.append_only import AppendOnlyError
from cases.dossier.services import entry_add
from cases.links.models import CaseLink
from cases.links.services import case_link, link_suggestions, linked_cases_for
from cases.seal import dossier_verify, record_intact
from cases.workflow import Step
from tests.cases.factories import make_case
from tests.factories import PupilFactory


@pytest.fixture
def sibling(cast):
    """Roos's brother, with a case the first teacher did not open and was not added to."""
    brother = PupilFactory(school=cast.school, first_name="Tijn", last_name="Testhuis")
    return make_case(opened_by=cast.ib, pupil=brother, step=Step.CONSULT)


@pytest.fixture
def case(cast):
    return make_case(opened_by=cast.leerkracht, pupil=cast.pupil)


def test_a_linked_case_is_shown_to_the_af_and_hidden_from_a_teacher_who_sees_only_one(
    cast, case, sibling, client_for
):
    case_link(case=case, other=sibling, by=cast.af)
    label = f"broer/zus: casus {sibling.pk}"
    af_page = client_for(cast.af).get(case.get_absolute_url()).text
    assert label in af_page and sibling.get_absolute_url() in af_page
    assert f"broer/zus: casus {case.pk}" in client_for(cast.af).get(sibling.get_absolute_url()).text
    teacher_page = client_for(cast.leerkracht).get(case.get_absolute_url()).text
    assert label not in teacher_page
    assert sibling.get_absolute_url() not in teacher_page
    assert "Tijn" not in teacher_page
    assert linked_cases_for(cast.leerkracht, case) == []
    assert linked_cases_for(cast.ib, case) == [sibling]


def test_a_teacher_may_not_link_cases(cast, case, sibling, client_for):
    with pytest.raises(PermissionDenied):
        case_link(case=case, other=sibling, by=cast.leerkracht)
    assert (
        client_for(cast.leerkracht).get(reverse("cases:link_new", args=[case.pk])).status_code
        == 403
    )
    assert not CaseLink.objects.exists()


def test_the_ib_links_through_the_form(cast, case, sibling, client_for):
    response = client_for(cast.ib).post(
        reverse("cases:link_new", args=[case.pk]), {"other": sibling.pk}
    )
    assert response.status_code == 302
    assert sorted(CaseLink.objects.values_list("case_id", "other_case")) == sorted(
        [(case.pk, sibling.pk), (sibling.pk, case.pk)]
    )


def test_a_link_is_made_once_and_only_within_the_school(cast, case, sibling):
    case_link(case=case, other=sibling, by=cast.af)
    with pytest.raises(ValidationError):
        case_link(case=sibling, other=case, by=cast.af)
    elsewhere = make_case(opened_by=cast.other_leerkracht, pupil=cast.other_pupil)
    with pytest.raises(ValidationError):
        case_link(case=case, other=elsewhere, by=cast.af)
    same_pupil = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.CLOSED)
    with pytest.raises(ValidationError):
        case_link(case=case, other=same_pupil, by=cast.af)


def test_suggestions_come_from_the_family_name_and_the_kindcheck(cast, case, sibling):
    half_sister = PupilFactory(school=cast.school, first_name="Noor", last_name="Anders")
    hers = make_case(opened_by=cast.ib, pupil=half_sister)
    stranger = make_case(
        opened_by=cast.ib,
        pupil=PupilFactory(school=cast.school, first_name="Sem", last_name="Vreemd"),
    )
    assert link_suggestions(cast.af, case) == [sibling]
    entry_add(
        case=case, author=cast.af, kind="kindcheck", occurred_on=timezone.localdate(),
        description="Kindcheck met moeder.", household="Roos (9), Noor (6), baby",
        carers="Moeder en stiefvader", names_confirmed=True,
    )  # fmt: skip
    suggested = link_suggestions(cast.af, case)
    assert hers in suggested and sibling in suggested and stranger not in suggested
    assert link_suggestions(cast.leerkracht, case) == []
    case_link(case=case, other=sibling, by=cast.af)
    assert sibling not in link_suggestions(cast.af, case)


def test_the_link_is_sealed_in_both_dossiers_and_never_changed(cast, case, sibling):
    first, second = case_link(case=case, other=sibling, by=cast.af)
    assert record_intact(first) and record_intact(second)
    assert dossier_verify().holds
    with pytest.raises(AppendOnlyError):
        CaseLink.objects.all().delete()
