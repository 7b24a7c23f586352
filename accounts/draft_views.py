"""The page's script talks to these: typing keeps the session alive, what was typed is
kept before the idle sign-out or the quick hide, and it is offered back (accounts/drafts.py)."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.drafts import (
    HAS_DRAFTS,
    MAX_BYTES,
    draft_discard,
    draft_path_is_safe,
    draft_save,
)
from accounts.session_store import LAST_SEEN


def _remaining(request: HttpRequest) -> int:
    last_seen = request.session.get(LAST_SEEN, time.time())
    return max(int(settings.MELDCODE_IDLE_SECONDS - (time.time() - last_seen)), 0)


@require_POST
def keep_alive(request: HttpRequest) -> JsonResponse:
    """Someone is typing: the idle clock starts again (the middleware writes `LAST_SEEN`
    at most once a minute; this request always does)."""
    request.session[LAST_SEEN] = time.time()
    return JsonResponse({"idle_seconds": _remaining(request)})


@require_POST
def draft_keep(request: HttpRequest) -> JsonResponse:
    """JSON `{"path": "/…", "forms": [{"form": key, "fields": [[name, value], …],
    "names": [name, …]}]}`: the typed text of the page's forms, at most MAX_BYTES."""
    if request.content_type != "application/json":
        return JsonResponse({"error": _("This is not unsaved text of a form.")}, status=400)
    announced = request.META.get("CONTENT_LENGTH") or "0"
    if (announced.isdigit() and int(announced) > MAX_BYTES) or len(request.body) > MAX_BYTES:
        return JsonResponse(
            {"error": _("This text is too long to keep as unsaved text (at most 64 KB).")},
            status=413,
        )
    try:
        data = json.loads(request.body or b"null")
        path, forms = data["path"], data["forms"]
        if not isinstance(forms, list):
            raise TypeError
        kept = 0
        with transaction.atomic():  # every form of the page, or none
            for form in forms:
                draft = draft_save(
                    user=request.user,
                    path=path,
                    form_key=form["form"],
                    fields=form["fields"],
                    names=form.get("names", []),
                )
                kept += draft is not None
    except (ValueError, KeyError, TypeError, AttributeError, ValidationError):
        return JsonResponse({"error": _("This is not unsaved text of a form.")}, status=400)
    if kept:
        request.session[HAS_DRAFTS] = True
    return JsonResponse({"kept": kept})


@require_POST
def draft_throw_away(request: HttpRequest) -> HttpResponse:
    path = request.POST.get("path", "")
    if not draft_path_is_safe(path):
        return redirect("home")
    form_key = request.POST.get("form") or None
    draft_discard(user=request.user, path=path, form_key=form_key)
    messages.success(request, _("The unsaved text is thrown away."))
    return redirect(path)


STILL_IN_USE = 20  # seconds


@require_POST
def idle_sign_out(request: HttpRequest) -> HttpResponse:
    """The page's script, when the idle time is up (after keeping what was typed): signed
    out, and after signing in again back on the same page."""
    target = request.POST.get("next", "")
    if _remaining(request) > STILL_IN_USE:
        # Another tab of this session was in use (typing there kept it alive): nothing
        # ends; this page comes back, with what was typed in it offered back.
        return redirect(target if draft_path_is_safe(target) else "home")
    logout(request)
    messages.info(
        request,
        _(
            "You were signed out because nothing happened for a while. Sign in again to go "
            "on; text you had not saved yet is offered back on the same page."
        ),
    )
    login = reverse(settings.LOGIN_URL)
    if draft_path_is_safe(target):
        return redirect(f"{login}?{urlencode({'next': target})}")
    return redirect(login)
