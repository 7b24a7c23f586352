"""Password reset that tells nothing: a known and an unknown address get the same answer
in the same time (the mail is sent after the response, in the background), and
requests are limited per client address and per account."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import PasswordResetConfirmView, PasswordResetView
from django.template import loader
from django.utils import timezone

from accounts.lockout import client_ip, locks_lift
from meldcode.models import ResetRequest, User
from meldcode.outbox import mail_queue

PER_ADDRESS_PER_HOUR = 10
PER_ACCOUNT_PER_HOUR = 3


def _email_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def allowed(ip: str | None, email: str) -> bool:
    """Record the request; say whether it is within the limits."""
    since = timezone.now() - dt.timedelta(hours=1)
    recent = ResetRequest.objects.filter(at__gte=since)
    over = (
        recent.filter(ip=ip).count() >= PER_ADDRESS_PER_HOUR
        or recent.filter(email_hash=_email_hash(email)).count() >= PER_ACCOUNT_PER_HOUR
    )
    ResetRequest.objects.filter(at__lt=since).delete()
    ResetRequest.objects.create(ip=ip, email_hash=_email_hash(email))
    return not over


class QuietPasswordResetForm(PasswordResetForm):
    def get_users(self, email):
        """Also a colleague brought in by the staff import who has not chosen a password
        yet (no usable password, never signed in): their first link may have expired.
        Never staff of a board that switched passwords off (they sign in with their
        school account). The page answers the same either way."""
        from accounts.oidc import passwords_switched_off

        users = User.objects.filter(email__iexact=email, is_active=True)
        return (
            user
            for user in users
            if (user.has_usable_password() or user.last_login is None)
            and user.email.casefold() == email.casefold()
            and not passwords_switched_off(user)
        )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        """Queue the mail (meldcode.outbox); it is sent after the response, in the
        background, so that a known address takes as long to answer as an unknown one."""
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        mail_queue(
            subject=subject,
            body=body,
            to=[to_email],
            background=settings.MELDCODE_MAIL_IN_BACKGROUND,
        )


class QuietPasswordResetView(PasswordResetView):
    form_class = QuietPasswordResetForm

    def form_valid(self, form):
        if not allowed(client_ip(self.request), form.cleaned_data["email"]):
            # Same answer as always: nothing tells the caller that the limit was hit.
            return super(PasswordResetView, self).form_valid(form)
        return super().form_valid(form)


class ResetConfirmView(PasswordResetConfirmView):
    """A completed reset lifts the user's lockout and ends every session they had."""

    def form_valid(self, form):
        from accounts.sessions import sessions_end

        response = super().form_valid(form)
        locks_lift(form.user.get_username())
        sessions_end(form.user)
        return response
