"""Links between the cases of brothers and sisters at the same school: append-only, sealed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cases.append_only import AppendOnlyModel, append_only_trigger


class CaseLink(AppendOnlyModel):
    """That `case` is linked to the case numbered `other_case` (a brother's or sister's).
    A link is two rows, one in each case's dossier and seal chain. The other case is a
    number, not a foreign key: when it is purged after its term, this row stays in its
    own case's chain and simply points at nothing anyone can see."""

    class Relation(models.TextChoices):
        SIBLING = "sibling", _("brother or sister")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="links", verbose_name=_("case")
    )
    other_case = models.PositiveBigIntegerField(_("linked case"))
    relation = models.CharField(
        _("relation"), max_length=16, choices=Relation.choices, default=Relation.SIBLING
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("linked case")
        verbose_name_plural = _("linked cases")
        ordering = ["at", "pk"]
        triggers = [append_only_trigger("case_link_append_only")]
        constraints = [
            models.UniqueConstraint(fields=["case", "other_case"], name="case_link_once"),
            models.CheckConstraint(condition=~Q(case=F("other_case")), name="case_link_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} ↔ {self.other_case}"
