"""Two-factor sign-in (django-otp): a TOTP app, plus single-use recovery codes.

Everyone with a role at a school or a board, and every member of the admin staff, must
pass a second factor after the password; until then no page but enrolment, the second
factor itself and signing out answers. A demo user (`manage.py demo`) may skip it only
while debug is on. After the second factor the session gets a new id.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldcode.models import Membership, User

RECOVERY_CODES = 10


def needs_second_factor(user: User) -> bool:
    if not user.is_authenticated:
        return False
    if user.demo and settings.DEBUG:
        return False
    return user.is_staff or Membership.objects.filter(user=user).exists()


def open_without_second_factor() -> set[str]:
    return {reverse(name) for name in ("otp_enrol", "otp_verify", "logout", "login")}


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and request.path not in open_without_second_factor()
            and not request.path.startswith(settings.STATIC_URL)
            and needs_second_factor(user)
        ):
            target = "otp_verify" if user_has_device(user) else "otp_enrol"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


def totp_device_for_enrolment(user: User) -> TOTPDevice:
    """The unconfirmed authenticator app being set up (one at a time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="app", confirmed=False)


def recovery_codes_create(user: User) -> list[str]:
    """New single-use recovery codes; earlier ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.confirmed = True
    device.save()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def devices_reset(user: User) -> None:
    """A lost phone: remove every device; the user enrols again at the next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
