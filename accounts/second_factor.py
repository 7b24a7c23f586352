"""Two-factor sign-in (django-otp): a TOTP app, plus single-use recovery codes.

Everyone with a role at a school or a board, and every member of the admin staff, must
pass a second factor after the password; until then no page but enrolment, the second
factor itself and signing out answers. A demo user (`manage.py demo`) may skip it only
while debug is on. After the second factor the session gets a new id.

Only a user without a confirmed device may enrol with the password alone. Adding a
device, removing one or making new recovery codes needs a passed second factor and the
password again; each such change is mailed to the user (without content) and listed with
its date on the user's security page.
"""

from __future__ import annotations

import secrets as random
import time
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp.middleware import OTPMiddleware

from accounts.models import AuthenticatorApp, RecoveryCode, RecoveryCodes, SecurityEvent
from accounts.secrets import code_digest
from meldcode.models import Membership, User
from meldcode.outbox import mail_queue
from meldcode.session_cache import device_of

RECOVERY_CODES = 10
# When the last second factor was passed in this session (for step-up, accounts.step_up).
FACTOR_AT = "meldcode_factor_at"


def needs_second_factor(user: User) -> bool:
    if not user.is_authenticated:
        return False
    if user.demo and settings.DEBUG:
        return False
    return user.is_staff or Membership.objects.filter(user=user).exists()


def _held(device) -> bool:
    """A device the user holds, not the school account's own second factor
    (accounts.oidc_models.SchoolAccountFactor), which no one types a code for."""
    return not getattr(device, "outside_meldcode", False)


def has_confirmed_device(user: User) -> bool:
    return any(_held(device) for device in devices_for_user(user, confirmed=True))


def open_without_second_factor() -> set[str]:
    names = (
        "otp_enrol", "otp_verify", "logout", "login",
        # A passkey as the second factor, after the password.
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
        "otp_webauthn:js-i18n-catalog",
    )  # fmt: skip
    return {reverse(name) for name in names}


class SessionOTPMiddleware(OTPMiddleware):
    """django-otp's middleware (`request.user.otp_device`, `is_verified()`), reading the
    device that verified the session from the session's cache instead of the database on
    every request (meldcode.session_cache: asked again once a device of the user changes)."""

    def _verify_user_sync(self, request, user):
        self._init_user_fields(user)
        if user.is_authenticated:
            persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
            device = (
                device_of(request, user, self._normalize_persistent_id(persistent_id))
                if persistent_id
                else None
            )
            user.otp_device = self._finalize_device(request, user, device)
        return user


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
            target = "otp_verify" if has_confirmed_device(user) else "otp_enrol"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


def factor_passed(request: HttpRequest) -> None:
    request.session[FACTOR_AT] = time.time()


def app_for_enrolment(user: User) -> AuthenticatorApp:
    """The unconfirmed authenticator app being set up (one at a time)."""
    device = AuthenticatorApp.objects.filter(user=user, confirmed=False).first()
    return device or AuthenticatorApp.objects.create(user=user, name="app", confirmed=False)


def _tell(user: User, kind: str, detail: str = "") -> None:
    """Record the change for the user's security page and mail them, without content."""
    SecurityEvent.objects.create(user=user, kind=kind, detail=detail[:100])
    if user.email:
        mail_queue(
            subject=_("Meldcode: a change to how you sign in"),
            body=_(
                "Something changed in how you sign in to Meldcode: %(what)s. See your "
                "security page: %(link)s\n\nWas this not you? Tell your school's "
                "application manager at once."
            )
            % {
                "what": SecurityEvent.Kind(kind).label,
                "link": settings.SITE_URL + reverse("security"),
            },
            to=[user.email],
        )


def tell_device_added(user: User, name: str) -> None:
    _tell(user, SecurityEvent.Kind.DEVICE_ADDED, name)


@transaction.atomic
def app_confirm(*, device: AuthenticatorApp, name: str = "") -> list[str] | None:
    """Confirm an enrolled app; the first device also gets recovery codes (returned)."""
    user = device.user
    first = not has_confirmed_device(user)
    device.confirmed = True
    if name:
        device.name = name[:64]
    device.save()
    _tell(user, SecurityEvent.Kind.DEVICE_ADDED, device.name)
    return recovery_codes_create(user, announce=False) if first else None


@transaction.atomic
def recovery_codes_create(user: User, *, announce: bool = True) -> list[str]:
    """New single-use recovery codes; earlier ones stop working. Only their hashes are
    kept: the user sees them once."""
    device, _created = RecoveryCodes.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.codes.all().delete()
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = ["".join(random.choice(alphabet) for _n in range(10)) for _i in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, digest=code_digest(c)) for c in codes
    )
    if announce:
        _tell(user, SecurityEvent.Kind.RECOVERY_CODES)
    return codes


@transaction.atomic
def device_remove(*, user: User, device) -> None:
    name = device.name
    device.delete()
    _tell(user, SecurityEvent.Kind.DEVICE_REMOVED, name)


def user_devices(user: User) -> list:
    """The user's confirmed sign-in devices, recovery codes apart."""
    return [
        d
        for d in devices_for_user(user, confirmed=True)
        if _held(d) and not isinstance(d, RecoveryCodes)
    ]


@transaction.atomic
def devices_reset(user: User) -> None:
    """A lost phone: remove every device; the user enrols again at the next sign-in."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    SecurityEvent.objects.create(user=user, kind=SecurityEvent.Kind.RESET)
