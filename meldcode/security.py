"""What every response and every signed-in session gets, whatever the page.

- No response with case data is kept by a browser or proxy: `Cache-Control: no-store`
  on everything that is not a public static file (whitenoise answers those before this
  middleware runs, with their own long cache headers).
- `Permissions-Policy` switches off what the application never uses.
- A session ends after 30 minutes without a request and after 10 hours in any case
  (here). Both are settings.
- Quick hide: a locked session shows only the screen that asks for the password again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from accounts.session_store import LAST_SEEN, SIGNED_IN_AT, USER_AGENT

LOCKED = "meldcode_locked"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if "Server" in response:
            del response["Server"]
        return response


class SessionLimitsMiddleware:
    """The absolute time-out, and the lock of quick hide."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            if SIGNED_IN_AT not in request.session:
                # A new session: does text typed before the last sign-out wait for it?
                from accounts.drafts import HAS_DRAFTS, drafts_exist

                if drafts_exist(request.user):
                    request.session[HAS_DRAFTS] = True
            signed_in_at = request.session.setdefault(SIGNED_IN_AT, now)
            last_seen = request.session.get(LAST_SEEN, now)
            if now - signed_in_at > settings.MELDCODE_SESSION_MAX_SECONDS:
                logout(request)
                messages.info(request, _("You were signed out after 10 hours. Sign in again."))
                return redirect(settings.LOGIN_URL)
            if now - last_seen > settings.MELDCODE_IDLE_SECONDS:
                logout(request)
                messages.info(request, _("You were signed out after 30 minutes without activity."))
                return _to_sign_in_and_back(request)
            # Saved at most once a minute, so most requests write nothing. Keeping a draft
            # and the page's own idle sign-out are not activity.
            if LAST_SEEN not in request.session or (now - last_seen > 60 and _is_activity(request)):
                request.session[LAST_SEEN] = now
            if USER_AGENT not in request.session:
                request.session[USER_AGENT] = request.headers.get("User-Agent", "")[:300]
            if request.session.get(LOCKED) and request.path not in _open_when_locked():
                return redirect("unlock")
        return self.get_response(request)


def _to_sign_in_and_back(request: HttpRequest) -> HttpResponse:
    """To the sign-in, and after it back to the page that was asked for (a GET of this
    site; the page checks access again)."""
    login = reverse(settings.LOGIN_URL)
    if request.method != "GET":
        return redirect(login)
    return redirect(f"{login}?{urlencode({'next': request.get_full_path()})}")


def _not_activity() -> set[str]:
    return {reverse("draft_keep"), reverse("idle_sign_out")}


# A page that looks again by itself (the PDF being prepared) asks with this: a browser
# left on it is not someone at work, and signs out after the idle time all the same.
AUTO_REFRESH = ("refresh", "auto")
# The pages that look again by themselves; `?refresh=auto` on any other request (or on a
# POST) is someone at work all the same.
LOOKS_AGAIN = {"cases:pdf_export"}


def _is_activity(request: HttpRequest) -> bool:
    if request.GET.get(AUTO_REFRESH[0]) == AUTO_REFRESH[1] and _looks_again(request):
        return False
    return request.path not in _not_activity()


def _looks_again(request: HttpRequest) -> bool:
    if request.method != "GET":
        return False
    try:
        return resolve(request.path_info).view_name in LOOKS_AGAIN
    except Resolver404:
        return False


def _open_when_locked() -> set[str]:
    return {reverse("unlock"), reverse("logout"), reverse("lock"), reverse("idle_sign_out")}
