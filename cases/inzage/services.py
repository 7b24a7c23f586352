"""Inzage (AVG art. 15): the request, its term, the review of the parents' copy, the
second person's approval and the release, or a reasoned refusal.

- The term: one month from receipt (art. 12(3)); a month that has no such day ends on its
  last day (31 January: 28 or 29 February). Extended once, by two months, when who asked
  was told so with the reason within the first month.
- The review: the aandachtsfunctionaris or the directie goes through the parents' copy
  part by part (`cases.pdf.services.review_units`): every suggestion of `suggest` is
  accepted (left out) or rejected (kept), more can be marked by hand, and a dossier entry
  can be withheld with its ground (UAVG art. 41(1)). Submitted, the review is kept as it
  was (`InzageReview`).
- The release: a second person (af or directie, not the reviewer) approves; the copy is
  rendered, kept outside the web root under its sealed sha256, and the leeslog gets a row.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import may_view
from cases.access_log import AccessLog, access_log_write
from cases.inzage.models import (
    Ground,
    InzageExtension,
    InzageRefusal,
    InzageRelease,
    InzageRequest,
    InzageReview,
    Requester,
    ReviewDraft,
)
from cases.models import Case, is_loaded
from cases.pdf.redaction import MANUAL, Review, Version
from cases.pdf.services import pdf_render
from cases.pdf.suggestions import Span
from meldcode.models import Role, User

# Who handles, reviews and approves an inzage (seeds: they keep the dossier).
HANDLERS = (Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE)
# From this age a pupil asks for their own data (AVG; UAVG art. 5: below 16, the parents).
PUPIL_ASKS_FROM_AGE = 16
TERM_MONTHS = 1
EXTENSION_MONTHS = 2


# --- The term --------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; a month without that day ends on its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(received_on: dt.date) -> dt.date:
    return add_months(received_on, TERM_MONTHS)


def extended_due_on(received_on: dt.date) -> dt.date:
    return add_months(received_on, TERM_MONTHS + EXTENSION_MONTHS)


# --- Who may ---------------------------------------------------------------------------


def may_handle(user: User, case: Case) -> bool:
    return may_view(user, case) and user.has_role(case.school, *HANDLERS)


def handlers_of(case: Case):
    return (
        User.objects.filter(
            is_active=True, memberships__school=case.school, memberships__role__in=HANDLERS
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


# --- Where a request stands --------------------------------------------------------------


class State:
    OPEN = "open"
    AWAITING_APPROVAL = "awaiting_approval"
    RELEASED = "released"
    REFUSED = "refused"


@dataclass(frozen=True)
class Standing:
    request: InzageRequest
    state: str
    due_on: dt.date
    extension: InzageExtension | None
    review: InzageReview | None  # the last one submitted
    release: InzageRelease | None
    refusal: InzageRefusal | None

    @property
    def ended(self) -> bool:
        return self.state in (State.RELEASED, State.REFUSED)

    @property
    def overdue(self) -> bool:
        return not self.ended and self.due_on < timezone.localdate()


def _one(request: InzageRequest, name: str):
    try:
        return getattr(request, name)
    except ObjectDoesNotExist:  # a one-to-one not (yet) there
        return None


def standing(request: InzageRequest) -> Standing:
    extension = _one(request, "extension")
    release = _one(request, "release")
    refusal = _one(request, "refusal")
    review = request.reviews.order_by("-pk").select_related("by").first()
    if release is not None:
        state = State.RELEASED
    elif refusal is not None:
        state = State.REFUSED
    elif review is not None and not _changed_since(request, review):
        state = State.AWAITING_APPROVAL
    else:
        state = State.OPEN
    return Standing(
        request=request,
        state=state,
        due_on=extension.due_on if extension else request.due_on,
        extension=extension,
        review=review,
        release=release,
        refusal=refusal,
    )


def _changed_since(request: InzageRequest, review: InzageReview) -> bool:
    """Whether the review in progress was changed after the last one was submitted: then
    that one is no longer what the reviewer stands behind, and nothing awaits approval."""
    return request.drafts.filter(at__gt=review.at).exists()


def requests_of(case: Case) -> list[Standing]:
    if is_loaded(case, "inzage_requests"):  # by the case page
        rows = case.inzage_requests.all()
    else:
        rows = InzageRequest.objects.filter(case=case).select_related(
            "handled_by", "recorded_by", "extension", "release", "refusal"
        )
    return [standing(row) for row in rows]


def open_requests_query(case_ids) -> QuerySet[InzageRequest]:
    """Requests that have not ended, of these cases, unread."""
    return InzageRequest.objects.filter(
        case_id__in=case_ids, release__isnull=True, refusal__isnull=True
    )


def open_requests(case_ids) -> list[InzageRequest]:
    """Requests that have not ended, of these cases (for Mijn acties), in 1 query."""
    return list(
        open_requests_query(case_ids)
        .select_related("case__pupil", "case__school", "extension")
        .order_by("due_on", "pk")
    )


def last_reviewers(requests: list[InzageRequest]) -> dict[int, int]:
    """Per request, who submitted its last review (1 query)."""
    last: dict[int, int] = {}
    rows = InzageReview.objects.filter(request__in=requests).order_by("pk")
    for request_id, by_id in rows.values_list("request_id", "by_id"):
        last[request_id] = by_id
    return last


# --- Writing -----------------------------------------------------------------------------


def _locked(case: Case, by: User) -> Case:
    locked = Case.objects.select_for_update(of=("self",)).select_related("school", "pupil")
    locked = locked.get(pk=case.pk)
    if not may_handle(by, locked):
        raise PermissionDenied(_("Only the aandachtsfunctionaris or the directie handles inzage."))
    return locked


def _open_standing(request: InzageRequest, by: User) -> Standing:
    _locked(request.case, by)
    current = standing(InzageRequest.objects.get(pk=request.pk))
    if current.ended:
        raise ValidationError(_("This request has ended: it was answered or refused."))
    return current


def inzage_request_record(
    *,
    case: Case,
    by: User,
    requester: str,
    requester_name: str,
    received_on: dt.date,
    handled_by: User | None,
) -> InzageRequest:
    """Record a request for inzage as it came in; its term is one month from receipt."""
    requester_name = " ".join((requester_name or "").split())
    with transaction.atomic():
        case = _locked(case, by)
        errors: dict[str, str] = {}
        if requester not in Requester.values:
            errors["requester"] = _("Choose who asked.")
        if not requester_name:
            errors["requester_name"] = _("Give the name of who asked.")
        if received_on > timezone.localdate():
            errors["received_on"] = _("The request cannot have come in after today.")
        elif requester == Requester.PUPIL and case.pupil.age_on(received_on) < PUPIL_ASKS_FROM_AGE:
            errors["requester"] = _(
                "The pupil is younger than 16: the parents with parental authority ask."
            )
        if handled_by is None or not handled_by.has_role(case.school, *HANDLERS):
            errors["handled_by"] = _(
                "Choose the aandachtsfunctionaris or a member of the directie who handles it."
            )
        if errors:
            raise ValidationError(errors)
        return InzageRequest.objects.create(
            case=case,
            requester=requester,
            requester_name=requester_name,
            received_on=received_on,
            due_on=due_on(received_on),
            handled_by=handled_by,
            recorded_by=by,
        )


def inzage_extend(
    *, request: InzageRequest, by: User, reason: str, told_on: dt.date
) -> InzageExtension:
    """Extend the term once, by two months: who asked was told so, with the reason,
    within the first month (AVG art. 12(3))."""
    reason = (reason or "").strip()
    with transaction.atomic():
        current = _open_standing(request, by)
        request = current.request
        if current.extension is not None:
            raise ValidationError(_("The term was extended already: it can be extended once."))
        errors: dict[str, str] = {}
        if not reason:
            errors["reason"] = _("Give the reason for the extension.")
        if told_on is None or told_on < request.received_on or told_on > timezone.localdate():
            errors["told_on"] = _("Give a date between the receipt of the request and today.")
        elif told_on > request.due_on:
            errors["told_on"] = _(
                "The extension must be told within the first month, by %(day)s."
            ) % {"day": request.due_on.strftime("%d-%m-%Y")}
        if errors:
            raise ValidationError(errors)
        return InzageExtension.objects.create(
            request=request,
            reason=reason,
            told_on=told_on,
            due_on=extended_due_on(request.received_on),
            by=by,
        )


def inzage_refuse(*, request: InzageRequest, by: User, reason: str) -> InzageRefusal:
    """End the request without a copy, for a reason given to who asked."""
    reason = (reason or "").strip()
    with transaction.atomic():
        current = _open_standing(request, by)
        if not reason:
            raise ValidationError({"reason": _("Give the reason for the refusal.")})
        return InzageRefusal.objects.create(request=current.request, reason=reason, by=by)


# --- The review --------------------------------------------------------------------------


def text_spans(values: list) -> set[tuple[int, int]]:
    return {(int(start), int(end)) for start, end in values}


def draft_save(
    *,
    request: InzageRequest,
    by: User,
    unit: dict,
    rejected: dict[str, list[tuple[int, int]]],
    manual: dict[str, list[tuple[int, int]]],
    ground: str = "",
    explanation: str = "",
) -> ReviewDraft:
    """Save the review of one part (`unit`, from `review_units`): which suggestions are
    rejected, what is marked by hand, and for an entry whether it is withheld and why."""
    explanation = (explanation or "").strip()
    with transaction.atomic():
        _open_standing(request, by)
        if ground and unit["entry_id"] is None:
            raise ValidationError({"ground": _("Only a dossier entry can be withheld.")})
        if ground and ground not in Ground.values:
            raise ValidationError({"ground": _("Choose one of the grounds.")})
        if ground and not explanation:
            raise ValidationError(
                {"explanation": _("Explain why this entry is not given for inspection.")}
            )
        draft, _created = ReviewDraft.objects.update_or_create(
            request=request,
            unit=unit["key"],
            defaults={
                "rejected": {key: sorted(spans) for key, spans in rejected.items() if spans},
                "manual": {key: sorted(spans) for key, spans in manual.items() if spans},
                "ground": ground,
                "explanation": explanation if ground else "",
                "by": by,
            },
        )
        return draft


def review_submit(*, request: InzageRequest, by: User, units: list[dict]) -> InzageReview:
    """Submit the review for approval: every part has been gone through."""
    with transaction.atomic():
        _open_standing(request, by)
        drafts = {draft.unit: draft for draft in request.drafts.all()}
        missing = [unit["title"] for unit in units if unit["key"] not in drafts]
        if missing:
            raise ValidationError(
                _("Go through every part first; not yet: %(parts)s.")
                % {"parts": "; ".join(missing[:5]) + ("…" if len(missing) > 5 else "")}
            )
        rejected, manual = _combined([drafts[unit["key"]] for unit in units])
        withheld = [
            {
                "entry": unit["entry_id"],
                "title": unit["title"],
                "ground": drafts[unit["key"]].ground,
                "explanation": drafts[unit["key"]].explanation,
            }
            for unit in units
            if unit["entry_id"] is not None and drafts[unit["key"]].ground
        ]
        return InzageReview.objects.create(
            request=request, rejected=rejected, manual=manual, withheld=withheld, by=by
        )


def _combined(drafts: list[ReviewDraft]) -> tuple[dict, dict]:
    """A text shown in two parts is kept only where every part kept it (a suggestion
    rejected in one part and not in another is left out); what is marked by hand in
    any part is left out everywhere."""
    rejected: dict[str, set[tuple[int, int]]] = {}
    seen: dict[str, int] = {}
    manual: dict[str, set[tuple[int, int]]] = {}
    for draft in drafts:
        for key, spans in draft.rejected.items():
            spans = text_spans(spans)
            rejected[key] = rejected[key] & spans if key in rejected else spans
        for key in draft.rejected:
            seen[key] = seen.get(key, 0) + 1
        for key, spans in draft.manual.items():
            manual.setdefault(key, set()).update(text_spans(spans))
    return (
        {key: sorted(spans) for key, spans in rejected.items() if spans},
        {key: sorted(spans) for key, spans in manual.items() if spans},
    )


def as_review(*, rejected: dict, manual: dict, withheld: list[dict], draft: bool) -> Review:
    grounds = dict(Ground.choices)
    return Review(
        rejected={key: text_spans(spans) for key, spans in rejected.items()},
        manual={
            key: [Span(int(start), int(end), MANUAL) for start, end in spans]
            for key, spans in manual.items()
        },
        withheld={item["entry"]: str(grounds[item["ground"]]) for item in withheld},
        draft=draft,
    )


def review_of(record: InzageReview, *, draft: bool) -> Review:
    return as_review(
        rejected=record.rejected, manual=record.manual, withheld=record.withheld, draft=draft
    )


def review_in_progress(request: InzageRequest) -> Review:
    """The copy as the review stands now (a draft), for the preview."""
    drafts = list(request.drafts.all())
    rejected, manual = _combined(drafts)
    withheld = [
        {"entry": int(d.unit.removeprefix("entry-")), "ground": d.ground}
        for d in drafts
        if d.ground and d.unit.startswith("entry-")
    ]
    return as_review(rejected=rejected, manual=manual, withheld=withheld, draft=True)


def preview_render(*, request: InzageRequest, by: User) -> bytes:
    """The parents' copy as it stands, marked as a draft (one `export` row): the last
    submitted review while it awaits approval, otherwise the review in progress."""
    current = standing(request)
    if current.state == State.AWAITING_APPROVAL:
        review = review_of(current.review, draft=True)
    else:
        review = review_in_progress(request)
    return pdf_render(case=request.case, version=Version.OUDERS, by=by, review=review)


# --- The release -------------------------------------------------------------------------


def inzage_release(*, request: InzageRequest, by: User) -> InzageRelease:
    """A second person approves the last review: the copy is rendered, kept under its
    sealed hash, and the leeslog says who released it to whom."""
    with transaction.atomic():
        current = _open_standing(request, by)
        request = current.request
        if current.state != State.AWAITING_APPROVAL:
            raise ValidationError(_("There is no review awaiting approval."))
        review = current.review
        if review.by_id == by.pk:
            raise PermissionDenied(
                _("A second person approves the release: not the one who reviewed it.")
            )
        pdf = pdf_render(
            case=request.case,
            version=Version.OUDERS,
            by=by,
            review=review_of(review, draft=False),
            log=False,
        )
        root = settings.MELDCODE_UPLOAD_ROOT
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        stored_name = uuid.uuid4().hex
        path = root / stored_name
        path.write_bytes(pdf)
        try:
            release = InzageRelease.objects.create(
                request=request,
                review=review,
                reviewed_by=review.by,
                approved_by=by,
                released_to=f"{request.requester_name} ({request.get_requester_display()})",
                withheld=review.withheld,
                stored_name=stored_name,
                size=len(pdf),
                sha256=hashlib.sha256(pdf).hexdigest(),
            )
            access_log_write(
                user=by,
                case_id=request.case_id,
                action=AccessLog.Action.RELEASE,
                school_id=request.case.school_id,
            )
        except Exception:
            path.unlink(missing_ok=True)
            raise
        return release


def releases_of(case: Case) -> list[InzageRelease]:
    """For the leeslog: who released which copy to whom."""
    return list(
        InzageRelease.objects.filter(request__case=case)
        .select_related("request", "approved_by", "reviewed_by")
        .order_by("-pk")
    )
