"""Signals about a staff member (meld- en aangifteplicht): for the board and the directie."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.append_only import AppendOnlyModel, append_only_trigger
from cases.models import school_ids_of
from meldcode.models import Membership, Role, School


class StaffSignal(AppendOnlyModel):
    """A signal about a staff member. The route does not apply: it goes to the board and the
    directie of the school only, and the colleague it names must never see it."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="staff_signals", verbose_name=_("school")
    )
    concerns = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staff member concerned"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    description = models.TextField(_("what was seen or heard"))

    class Meta:
        verbose_name = _("signal about a staff member")
        verbose_name_plural = _("signals about staff members")
        ordering = ["-filed_at", "-pk"]
        triggers = [append_only_trigger("staff_signal_append_only")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(concerns=models.F("filed_by")), name="staff_signal_not_about_self"
            )
        ]

    def __str__(self) -> str:
        return _("Signal %(number)s") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("cases:staff_signal_detail", args=[self.pk])

    @classmethod
    def visible_to(cls, user) -> models.QuerySet[StaffSignal]:
        """The board of the school and its directie, never the colleague it concerns (even
        when that colleague is directie or board: then only the others see it)."""
        if not user.is_authenticated:
            return cls.objects.none()
        board_ids = Membership.objects.filter(user=user, role=Role.BESTUUR).values("board_id")
        return cls.objects.filter(
            Q(school__board_id__in=board_ids)
            | Q(school_id__in=school_ids_of(user, [Role.DIRECTIE]))
        ).exclude(concerns=user)


class StaffSignalAction(AppendOnlyModel):
    """What was done with a staff signal under the meld- en aangifteplicht."""

    class Kind(models.TextChoices):
        TALK = "talk", _("Talk with the staff member concerned")
        CONFIDENTIAL_INSPECTOR = (
            "inspector",
            _("Consulted the vertrouwensinspecteur of the Inspectie"),
        )
        REPORT = "report", _("Reported (to the board, Veilig Thuis or the police)")
        AANGIFTE_CONSIDERED = "aangifte", _("Aangifte considered")
        AANGIFTE_FILED = "aangifte_filed", _("Aangifte filed with the police (WPO art. 4a)")
        OTHER = "other", _("Other measure")

    signal = models.ForeignKey(
        StaffSignal, on_delete=models.PROTECT, related_name="actions", verbose_name=_("signal")
    )
    kind = models.CharField(_("what was done"), max_length=16, choices=Kind.choices)
    note = models.TextField(_("note"))
    # When it happened (the consultation, the aangifte); `at` is when it was recorded.
    # Empty only on rows recorded before the date was asked.
    occurred_on = models.DateField(_("on"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("action on a staff signal")
        verbose_name_plural = _("actions on staff signals")
        ordering = ["at", "pk"]
        triggers = [append_only_trigger("staff_signal_action_append_only")]

    def __str__(self) -> str:
        return f"{self.signal} · {self.kind}"
