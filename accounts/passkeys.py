"""Passkeys (WebAuthn, django-otp-webauthn) beside the authenticator app: phishing-
resistant, for Windows Hello on a school laptop or a phone.

A passkey is a second factor only, never a way in without the password. It is added like
any further device: within a fresh second factor and with the password again (the
security page gives a few minutes to do it), and the user is mailed. Signing in with it
gives the session a new id and counts as a passed factor for step-up.
"""

from __future__ import annotations

import time

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp_webauthn import exceptions
from django_otp_webauthn.views import (
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from accounts.second_factor import factor_passed, tell_device_added

# Set by the security page after the password was given again: until then, a passkey may
# be registered.
MAY_ADD_PASSKEY_UNTIL = "meldcode_may_add_passkey_until"
ADD_WINDOW_SECONDS = 5 * 60


def allow_passkey_registration(request: HttpRequest) -> None:
    request.session[MAY_ADD_PASSKEY_UNTIL] = time.time() + ADD_WINDOW_SECONDS


class NotAllowedNow(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = _("Give your password again on your security page before you add a passkey.")
    default_code = "password_again"


class _Gate:
    def check_can_register(self) -> None:
        until = self.request.session.get(MAY_ADD_PASSKEY_UNTIL, 0)
        if not self.request.user.is_verified() or until < time.time():
            raise NotAllowedNow()


class RegistrationBegin(_Gate, BeginCredentialRegistrationView):
    pass


class RegistrationComplete(_Gate, CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        self.request.session.pop(MAY_ADD_PASSKEY_UNTIL, None)
        tell_device_added(self.request.user, str(_("passkey")))
        return response


class AuthenticationComplete(CompleteCredentialAuthenticationView):
    """The passkey as the second factor, after the password (never instead of it)."""

    def check_device_usable(self, device) -> None:
        super().check_device_usable(device)
        if not self.request.user.is_authenticated or device.user_id != self.request.user.pk:
            raise exceptions.CredentialNotFound()

    def complete_auth(self, device):
        first = not self.request.user.is_verified()
        otp_login(self.request, device)
        if first:
            self.request.session.cycle_key()
        factor_passed(self.request)
        return self.request.user
