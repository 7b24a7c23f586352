"""The leaving checklist of a case whose pupil leaves the school: append-only, sealed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.append_only import AppendOnlyModel, append_only_trigger


class Item(models.TextChoices):
    PARENTS = "parents", _("The parents are informed")
    VEILIG_THUIS = "veilig_thuis", _("Report to Veilig Thuis weighed")
    HANDOVER = "handover", _("Warm handover to the receiving school")
    RAPPORT = "rapport", _("Line in the onderwijskundig rapport")


class ContactRole(models.TextChoices):
    IB = "ib", _("care coordinator (ib'er)")
    AANDACHTSFUNCTIONARIS = "aandachtsfunctionaris", _("attention officer")


class HandoverGround(models.TextChoices):
    CONSENT = "consent", _("with the written consent of the parents")
    VEILIG_THUIS = "veilig_thuis", _("through Veilig Thuis")


class LeavingRecord(AppendOnlyModel):
    """One item of the leaving checklist, done: who did it, when, and what it says. One
    model for every item; each item fills its own fields (as the dossier's entries do)."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="leaving_records",
        verbose_name=_("case"),
    )
    item = models.CharField(_("item"), max_length=16, choices=Item.choices)
    occurred_on = models.DateField(_("on"))
    # parents: how they were told; veilig_thuis: the reasoning; handover: what was shared;
    # rapport: the line itself.
    note = models.TextField(_("note"))
    # veilig_thuis
    report_needed = models.BooleanField(_("report needed"), null=True, blank=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    # handover
    receiving_school = models.CharField(_("receiving school"), max_length=200, blank=True)
    contact_name = models.CharField(_("with whom"), max_length=200, blank=True)
    contact_role = models.CharField(
        _("their role"), max_length=32, choices=ContactRole.choices, blank=True
    )
    ground = models.CharField(
        _("on which ground"), max_length=16, choices=HandoverGround.choices, blank=True
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("leaving checklist item")
        verbose_name_plural = _("leaving checklist items")
        ordering = ["at", "pk"]
        triggers = [append_only_trigger("leaving_record_append_only")]
        constraints = [
            models.CheckConstraint(condition=Q(item__in=Item.values), name="leaving_item_valid"),
            models.CheckConstraint(condition=~Q(note=""), name="leaving_note_required"),
            models.CheckConstraint(
                condition=~Q(item=Item.VEILIG_THUIS)
                | (Q(report_needed=False) | (Q(report_needed=True) & Q(reported_on__isnull=False))),
                name="leaving_veilig_thuis_decided",
            ),
            models.CheckConstraint(
                condition=~Q(item=Item.HANDOVER)
                | (
                    ~Q(receiving_school="")
                    & ~Q(contact_name="")
                    & Q(contact_role__in=ContactRole.values)
                    & Q(ground__in=HandoverGround.values)
                ),
                name="leaving_handover_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.item}"
