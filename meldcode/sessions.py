"""Where a user is signed in: recorded per request (at most once a minute), listed on
their sessions page, and ended on request, on a password change and on a device reset."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.views import PasswordChangeView
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from meldcode.models import SignedInSession, User

TOUCH_EVERY = dt.timedelta(minutes=1)
TOUCHED = "meldcode_session_touched"


def session_touch(request: HttpRequest) -> None:
    """Record this browser's last use, at most once a minute (no query in between)."""
    now = timezone.now()
    touched = request.session.get(TOUCHED)
    if touched and now.timestamp() - touched < TOUCH_EVERY.total_seconds():
        return
    if not request.session.session_key:
        request.session.save()
    SignedInSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={"user": request.user, "last_seen": now},
        create_defaults={
            "user": request.user,
            "last_seen": now,
            "user_agent": request.headers.get("User-Agent", "")[:300],
        },
    )
    request.session[TOUCHED] = now.timestamp()


def sessions_end(user: User, keep: str | None = None) -> int:
    """End every session of `user` (but `keep`): the browser is signed out at once."""
    rows = SignedInSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    rows.delete()
    return len(keys)


@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registration/sessions.html",
        {
            "sessions": SignedInSession.objects.filter(user=request.user),
            "current": request.session.session_key,
        },
    )


@require_POST
def session_end(request: HttpRequest) -> HttpResponse:
    key = request.POST.get("session", "")
    if key == "others":
        count = sessions_end(request.user, keep=request.session.session_key)
    else:
        rows = SignedInSession.objects.filter(user=request.user, session_key=key).exclude(
            session_key=request.session.session_key
        )
        count = rows.count()
        Session.objects.filter(session_key__in=rows.values("session_key")).delete()
        rows.delete()
    messages.success(request, _("%(count)s session(s) ended.") % {"count": count})
    return redirect("sessions")


class PasswordChange(PasswordChangeView):
    """A changed password ends every other session of the user."""

    success_url = reverse_lazy("sessions")

    def form_valid(self, form):
        response = super().form_valid(form)
        update_session_auth_hash(self.request, form.user)  # this session goes on, new id
        sessions_end(form.user, keep=self.request.session.session_key)
        self.request.session.pop(TOUCHED, None)
        session_touch(self.request)
        messages.success(self.request, _("Your password is changed; other sessions are ended."))
        return response
