"""Signing in with the school's own account, against a real OpenID provider on 127.0.0.1
(tests/accounts/oidc_provider.py): who gets in, when Meldcode's own second factor is
asked, and every answer of the provider that is refused."""

import time

import pytest
from django.contrib import auth
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.oidc import SchoolAccountBackend
from accounts.second_factor import FACTOR_AT
from meldcode.models import Membership, User
from tests.accounts.conftest import school_account_for
from tests.accounts.oidc_provider import (
    MFA_USER,
    PWD_USER,
    UNKNOWN_USER,
    UNVERIFIED_USER,
    through_provider,
    tokens_for,
    with_param,
)
from tests.cases.factories import make_case
from tests.conftest import authenticator
from tests.factories import BoardFactory, SchoolFactory, member

NO_ACCESS = "Je hebt nog geen toegang; vraag het de directie"
REFUSED = "Inloggen met je schoolaccount is niet gelukt"


def start(client, board, **query):
    response = client.get(reverse("school_account_start"), {"bestuur": board.pk, **query})
    assert response.status_code == 302, response.status_code
    return response["Location"]


def back_from_provider(client, board, email, *, tamper=None, **query):
    """Start at Meldcode, sign in at the provider, and come back to Meldcode's door."""
    authorize = start(client, board, **query)
    if tamper:
        authorize = tamper(authorize)
    back = through_provider(authorize, email)
    return client.get(back.split("testserver", 1)[1])


def signed_in_user(client):
    return auth.get_user(client)


def page_messages(client) -> str:
    return client.get(reverse("login")).content.decode()


def test_the_user_whose_provider_used_a_second_factor_reaches_a_case_without_meldcodes(
    cast, school_account, client
):
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, responsible=cast.af)
    response = back_from_provider(client, cast.board, MFA_USER, next=case.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    assert signed_in_user(client) == cast.af
    assert client.get(case.get_absolute_url()).status_code == 200
    session = client.session
    assert session[DEVICE_ID_SESSION_KEY].startswith("accounts.schoolaccountfactor/")
    assert time.time() - session[FACTOR_AT] < 60


def test_the_user_without_the_providers_second_factor_is_asked_meldcodes_own(
    cast, school_account, client
):
    authenticator(cast.ib)
    back_from_provider(client, cast.board, PWD_USER)
    assert signed_in_user(client) == cast.ib
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_verify"))


def test_a_user_without_an_app_who_signs_in_without_the_providers_factor_enrols_one(
    cast, school_account, client
):
    back_from_provider(client, cast.board, PWD_USER)
    assert client.get(reverse("home"))["Location"].startswith(reverse("otp_enrol"))


def test_a_board_that_does_not_trust_the_provider_asks_meldcodes_own_factor_after_mfa(
    cast, school_account, client
):
    school_account.trust_provider_factor = False
    school_account.save()
    back_from_provider(client, cast.board, MFA_USER)
    assert signed_in_user(client) == cast.af
    assert client.get(reverse("home"))["Location"].startswith(reverse("otp_enrol"))


def test_the_boards_configured_acr_counts_as_the_providers_second_factor(
    cast, school_account, client
):
    school_account.trusted_acr = "urn:meldcode:test:loa1"
    school_account.save()
    back_from_provider(client, cast.board, PWD_USER)
    assert signed_in_user(client) == cast.ib
    assert client.get(reverse("home")).status_code == 200


def test_an_unknown_email_gets_no_account_and_no_role(cast, school_account, client):
    users, memberships = User.objects.count(), Membership.objects.count()
    response = back_from_provider(client, cast.board, UNKNOWN_USER)
    assert response["Location"] == reverse("login")
    assert not signed_in_user(client).is_authenticated
    assert NO_ACCESS in page_messages(client)
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)


def test_an_address_the_provider_does_not_vouch_for_is_not_matched(cast, oidc_issuer, client):
    """Not verified (email_verified false) and not at the board's domains: even an account
    with that very address is not signed in."""
    school_account_for(cast.board, oidc_issuer, email_domains="")
    cast.leerkracht.email = UNVERIFIED_USER
    cast.leerkracht.save()
    back_from_provider(client, cast.board, UNVERIFIED_USER)
    assert not signed_in_user(client).is_authenticated
    assert NO_ACCESS in page_messages(client)


def test_a_verified_address_matches_when_the_board_lists_no_domains(cast, oidc_issuer, client):
    school_account_for(cast.board, oidc_issuer, email_domains="")
    cast.af.email = MFA_USER
    cast.af.save()
    back_from_provider(client, cast.board, MFA_USER)
    assert signed_in_user(client) == cast.af


def test_staff_of_another_board_are_not_signed_in_by_this_boards_provider(
    cast, school_account, client
):
    elsewhere = SchoolFactory(board=BoardFactory(name="Scholengroep Elders"))
    cast.af.email = "someone@example.invalid"
    cast.af.save()
    stranger = member(elsewhere, "leerkracht", username="elders")
    stranger.email = MFA_USER
    stranger.save()
    back_from_provider(client, cast.board, MFA_USER)
    assert not signed_in_user(client).is_authenticated
    assert NO_ACCESS in page_messages(client)


def test_a_wrong_state_is_refused(cast, school_account, client):
    authorize = start(client, cast.board)
    back = through_provider(authorize, MFA_USER)
    response = client.get(with_param(back.split("testserver", 1)[1], "state", "forged-state"))
    assert response["Location"] == reverse("login")
    assert not signed_in_user(client).is_authenticated
    assert REFUSED in page_messages(client)


def test_an_answer_is_used_only_once(cast, school_account, client):
    authorize = start(client, cast.board)
    back = through_provider(authorize, MFA_USER).split("testserver", 1)[1]
    client.get(back)
    client.post(reverse("logout"))
    client.get(back)
    assert not signed_in_user(client).is_authenticated


def test_a_wrong_nonce_is_refused(cast, school_account, client):
    """The provider puts the nonce it was sent into the ID token; one not of this sign-in
    (here: changed on the way) is refused."""
    back_from_provider(
        client, cast.board, MFA_USER, tamper=lambda url: with_param(url, "nonce", "other-nonce")
    )
    assert not signed_in_user(client).is_authenticated
    assert REFUSED in page_messages(client)


def test_a_token_from_another_issuer_is_refused(cast, school_account, another_issuer, client):
    """The board's endpoints answer for another provider (a mix-up): its ID token, though
    signed by the key its own endpoint publishes, names the wrong issuer."""
    other = school_account_for(BoardFactory(name="Scholengroep Anders"), another_issuer)
    for field in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"):
        setattr(school_account, field, getattr(other, field))
    school_account.save()
    back_from_provider(client, cast.board, MFA_USER)
    assert not signed_in_user(client).is_authenticated
    assert REFUSED in page_messages(client)


def test_the_backend_refuses_an_expired_id_token(cast, school_account, settings):
    """The client "meldcode-kort" gets ID tokens that live one second. Once it is past,
    the token is refused; the same token is taken while the clocks' leeway still covers
    it, so nothing but its expiry refuses it. (Not "taken fresh, refused later": each
    check fetches the provider's keys, which on a loaded machine can take longer than
    the token's one second.)"""
    school_account.client_id = "meldcode-kort"
    backend = SchoolAccountBackend()
    backend.configure(school_account)
    token = tokens_for(school_account.issuer, MFA_USER, client_id="meldcode-kort", nonce="n-1")
    time.sleep(2.1)
    settings.MELDCODE_OIDC_LEEWAY_SECONDS = 600
    assert backend.verify_token(token["id_token"], nonce="n-1")["sub"] == MFA_USER
    settings.MELDCODE_OIDC_LEEWAY_SECONDS = 0
    with pytest.raises(SuspiciousOperation, match="ExpiredSignatureError"):
        backend.verify_token(token["id_token"], nonce="n-1")


def test_the_backend_refuses_a_token_for_another_client_or_nonce(cast, school_account):
    backend = SchoolAccountBackend()
    backend.configure(school_account)
    token = tokens_for(school_account.issuer, MFA_USER, client_id="meldcode-kort", nonce="n-2")
    with pytest.raises(SuspiciousOperation, match="InvalidAudienceError"):
        backend.verify_token(token["id_token"], nonce="n-2")
    own = tokens_for(school_account.issuer, MFA_USER, nonce="n-3")
    with pytest.raises(SuspiciousOperation, match="Nonce"):
        backend.verify_token(own["id_token"], nonce="n-4")


def test_the_backend_refuses_a_token_of_another_issuer(cast, school_account, another_issuer):
    backend = SchoolAccountBackend()
    backend.configure(school_account)
    other = school_account_for(BoardFactory(name="Scholengroep Anders"), another_issuer)
    backend.OIDC_OP_JWKS_ENDPOINT = other.jwks_uri  # the signature itself is sound
    token = tokens_for(another_issuer, MFA_USER, nonce="n-5")
    with pytest.raises(SuspiciousOperation, match="InvalidIssuerError"):
        backend.verify_token(token["id_token"], nonce="n-5")


def test_step_up_after_the_providers_factor_asks_the_provider_again(cast, school_account, client):
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, responsible=cast.af)
    back_from_provider(client, cast.board, MFA_USER)
    session = client.session
    session[FACTOR_AT] = time.time() - 3600
    session.save()
    pdf = reverse("cases:pdf", kwargs={"pk": case.pk, "version": "inspectie"})
    response = client.get(pdf, follow=False)
    assert response["Location"].startswith(reverse("otp_verify"))
    again = client.get(response["Location"])
    assert again["Location"].startswith(reverse("school_account_start"))
    authorize = client.get(again["Location"])["Location"]
    assert "prompt=login" in authorize
    back = through_provider(authorize, MFA_USER)
    response = client.get(back.split("testserver", 1)[1])
    assert response["Location"] == pdf
    assert time.time() - client.session[FACTOR_AT] < 60
    assert signed_in_user(client) == cast.af


def test_signing_out_ends_the_session_and_offers_the_providers_sign_out(
    cast, school_account, client
):
    back_from_provider(client, cast.board, MFA_USER)
    key = client.session.session_key
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert not signed_in_user(client).is_authenticated
    assert client.session.session_key != key
    page = client.get(reverse("login")).content.decode()
    assert school_account.end_session_endpoint + "?client_id=meldcode" in page
    assert "Ook uitloggen bij je schoolaccount" in page
    # Offered once.
    assert "Ook uitloggen bij je schoolaccount" not in client.get(reverse("login")).content.decode()


def test_a_locked_address_cannot_start_a_school_account_sign_in(
    cast, school_account, client, settings
):
    from axes.models import AccessAttempt

    settings.MELDCODE_ADDRESS_FAILURES = 1
    AccessAttempt.objects.create(
        username="someone",
        ip_address="127.0.0.1",
        failures_since_start=1,
        user_agent="",
        get_data="",
        post_data="",
        http_accept="",
        path_info="/inloggen/",
    )
    response = client.get(reverse("school_account_start"), {"bestuur": cast.board.pk})
    assert response.status_code == 429


def test_a_stray_visit_to_the_way_back_does_not_sign_a_user_out(cast, client_for):
    client = client_for(cast.af)
    response = client.get(reverse("school_account_callback"), {"state": "x", "code": "y"})
    assert response["Location"] == reverse("login")
    assert signed_in_user(client) == cast.af
