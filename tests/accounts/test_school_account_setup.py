"""Setting up a board's school-account sign-in (the application manager, in the admin),
switching passwords off for its staff, and what the provider's second factor is not."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from accounts.oidc_models import SchoolAccountFactor, SchoolAccountProvider
from accounts.second_factor import has_confirmed_device, user_devices
from tests.accounts.oidc_provider import SECRET
from tests.conftest import PASSWORD, authenticator
from tests.factories import BoardFactory, SchoolFactory, member

ADD = "/beheer/accounts/schoolaccountprovider/add/"


def provider_for(board, **fields) -> SchoolAccountProvider:
    return SchoolAccountProvider.objects.create(
        board=board,
        issuer="https://login.example.invalid/tenant/v2.0",
        client_id="meldcode",
        client_secret_env="MELDCODE_TEST_SECRET",
        **fields,
    )


def test_the_application_manager_sets_up_a_board_with_the_secret_kept_encrypted(
    cast, admin_client, oidc_issuer
):
    response = admin_client.post(
        ADD,
        {
            "board": cast.board.pk,
            "enabled": "on",
            "issuer": oidc_issuer,
            "client_id": "meldcode",
            "client_secret": SECRET,
            "email_domains": "testboom.example, @Testboom.example",
            "trust_provider_factor": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    provider = SchoolAccountProvider.objects.get(board=cast.board)
    assert provider.client_secret_encrypted.startswith("v1:")
    assert SECRET not in provider.client_secret_encrypted
    assert provider.client_secret() == SECRET
    assert provider.token_endpoint.startswith(oidc_issuer)
    assert provider.domains == ["testboom.example"]
    page = admin_client.get(
        reverse("admin:accounts_schoolaccountprovider_change", args=[provider.pk])
    )
    assert SECRET not in page.content.decode()
    assert provider.history.count() == 1


def test_an_issuer_that_calls_itself_otherwise_is_refused(cast, admin_client, oidc_issuer):
    response = admin_client.post(
        ADD,
        {"board": cast.board.pk, "enabled": "on", "issuer": oidc_issuer + "/",
         "client_id": "meldcode", "client_secret": SECRET},
    )  # fmt: skip
    assert response.status_code == 200
    assert "gebruik precies dat als issuer" in str(response.context["adminform"].form.errors)
    assert not SchoolAccountProvider.objects.exists()


def test_a_plain_http_issuer_elsewhere_is_refused(cast, admin_client):
    response = admin_client.post(
        ADD,
        {"board": cast.board.pk, "enabled": "on", "issuer": "http://login.example.invalid",
         "client_id": "meldcode", "client_secret": SECRET},
    )  # fmt: skip
    assert "https://" in str(response.context["adminform"].form.errors)


def test_the_secret_may_come_from_a_named_environment_variable(cast, monkeypatch):
    provider = provider_for(cast.board)
    with pytest.raises(ImproperlyConfigured, match="MELDCODE_TEST_SECRET"):
        provider.client_secret()
    monkeypatch.setenv("MELDCODE_TEST_SECRET", "from-the-environment")
    assert provider.client_secret() == "from-the-environment"


def test_the_sign_in_page_offers_the_school_account_of_a_board_that_has_one(cast, client):
    assert "Inloggen met je schoolaccount" not in client.get(reverse("login")).content.decode()
    provider_for(cast.board)
    page = client.get(reverse("login")).content.decode()
    assert f"/inloggen/schoolaccount/?bestuur={cast.board.pk}" in page
    assert "Inloggen met je schoolaccount" in page


def test_with_passwords_off_the_boards_staff_are_sent_to_the_school_account(cast, client):
    provider_for(cast.board, passwords_off=True)
    response = client.post(reverse("login"), {"username": "ib", "password": PASSWORD})
    assert response.status_code == 200
    assert "Je school laat je inloggen met je schoolaccount" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_with_passwords_off_a_wrong_password_tells_nothing_more(cast, client):
    provider_for(cast.board, passwords_off=True)
    response = client.post(reverse("login"), {"username": "ib", "password": "wrong-password"})
    assert "schoolaccount" not in str(response.context["form"].errors)


def test_passwords_off_applies_only_to_that_boards_staff(cast, client):
    other = SchoolFactory(board=BoardFactory(name="Scholengroep Elders"))
    member(other, "leerkracht", username="elders")
    provider_for(cast.board, passwords_off=True)
    response = client.post(reverse("login"), {"username": "elders", "password": PASSWORD})
    assert response.status_code == 302


def test_with_passwords_off_no_password_reset_mail_is_sent(
    cast, client, mailoutbox, django_capture_on_commit_callbacks
):
    provider_for(cast.board, passwords_off=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": cast.ib.email})
    assert response.status_code == 302
    assert mailoutbox == []


def test_the_providers_second_factor_is_no_device_the_user_holds(cast):
    """It is never listed, and a password sign-in after it still asks for enrolment."""
    SchoolAccountFactor.of(cast.ib)
    assert SchoolAccountFactor.objects.get(user=cast.ib).confirmed
    assert not has_confirmed_device(cast.ib)
    assert user_devices(cast.ib) == []
    device = authenticator(cast.ib)
    assert has_confirmed_device(cast.ib)
    assert user_devices(cast.ib) == [device]


def test_quick_hide_offers_signing_out_to_someone_without_a_password(cast, client_for):
    cast.ib.set_unusable_password()
    cast.ib.save()
    client = client_for(cast.ib)
    client.post(reverse("lock"))
    page = client.get(reverse("unlock")).content.decode()
    assert "Je logt in met je schoolaccount" in page
    assert 'name="password"' not in page
