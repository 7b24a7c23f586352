import datetime as dt

import factory

from meldcode.models import Board, Membership, Pupil, Role, School, User


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Scholengroep Test {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"Testschool {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Voornaam{n}")
    last_name = "Testpersoon"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.django.Password("correct-horse-battery")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = Role.LEERKRACHT


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    school = factory.SubFactory(SchoolFactory)
    first_name = factory.Sequence(lambda n: f"Kind{n}")
    last_name = "Testleerling"
    date_of_birth = dt.date(2016, 5, 1)
    group = "5"


def member(school: School | None, *roles: str, username: str, **extra) -> User:
    """A user holding `roles` at `school` (for the board role, school may be None)."""
    user = UserFactory(username=username)
    for role in roles:
        MembershipFactory(
            user=user,
            school=school,
            role=role,
            board=school.board if school else extra.get("board"),
            can_diagnose=extra.get("can_diagnose", False),
        )
    return user
