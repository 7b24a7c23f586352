"""Step 2: consulting colleagues, partners of the sociale kaart and Veilig Thuis; the
parents' written consent to discuss their child by name; the Verwijsindex. Kept as
recorded: a change of consent is a new row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.append_only import AppendOnlyModel, append_only_trigger


class Consent(AppendOnlyModel):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("asked, signed form awaited")
        GIVEN = "given", _("given")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="consents", verbose_name=_("case")
    )
    status = models.CharField(_("consent"), max_length=16, choices=Status.choices)
    on = models.DateField(_("date"))
    form = models.ForeignKey(
        "cases.Upload",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed form"),
    )
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent of the parents")
        verbose_name_plural = _("consents of the parents")
        ordering = ["on", "pk"]
        triggers = [append_only_trigger("consent_append_only")]
        constraints = [
            # Written consent: a given consent always comes with the signed form.
            models.CheckConstraint(
                condition=~Q(status="given") | Q(form__isnull=False), name="consent_given_has_form"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.status} · {self.on}"


class Consultation(AppendOnlyModel):
    class Party(models.TextChoices):
        COLLEAGUE = "colleague", _("a colleague of the school")
        ORGANISATION = "organisation", _("an organisation of the sociale kaart")
        VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis (advice)")

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("case"),
    )
    held_on = models.DateField(_("date"))
    party = models.CharField(_("with whom"), max_length=16, choices=Party.choices)
    colleague_role = models.CharField(_("colleague (role)"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        "socialmap.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("organisation"),
    )
    anonymous = models.BooleanField(_("anonymous"))
    question = models.TextField(_("question"))
    advice = models.TextField(_("advice received"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["held_on", "pk"]
        triggers = [append_only_trigger("consultation_append_only")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(party="organisation") | Q(organisation__isnull=False),
                name="consultation_organisation_named",
            ),
            models.CheckConstraint(
                condition=~Q(party="colleague") | ~Q(colleague_role=""),
                name="consultation_colleague_role_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.party} · {self.held_on}"

    @property
    def outside(self) -> bool:
        return self.party != self.Party.COLLEAGUE


class VerwijsindexDecision(AppendOnlyModel):
    """Was registration in the Verwijsindex considered, and when was the pupil registered?"""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="verwijsindex_decisions",
        verbose_name=_("case"),
    )
    registered = models.BooleanField(_("registered in the Verwijsindex"))
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    note = models.TextField(_("considerations"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Verwijsindex decision")
        verbose_name_plural = _("Verwijsindex decisions")
        ordering = ["at", "pk"]
        triggers = [append_only_trigger("verwijsindex_append_only")]
        constraints = [
            models.CheckConstraint(
                condition=Q(registered=False, registered_on__isnull=True)
                | Q(registered=True, registered_on__isnull=False),
                name="verwijsindex_registered_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.registered}"
