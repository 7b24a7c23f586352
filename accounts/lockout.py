"""Password guessing, per client, behind a reverse proxy too.

- The client address: `REMOTE_ADDR`, unless that is one of MELDCODE_TRUSTED_PROXIES; then
  the right-most address in `X-Forwarded-For` that is not itself a trusted proxy (the
  left-most entries are whatever the client sent, so never believed).
- Five wrong passwords for one username from one address lock that (username, address)
  pair for 15 minutes (django-axes): the same user elsewhere, and everyone else, go on.
- A username guessed from many addresses is slowed, not locked: past ten failures in the
  cool-off time it takes one try per 30 seconds, from anywhere.
- One address that fails for many usernames (password spraying) is locked for itself.
- A tried password during a lock is not checked and not counted; a completed password
  reset lifts the user's locks.
"""

from __future__ import annotations

import ipaddress
import math

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

USERNAME_SLOW_AFTER = 10
USERNAME_SLOW_SECONDS = 30


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address) -> bool:
    for proxy in settings.MELDCODE_TRUSTED_PROXIES:
        try:
            if address in ipaddress.ip_network(proxy, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(request: HttpRequest) -> str | None:
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    if not _trusted(remote):
        return str(remote)
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # a malformed hop: believe nothing further left
        if not _trusted(address):
            return str(address)
    return str(remote)


def attempt_username(request: HttpRequest, credentials: dict | None) -> str:
    """The username as counted: "IB" and "ib " are the same account's failures."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().lower()


def _recent():
    return AccessAttempt.objects.filter(
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    )


def address_locked(ip: str | None) -> bool:
    if ip is None:
        return False
    failures = _recent().filter(ip_address=ip).aggregate(n=Sum("failures_since_start"))["n"]
    return (failures or 0) >= settings.MELDCODE_ADDRESS_FAILURES


def username_wait(username: str) -> int:
    """Seconds before this username may be tried again (0: now)."""
    recent = _recent().filter(username=username.strip().lower())
    summary = recent.aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
    if (summary["n"] or 0) < USERNAME_SLOW_AFTER:
        return 0
    elapsed = (timezone.now() - summary["last"]).total_seconds()
    return max(0, math.ceil(USERNAME_SLOW_SECONDS - elapsed))


def locks_lift(username: str) -> None:
    """A completed password reset: the user's own failures are forgotten."""
    axes_reset(username=username)


class SignInForm(AuthenticationForm):
    def clean(self):
        wait = username_wait(self.cleaned_data.get("username") or "")
        if wait:
            # Refused before the password is checked: a try during the wait counts for nothing.
            raise forms.ValidationError(
                _("Too many attempts for this account: try again in %(seconds)s seconds.")
                % {"seconds": wait},
                code="slowed",
            )
        return super().clean()

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        from accounts.oidc import passwords_switched_off

        # Said only after the right password: the form tells no one else who works where.
        if passwords_switched_off(user):
            raise forms.ValidationError(
                _("Your school signs you in with your school account: use the button below."),
                code="school_account_only",
            )


class SignInView(LoginView):
    form_class = SignInForm

    def get_context_data(self, **kwargs) -> dict:
        from accounts.oidc import sign_in_context

        return super().get_context_data(**kwargs) | sign_in_context(self.request)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if address_locked(client_ip(request)):
            return render(request, "registration/locked_out.html", {"address": True}, status=429)
        # A locked (username, address) pair is answered as locked before any slowing.
        credentials = {"username": request.POST.get("username", "")}
        if AxesProxyHandler.is_locked(request, credentials):
            return render(request, "registration/locked_out.html", status=429)
        return super().post(request, *args, **kwargs)
