"""The doors of the school-account sign-in (accounts.oidc): its start per board, the
provider's way back, and signing out of Meldcode with the provider's sign-out offered."""

from __future__ import annotations

import logging
import time
from urllib.parse import parse_qs, urlsplit

import jwt
import requests
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from accounts.lockout import address_locked, client_ip
from accounts.oidc import (
    FLOW_SECONDS,
    FLOWS,
    MAX_FLOWS,
    SIGN_OUT_OFFER,
    SchoolAccountBackend,
    provider_for_board,
    school_account_login,
    sign_out_url,
)

log = logging.getLogger(__name__)
STEP_UP_SECONDS = 5 * 60


def _flows_remember(request: HttpRequest, state: str, flow: dict) -> None:
    now = time.time()
    flows = {
        key: value
        for key, value in request.session.get(FLOWS, {}).items()
        if now - value.get("at", 0) < FLOW_SECONDS
    }
    flows[state] = flow
    request.session[FLOWS] = dict(sorted(flows.items(), key=lambda kv: kv[1]["at"])[-MAX_FLOWS:])


def _flow_take(request: HttpRequest, state: str) -> tuple[dict | None, dict | None]:
    """This sign-in's board and the library's nonce and verifier, each usable once."""
    flows = request.session.get(FLOWS, {})
    states = request.session.get("oidc_states", {})
    flow, expected = flows.pop(state, None), states.pop(state, None)
    request.session[FLOWS], request.session["oidc_states"] = flows, states
    if flow is not None and time.time() - flow.get("at", 0) > FLOW_SECONDS:
        flow = None
    return flow, expected


@method_decorator(login_not_required, name="dispatch")
class SchoolAccountStart(OIDCAuthenticationRequestView):
    """`?bestuur=<board id>`: to that board's provider, with a fresh state, nonce and PKCE
    verifier (mozilla-django-oidc). With `opnieuw=1` a signed-in user confirms again
    (step-up): the provider is asked to sign them in anew."""

    def __init__(self, **kwargs) -> None:
        View.__init__(self, **kwargs)  # the board's settings, not global ones: see get()

    def get(self, request: HttpRequest) -> HttpResponse:
        if address_locked(client_ip(request)):
            return render(request, "registration/locked_out.html", {"address": True}, status=429)
        provider = provider_for_board(request.GET.get("bestuur"))
        if provider is None or not provider.authorization_endpoint:
            raise Http404
        self.step_up = request.user.is_authenticated and request.GET.get("opnieuw") == "1"
        if request.user.is_authenticated and not self.step_up:
            return redirect("home")
        self.OIDC_OP_AUTH_ENDPOINT = provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        response = super().get(request)
        state = parse_qs(urlsplit(response.url).query)["state"][0]
        _flows_remember(
            request, state, {"board": provider.board_id, "step_up": self.step_up, "at": time.time()}
        )
        return response

    def get_extra_params(self, request: HttpRequest) -> dict:
        return {"prompt": "login", "max_age": "0"} if self.step_up else {}


def _refused(request: HttpRequest, reason: str, *, sign_out: bool = False) -> HttpResponse:
    """Back to the sign-in page (a signed-in user: to their start page, still signed in,
    unless `sign_out`). The reason goes to the log only: never a claim, token or address."""
    log.warning("School account sign-in refused (%s)", reason)
    if sign_out:
        logout(request)
    messages.error(request, _("Signing in with your school account did not succeed. Try again."))
    return redirect("login")


@method_decorator(login_not_required, name="dispatch")
class SchoolAccountCallback(View):
    """The provider's answer: checked (accounts.oidc), then the person is signed in, or
    told that they have no access yet. A failure here is no wrong password: it does not
    count towards the password lockout (the provider guards its own)."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        flow, expected = _flow_take(request, request.GET.get("state", ""))
        if flow is None or expected is None:
            return _refused(request, "unknown state")
        if request.GET.get("error") or not request.GET.get("code"):
            return _refused(request, "no code")
        provider = provider_for_board(flow["board"])
        if provider is None:
            return _refused(request, "board without school account")
        backend = SchoolAccountBackend()
        try:
            user = backend.authenticate(
                request,
                school_account=provider,
                nonce=expected.get("nonce"),
                code_verifier=expected.get("code_verifier"),
            )
        except (
            SuspiciousOperation,  # a check of accounts.oidc failed
            requests.RequestException,  # the provider did not answer, or answered an error
            jwt.InvalidTokenError,  # no ID token, or not one that can be read
            ImproperlyConfigured,  # the board's secret is missing
            KeyError,  # the provider's keys or answer lack what they must hold
            TypeError,
            ValueError,
        ) as error:
            return _refused(request, type(error).__name__)
        if user is None and backend.outcome == backend.NO_ACCESS:
            if request.user.is_authenticated:
                logout(request)  # a step-up by someone without access here
            messages.error(request, _("You have no access yet; ask your school's directie."))
            return redirect("login")
        if user is None:
            return _refused(request, "userinfo")
        if flow["step_up"]:
            auth_time = backend.claims.get("auth_time")
            if user.pk != request.user.pk:
                return _refused(request, "step-up by someone else", sign_out=True)
            if not isinstance(auth_time, int) or time.time() - auth_time > STEP_UP_SECONDS:
                return _refused(request, "step-up without a new sign-in")
        next_url = request.session.pop("oidc_login_next", None)
        passed = school_account_login(request, user=user, provider=provider, claims=backend.claims)
        if flow["step_up"] and not passed:
            messages.warning(
                request,
                _("Your school account did not confirm a second factor; use Meldcode's own."),
            )
        return redirect(next_url or "home")


class SignOutView(LogoutView):
    """Signing out ends the Meldcode session; after a school-account sign-in the sign-in
    page then offers the provider's own sign-out (once)."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        offer = sign_out_url(request) if request.user.is_authenticated else None
        response = super().post(request, *args, **kwargs)
        if offer:
            request.session[SIGN_OUT_OFFER] = offer
        return response
