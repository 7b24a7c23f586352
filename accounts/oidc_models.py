"""Sign-in with the school's own account (OpenID Connect), configured per board by the
application manager; and the device that stands for the provider's own second factor.
(The models live here and are imported by accounts.models; the sign-in is accounts.oidc.)"""

from __future__ import annotations

import os
import re

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from simple_history.models import HistoricalRecords

from accounts import secrets
from meldcode.models import Board

ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]{0,99}$")
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def validate_env_name(value: str) -> None:
    if value and not ENV_NAME.match(value):
        raise ValidationError(
            _("Use the name of an environment variable: capitals, digits and _ only.")
        )


def parse_domains(value: str) -> list[str]:
    parts = (part.strip().lower().lstrip("@") for part in re.split(r"[,\s;]+", value))
    return list(dict.fromkeys(part for part in parts if part))


def validate_domains(value: str) -> None:
    wrong = [domain for domain in parse_domains(value) if not DOMAIN.match(domain)]
    if wrong:
        raise ValidationError(_("Not a domain name: %(domains)s.") % {"domains": ", ".join(wrong)})


class SchoolAccountProvider(models.Model):
    """One board's identity provider (Microsoft 365 / Entra ID, Google Workspace, …).

    Roles never come from here: a person signs in only to an account that already holds
    a role at one of the board's schools (meldcode.models.Membership)."""

    board = models.OneToOneField(
        Board,
        on_delete=models.CASCADE,
        related_name="school_account",
        verbose_name=_("board"),
    )
    enabled = models.BooleanField(_("in use"), default=True)
    label = models.CharField(
        _("name of the school account"),
        max_length=100,
        blank=True,
        help_text=_("Shown on the sign-in page, e.g. “Microsoft 365”. Empty: the board's name."),
    )
    issuer = models.URLField(
        _("issuer"),
        max_length=300,
        help_text=_(
            "The provider's issuer, e.g. https://login.microsoftonline.com/<tenant>/v2.0. "
            "Its endpoints are read from /.well-known/openid-configuration when saved."
        ),
    )
    client_id = models.CharField(_("client id"), max_length=200)
    client_secret_env = models.CharField(
        _("client secret: environment variable"),
        max_length=100,
        blank=True,
        validators=[validate_env_name],
        help_text=_("The name of the environment variable that holds the secret (preferred)."),
    )
    # Encrypted with MELDCODE_SECRETS_KEY (accounts.secrets): a copy of the database does
    # not hold the secret. Never shown, never in the history.
    client_secret_encrypted = models.TextField(blank=True, editable=False)
    email_domains = models.CharField(
        _("e-mail domains of the board's staff"),
        max_length=500,
        blank=True,
        validators=[validate_domains],
        help_text=_(
            "Separated by commas, e.g. scholengroep.nl, school.nl. When given, only these "
            "addresses are accepted, and the provider vouches for them."
        ),
    )
    trust_provider_factor = models.BooleanField(
        _("trust the provider's second factor"),
        default=False,
        help_text=_(
            "When the provider reports a second factor (amr contains “mfa”, or the "
            "acr below), Meldcode does not ask its own."
        ),
    )
    trusted_acr = models.CharField(
        _("acr that counts as a second factor"),
        max_length=200,
        blank=True,
    )
    passwords_off = models.BooleanField(
        _("no passwords for the board's staff"),
        default=False,
        help_text=_("The board's staff sign in only with their school account."),
    )
    # Read from the issuer's discovery document (accounts.oidc.provider_discover).
    authorization_endpoint = models.URLField(max_length=300, blank=True, editable=False)
    token_endpoint = models.URLField(max_length=300, blank=True, editable=False)
    userinfo_endpoint = models.URLField(max_length=300, blank=True, editable=False)
    jwks_uri = models.URLField(max_length=300, blank=True, editable=False)
    end_session_endpoint = models.URLField(max_length=300, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["client_secret_encrypted"])

    class Meta:
        verbose_name = _("school account sign-in")
        verbose_name_plural = _("school account sign-ins")
        ordering = ["board__name"]

    def __str__(self) -> str:
        return self.label or str(self.board)

    @property
    def domains(self) -> list[str]:
        return parse_domains(self.email_domains)

    def secret_set(self, plain: str) -> None:
        self.client_secret_encrypted = secrets.encrypt(plain.encode()) if plain else ""

    def client_secret(self) -> str:
        """From the environment when a variable is named, else decrypted from the row."""
        if self.client_secret_env:
            value = os.environ.get(self.client_secret_env, "")
            if not value:
                raise ImproperlyConfigured(
                    f"The environment variable {self.client_secret_env} (the client secret "
                    f"of board {self.board_id}'s school account) is not set."
                )
            return value
        if not self.client_secret_encrypted:
            raise ImproperlyConfigured(f"Board {self.board_id}'s school account has no secret.")
        return secrets.decrypt(self.client_secret_encrypted).decode()


class SchoolAccountFactor(Device):
    """The provider's own second factor, as django-otp sees it: passed with `otp_login`
    when the provider reports one and the board trusts it (django-otp honours only a
    confirmed device, so it is made confirmed). It holds no secret and checks no code:
    accounts.second_factor leaves it out (`outside_meldcode`) of the devices a user holds,
    so it is not listed on the security page and does not spare the user an enrolment
    when they sign in with a password."""

    outside_meldcode = True

    class Meta(Device.Meta):
        verbose_name = _("second factor of the school account")
        verbose_name_plural = _("second factors of the school account")

    @classmethod
    def of(cls, user) -> SchoolAccountFactor:
        device, _created = cls.objects.get_or_create(
            user=user, defaults={"name": "school account", "confirmed": True}
        )
        return device

    def verify_token(self, token) -> bool:
        return False
