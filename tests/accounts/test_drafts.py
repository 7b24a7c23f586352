"""Typed text is never lost, and never reaches anyone else: drafts of unsaved text kept on
the server for their user (accounts/drafts.py), typing as activity, the neutral hidden
screen."""

import datetime as dt
import json
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.drafts import MAX_BYTES, drafts_for
from accounts.models import Draft
from accounts.session_store import LAST_SEEN
from cases.services import case_open
from meldcode.models import Membership
from tests.conftest import PASSWORD, pass_second_factor

SECRET_TEXT = "Roos vertelde over een blauwe plek op haar arm"


@pytest.fixture
def case(cast):
    return case_open(pupil=cast.pupil, by=cast.leerkracht)


def keep(client, path: str, fields, form: str = "@0", names=None):
    body = {
        "path": path,
        "forms": [{"form": form, "fields": fields, "names": names or [n for n, _v in fields]}],
    }
    return client.post(reverse("draft_keep"), json.dumps(body), content_type="application/json")


def offered(response) -> list:
    text = response.content.decode()
    if 'id="meldcode-drafts"' not in text:
        return []
    start = text.index('id="meldcode-drafts"')
    start = text.index(">", start) + 1
    return json.loads(text[start : text.index("</script>", start)])


def test_a_draft_is_offered_back_to_its_owner_on_its_own_page(cast, case, client_for):
    client = client_for(cast.leerkracht)
    page = case.get_absolute_url()
    assert keep(client, page, [["description", SECRET_TEXT]]).json() == {"kept": 1}
    response = client.get(page)
    assert response.status_code == 200
    assert offered(response) == [
        {"form": "@0", "fields": [["description", SECRET_TEXT]], "names": ["description"]}
    ]
    assert "Je had nog tekst die niet was opgeslagen" in response.content.decode()
    # Not on another page of the same user.
    assert offered(client.get(reverse("home"))) == []


def test_only_the_owner_sees_a_draft(cast, case, client_for):
    keep(client_for(cast.leerkracht), case.get_absolute_url(), [["description", SECRET_TEXT]])
    response = client_for(cast.af).get(case.get_absolute_url())
    assert response.status_code == 200  # the af may see the case, not the teacher's draft
    assert SECRET_TEXT not in response.content.decode()
    assert offered(response) == []


def test_an_outsider_cannot_read_or_throw_away_a_draft(cast, case, client_for):
    keep(client_for(cast.leerkracht), case.get_absolute_url(), [["description", SECRET_TEXT]])
    outsider = client_for(cast.outsider)
    response = outsider.get(case.get_absolute_url())
    assert response.status_code == 404 and SECRET_TEXT not in response.content.decode()
    outsider.post(reverse("draft_throw_away"), {"path": case.get_absolute_url()})
    assert Draft.objects.filter(user=cast.leerkracht).count() == 1


def test_a_user_who_lost_the_case_is_not_offered_its_draft(cast, case, client_for):
    client = client_for(cast.leerkracht)
    keep(client, case.get_absolute_url(), [["description", SECRET_TEXT]])
    Membership.objects.filter(user=cast.leerkracht).delete()
    response = client.get(case.get_absolute_url())
    assert response.status_code == 404
    assert SECRET_TEXT not in response.content.decode()


def test_a_draft_is_encrypted_at_rest_and_bound_to_its_owner(cast, case, client_for):
    keep(client_for(cast.leerkracht), case.get_absolute_url(), [["description", SECRET_TEXT]])
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed, path FROM accounts_draft")
        [(sealed, path)] = cursor.fetchall()
    assert sealed.startswith("v1:")
    assert "blauwe plek" not in sealed and "Roos" not in sealed
    # The sealed text moved to another user's row does not open for them.
    Draft.objects.create(user=cast.af, path=path, form_key="@0", sealed=sealed,
                         saved_at=timezone.now())  # fmt: skip
    assert drafts_for(cast.af, path) == []


def test_passwords_tokens_and_the_next_field_are_never_kept(cast, client_for):
    client = client_for(cast.leerkracht)
    fields = [
        ["csrfmiddlewaretoken", "abc"],
        ["_submission", "123"],
        ["password", "geheim"],
        ["new_password1", "geheim"],
        ["description", "tekst"],
    ]
    keep(client, reverse("cases:new"), fields)
    [draft] = drafts_for(cast.leerkracht, reverse("cases:new"))
    assert draft["fields"] == [["description", "tekst"]]
    assert draft["names"] == ["description"]


def test_a_form_with_nothing_typed_keeps_no_draft(cast, client_for):
    client = client_for(cast.leerkracht)
    assert keep(client, reverse("cases:new"), [["description", "  "]]).json() == {"kept": 0}
    assert not Draft.objects.exists()


def test_drafts_older_than_a_day_are_purged(cast, client_for):
    client = client_for(cast.leerkracht)
    keep(client, reverse("cases:new"), [["description", "oud"]])
    keep(client, reverse("home"), [["description", "nieuw"]])
    Draft.objects.filter(path=reverse("cases:new")).update(
        saved_at=timezone.now() - dt.timedelta(hours=25)
    )
    assert drafts_for(cast.leerkracht, reverse("cases:new")) == []  # not offered any more
    call_command("purge_expired")
    assert list(Draft.objects.values_list("path", flat=True)) == [reverse("home")]


def test_a_draft_over_64_kb_is_refused_with_a_clear_message(cast, client_for):
    client = client_for(cast.leerkracht)
    response = keep(client, reverse("cases:new"), [["description", "x" * MAX_BYTES]])
    assert response.status_code == 413
    assert "te lang" in response.json()["error"] and "64 kB" in response.json()["error"]
    assert not Draft.objects.exists()


def test_a_draft_for_another_site_is_refused(cast, client_for):
    client = client_for(cast.leerkracht)
    for path in ["https://elders.example/", "//elders.example/x", "geen-pad", ""]:
        assert keep(client, path, [["description", "tekst"]]).status_code == 400
    assert not Draft.objects.exists()


def test_keeping_a_draft_needs_the_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.leerkracht)
    pass_second_factor(client, cast.leerkracht)
    assert keep(client, reverse("home"), [["description", "tekst"]]).status_code == 403
    assert client.post(reverse("keep_alive")).status_code == 403
    assert not Draft.objects.exists()


def test_a_filed_form_drops_its_draft_and_a_refused_one_keeps_it(cast, case, client_for):
    client = client_for(cast.leerkracht)
    page = case.get_absolute_url()
    keep(client, page, [["description", "tekst"]], form="#observation")
    refused = client.post(
        reverse("cases:entry_new", args=[case.pk, "observation"]),
        {"_draft_path": page, "_draft_form": "#observation"},
    )
    assert refused.status_code == 200  # the form came back with its errors
    assert Draft.objects.count() == 1
    filed = client.post(
        reverse("session_end"), {"session": "others", "_draft_path": page,
                                 "_draft_form": "#observation"}
    )  # fmt: skip
    assert filed.status_code == 302
    assert not Draft.objects.exists()


def test_throwing_a_draft_away_removes_it(cast, client_for):
    client = client_for(cast.leerkracht)
    keep(client, reverse("cases:new"), [["description", "tekst"]])
    response = client.post(reverse("draft_throw_away"), {"path": reverse("cases:new")})
    assert response["Location"] == reverse("cases:new")
    assert not Draft.objects.exists()


def test_typing_keeps_the_session_alive(cast, client_for, settings):
    client = client_for(cast.af)
    session = client.session
    session[LAST_SEEN] = time.time() - settings.MELDCODE_IDLE_SECONDS + 30
    session.save()
    response = client.post(reverse("keep_alive"))
    assert response.status_code == 200
    assert response.json()["idle_seconds"] >= settings.MELDCODE_IDLE_SECONDS - 2
    assert client.session[LAST_SEEN] > time.time() - 5


def test_keeping_a_draft_is_not_activity(cast, client_for, settings):
    client = client_for(cast.af)
    session = client.session
    before = time.time() - settings.MELDCODE_IDLE_SECONDS + 10
    session[LAST_SEEN] = before
    session.save()
    keep(client, reverse("home"), [["description", "tekst"]])
    assert client.session[LAST_SEEN] == before


def test_the_idle_sign_out_leads_back_to_the_same_page(cast, case, client_for, settings):
    client = client_for(cast.leerkracht)
    session = client.session
    session[LAST_SEEN] = time.time() - settings.MELDCODE_IDLE_SECONDS + 5
    session.save()
    response = client.post(reverse("idle_sign_out"), {"next": case.get_absolute_url()})
    assert response["Location"] == f"{reverse('login')}?next=%2Fcasussen%2F{case.pk}%2F"
    assert client.get(reverse("home")).status_code == 302  # signed out


def test_the_idle_sign_out_of_a_session_in_use_in_another_tab_ends_nothing(cast, client_for):
    client = client_for(cast.leerkracht)
    response = client.post(reverse("idle_sign_out"), {"next": reverse("cases:new")})
    assert response["Location"] == reverse("cases:new")
    assert client.get(reverse("home")).status_code == 200


def test_the_idle_sign_out_never_leads_to_another_site(cast, client_for, settings):
    client = client_for(cast.leerkracht)
    session = client.session
    session[LAST_SEEN] = time.time() - settings.MELDCODE_IDLE_SECONDS + 5
    session.save()
    response = client.post(reverse("idle_sign_out"), {"next": "https://elders.example/"})
    assert response["Location"] == reverse("login")


def test_the_server_side_idle_sign_out_keeps_the_page_to_return_to(cast, client_for, settings):
    client = client_for(cast.leerkracht)
    session = client.session
    session[LAST_SEEN] = time.time() - settings.MELDCODE_IDLE_SECONDS - 5
    session.save()
    response = client.get(reverse("cases:new"))
    assert response["Location"] == f"{reverse('login')}?next=%2Fcasussen%2Fnieuw%2F"


def test_the_hidden_screen_names_no_one_and_no_brand(cast, case, client_for):
    client = client_for(cast.leerkracht)
    client.post(reverse("lock"), {"next": case.get_absolute_url()})
    page = client.get(reverse("unlock")).content.decode()
    assert "<title>Nieuw tabblad</title>" in page
    user = cast.leerkracht
    telling = ["Meldcode", "meldcode", "Veilig Thuis", "0800", cast.school.name, "favicon"]
    for word in [*telling, user.get_full_name(), user.username]:
        assert word not in page, word


def test_coming_back_from_the_hidden_screen_returns_to_the_hidden_page(cast, case, client_for):
    client = client_for(cast.leerkracht)
    client.post(reverse("lock"), {"next": case.get_absolute_url()})
    response = client.post(reverse("unlock"), {"password": PASSWORD})
    assert response["Location"] == case.get_absolute_url()


def test_the_hidden_page_to_return_to_is_of_this_site_only(cast, client_for):
    client = client_for(cast.leerkracht)
    client.post(reverse("lock"), {"next": "https://elders.example/"})
    response = client.post(reverse("unlock"), {"password": PASSWORD})
    assert response["Location"] == reverse("home")


def test_a_draft_that_is_not_json_is_refused(cast, client_for):
    client = client_for(cast.leerkracht)
    assert client.post(reverse("draft_keep"), {"path": "/"}).status_code == 400
    assert not Draft.objects.exists()


def test_a_page_whose_second_form_is_not_a_form_keeps_nothing(cast, client_for):
    client = client_for(cast.leerkracht)
    body = {
        "path": reverse("cases:new"),
        "forms": [{"form": "@0", "fields": [["description", "tekst"]]}, "geen formulier"],
    }
    response = client.post(reverse("draft_keep"), json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert not Draft.objects.exists()
