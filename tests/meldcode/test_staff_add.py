"""Medewerker toevoegen (meldcode.staff): the directie adds a colleague to its own school,
the application manager to any school (or a new application manager); the colleague is
mailed a single-use link to choose a password, after which the second factor's
enrolment takes over. An address in use, another school or a role one may not give is
refused with nothing saved."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from meldcode.models import Membership, Role, User
from meldcode.staff import APPLICATION_MANAGER, staff_member_add
from tests.factories import UserFactory

URL = reverse("staff_add")
NEW = "nina.nieuw@testboom.example"


def form(cast, **changes) -> dict:
    return {
        "name": "Nina  Nieuw",
        "email": NEW,
        "school": cast.school.pk,
        "role": Role.LEERKRACHT,
        **changes,
    }


@pytest.fixture
def application_manager():
    return UserFactory(username="beheerder", is_staff=True, is_superuser=True)


def link_in(mail) -> str:
    return re.search(r"https?://[^/\s]+(/wachtwoord/nieuw/\S+/)", mail.body).group(1)


def test_the_directie_adds_a_colleague_who_chooses_a_password_then_enrols(
    cast, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    page = client_for(cast.directie).get(URL)
    assert page.status_code == 200
    assert "Medewerker toevoegen" in page.text
    assert list(page.context["form"].fields["school"].queryset) == [cast.school]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(cast.directie).post(URL, form(cast))
        assert mailoutbox == []  # not before the commit
    assert callbacks
    assert response.status_code == 302 and response["Location"] == reverse("school_access")
    nina = User.objects.get(email=NEW)
    assert (nina.username, nina.first_name, nina.last_name) == (NEW, "Nina", "Nieuw")
    assert not nina.has_usable_password() and not nina.is_staff
    assert list(nina.memberships.values_list("school", "role")) == [
        (cast.school.pk, Role.LEERKRACHT)
    ]
    given = Membership.history.get(user=nina, history_type="+")
    assert given.history_user == cast.directie

    welcome = [m for m in mailoutbox if m.to == [NEW]]
    assert len(welcome) == 1 and welcome[0].subject == "Meldcode: je hebt een account"
    for word in ("Nina", "Nieuw", cast.school.name, cast.pupil.last_name):
        assert word not in welcome[0].body

    colleague = Client()
    form_page = colleague.get(link_in(welcome[0]), follow=True)
    assert form_page.context["validlink"] is True
    password = "een-Eigen-wachtwoord-2026"
    done = colleague.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert done.status_code == 302
    # The link works once.
    assert Client().get(link_in(welcome[0]), follow=True).context["validlink"] is False
    signed_in = colleague.post(reverse("login"), {"username": NEW, "password": password})
    assert signed_in.status_code == 302
    home = colleague.get(reverse("home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("otp_enrol"))


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_the_form_answers_only_get_and_post(cast, client_for, method):
    assert getattr(client_for(cast.directie), method)(URL).status_code == 405


@pytest.mark.parametrize("who", ["outsider", "leerkracht", "ib", "af", "other_leerkracht"])
def test_who_is_not_directie_may_not_add_a_colleague(cast, client_for, who):
    client = client_for(getattr(cast, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, form(cast)).status_code == 403
    assert not User.objects.filter(email=NEW).exists()


def test_the_directie_cannot_add_someone_to_another_school(cast, client_for, mailoutbox):
    response = client_for(cast.directie).post(URL, form(cast, school=cast.other_school.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["school"]
    assert not User.objects.filter(email=NEW).exists() and mailoutbox == []
    with pytest.raises(PermissionDenied):
        staff_member_add(
            name="Nina Nieuw", email=NEW, school=cast.other_school, role=Role.LEERKRACHT,
            by=cast.directie,
        )  # fmt: skip
    assert not User.objects.filter(email=NEW).exists()


def test_the_directie_cannot_grant_the_application_manager_role(cast, client_for):
    page = client_for(cast.directie).get(URL)
    assert APPLICATION_MANAGER not in dict(page.context["form"].fields["role"].choices)
    response = client_for(cast.directie).post(URL, form(cast, role=APPLICATION_MANAGER))
    assert response.status_code == 200 and response.context["form"].errors["role"]
    with pytest.raises(PermissionDenied):
        staff_member_add(
            name="Nina Nieuw", email=NEW, school=None, role=APPLICATION_MANAGER,
            by=cast.directie,
        )  # fmt: skip
    assert not User.objects.filter(email=NEW).exists()


def test_an_address_in_use_gets_a_dutch_message_next_to_the_field(cast, client_for, mailoutbox):
    cast.leerkracht.email = "Bestaand@testboom.example"
    cast.leerkracht.save()
    users = User.objects.count()
    response = client_for(cast.directie).post(URL, form(cast, email="bestaand@TESTBOOM.example"))
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Er is al een account met dit e-mailadres. Een collega die al een account heeft, "
        "krijgt een nieuwe rol via de import van medewerkers of via de applicatiebeheerder."
    ]
    assert 'id="id_email_error"' in response.text
    assert User.objects.count() == users and mailoutbox == []


def test_the_application_manager_adds_to_any_school_and_adds_application_managers(
    cast, client_for, application_manager, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(application_manager)
    page = client.get(URL)
    assert set(page.context["form"].fields["school"].queryset) == {cast.school, cast.other_school}
    with django_capture_on_commit_callbacks(execute=True):
        added = client.post(URL, form(cast, school=cast.other_school.pk, role=Role.DIRECTIE))
    assert added.status_code == 302
    assert User.objects.get(email=NEW).memberships.get().school == cast.other_school
    with django_capture_on_commit_callbacks(execute=True):
        manager = client.post(
            URL, form(cast, email="beheer2@example.invalid", school="", role=APPLICATION_MANAGER)
        )
    assert manager.status_code == 302
    second = User.objects.get(email="beheer2@example.invalid")
    assert second.is_superuser and second.is_staff and not second.memberships.exists()
    assert [m.to for m in mailoutbox if m.subject == "Meldcode: je hebt een account"] == [
        [NEW],
        ["beheer2@example.invalid"],
    ]


def test_an_application_manager_is_given_no_school(cast, client_for, application_manager):
    response = client_for(application_manager).post(URL, form(cast, role=APPLICATION_MANAGER))
    assert response.status_code == 200 and response.context["form"].errors["school"]
    assert not User.objects.filter(email=NEW).exists()


def test_the_directie_finds_the_form_on_the_access_page(cast, client_for):
    page = client_for(cast.directie).get(reverse("school_access")).text
    assert f'href="{URL}"' in page
