"""Who gets in: sessions that know their user, the second factor's devices with their
secrets protected at rest, and the security events a user sees on their own page."""

from __future__ import annotations

import time
from base64 import b32encode
from urllib.parse import quote, urlencode

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP
from django_otp.util import random_hex

from accounts import secrets


class UserSession(AbstractBaseSession):
    """A session row with its user as a column, written at every save (also when the key
    is cycled at sign-in and after the second factor), so every session of a user can be
    ended at once, however recently it began."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True)
    last_seen = models.DateTimeField(_("last used"), null=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from accounts.session_store import SessionStore

        return SessionStore


class AuthenticatorApp(TimestampMixin, ThrottlingMixin, Device):
    """A TOTP authenticator app (RFC 6238). Its key is stored encrypted."""

    encrypted_key = models.TextField()
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def save(self, *args, **kwargs) -> None:
        if not self.encrypted_key:
            self.encrypted_key = secrets.encrypt(bytes.fromhex(random_hex(20)))
        super().save(*args, **kwargs)

    @property
    def bin_key(self) -> bytes:
        return secrets.decrypt(self.encrypted_key)

    def verify_token(self, token) -> bool:
        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            number = int(token)
        except (TypeError, ValueError):
            verified = False
        else:
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            verified = totp.verify(number, self.tolerance, self.last_t + 1)
            if verified:
                self.last_t = totp.t()
                self.drift = totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
        if not verified:
            self.throttle_increment(commit=True)
        return verified

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    @property
    def config_url(self) -> str:
        issuer = settings.OTP_TOTP_ISSUER.replace(":", "")
        label = f"{issuer}:{self.user.get_username()}"
        params = urlencode(
            {"secret": b32encode(self.bin_key), "algorithm": "SHA1", "digits": self.digits,
             "period": self.step}
        )  # fmt: skip
        return f"otpauth://totp/{quote(label)}?{params}&issuer={quote(issuer)}"


class RecoveryCodes(TimestampMixin, Device):
    """Ten single-use recovery codes, kept only as keyed hashes. Never throttled by wrong
    authenticator codes: they are the way in when the phone is gone."""

    class Meta(Device.Meta):
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def verify_token(self, token) -> bool:
        used, _count = self.codes.filter(digest=secrets.code_digest(str(token))).delete()
        if used:
            self.set_last_used_timestamp()
        return bool(used)


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64, db_index=True)

    def __str__(self) -> str:
        return f"{self.device_id} · ****"


class SecurityEvent(models.Model):
    """A change to how a user signs in, shown on their own security page."""

    class Kind(models.TextChoices):
        DEVICE_ADDED = "device_added", _("second factor added")
        DEVICE_REMOVED = "device_removed", _("second factor removed")
        RECOVERY_CODES = "recovery_codes", _("new recovery codes made")
        RESET = "reset", _("second factor reset by the application manager")
        PASSWORD_CHANGED = "password_changed", _("password changed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security_events"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    detail = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")

    def __str__(self) -> str:
        return f"{self.user_id} · {self.kind} · {self.at:%Y-%m-%d %H:%M}"


# django-axes' records of sign-in attempts, under Dutch names in the admin (its own admin
# pages are switched off: AXES_ENABLE_ADMIN). Proxies: no table of their own.
class SignInLockout(AccessAttempt):
    class Meta:
        proxy = True
        verbose_name = _("failed sign-in attempt")
        verbose_name_plural = _("failed sign-in attempts")


class SignInFailure(AccessFailureLog):
    class Meta:
        proxy = True
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")


class SignInRecord(AxesAccessLog):
    class Meta:
        proxy = True
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")


class Draft(models.Model):
    """What a user had typed in a form and not yet saved when the screen was hidden or the
    session was about to end: kept for that user only, for the page it was typed on, sealed
    (AES-GCM, accounts/secrets.py) because it may hold dossier text, and gone after a day
    (accounts/drafts.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=500)
    form_key = models.CharField(max_length=200)
    sealed = models.TextField()
    saved_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("unsaved text")
        verbose_name_plural = _("unsaved texts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "path", "form_key"], name="one_draft_per_user_page_form"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.saved_at:%Y-%m-%d %H:%M}"  # never the text


# Sign-in with the school's own account: their tables are this app's.
from accounts.oidc_models import SchoolAccountFactor, SchoolAccountProvider  # noqa: E402,F401
