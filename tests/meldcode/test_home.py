import pytest
from django.urls import reverse


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_start_page_shows_the_roles_of_the_user(cast, client_for):
    response = client_for(cast.ib).get(reverse("home"))
    assert response.status_code == 200
    assert "Als intern begeleider" in response.text
    assert "Als leerkracht" not in response.text


def test_start_page_refuses_post(cast, client_for):
    assert client_for(cast.ib).post(reverse("home")).status_code == 405


def test_user_without_a_school_is_told_so(cast, client_for):
    response = client_for(cast.outsider).get(reverse("home"))
    assert "nog geen rol" in response.text


@pytest.mark.parametrize("username", ["leerkracht", "ib", "af", "directie"])
def test_login_page_signs_in_with_username_and_password(cast, client, username):
    response = client.post(
        reverse("login"), {"username": username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_board_member_sees_the_board_not_a_school(cast, client_for):
    page = client_for(cast.bestuur).get(reverse("home")).text
    assert "Je werkt voor Scholengroep Test als bestuurder." in page
    assert "Je werkt in" not in page
    assert "Casussen die op jou wachten" not in page
