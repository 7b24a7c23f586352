"""The dossier (logboek) and the access log: rows that are written once and never changed.

Every model here is append-only at three levels: the model refuses save() on an
existing row and delete(), its queryset refuses update() and delete(), and on
PostgreSQL a trigger rejects UPDATE and DELETE on the table, so not even raw SQL or
the admin can rewrite what was recorded. A correction is a new, linked entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import signal_list
from cases.append_only import AppendOnlyModel, append_only_trigger


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
        constraints = [
            models.UniqueConstraint(fields=["entry", "code"], name="entry_signal_unique")
        ]

    def __str__(self) -> str:
        return self.signal.display

    @property
    def signal(self) -> signal_list.Signal:
        return signal_list.get(self.code)


def audit_key() -> bytes:
    """The key of the access log's hash chain: MELDCODE_AUDIT_KEY, or derived from the
    secret key. It must stay the same for as long as the log is kept."""
    if settings.MELDCODE_AUDIT_KEY:
        return settings.MELDCODE_AUDIT_KEY.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"meldcode-access-log", hashlib.sha256).digest()


class AccessLog(AppendOnlyModel):
    """One read, export, download or refused look at a case. Hash-chained, append-only.

    Each row's hash covers its own fields and the previous row's hash, so a changed or
    removed row breaks the chain at that point (`manage.py verify_access_log`).
    """

    class Action(models.TextChoices):
        VIEW = "view", _("viewed the dossier")
        CHRONOLOGY = "chronology", _("viewed the pupil's chronology")
        EXPORT = "export", _("exported the dossier")
        DOWNLOAD = "download", _("downloaded a document")
        DENIED = "denied", _("was refused access")

    at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    # PROTECT: a person who read a dossier is deactivated, never deleted, so the log keeps them.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    # A plain number, not a foreign key: a denied row may name a case that does not exist,
    # and the log must outlive anything it points at.
    case_id = models.PositiveBigIntegerField(_("case number"), db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    row_hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("access log row")
        verbose_name_plural = _("access log")
        ordering = ["pk"]
        triggers = [append_only_trigger("access_log_append_only")]
        constraints = [
            # Two rows can never claim the same predecessor: the chain cannot fork.
            models.UniqueConstraint(fields=["prev_hash"], name="access_log_linear_chain")
        ]

    def __str__(self) -> str:
        return f"{self.username or '-'} · {self.action} · {self.case_id}"

    def canonical(self) -> bytes:
        """The row's content as the hash sees it: fixed keys, UTC, microseconds."""
        at = self.at.astimezone(dt.UTC).isoformat(timespec="microseconds")
        content = {
            "v": 1,
            "at": at,
            "user_id": self.user_id,
            "username": self.username,
            "case_id": self.case_id,
            "action": self.action,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()

    def compute_hash(self) -> str:
        # Keyed: whoever can write to the database but lacks the key cannot rewrite a row
        # and recompute the rest of the chain to hide it.
        return hmac.new(audit_key(), self.canonical(), hashlib.sha256).hexdigest()
