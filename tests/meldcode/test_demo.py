import pytest
from django.core.management import call_command

from meldcode.models import Board, Membership, Pupil, Role, School, User


@pytest.mark.django_db
def test_demo_world_matches_the_contract_and_is_idempotent():
    call_command("demo")
    call_command("demo")
    board = Board.objects.get(name="Scholengroep Demo")
    assert set(School.objects.filter(board=board).values_list("name", flat=True)) == {
        "De Regenboog",
        "De Vlinder",
    }
    expected = {
        "leerkracht": ("De Regenboog", Role.LEERKRACHT),
        "ib": ("De Regenboog", Role.IB),
        "af": ("De Regenboog", Role.AANDACHTSFUNCTIONARIS),
        "directie": ("De Regenboog", Role.DIRECTIE),
        "leerkracht2": ("De Vlinder", Role.LEERKRACHT),
        "bestuur": (None, Role.BESTUUR),
    }
    for username, (school, role) in expected.items():
        membership = Membership.objects.get(user__username=username)
        assert (membership.school.name if membership.school else None, membership.role) == (
            school,
            role,
        )
        assert User.objects.get(username=username).check_password("demo-password-for-tests")
    assert Membership.objects.count() == 6
    for school in School.objects.filter(board=board):
        assert Pupil.objects.filter(school=school).exists()


@pytest.mark.django_db
def test_demo_needs_a_password_when_debug_is_off(monkeypatch, settings):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("DEMO_PASSWORD")
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured, match="DEMO_PASSWORD"):
        call_command("demo")


@pytest.mark.django_db
def test_demo_schools_have_the_size_of_a_real_school_in_groups_1_to_8():
    call_command("demo")
    call_command("demo")
    for school in School.objects.filter(board__name="Scholengroep Demo"):
        pupils = Pupil.objects.filter(school=school)
        assert 190 <= pupils.count() <= 220
        assert set(pupils.values_list("group", flat=True)) >= {str(g) for g in range(1, 9)}
