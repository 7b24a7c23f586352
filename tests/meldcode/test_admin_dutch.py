"""The admin, as the application manager sees it, speaks Dutch: every app and model on
its index has a Dutch name, third-party ones included (django-axes' records as Dutch
proxies; django-otp's devices and Django's groups are not shown at all)."""

from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

ENGLISH = [
    "Access attempts", "Access failures", "Access logs", "TOTP devices", "Static devices",
    "Users", "Groups", "Boards", "Schools", "Memberships", "Pupils", "Outgoing mails",
    "Authentication and Authorization", "Accounts", "Axes", "Organisations",
    "Webauthn credentials", "Historical", "Entries", "security events",
    "Tasks Database Backend", "Task Results",
]  # fmt: skip
DUTCH = [
    "Gebruikers", "Scholen", "Lidmaatschappen", "Leerlingen", "Uitgaande e-mail",
    "Aanmeldingen", "Mislukte aanmeldingen", "Tellers van mislukte inlogpogingen (blokkades)",
    "inloggen en beveiliging", "Achtergrondtaken",
]  # fmt: skip


def test_the_admin_index_names_no_model_in_english(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    page = response.content.decode()
    shown = [app["name"] for app in response.context["app_list"]] + [
        model["name"] for app in response.context["app_list"] for model in app["models"]
    ]
    for english in ENGLISH:
        assert english not in shown, english
        assert f">{english}<" not in page, english
    for dutch in DUTCH:
        assert dutch in shown, dutch


def test_the_second_factors_and_groups_are_not_in_the_admin():
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(Group)


def test_the_sign_in_records_open_in_dutch(admin_client):
    for name in ("signinlockout", "signinfailure", "signinrecord"):
        response = admin_client.get(reverse(f"admin:accounts_{name}_changelist"))
        assert response.status_code == 200, name
