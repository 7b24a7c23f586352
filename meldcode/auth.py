"""Sign-in with a brake on password guessing: after a few failures an account waits."""

import datetime as dt

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meldcode.models import FailedLogin

MAX_FAILURES = 5
LOCK_WINDOW = dt.timedelta(minutes=15)


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed attempts for this account. Wait 15 minutes and try again, "
            "or choose a new password via “Forgot your password?”."
        ),
    }

    def clean(self) -> dict:
        username = (self.cleaned_data.get("username") or "").strip().lower()
        if username and self._recent_failures(username) >= MAX_FAILURES:
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            return super().clean()
        except forms.ValidationError:
            if username:
                FailedLogin.objects.create(username=username)
            raise

    @staticmethod
    def _recent_failures(username: str) -> int:
        since = timezone.now() - LOCK_WINDOW
        # Old rows are of no use to anyone: drop them as we go.
        FailedLogin.objects.filter(at__lt=since).delete()
        return FailedLogin.objects.filter(username=username, at__gte=since).count()
