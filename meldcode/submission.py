"""A form sent twice files once: a double click, or back and resend.

Every POST form carries a one-time token (`{% submission_token %}`, a builtin tag). The
middleware runs a POST that carries one inside a transaction that first inserts the
token (unique): a second POST with the same token waits on that row until the first
commits, and then is not run again but sent to where the first one went, with a message.
A response that is not a redirect (a form with errors), or a redirect with an error
message, keeps nothing, so the user corrects and sends again. Tokens are forgotten
after a day (`send_mail_queue` prunes).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django import template
from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, models, transaction
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

FIELD = "_submission"
KEEP = dt.timedelta(days=1)


class Submission(models.Model):
    token = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    redirected_to = models.CharField(max_length=500, blank=True)

    class Meta:
        app_label = "meldcode"

    def __str__(self) -> str:
        return str(self.token)


register = template.Library()


@register.simple_tag
def submission_token() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4())


def _token(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def _already(request, row: Submission) -> HttpResponseRedirect:
    messages.info(request, _("This form was sent already; it was not saved a second time."))
    response = HttpResponseRedirect(row.redirected_to or request.path)
    response.status_code = 303  # See Other: the browser fetches the page with GET
    return response


def _filed(response) -> bool:
    return 300 <= response.status_code < 400 and response.has_header("Location")


def _errors_queued(request) -> int:
    # The messages added during this request wait in the storage's queue until the
    # response; an error among them means the view refused the form.
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", [])
    return sum(message.level >= messages.ERROR for message in queued)


class SubmissionOnceMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if request.method != "POST" or not request.user.is_authenticated:
            return None
        token = _token(request)
        if token is None:
            return None
        existing = Submission.objects.filter(token=token).first()
        if existing is not None:
            # Someone else's token is no token at all: the view runs as for any POST, and
            # the answer tells nothing of what that person sent.
            return _already(request, existing) if existing.user_id == request.user.pk else None
        try:
            with transaction.atomic():
                row = Submission.objects.create(token=token, user=request.user)
                errors_before = _errors_queued(request)
                response = view(request, *args, **kwargs)
                if _filed(response) and _errors_queued(request) == errors_before:
                    row.redirected_to = response["Location"][:500]
                    row.save(update_fields=["redirected_to"])
                else:
                    # A form with errors, or a redirect with an error message (a page
                    # gone stale, a move not possible): nothing was filed, so the same
                    # form may be sent again and is judged again.
                    row.delete()
                return response
        except IntegrityError:
            # The same form, sent at the same moment: the first one has just finished.
            existing = Submission.objects.filter(token=token).first()
            if existing is None:
                raise  # not the token's row: an error of the view itself
            return _already(request, existing) if existing.user_id == request.user.pk else None


def prune(now: dt.datetime | None = None) -> int:
    deleted, _rows = Submission.objects.filter(at__lt=(now or timezone.now()) - KEEP).delete()
    return deleted
