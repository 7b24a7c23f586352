"""Typed text is never lost: a draft of a page's form, kept on the server for its user.

The page's script (static/js/app.js) sends what was typed just before the idle sign-out
and before the screen is hidden; after signing in again the same page offers it back
(templates/_draft_offer.html). A draft is:

- the user's alone, for one page (its path) and one form on it; it is shown only inside
  that page, after the page's own view has checked access (the error pages leave the
  offer out), so a draft typed on a case page never reaches someone who lost the case;
- sealed with AES-GCM under MELDCODE_SECRETS_KEY, bound to its owner, page and form;
- at most `MAX_BYTES`, never a password, a CSRF or submission token or a file;
- deleted when its form is sent and filed, when the user throws it away, and after
  `KEEP` (`drafts_purge`, run by `purge_expired`); never logged.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts import secrets
from accounts.models import Draft
from meldcode.models import User

MAX_BYTES = 64 * 1024
KEEP = dt.timedelta(days=1)
PURPOSE = b"meldcode-draft"
# The session knows whether its user has drafts, so pages without one ask nothing.
HAS_DRAFTS = "meldcode_has_drafts"
# Fields the page's script adds to a form, naming its draft: filed, the draft goes.
PATH_FIELD = "_draft_path"
FORM_FIELD = "_draft_form"
NEVER = {"csrfmiddlewaretoken", "_submission", PATH_FIELD, FORM_FIELD, "next"}


def _secret_name(name: str) -> bool:
    lowered = name.lower()
    return name in NEVER or "password" in lowered or "wachtwoord" in lowered


def draft_path_is_safe(path: str) -> bool:
    """A path of this site only: no host, no scheme, no `//`, no sign-in pages."""
    return (
        isinstance(path, str)
        and 0 < len(path) <= 500
        and path.startswith("/")
        and not path.startswith("//")
        and "\\" not in path
        and url_has_allowed_host_and_scheme(path, allowed_hosts=None)
    )


def _bound(user: User, path: str, form_key: str) -> bytes:
    return json.dumps([user.pk, path, form_key]).encode()


def draft_save(*, user: User, path: str, form_key: str, fields: list, names: list) -> Draft | None:
    """Keep (or replace) the user's draft of one form on one page. A form with nothing
    typed in keeps no draft. `ValidationError` for a path or a shape that is not a form's."""
    if not draft_path_is_safe(path):
        raise ValidationError(_("This page cannot keep unsaved text."))
    if not isinstance(form_key, str) or not 0 < len(form_key) <= 200:
        raise ValidationError(_("This form cannot keep unsaved text."))
    if not isinstance(fields, list) or not isinstance(names, list):
        raise ValidationError(_("This form cannot keep unsaved text."))
    kept = []
    for pair in fields:
        if not (
            isinstance(pair, list)
            and len(pair) == 2
            and all(isinstance(part, str) for part in pair)
        ):
            raise ValidationError(_("This form cannot keep unsaved text."))
        if not _secret_name(pair[0]):
            kept.append(pair)
    kept_names = [name for name in names if isinstance(name, str) and not _secret_name(name)]
    with transaction.atomic():
        if not any(value.strip() for _name, value in kept):
            Draft.objects.filter(user=user, path=path, form_key=form_key).delete()
            return None
        plain = json.dumps({"fields": kept, "names": kept_names}).encode()
        sealed = secrets.encrypt(plain, purpose=PURPOSE, bound_to=_bound(user, path, form_key))
        draft, _created = Draft.objects.update_or_create(
            user=user,
            path=path,
            form_key=form_key,
            defaults={"sealed": sealed, "saved_at": timezone.now()},
        )
    return draft


def draft_discard(*, user: User, path: str, form_key: str | None = None) -> int:
    rows = Draft.objects.filter(user=user, path=path)
    if form_key is not None:
        rows = rows.filter(form_key=form_key)
    deleted, _detail = rows.delete()
    return deleted


def drafts_for(user: User, path: str) -> list[dict]:
    """The user's drafts for this page that are still in time, opened: `form`, `fields`
    (name, value pairs), `names` (every field of the form that was kept)."""
    since = timezone.now() - KEEP
    found = []
    for draft in Draft.objects.filter(user=user, path=path, saved_at__gte=since):
        try:
            plain = secrets.decrypt(
                draft.sealed, purpose=PURPOSE, bound_to=_bound(user, path, draft.form_key)
            )
        except Exception:
            continue
        content = json.loads(plain)
        found.append({"form": draft.form_key, **content})
    return found


def drafts_exist(user: User) -> bool:
    return Draft.objects.filter(user=user, saved_at__gte=timezone.now() - KEEP).exists()


def drafts_purge(now: dt.datetime | None = None) -> int:
    """Delete every draft older than a day; run by `purge_expired`."""
    deleted, _detail = Draft.objects.filter(saved_at__lt=(now or timezone.now()) - KEEP).delete()
    return deleted


def drafts_here(request: HttpRequest) -> Callable[[], list[dict]]:
    """For the page's template: the drafts of this page, asked only when the session knows
    its user has some (one query then, none on every other page)."""

    def ask() -> list[dict]:
        if not request.session.get(HAS_DRAFTS):
            return []
        found = drafts_for(request.user, request.path)
        if not found and not drafts_exist(request.user):
            request.session.pop(HAS_DRAFTS, None)
        return found

    return ask


class DraftFiledMiddleware:
    """A form sent with its draft's name (the page's script adds it) and filed, that is
    answered with a redirect and no error message: its draft is not needed any more."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method == "POST"
            and 300 <= response.status_code < 400
            and request.user.is_authenticated
            and request.session.get(HAS_DRAFTS)
            and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            try:
                path = request.POST.get(PATH_FIELD)
                form_key = request.POST.get(FORM_FIELD)
            except Exception:
                return response
            if path and form_key and not _error_queued(request):
                draft_discard(user=request.user, path=path, form_key=form_key)
        return response


def _error_queued(request: HttpRequest) -> bool:
    from django.contrib import messages

    queued = getattr(getattr(request, "_messages", None), "_queued_messages", [])
    return any(message.level >= messages.ERROR for message in queued)
