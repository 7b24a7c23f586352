"""Where a user is signed in: every session row carries its user (accounts.session_store),
so the user's sessions page lists them all and ends them on request, and a password
change, a second-factor reset and a deactivated account end them all at once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import SecurityEvent, UserSession
from meldcode.models import User


def session_label(session_key: str) -> str:
    """How a page names a session: never its key, which would sign anyone in."""
    return salted_hmac("meldcode-session-label", session_key).hexdigest()[:20]


def sessions_of(user: User):
    return UserSession.objects.filter(user=user, expire_date__gt=timezone.now()).order_by(
        "-last_seen"
    )


def sessions_end(user: User, keep: str | None = None) -> int:
    """End every session of `user` (but `keep`): each of those browsers is signed out at
    its next request."""
    rows = UserSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    count, _detail = rows.delete()
    return count


@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    current = request.session.session_key
    sessions = [
        {
            "label": session_label(row.session_key),
            "current": row.session_key == current,
            "user_agent": row.user_agent,
            "last_seen": row.last_seen,
            "signed_in_at": row.signed_in_at,
        }
        for row in sessions_of(request.user)
    ]
    return render(request, "registration/sessions.html", {"sessions": sessions})


@require_POST
def session_end(request: HttpRequest) -> HttpResponse:
    label = request.POST.get("session", "")
    current = request.session.session_key
    if label == "others":
        count = sessions_end(request.user, keep=current)
    else:
        keys = [
            key
            for key in sessions_of(request.user).values_list("session_key", flat=True)
            if key != current and session_label(key) == label
        ]
        count, _detail = UserSession.objects.filter(session_key__in=keys).delete()
    messages.success(request, _("%(count)s session(s) ended.") % {"count": count})
    return redirect("sessions")


class PasswordChange(PasswordChangeView):
    """A changed password ends every other session of the user. Five wrong old passwords
    sign this session out, as the unlock screen does: the old password is not guessed."""

    success_url = reverse_lazy("sessions")
    ATTEMPTS = "meldcode_password_change_attempts"
    LIMIT = 5

    def form_invalid(self, form):
        if "old_password" in form.errors:
            attempts = self.request.session.get(self.ATTEMPTS, 0) + 1
            self.request.session[self.ATTEMPTS] = attempts
            if attempts >= self.LIMIT:
                from django.contrib.auth import logout

                logout(self.request)
                messages.info(
                    self.request,
                    _("You were signed out after five wrong passwords. Sign in again."),
                )
                return redirect("login")
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        update_session_auth_hash(self.request, form.user)  # this session goes on, new id
        sessions_end(form.user, keep=self.request.session.session_key)
        self.request.session.pop(self.ATTEMPTS, None)
        SecurityEvent.objects.create(user=form.user, kind=SecurityEvent.Kind.PASSWORD_CHANGED)
        messages.success(self.request, _("Your password is changed; other sessions are ended."))
        return response
