"""The anonymised copy (for an outside consultation, AVG recital 26) and its review.

The copy leaves every suggestion of `suggest` out. Before it may leave the school as
the anonymised copy, a person goes through it part by part, as the parents' copy is
gone through (`cases.inzage.services`): each suggestion accepted (left out) or rejected
(kept), more marked by hand. A name the school knows (its pupils, its staff, itself, its
sociale kaart) is left out whatever the review says.

Decided here, where the issue and DOMAIN.md are silent:

- No second person approves: the copy names no one, and the one who reviews it is the
  one who takes it to the consultation (the ib'er, the aandachtsfunctionaris or the
  directie: who may export it). DOMAIN.md asks a second person for nothing that leaves
  the school anonymously.
- A review holds for one state of the dossier: the digest of every text the copy shows.
  When anything the copy shows has been added or changed since (a new entry, a talk), the
  review is stale and the copy is a draft again. The decisions are kept per text, so a
  new review only asks to go through the parts that are new.
- Until reviewed, the copy is still downloadable, as "zonder naam (concept)": with every
  suggestion left out, so it never names anyone; reviewed, it is downloaded under its
  own name and the leeslog says who took the reviewed copy.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.access import may_view
from cases.access_log import AccessLog
from cases.inzage.models import AnonymisedDraft, AnonymisedReview
from cases.inzage.services import _combined, as_review
from cases.models import Case
from cases.pdf.redaction import Version, text_key
from cases.pdf.services import may_export, pdf_filename, pdf_render, review_units
from meldcode.models import User


def may_review(user: User, case: Case) -> bool:
    return may_view(user, case) and may_export(user, case, Version.ANONIEM)


def units_of(case: Case) -> list[dict]:
    """The parts of the anonymised copy, with the texts it shows of each."""
    return review_units(case, Version.ANONIEM)


def texts_digest(units: list[dict]) -> str:
    """The state of the dossier a review covers: every part with every text it shows."""
    lines = [f"{unit['key']}:{text_key(text)}" for unit in units for text in unit["texts"]]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def last_entry(units: list[dict]) -> int | None:
    entries = [unit["entry_id"] for unit in units if unit["entry_id"] is not None]
    return max(entries) if entries else None


@dataclass(frozen=True)
class Standing:
    review: AnonymisedReview | None  # the last one submitted
    current: bool  # it covers the dossier as it is now

    @property
    def stale(self) -> bool:
        return self.review is not None and not self.current


def standing(case: Case, units: list[dict] | None = None) -> Standing:
    review = case.anonymised_reviews.select_related("by").order_by("-pk").first()
    if review is None:
        return Standing(review=None, current=False)
    units = units if units is not None else units_of(case)
    return Standing(review=review, current=review.texts == texts_digest(units))


def _locked(case: Case, by: User) -> Case:
    locked = Case.objects.select_for_update(of=("self",)).select_related("school", "pupil")
    locked = locked.get(pk=case.pk)
    if not may_review(by, locked):
        raise PermissionDenied(
            _("Only the ib'er, the aandachtsfunctionaris or the directie reviews this copy.")
        )
    return locked


def anonymised_draft_save(
    *,
    case: Case,
    by: User,
    unit: dict,
    rejected: dict[str, list[tuple[int, int]]],
    manual: dict[str, list[tuple[int, int]]],
) -> AnonymisedDraft:
    """Save the review of one part: which suggestions are rejected (kept in the copy)
    and what is marked by hand (left out)."""
    with transaction.atomic():
        case = _locked(case, by)
        draft, _created = AnonymisedDraft.objects.update_or_create(
            case=case,
            unit=unit["key"],
            defaults={
                "rejected": {key: sorted(spans) for key, spans in rejected.items() if spans},
                "manual": {key: sorted(spans) for key, spans in manual.items() if spans},
                "seen": [text_key(text) for text in unit["texts"]],
                "by": by,
            },
        )
        return draft


def anonymised_review_submit(*, case: Case, by: User) -> AnonymisedReview:
    """Submit the review for the dossier as it is now: every part has been gone through
    (a part whose texts were decided before counts, if no text of it is new)."""
    with transaction.atomic():
        case = _locked(case, by)
        units = units_of(case)
        drafts = {draft.unit: draft for draft in case.anonymised_drafts.all()}
        missing = [unit["title"] for unit in units if not gone_through(unit, drafts)]
        if missing:
            raise ValidationError(
                _("Go through every part first; not yet: %(parts)s.")
                % {"parts": "; ".join(missing[:5]) + ("…" if len(missing) > 5 else "")}
            )
        rejected, manual = _combined([drafts[unit["key"]] for unit in units])
        keys = {text_key(text) for unit in units for text in unit["texts"]}
        return AnonymisedReview.objects.create(
            case=case,
            rejected={key: spans for key, spans in rejected.items() if key in keys},
            manual={key: spans for key, spans in manual.items() if key in keys},
            texts=texts_digest(units),
            last_entry=last_entry(units),
            by=by,
        )


def gone_through(unit: dict, drafts: dict[str, AnonymisedDraft]) -> bool:
    """A part is gone through when it was saved after its texts were what they are now:
    its draft names every text of it."""
    draft = drafts.get(unit["key"])
    if draft is None:
        return False
    seen = set(draft.seen)
    return all(text_key(text) in seen for text in unit["texts"])


def anonymised_pdf(*, case: Case, by: User) -> tuple[bytes, str, str]:
    """The anonymised copy, its file name, and the leeslog action its download writes.
    Reviewed for the dossier as it is now: the review's decisions, `anonymised`.
    Otherwise the draft ("zonder naam (concept)"), with every suggestion left out,
    `export`. It writes no row itself: the download does (`cases.pdf.exports`)."""
    if not may_export(by, case, Version.ANONIEM):
        raise PermissionDenied
    current = standing(case)
    if not current.current:
        pdf = pdf_render(case=case, version=Version.ANONIEM, by=by, log=False)
        return pdf, pdf_filename(case, Version.ANONIEM), AccessLog.Action.EXPORT
    record = current.review
    review = as_review(rejected=record.rejected, manual=record.manual, withheld=[], draft=False)
    pdf = pdf_render(case=case, version=Version.ANONIEM, by=by, review=review, log=False)
    return pdf, pdf_filename(case, Version.ANONIEM, reviewed=True), AccessLog.Action.ANONYMISED


def anonymised_reviews_of(case: Case) -> list[AnonymisedReview]:
    """For the leeslog: who reviewed the anonymised copy, up to which entry."""
    return list(case.anonymised_reviews.select_related("by").order_by("-pk"))
