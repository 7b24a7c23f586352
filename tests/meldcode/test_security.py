"""Headers on every page, the idle and absolute time-outs, and quick hide."""

import time

import pytest
from django.urls import reverse

from cases.workflow import Step
from meldcode.security import LAST_SEEN, PERMISSIONS_POLICY, SIGNED_IN_AT
from tests.cases.factories import make_case


@pytest.fixture
def pages(cast):
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.REPORT,
                     responsible=cast.af)  # fmt: skip
    return [
        reverse("home"),
        reverse("cases:list"),
        reverse("cases:actions"),
        case.get_absolute_url(),
        reverse("cases:pdf", args=[case.pk, "inspectie"]),
        reverse("cases:call_sheet", args=[case.pk, "melding"]),
        reverse("cases:evaluation"),
        reverse("cases:evaluation_csv"),
        reverse("socialmap:list"),
        reverse("pupil_list"),
    ]


def test_every_page_the_cast_reaches_sends_no_store_and_a_permissions_policy(
    cast, pages, client_for
):
    client = client_for(cast.af)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url
        assert response["Permissions-Policy"] == PERMISSIONS_POLICY, url
        assert "Server" not in response, url
        if response["Content-Type"].startswith("text/html"):
            assert "Content-Security-Policy" in response, url


def test_the_sign_in_page_and_an_error_page_send_no_store_too(client, cast, client_for):
    assert client.get(reverse("login"))["Cache-Control"] == "no-store"
    response = client_for(cast.leerkracht).get("/casussen/999999/")
    assert response.status_code == 404 and response["Cache-Control"] == "no-store"


def test_a_session_ends_after_the_idle_time(cast, client_for, settings):
    client = client_for(cast.af)
    assert client.get(reverse("home")).status_code == 200
    assert settings.MELDCODE_IDLE_SECONDS == 30 * 60
    session = client.session
    session[LAST_SEEN] = time.time() - 29 * 60
    session.save()
    assert client.get(reverse("home")).status_code == 200  # 29 minutes: still signed in
    session = client.session
    session[LAST_SEEN] = time.time() - 31 * 60
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get(reverse("home")).status_code == 302


def test_a_session_ends_after_ten_hours_however_busy(cast, client_for):
    client = client_for(cast.af)
    client.get(reverse("home"))
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 10 * 60 * 60 - 1
    session.save()
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("cases:list")).status_code == 302


def test_quick_hide_locks_the_session_until_the_password_is_given(cast, client_for):
    client = client_for(cast.af)
    assert client.post(reverse("lock"))["Location"] == reverse("unlock")
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and response["Location"] == reverse("unlock")
    wrong = client.post(reverse("unlock"), {"password": "fout"})
    assert "niet juist" in wrong.content.decode()
    right = client.post(reverse("unlock"), {"password": "correct-horse-battery"})
    assert right["Location"] == reverse("home")
    assert client.get(reverse("cases:list")).status_code == 200


def test_five_wrong_passwords_on_the_lock_screen_sign_out(cast, client_for):
    client = client_for(cast.af)
    client.post(reverse("lock"))
    for _n in range(5):
        response = client.post(reverse("unlock"), {"password": "fout"})
    assert response["Location"] == reverse("login")
    assert client.get(reverse("cases:list")).status_code == 302
