"""The doors hold: the second factor cannot be side-stepped, sessions know their user,
the lockout works per client behind a proxy, secrets are unreadable at rest, board roles
are seen, throttles tell the truth, and the most sensitive reads ask the factor again."""

import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import AuthenticatorApp, RecoveryCode, SecurityEvent, UserSession
from accounts.second_factor import FACTOR_AT, recovery_codes_create
from meldcode.models import Membership, Role
from tests.conftest import PASSWORD, authenticator, current_code
from tests.factories import member

PROXY = "10.0.0.1"


def sign_in(client, username="af", password=PASSWORD, address=None, forwarded=None):
    extra = {}
    if address:
        extra["REMOTE_ADDR"] = address
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def signed_in_fully(user, steps_ahead=0) -> Client:
    """A browser that signs in through the forms: password, then the app's code."""
    browser = Client()
    assert sign_in(browser, user.username).status_code == 302
    device = authenticator(user)
    device.refresh_from_db()
    answer = browser.post(reverse("otp_verify"), {"code": current_code(device, steps_ahead)})
    assert answer.status_code == 302, answer.content
    return browser


# Enrolment ------------------------------------------------------------------------------


def test_an_enrolled_users_password_only_session_is_sent_from_enrolment_to_the_factor(cast):
    authenticator(cast.af)
    attacker = Client()
    sign_in(attacker)
    page = attacker.get(reverse("otp_enrol"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("otp_verify"))
    refused = attacker.post(reverse("otp_enrol"), {"code": "123456"})
    assert refused.status_code == 302 and refused["Location"].startswith(reverse("otp_verify"))
    assert AuthenticatorApp.objects.filter(user=cast.af).count() == 1
    assert attacker.get(reverse("cases:list")).status_code == 302


def test_a_new_user_enrols_with_the_password_alone_and_gets_recovery_codes(cast, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    browser = Client()
    sign_in(browser, "ib")
    browser.get(reverse("otp_enrol"))
    device = AuthenticatorApp.objects.get(user=cast.ib, confirmed=False)
    answer = browser.post(reverse("otp_enrol"), {"code": current_code(device)})
    assert 'data-testid="recovery-codes"' in answer.content.decode()
    assert SecurityEvent.objects.filter(user=cast.ib, kind="device_added").exists()


def test_adding_a_device_needs_the_factor_and_the_password_and_mails_the_user(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    cast.af.email = "af@example.invalid"
    cast.af.save()
    browser = signed_in_fully(cast.af)
    browser.get(reverse("otp_enrol"))
    new = AuthenticatorApp.objects.get(user=cast.af, confirmed=False)
    no_password = browser.post(reverse("otp_enrol"), {"code": current_code(new)})
    assert "Dit veld is verplicht" in no_password.content.decode()
    wrong = browser.post(reverse("otp_enrol"), {"password": "fout", "code": current_code(new)})
    assert "Dit wachtwoord is niet juist" in wrong.content.decode()
    new.refresh_from_db()
    assert not new.confirmed
    with django_capture_on_commit_callbacks(execute=True):
        added = browser.post(
            reverse("otp_enrol"), {"password": PASSWORD, "code": current_code(new)}
        )
    assert added.status_code == 302 and added["Location"] == reverse("security")
    new.refresh_from_db()
    assert new.confirmed
    assert [mail.to for mail in mailoutbox] == [["af@example.invalid"]]
    assert (
        "a change to how you sign in" in mailoutbox[0].subject
        or "wijziging" in mailoutbox[0].subject
    )
    page = browser.get(reverse("security")).content.decode()
    assert page.count('data-testid="device"') == 2
    assert "tweede factor toegevoegd" in page


def test_recovery_codes_are_made_again_only_after_the_factor_and_the_password(cast):
    authenticator(cast.af)
    old = recovery_codes_create(cast.af, announce=False)
    attacker = Client()
    sign_in(attacker)
    refused = attacker.post(reverse("recovery_codes_new"), {"password": PASSWORD})
    assert refused.status_code == 302 and refused["Location"].startswith(reverse("otp_verify"))
    browser = signed_in_fully(cast.af)
    wrong = browser.post(reverse("recovery_codes_new"), {"password": "fout"})
    assert wrong.status_code == 400
    made = browser.post(reverse("recovery_codes_new"), {"password": PASSWORD})
    assert 'data-testid="recovery-codes"' in made.content.decode()
    assert not any(
        RecoveryCode.objects.filter(device__user=cast.af, digest=d).exists()
        for d in [__import__("accounts.secrets").secrets.code_digest(c) for c in old]
    )


def test_the_only_device_cannot_be_removed_but_a_second_one_can(cast):
    first = authenticator(cast.af)
    browser = signed_in_fully(cast.af)
    only = browser.post(reverse("device_delete", args=[first.pk]), {"password": PASSWORD})
    assert only.status_code == 302
    assert AuthenticatorApp.objects.filter(pk=first.pk).exists()
    second = AuthenticatorApp.objects.create(user=cast.af, name="tweede", confirmed=True)
    browser.post(reverse("device_delete", args=[second.pk]), {"password": PASSWORD})
    assert not AuthenticatorApp.objects.filter(pk=second.pk).exists()
    assert SecurityEvent.objects.filter(user=cast.af, kind="device_removed").exists()


# Sessions -------------------------------------------------------------------------------


def test_two_sessions_signed_in_in_the_same_second_end_other_sessions_ends_the_other(cast):
    authenticator(cast.af)
    other = signed_in_fully(cast.af)
    mine = signed_in_fully(cast.af, steps_ahead=1)  # a code works once
    assert UserSession.objects.filter(user=cast.af).count() == 2
    mine.post(reverse("session_end"), {"session": "others"})
    assert other.get(reverse("home")).status_code == 302
    assert mine.get(reverse("home")).status_code == 200


def test_a_password_only_session_is_ended_by_the_admins_reset(cast, admin_client):
    authenticator(cast.af)
    half = Client()
    sign_in(half)
    assert UserSession.objects.filter(user=cast.af).count() == 1
    admin_client.post(
        reverse("admin:meldcode_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [cast.af.pk]},
    )
    assert not UserSession.objects.filter(user=cast.af).exists()
    # The ended session cannot enrol a new device without the password.
    assert half.get(reverse("otp_enrol"))["Location"].startswith(reverse("login"))


def test_a_deactivated_account_is_signed_out_everywhere(cast, admin_client):
    authenticator(cast.ib)
    browser = signed_in_fully(cast.ib)
    user = cast.ib
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = admin_client.post(reverse("admin:meldcode_user_change", args=[user.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert not user.is_active
    assert not UserSession.objects.filter(user=user).exists()
    assert browser.get(reverse("home")).status_code == 302


# The client address and the lockout ---------------------------------------------------


def test_behind_a_proxy_five_failures_lock_neither_another_user_nor_the_user_elsewhere(
    cast, settings
):
    settings.MELDCODE_TRUSTED_PROXIES = [PROXY]
    authenticator(cast.af)
    authenticator(cast.ib)
    for _n in range(5):
        sign_in(Client(), "af", "fout", address=PROXY, forwarded="203.0.113.5")
    locked = sign_in(Client(), "af", PASSWORD, address=PROXY, forwarded="203.0.113.5")
    assert locked.status_code == 429
    assert (
        sign_in(Client(), "ib", PASSWORD, address=PROXY, forwarded="203.0.113.5").status_code == 302
    )
    assert (
        sign_in(Client(), "af", PASSWORD, address=PROXY, forwarded="198.51.100.7").status_code
        == 302
    )


def test_a_forwarded_header_from_an_untrusted_client_is_not_believed(cast, settings):
    settings.MELDCODE_TRUSTED_PROXIES = [PROXY]
    for n in range(5):
        sign_in(Client(), "af", "fout", address="203.0.113.9", forwarded=f"192.0.2.{n}")
    assert sign_in(Client(), "af", PASSWORD, address="203.0.113.9").status_code == 429


def test_the_right_most_untrusted_hop_is_the_client(rf, settings):
    from accounts.lockout import client_ip

    settings.MELDCODE_TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5, 10.0.0.2"
    )
    assert client_ip(request) == "203.0.113.5"
    assert (
        client_ip(rf.get("/", REMOTE_ADDR="203.0.113.8", HTTP_X_FORWARDED_FOR="1.2.3.4"))
        == "203.0.113.8"
    )


def test_a_username_guessed_from_many_addresses_is_slowed_not_locked(cast, settings):
    settings.MELDCODE_TRUSTED_PROXIES = [PROXY]
    for n in range(10):
        sign_in(Client(), "af", "fout", address=PROXY, forwarded=f"198.51.100.{n}")
    slowed = sign_in(Client(), "af", PASSWORD, address=PROXY, forwarded="203.0.113.77")
    assert "probeer het over" in slowed.content.decode()
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=time_ago(31))
    assert (
        sign_in(Client(), "af", PASSWORD, address=PROXY, forwarded="203.0.113.77").status_code
        == 302
    )


def time_ago(seconds: int):
    import datetime as dt

    from django.utils import timezone

    return timezone.now() - dt.timedelta(seconds=seconds)


def test_one_address_spraying_many_accounts_locks_itself_only(cast, settings):
    settings.MELDCODE_TRUSTED_PROXIES = [PROXY]
    names = ["leerkracht", "leerkracht_b", "ib", "directie", "bestuur"]
    for n in range(20):
        sign_in(Client(), names[n % 5], "Zomer2026!", address=PROXY, forwarded="203.0.113.66")
    sprayer = sign_in(Client(), "af", PASSWORD, address=PROXY, forwarded="203.0.113.66")
    assert sprayer.status_code == 429 and "netwerkadres" in sprayer.content.decode()
    assert (
        sign_in(Client(), "af", PASSWORD, address=PROXY, forwarded="198.51.100.1").status_code
        == 302
    )


def test_a_try_during_a_lock_is_not_counted_and_a_completed_reset_lifts_the_lock(cast):
    from axes.models import AccessAttempt
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    for _n in range(5):
        sign_in(Client(), "ib", "fout")
    assert sign_in(Client(), "ib", PASSWORD).status_code == 429
    assert AccessAttempt.objects.get(username="ib").failures_since_start == 5
    browser = Client()
    uid = urlsafe_base64_encode(force_bytes(cast.ib.pk))
    token = default_token_generator.make_token(cast.ib)
    form = browser.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)
    new = "een-nieuw-lang-wachtwoord-42"
    done = browser.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert sign_in(Client(), "ib", new).status_code == 302


# Secrets at rest ------------------------------------------------------------------------


def test_stored_recovery_codes_and_authenticator_keys_are_not_readable_in_the_database(cast):
    device = authenticator(cast.af)
    codes = recovery_codes_create(cast.af, announce=False)
    key_hex = device.bin_key.hex()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_authenticatorapp")
        apps = repr(cursor.fetchall())
        cursor.execute("SELECT * FROM accounts_recoverycode")
        stored = repr(cursor.fetchall())
    assert key_hex not in apps and key_hex.upper() not in apps
    import base64

    assert base64.b32encode(device.bin_key).decode() not in apps
    assert not any(code in stored for code in codes)


def test_the_admin_shows_no_second_factor_secrets(cast, admin_client):
    """Since issue 28 the accounts app has one admin page, the school-account sign-in of
    each board (its client secret is write-only there); still none of any device."""
    authenticator(cast.af)
    assert admin_client.get("/beheer/otp_totp/totpdevice/").status_code == 404
    assert admin_client.get("/beheer/otp_static/staticdevice/").status_code == 404
    for model in ("authenticatorapp", "recoverycodes", "recoverycode", "schoolaccountfactor"):
        assert admin_client.get(f"/beheer/accounts/{model}/").status_code == 404
    index = admin_client.get("/beheer/accounts/")
    # Besides it, only django-axes' sign-in records under Dutch names (issue 24): who tried
    # to sign in, from where and when; no device, key or code.
    assert sorted(m["object_name"] for m in index.context["app_list"][0]["models"]) == [
        "SchoolAccountProvider",
        "SignInFailure",
        "SignInLockout",
        "SignInRecord",
    ]
    for model in ("signinfailure", "signinlockout", "signinrecord"):
        page = admin_client.get(f"/beheer/accounts/{model}/")
        assert page.status_code == 200
        assert "secret" not in page.text.lower() and "bin_key" not in page.text


# Board roles and application managers -------------------------------------------------


def test_a_new_board_role_is_mailed_to_every_directie_and_the_other_board_members(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    cast.directie.email = "directie@example.invalid"
    cast.directie.save()
    cast.bestuur.email = "bestuur@example.invalid"
    cast.bestuur.save()
    other_directie = member(cast.other_school, Role.DIRECTIE, username="directie2")
    other_directie.email = "directie2@example.invalid"
    other_directie.save()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        newcomer = member(None, Role.BESTUUR, username="nieuw_bestuur", board=cast.board)
    addresses = sorted(a for mail in mailoutbox for a in mail.to)
    assert {
        "directie@example.invalid",
        "directie2@example.invalid",
        "bestuur@example.invalid",
    } <= set(addresses)
    assert all("nieuw_bestuur" not in mail.body for mail in mailoutbox)
    assert newcomer.memberships.get().role == Role.BESTUUR


def test_a_board_role_shows_on_the_schools_access_page(cast, client_for):
    page = client_for(cast.directie).get(reverse("school_access")).content.decode()
    assert cast.bestuur.get_full_name() in page or cast.bestuur.username in page


def test_an_application_manager_cannot_hold_a_school_role(cast, admin_user):
    from django.core.exceptions import ValidationError

    membership = Membership(user=admin_user, school=cast.school, role=Role.IB)
    with pytest.raises(ValidationError, match="applicatiebeheerder"):
        membership.full_clean()


# Throttles ------------------------------------------------------------------------------


def test_five_wrong_old_passwords_sign_the_password_change_out(cast, client_for):
    browser = client_for(cast.af)
    for _n in range(5):
        answer = browser.post(reverse("password_change"), {
            "old_password": "fout", "new_password1": "n1euw-Wachtw00rd-lang",
            "new_password2": "n1euw-Wachtw00rd-lang",
        })  # fmt: skip
    assert answer.status_code == 302 and answer["Location"] == reverse("login")
    assert browser.get(reverse("home")).status_code == 302


def test_wrong_codes_say_when_to_try_again_and_do_not_block_recovery_codes(cast):
    device = authenticator(cast.af)
    code = recovery_codes_create(cast.af, announce=False)[0]
    browser = Client()
    sign_in(browser)
    for _n in range(3):
        browser.post(reverse("otp_verify"), {"code": "000000"})
    device.refresh_from_db()
    assert device.verify_is_allowed()[0] is False
    right = browser.post(reverse("otp_verify"), {"code": current_code(device)})
    assert "probeer het over" in right.content.decode()
    assert browser.post(reverse("otp_verify"), {"code": code}).status_code == 302
    assert browser.get(reverse("cases:list")).status_code == 200


# Step-up --------------------------------------------------------------------------------


def test_an_old_second_factor_is_asked_again_before_the_inspectie_pdf(cast, client_for):
    from tests.cases.factories import make_case
    from tests.cases.pdf.exporting import export_and_download

    case = make_case(pupil=cast.pupil, opened_by=cast.leerkracht)
    browser = client_for(cast.directie)
    session = browser.session
    session[FACTOR_AT] = time.time() - 16 * 60
    session.save()
    url = reverse("cases:pdf", args=[case.pk, "inspectie"])
    asked = browser.get(url)
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("otp_verify"))
    page = browser.get(asked["Location"]).content.decode()
    assert "opnieuw gevraagd" in page
    device = authenticator(cast.directie)
    back = browser.post(asked["Location"], {"code": current_code(device), "next": url})
    assert back.status_code == 302 and back["Location"] == url
    assert browser.get(url).status_code == 200  # the page that asks for the PDF
    assert export_and_download(browser, case, "inspectie")["Content-Type"] == "application/pdf"


def test_a_fresh_second_factor_exports_without_asking_again(cast, client_for, settings):
    from tests.cases.factories import make_case
    from tests.cases.pdf.exporting import export_and_download

    case = make_case(pupil=cast.pupil, opened_by=cast.leerkracht)
    browser = client_for(cast.directie)
    assert export_and_download(browser, case, "inspectie")["Content-Type"] == "application/pdf"
    assert browser.get(reverse("cases:access_log", args=[case.pk])).status_code in (200, 403)


# Passkeys -------------------------------------------------------------------------------


def test_a_passkey_cannot_be_registered_with_the_password_alone(cast):
    authenticator(cast.af)
    attacker = Client()
    sign_in(attacker)
    answer = attacker.post(reverse("otp_webauthn:credential-registration-begin"))
    assert answer.status_code in (302, 403)


def test_a_verified_session_registers_a_passkey_only_after_the_password_again(cast):
    browser = signed_in_fully(cast.af)
    refused = browser.post(reverse("otp_webauthn:credential-registration-begin"))
    assert refused.status_code == 403 and "wachtwoord" in refused.json()["detail"]
    browser.post(reverse("passkey_add"), {"password": PASSWORD})
    options = browser.post(reverse("otp_webauthn:credential-registration-begin"))
    assert options.status_code == 200 and "challenge" in options.json()


def test_the_board_page_lists_board_roles_for_the_board_and_the_directie(cast, client_for):
    url = reverse("board_access")
    for person in (cast.bestuur, cast.directie):
        page = client_for(person).get(url)
        assert page.status_code == 200
        assert cast.bestuur.get_full_name() in page.content.decode()
    assert client_for(cast.leerkracht).get(url).status_code == 403
