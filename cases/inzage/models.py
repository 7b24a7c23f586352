"""An inzage request and how it ends (AVG art. 12, 15; UAVG art. 41).

A request is recorded as it came in, with its term; the term is extended at most once;
the review of the parents' copy is kept as submitted; the request ends in one release
(the copy as it left the school, its file kept under its sealed hash) or one reasoned
refusal. Every one of these is append-only and sealed into the case's chain. Only the
reviewer's work in progress (`ReviewDraft`) changes, until it is submitted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cases.append_only import AppendOnlyModel, append_only_trigger


class Requester(models.TextChoices):
    PARENT = "parent", _("a parent with parental authority (gezag)")
    PUPIL = "pupil", _("the pupil (16 or older)")


class Ground(models.TextChoices):
    """Why a part of the dossier is not given for inspection (UAVG art. 41(1)(i))."""

    CHILD = "child", _("the protection of the child")
    OTHERS = "others", _("the rights and freedoms of another person")


class InzageRequest(AppendOnlyModel):
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="inzage_requests",
        verbose_name=_("case"),
    )
    requester = models.CharField(_("asked by"), max_length=16, choices=Requester.choices)
    requester_name = models.CharField(_("name of who asked"), max_length=200)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("answer due on"))
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handled by"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inzage request")
        verbose_name_plural = _("inzage requests")
        ordering = ["-received_on", "-pk"]
        triggers = [append_only_trigger("inzage_request_append_only")]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gt=F("received_on")), name="inzage_request_due_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.received_on}"


class InzageExtension(AppendOnlyModel):
    """The term extended once, by two months, with the reason told within the first."""

    request = models.OneToOneField(
        InzageRequest,
        on_delete=models.PROTECT,
        related_name="extension",
        verbose_name=_("inzage request"),
    )
    reason = models.TextField(_("reason for the extension"))
    told_on = models.DateField(_("who asked was told on"))
    due_on = models.DateField(_("answer due on"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("extension of the term")
        verbose_name_plural = _("extensions of the term")
        triggers = [append_only_trigger("inzage_extension_append_only")]

    def __str__(self) -> str:
        return f"{self.request_id} · {self.due_on}"


class ReviewDraft(models.Model):
    """The reviewer's work on one part of the parents' copy, until the review is
    submitted: per text (by its key) the suggestions rejected and the spans marked by
    hand; for a dossier entry, whether it is withheld and why. Offsets only, no text."""

    request = models.ForeignKey(
        InzageRequest, on_delete=models.PROTECT, related_name="drafts", verbose_name=_("request")
    )
    unit = models.CharField(_("part"), max_length=32)
    rejected = models.JSONField(_("suggestions rejected"), default=dict)
    manual = models.JSONField(_("marked by hand"), default=dict)
    ground = models.CharField(_("not for inspection"), max_length=16, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        verbose_name = _("review in progress")
        verbose_name_plural = _("reviews in progress")
        constraints = [
            models.UniqueConstraint(fields=["request", "unit"], name="inzage_draft_once_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} · {self.unit}"


class InzageReview(AppendOnlyModel):
    """A review as submitted for approval: every decision, and what is withheld and why.
    A later review of the same request supersedes it (the approver approves the last)."""

    request = models.ForeignKey(
        InzageRequest,
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("inzage request"),
    )
    rejected = models.JSONField(_("suggestions rejected"))
    manual = models.JSONField(_("marked by hand"))
    withheld = models.JSONField(_("not for inspection"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review of the parents' copy")
        verbose_name_plural = _("reviews of the parents' copy")
        ordering = ["pk"]
        triggers = [append_only_trigger("inzage_review_append_only")]

    def __str__(self) -> str:
        return f"{self.request_id} · {self.by_id}"


class InzageRelease(AppendOnlyModel):
    """The copy as it left the school: approved by a second person, its file kept outside
    the web root under its sealed sha256, with what was withheld and why."""

    request = models.OneToOneField(
        InzageRequest,
        on_delete=models.PROTECT,
        related_name="release",
        verbose_name=_("inzage request"),
    )
    review = models.OneToOneField(
        InzageReview, on_delete=models.PROTECT, related_name="release", verbose_name=_("review")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    released_to = models.CharField(_("released to"), max_length=300)
    withheld = models.JSONField(_("not for inspection"))
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    at = models.DateTimeField(_("released at"), auto_now_add=True)

    class Meta:
        verbose_name = _("released inzage copy")
        verbose_name_plural = _("released inzage copies")
        triggers = [append_only_trigger("inzage_release_append_only")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(approved_by=F("reviewed_by")),
                name="inzage_release_second_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id} · {self.at:%Y-%m-%d}"

    @property
    def path(self):
        return settings.MELDCODE_UPLOAD_ROOT / self.stored_name

    @property
    def filename(self) -> str:
        return f"inzage-casus-{self.request.case_id}-{self.request_id}.pdf"


class InzageRefusal(AppendOnlyModel):
    """The request ends without a copy, for a reason given to who asked."""

    request = models.OneToOneField(
        InzageRequest,
        on_delete=models.PROTECT,
        related_name="refusal",
        verbose_name=_("inzage request"),
    )
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("refused at"), auto_now_add=True)

    class Meta:
        verbose_name = _("refusal of an inzage request")
        verbose_name_plural = _("refusals of inzage requests")
        triggers = [append_only_trigger("inzage_refusal_append_only")]

    def __str__(self) -> str:
        return f"{self.request_id} · {self.at:%Y-%m-%d}"


# --- The anonymised copy ----------------------------------------------------------------


class AnonymisedDraft(models.Model):
    """The reviewer's work on one part of the anonymised copy (as `ReviewDraft`): per
    text (by its key) the suggestions rejected and the spans marked by hand. Kept per
    case, not per review: a decision about a text holds wherever and whenever that text
    appears, so after new entries only what is new needs going through."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="anonymised_drafts",
        verbose_name=_("case"),
    )
    unit = models.CharField(_("part"), max_length=32)
    rejected = models.JSONField(_("suggestions rejected"), default=dict)
    manual = models.JSONField(_("marked by hand"), default=dict)
    # The keys of the texts the part showed when saved: a text added since is not yet
    # gone through.
    seen = models.JSONField(_("texts gone through"), default=list)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        verbose_name = _("review of the anonymised copy in progress")
        verbose_name_plural = _("reviews of the anonymised copy in progress")
        constraints = [
            models.UniqueConstraint(fields=["case", "unit"], name="anonymised_draft_once_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.unit}"


class AnonymisedReview(AppendOnlyModel):
    """A review of the anonymised copy as submitted: every decision, for one state of the
    dossier (`texts`: the digest of every free text the copy shows; `last_entry`: the
    last dossier entry it covers). When the dossier has changed since, it is stale and
    the copy is a draft again until reviewed anew. No second person approves: the copy
    names no one, and the reviewer is the one who takes it to the consultation."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="anonymised_reviews",
        verbose_name=_("case"),
    )
    rejected = models.JSONField(_("suggestions rejected"))
    manual = models.JSONField(_("marked by hand"))
    texts = models.CharField(_("digest of the texts reviewed"), max_length=64)
    last_entry = models.PositiveBigIntegerField(_("last entry reviewed"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review of the anonymised copy")
        verbose_name_plural = _("reviews of the anonymised copy")
        ordering = ["pk"]
        triggers = [append_only_trigger("anonymised_review_append_only")]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.at:%Y-%m-%d}"


class SuggestionCache(models.Model):
    """What the detection found in one text of a case, for one set of names the school
    knows (`known`: their digest): offsets and kinds only, never the text. A cache: it
    can be dropped at any time and is filled again on the next look."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    key = models.CharField(max_length=24)
    known = models.CharField(max_length=24)
    spans = models.JSONField(default=list)

    class Meta:
        verbose_name = _("detected spans")
        verbose_name_plural = _("detected spans")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "known", "key"], name="suggestion_cache_once_per_text"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.key}"
