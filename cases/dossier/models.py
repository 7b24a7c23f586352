"""The dossier (logboek): rows that are written once and never changed.

Every model here is append-only at three levels: the model refuses save() on an
existing row and delete(), its queryset refuses update() and delete(), and on
PostgreSQL a trigger rejects UPDATE and DELETE on the table, so not even raw SQL or
the admin can rewrite what was recorded. A correction is a new, linked entry.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.append_only import AppendOnlyModel, append_only_trigger
from cases.dossier import body_map, signal_list


class EntryKind(models.TextChoices):
    OBSERVATION = "observation", _("observation")
    HYPOTHESIS = "hypothesis", _("hypothesis or assumption")
    THIRD_PARTY = "third_party", _("information from a third party")
    DIAGNOSIS = "diagnosis", _("diagnosis")
    CONTACT = "contact", _("contact about the signals")
    DECISION = "decision", _("decision")
    FOLLOW_UP = "follow_up", _("follow-up note")
    CORRECTION = "correction", _("correction")
    PARENTS_VIEW = "parents_view", _("parents' view")
    KINDCHECK = "kindcheck", _("kindcheck")


class EntryOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    REFUTED = "refuted", _("refuted")


class Entry(AppendOnlyModel):
    """One dossier entry. One model for every kind; each kind fills its own fields."""

    Kind = EntryKind
    Outcome = EntryOutcome

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="entries", verbose_name=_("case")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dossier_entries",
        verbose_name=_("author"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    occurred_on = models.DateField(_("date"))
    description = models.TextField(_("description"))
    # observation
    place = models.CharField(_("place"), max_length=200, blank=True)
    situation = models.CharField(_("situation"), max_length=500, blank=True)
    others_present = models.CharField(_("others present (initials)"), max_length=200, blank=True)
    # third-party information
    source = models.CharField(_("source: who"), max_length=200, blank=True)
    source_role = models.CharField(_("source: in what role"), max_length=200, blank=True)
    source_consent = models.BooleanField(_("source consents"), null=True, blank=True)
    # contact and decision
    contact_with = models.CharField(_("with whom"), max_length=200, blank=True)
    decided_by = models.CharField(_("decided by"), max_length=200, blank=True)
    # kindcheck
    household = models.TextField(_("children in the household"), blank=True)
    carers = models.TextField(_("who cares for them"), blank=True)
    # follow-up and correction
    links_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="linked_entries",
        verbose_name=_("refers to"),
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    reason = models.TextField(_("reason for the correction"), blank=True)
    # privacy guard: the author confirmed that naming another child of the school is needed
    names_confirmed = models.BooleanField(_("names of other children confirmed"), default=False)

    class Meta:
        verbose_name = _("dossier entry")
        verbose_name_plural = _("dossier entries")
        ordering = ["occurred_on", "recorded_at", "pk"]
        indexes = [
            models.Index(
                fields=["case", "occurred_on", "recorded_at"], name="entry_case_chronology"
            )
        ]
        triggers = [append_only_trigger("entry_append_only")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EntryKind.values), name="entry_kind_valid"),
            models.CheckConstraint(condition=~Q(description=""), name="entry_description_required"),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.OBSERVATION) | (~Q(place="") & ~Q(situation="")),
                name="entry_observation_place_situation",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.THIRD_PARTY)
                | (
                    ~Q(source="")
                    & ~Q(source_role="")
                    # NULL would pass a CHECK: demand a real, true answer.
                    & Q(source_consent__isnull=False, source_consent=True)
                ),
                name="entry_third_party_source_consent",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.CONTACT) | ~Q(contact_with=""),
                name="entry_contact_with",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.DECISION) | ~Q(decided_by=""), name="entry_decision_by"
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.KINDCHECK) | (~Q(household="") & ~Q(carers="")),
                name="entry_kindcheck_household",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[EntryKind.FOLLOW_UP, EntryKind.CORRECTION], links_to__isnull=False
                )
                | (
                    ~Q(kind__in=[EntryKind.FOLLOW_UP, EntryKind.CORRECTION])
                    & Q(links_to__isnull=True)
                ),
                name="entry_link_for_follow_up_correction",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.CORRECTION) | ~Q(reason=""),
                name="entry_correction_reason",
            ),
            models.CheckConstraint(
                condition=Q(kind=EntryKind.FOLLOW_UP) | Q(outcome=""),
                name="entry_outcome_only_follow_up",
            ),
        ]

    def __str__(self) -> str:
        return _("Entry %(number)s") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return f"{self.case.get_absolute_url()}#entry-{self.pk}"

    @property
    def recorded_later(self) -> bool:
        """Recorded more than 7 days after the fact: memory fades, so readers should know."""
        if self.recorded_at is None or self.occurred_on is None:
            return False
        return (timezone.localdate(self.recorded_at) - self.occurred_on) > dt.timedelta(days=7)

    @property
    def is_hypothesis(self) -> bool:
        return self.kind == self.Kind.HYPOTHESIS


class EntrySignal(AppendOnlyModel):
    """A tag from the signalenlijst on an entry; added with the entry, never removed."""

    entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, related_name="signals", verbose_name=_("entry")
    )
    code = models.CharField(_("signal"), max_length=100)

    class Meta:
        verbose_name = _("signal tag")
        verbose_name_plural = _("signal tags")
        ordering = ["pk"]
        triggers = [append_only_trigger("entry_signal_append_only")]
        # The case page asks for a case's urgent signals (VGV, eergerelateerd) by code.
        indexes = [models.Index(fields=["code", "entry"], name="entry_signal_code")]
        constraints = [
            models.UniqueConstraint(fields=["entry", "code"], name="entry_signal_unique")
        ]

    def __str__(self) -> str:
        return self.signal.display

    @property
    def signal(self) -> signal_list.Signal:
        return signal_list.get(self.code)


class MarkKind(models.TextChoices):
    BRUISE = "bruise", _("bruise")
    GRAZE = "graze", _("graze")
    BURN = "burn", _("burn")
    CUT = "cut", _("cut")
    BITE = "bite", _("bite")
    OTHER = "other", _("other injury")


class MarkShape(models.TextChoices):
    FINGER = "finger", _("finger-shaped")
    ROUND = "round", _("round")
    LINEAR = "linear", _("linear")
    OTHER = "other", _("other shape")


class BodyMark(AppendOnlyModel):
    """One injury on the body map of an observation: described, never photographed.

    Added with its entry and never changed: a correction is a new entry. Only an
    observation carries marks (`entry_add` refuses them on any other kind)."""

    Kind = MarkKind
    Shape = MarkShape
    MAX_SIZE_CM = 100

    entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, related_name="marks", verbose_name=_("entry")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    region = models.CharField(_("place on the body"), max_length=40, choices=body_map.flat_choices)
    kind = models.CharField(_("kind of injury"), max_length=16, choices=MarkKind.choices)
    size_cm = models.DecimalField(_("size (cm, about)"), max_digits=4, decimal_places=1)
    colour = models.CharField(_("colour"), max_length=100)
    shape = models.CharField(_("shape"), max_length=16, choices=MarkShape.choices)
    said = models.TextField(_("what the child or a parent said about it"), blank=True)

    class Meta:
        verbose_name = _("mark on the body map")
        verbose_name_plural = _("marks on the body map")
        ordering = ["entry", "number"]
        triggers = [append_only_trigger("body_mark_append_only")]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="body_mark_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="body_mark_number_positive"),
            models.CheckConstraint(
                condition=Q(region__in=list(body_map.BY_CODE)), name="body_mark_region_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=MarkKind.values), name="body_mark_kind"),
            models.CheckConstraint(condition=Q(shape__in=MarkShape.values), name="body_mark_shape"),
            models.CheckConstraint(
                condition=Q(size_cm__gt=0, size_cm__lte=100), name="body_mark_size"
            ),
            models.CheckConstraint(condition=~Q(colour=""), name="body_mark_colour_required"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.region_label}"

    @property
    def region_label(self) -> str:
        return body_map.region_label(self.region)


class AttachmentKind(models.TextChoices):
    DRAWING = "drawing", _("drawing by the child")
    LETTER = "letter", _("letter")
    EMAIL = "email", _("printed e-mail")
    OTHER = "other", _("other document")


class EntryAttachment(AppendOnlyModel):
    """A document that belongs to an entry (a scan of a child's drawing, a letter, a
    printed e-mail), stored through the one upload door (`cases.uploads.upload_store`)
    with the entry, and never changed or taken off it."""

    Kind = AttachmentKind

    entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("entry")
    )
    upload = models.OneToOneField(
        "cases.Upload",
        on_delete=models.PROTECT,
        related_name="entry_attachment",
        verbose_name=_("document"),
    )
    kind = models.CharField(_("kind of document"), max_length=16, choices=AttachmentKind.choices)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["entry", "pk"]
        triggers = [append_only_trigger("entry_attachment_append_only")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AttachmentKind.values), name="entry_attachment_kind"
            )
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())
