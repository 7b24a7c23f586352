"""The staff import (meldcode.staff_import): a good file, every kind of bad row (the whole
file refused, nothing saved), a role removed in a later import (ended, with history, the
directie told), the mails to new colleagues, and 500 staff in seconds."""

import re
import time

import pytest
from django.core import mail
from django.urls import reverse

from accounts.oidc_models import SchoolAccountProvider
from meldcode.models import Membership, Role, User
from meldcode.outbox import OutgoingMail
from meldcode.staff_import import ImportRefused, staff_import
from tests.factories import UserFactory

HEADER = "naam;e-mail;school;rol\n"


def csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


@pytest.fixture
def directie(cast):
    cast.directie.email = "directie@testboom.example"
    cast.directie.save()
    return cast.directie


def good_file(cast) -> bytes:
    return csv(
        "Dirk Directeur;directie@testboom.example;De Testboom;directie",
        "Nina Nieuw;nina.nieuw@testboom.example;De Testboom;leerkracht",
        "Nina Nieuw;nina.nieuw@testboom.example;De Testboom;ib",
        f"{cast.leerkracht.get_full_name()};{cast.leerkracht.email};de testboom;Leerkracht",
    )


def test_a_good_file_brings_new_colleagues_in_with_their_roles(
    cast, directie, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = staff_import(data=good_file(cast), by=directie, school=cast.school)
    nina = User.objects.get(email="nina.nieuw@testboom.example")
    assert (nina.username, nina.first_name, nina.last_name) == (
        "nina.nieuw@testboom.example",
        "Nina",
        "Nieuw",
    )
    assert not nina.has_usable_password()
    assert set(nina.memberships.values_list("school", "role")) == {
        (cast.school.pk, Role.LEERKRACHT),
        (cast.school.pk, Role.IB),
    }
    assert result.accounts_created == 1
    assert result.roles_added == 2
    added = Membership.history.filter(user=nina, history_type="+")
    assert {row.history_user for row in added} == {directie}


def test_the_file_is_the_schools_staff_list_so_a_role_not_in_it_is_ended(
    cast, directie, django_capture_on_commit_callbacks
):
    """The cast's IB'er, aandachtsfunctionaris and second teacher are not in the file."""
    staff_import(data=good_file(cast), by=directie, school=cast.school)
    ended = {cast.ib, cast.af, cast.leerkracht_b}
    assert not Membership.objects.filter(user__in=ended, school=cast.school).exists()
    removed = Membership.history.filter(history_type="-", school=cast.school)
    assert {row.user for row in removed} == ended
    assert {row.history_user for row in removed} == {directie}
    # Another school's roles are not this directie's to end.
    assert cast.other_leerkracht.memberships.filter(school=cast.other_school).exists()
    # The board role is not a school role.
    assert cast.bestuur.memberships.exists()


def test_a_role_removed_in_a_later_import_is_ended_and_the_directie_told_once(
    cast, directie, mailoutbox, django_capture_on_commit_callbacks
):
    staff_import(data=good_file(cast), by=directie, school=cast.school)
    nina = User.objects.get(email="nina.nieuw@testboom.example")
    later = csv(
        "Dirk Directeur;directie@testboom.example;De Testboom;directie",
        "Nina Nieuw;nina.nieuw@testboom.example;De Testboom;leerkracht",
        f"{cast.leerkracht.get_full_name()};{cast.leerkracht.email};De Testboom;leerkracht",
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = staff_import(data=later, by=directie, school=cast.school)
    assert (result.roles_added, result.roles_ended, result.roles_kept) == (0, 1, 3)
    assert list(nina.memberships.values_list("role", flat=True)) == [Role.LEERKRACHT]
    ended = Membership.history.get(user=nina, role=Role.IB, history_type="-")
    assert ended.history_user == directie
    told = [m for m in mailoutbox if m.to == ["directie@testboom.example"]]
    assert len(told) == 1
    assert told[0].subject == "Meldcode: de toegang tot uw school is gewijzigd"
    assert "Nina" not in told[0].body
    # Importing the same file again changes nothing and tells no one.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = staff_import(data=later, by=directie, school=cast.school)
    assert (again.accounts_created, again.roles_added, again.roles_ended) == (0, 0, 0)
    assert mailoutbox == []


def test_a_new_colleague_gets_one_content_free_mail_with_a_link_to_choose_a_password(
    cast, directie, mailoutbox, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        staff_import(data=good_file(cast), by=directie, school=cast.school)
    welcome = [m for m in mailoutbox if m.to == ["nina.nieuw@testboom.example"]]
    assert len(welcome) == 1
    assert welcome[0].subject == "Meldcode: je hebt een account"
    for word in ("Nina", "Nieuw", "Testboom", "Roos", "Testhuis"):
        assert word not in welcome[0].body
    # Known colleagues get no welcome mail.
    assert not [m for m in mailoutbox if m.to == [cast.leerkracht.email]]
    link = re.search(r"http://\S+/wachtwoord/nieuw/\S+/", welcome[0].body).group(0)
    page = client.get(link.split("8000", 1)[1], follow=True)
    assert page.context["validlink"] is True
    # The mail's body does not stay in the outbox once sent.
    assert OutgoingMail.objects.get(to="nina.nieuw@testboom.example").body == ""


def test_a_new_colleague_whose_link_expired_may_ask_for_a_new_one(
    cast, directie, mailoutbox, django_capture_on_commit_callbacks, client
):
    staff_import(data=good_file(cast), by=directie, school=cast.school)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "nina.nieuw@testboom.example"})
    assert [m.to for m in mailoutbox] == [["nina.nieuw@testboom.example"]]


def test_with_passwords_off_the_mail_says_sign_in_with_the_school_account(
    cast, directie, mailoutbox, django_capture_on_commit_callbacks
):
    SchoolAccountProvider.objects.create(
        board=cast.board,
        issuer="https://login.example.invalid/tenant/v2.0",
        client_id="meldcode",
        client_secret_env="MELDCODE_TEST_UNUSED",
        email_domains="testboom.example",
        passwords_off=True,
    )
    cast.leerkracht.email = "leerkracht@testboom.example"
    cast.leerkracht.save()
    with django_capture_on_commit_callbacks(execute=True):
        staff_import(data=good_file(cast), by=directie, school=cast.school)
    welcome = next(m for m in mailoutbox if m.to == ["nina.nieuw@testboom.example"])
    assert "Log in met je schoolaccount: http://127.0.0.1:8000/inloggen/" in welcome.body
    assert "wachtwoord" not in welcome.body


BAD_ROWS = [
    (";nina@testboom.example;De Testboom;leerkracht", "Rij 3, naam: ontbreekt."),
    ("Nina Nieuw;;De Testboom;leerkracht", "Rij 3, e-mail: ontbreekt."),
    (
        "Nina Nieuw;nina@@testboom;De Testboom;leerkracht",
        "Rij 3, e-mail: “nina@@testboom” is geen e-mailadres.",
    ),
    (
        "Nina Nieuw;nina@testboom.example;De Andere School;leerkracht",
        "Rij 3, school: “De Andere School” is niet jouw school (De Testboom).",
    ),
    ("Nina Nieuw;nina@testboom.example;;leerkracht", "Rij 3, school: ontbreekt."),
    (
        "Nina Nieuw;nina@testboom.example;De Testboom;conciërge",
        "Rij 3, rol: “conciërge” is geen rol (gebruik leerkracht, ib, aandachtsfunctionaris "
        "of directie).",
    ),
    (
        "Nina Nieuw;nina@testboom.example;De Testboom;bestuur",
        "Rij 3, rol: een bestuursrol geeft de applicatiebeheerder, niet een import.",
    ),
    ("Nina Nieuw;nina@testboom.example;De Testboom;", "Rij 3, rol: ontbreekt."),
    (
        "Dirk Directeur;directie@testboom.example;De Testboom;directie",
        "Rij 3, rol: dezelfde persoon, school en rol als rij 2.",
    ),
    (
        "Iemand Anders;directie@testboom.example;De Testboom;leerkracht",
        "Rij 3, naam: rij 2 heeft dit e-mailadres met een andere naam.",
    ),
    (f"Nina Nieuw;{'n' * 300}@testboom.example;De Testboom;leerkracht", "Rij 3, e-mail:"),
    (f"{'N' * 151};nina@testboom.example;De Testboom;leerkracht", "Rij 3, naam: te lang"),
]


@pytest.mark.parametrize(("row", "error"), BAD_ROWS)
def test_a_bad_row_refuses_the_whole_file_and_nothing_is_saved(
    cast, directie, mailoutbox, django_capture_on_commit_callbacks, row, error
):
    before = (User.objects.count(), Membership.objects.count(), Membership.history.count())
    data = csv(
        "Dirk Directeur;directie@testboom.example;De Testboom;directie",
        row,
        "Goed Persoon;goed@testboom.example;De Testboom;leerkracht",
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ImportRefused) as refused:
        staff_import(data=data, by=directie, school=cast.school)
    assert any(e.startswith(error) for e in refused.value.errors), refused.value.errors
    after = (User.objects.count(), Membership.objects.count(), Membership.history.count())
    assert after == before
    assert mailoutbox == []


def test_accounts_that_cannot_take_a_role_are_named_by_row(cast, directie, admin_user):
    admin_user.email = "beheer@testboom.example"
    admin_user.save()
    UserFactory(username="uit", email="uit@testboom.example", is_active=False)
    UserFactory(username="dubbel1", email="dubbel@testboom.example")
    UserFactory(username="dubbel2", email="DUBBEL@testboom.example")
    UserFactory(username="bezet@testboom.example", email="iemand.anders@testboom.example")
    data = csv(
        "Dirk Directeur;directie@testboom.example;De Testboom;directie",
        "Bea Beheer;beheer@testboom.example;De Testboom;leerkracht",
        "Uma Uit;uit@testboom.example;De Testboom;leerkracht",
        "Dub Bel;dubbel@testboom.example;De Testboom;leerkracht",
        "Bez Et;bezet@testboom.example;De Testboom;leerkracht",
    )
    with pytest.raises(ImportRefused) as refused:
        staff_import(data=data, by=directie, school=cast.school)
    assert refused.value.errors == [
        "Rij 3, e-mail: dit is het account van een applicatiebeheerder, dat geen rol op "
        "een school heeft.",
        "Rij 4, e-mail: het account met dit adres staat uit; vraag het de applicatiebeheerder.",
        "Rij 5, e-mail: meer dan één account heeft dit adres; vraag het de applicatiebeheerder.",
        "Rij 6, e-mail: een ander account heeft dit adres al als gebruikersnaam.",
    ]


def test_the_directie_cannot_end_its_own_role_by_leaving_it_out(cast, directie):
    data = csv(
        "Nina Nieuw;nina@testboom.example;De Testboom;directie",
        "Goed Persoon;goed@testboom.example;De Testboom;leerkracht",
    )
    with pytest.raises(ImportRefused) as refused:
        staff_import(data=data, by=directie, school=cast.school)
    assert refused.value.errors == [
        "Je eigen rol als directie staat niet in het bestand (met jouw e-mailadres): voeg "
        "hem toe, of vraag de applicatiebeheerder hem te beëindigen."
    ]


def test_every_school_in_a_board_file_keeps_a_directie(cast, admin_user):
    data = csv(
        "Dirk Directeur;directie@testboom.example;De Testboom;directie",
        "Nina Nieuw;nina@testboom.example;De Andere School;leerkracht",
    )
    with pytest.raises(ImportRefused) as refused:
        staff_import(data=data, by=admin_user, board=cast.board)
    assert refused.value.errors == [
        "De Andere School: het bestand noemt geen directie; elke school houdt er minstens één."
    ]


def test_with_passwords_off_an_address_outside_the_boards_domains_is_refused(cast, directie):
    SchoolAccountProvider.objects.create(
        board=cast.board,
        issuer="https://login.example.invalid/tenant/v2.0",
        client_id="meldcode",
        client_secret_env="MELDCODE_TEST_UNUSED",
        email_domains="testboom.example",
        passwords_off=True,
    )
    data = csv(
        "Dirk Directeur;directie@testboom.example;De Testboom;directie",
        "Priv Adres;priv@example.invalid;De Testboom;leerkracht",
    )
    with pytest.raises(ImportRefused) as refused:
        staff_import(data=data, by=directie, school=cast.school)
    assert refused.value.errors == [
        "Rij 3, e-mail: geen adres op testboom.example: met wachtwoorden uit kunnen alleen "
        "die inloggen."
    ]


def test_500_staff_of_a_board_import_in_seconds(
    cast, admin_user, django_capture_on_commit_callbacks
):
    rows = ["Dirk Directeur;directie@testboom.example;De Testboom;directie"]
    rows.append("Dora Directeur;dora@testboom.example;De Andere School;directie")
    for n in range(498):
        school = "De Testboom" if n % 2 else "De Andere School"
        role = ("leerkracht", "ib", "aandachtsfunctionaris")[n % 3]
        rows.append(f"Collega{n} Test{n};collega{n}@testboom.example;{school};{role}")
    data = csv(*rows)
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        result = staff_import(data=data, by=admin_user, board=cast.board)
    seconds = time.perf_counter() - started
    assert result.accounts_created == 500
    assert result.roles_added == 500
    assert OutgoingMail.objects.filter(subject="Meldcode: je hebt een account").count() == 500
    assert len(mail.outbox) >= 500
    assert seconds < 10, f"500 staff took {seconds:.1f} s"


def test_the_directie_imports_on_its_page_and_sees_the_result(cast, directie, client_for):
    client = client_for(directie)
    page = client.get(reverse("staff_import"))
    assert page.status_code == 200
    upload = good_file(cast)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("staff_import"), {"file": SimpleUploadedFile("personeel.csv", upload)}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("school_access")
    shown = client.get(response["Location"]).content.decode()
    assert "Import klaar: 1 nieuwe collega" in shown


def test_a_refused_file_is_shown_with_its_rows_and_nothing_saved(cast, directie, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(directie)
    data = csv("Dirk Directeur;directie@testboom.example;De Testboom;directie", ";x;y;z")
    before = Membership.objects.count()
    response = client.post(
        reverse("staff_import"), {"file": SimpleUploadedFile("personeel.csv", data)}
    )
    assert response.status_code == 200
    assert "Rij 3, naam: ontbreekt." in response.content.decode()
    assert Membership.objects.count() == before


def test_the_application_manager_imports_a_boards_staff_in_the_admin(cast, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("admin:meldcode_board_staff_import", args=[cast.board.pk])
    assert admin_client.get(url).status_code == 200
    data = csv(
        "Dirk Directeur;directie@testboom.example;De Testboom;directie",
        "Dora Directeur;dora@testboom.example;De Andere School;directie",
        "Nina Nieuw;nina@testboom.example;De Andere School;leerkracht",
    )
    response = admin_client.post(url, {"file": SimpleUploadedFile("p.csv", data)})
    assert response.status_code == 302
    assert Membership.objects.filter(
        user__email="nina@testboom.example", school=cast.other_school
    ).exists()
    # The other school's teacher is not in the file: ended.
    assert not cast.other_leerkracht.memberships.exists()
