"""Who may see a case at all: need to know, derived from memberships and per-case grants."""

import pytest

from cases.access import may_contribute
from cases.models import Case
from cases.services import case_grant, case_revoke
from meldcode.models import Membership, Role


def visible(user):
    return set(Case.objects.visible_to(user))


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("leerkracht", True),
        ("leerkracht_b", False),
        ("ib", True),
        ("af", True),
        ("directie", True),
        ("other_leerkracht", False),
        ("bestuur", False),
        ("outsider", False),
    ],
)
def test_need_to_know_decides_who_sees_a_case(cast, case, who, sees):
    assert (case in visible(getattr(cast, who))) is sees


def test_a_visitor_sees_no_case(case):
    from django.contrib.auth.models import AnonymousUser

    assert not Case.objects.visible_to(AnonymousUser()).exists()


def test_an_added_colleague_sees_the_case_at_once_and_not_after_removal(cast, case):
    case_grant(case=case, person=cast.leerkracht_b, level="read", by=cast.af)
    assert case in visible(cast.leerkracht_b)
    case_revoke(case=case, person=cast.leerkracht_b, by=cast.ib)
    assert case not in visible(cast.leerkracht_b)


def test_a_grant_does_not_survive_leaving_the_school(cast, case):
    case_grant(case=case, person=cast.leerkracht_b, level="contribute", by=cast.af)
    Membership.objects.filter(user=cast.leerkracht_b, school=cast.school).delete()
    assert case not in visible(cast.leerkracht_b)
    assert not may_contribute(cast.leerkracht_b, case)


def test_a_teacher_of_two_schools_sees_only_own_cases_at_both(cast, case):
    Membership.objects.create(user=cast.other_leerkracht, school=cast.school, role=Role.LEERKRACHT)
    assert case not in visible(cast.other_leerkracht)


def test_a_directie_who_is_also_board_sees_the_cases_of_their_own_school_only(cast, case):
    from tests.cases.factories import make_case

    elsewhere = make_case(opened_by=cast.other_leerkracht, pupil=cast.other_pupil)
    Membership.objects.create(user=cast.directie, school=None, board=cast.board, role=Role.BESTUUR)
    assert visible(cast.directie) == {case}
    assert elsewhere not in visible(cast.directie)


def test_the_list_has_no_duplicates_when_a_case_has_many_grants(cast, case):
    case_grant(case=case, person=cast.leerkracht_b, level="contribute", by=cast.af)
    assert list(Case.objects.visible_to(cast.ib)) == [case]
    assert list(Case.objects.visible_to(cast.leerkracht_b)) == [case]
