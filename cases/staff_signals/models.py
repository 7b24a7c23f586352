"""Signals about a staff member (meld- en aangifteplicht): for the board and the directie."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.append_only import AppendOnlyModel, append_only_trigger
from cases.models import school_ids_of
from meldcode.models import Membership, Pupil, Role, School


class PersonRole(models.TextChoices):
    """What a person without an account does at the school (WPO art. 4a: everyone "met
    taken belast binnen de school")."""

    LUNCH = "overblijfkracht", _("lunchtime supervisor (overblijfkracht)")
    VOLUNTEER = "vrijwilliger", _("volunteer")
    INTERN = "stagiair", _("intern (stagiair)")
    OUTSIDE_TEACHER = "vakleerkracht", _("subject teacher from outside (e.g. gym)")
    DRIVER = "chauffeur", _("driver")
    BOARD_MEMBER = "bestuurslid", _("board member")
    OTHER = "anders", _("other task at the school")


class Suspicion(models.TextChoices):
    """The outcome of the consultation with the vertrouwensinspecteur."""

    YES = "yes", _("yes: a redelijk vermoeden")
    NO = "no", _("no redelijk vermoeden")
    UNCLEAR = "unclear", _("not yet possible to say")


class StaffSignal(AppendOnlyModel):
    """A signal about a staff member. The route does not apply: it goes to the board and the
    directie of the school only, and the colleague it names must never see it."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="staff_signals", verbose_name=_("school")
    )
    # A user of the school, or a person without an account recorded by name and role.
    concerns = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member concerned"),
    )
    concerns_name = models.CharField(_("name of the person concerned"), max_length=200, blank=True)
    concerns_role = models.CharField(
        _("task at the school"), max_length=16, choices=PersonRole.choices, blank=True
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
            ),
            models.CheckConstraint(
                condition=(Q(concerns__isnull=False) & Q(concerns_name="") & Q(concerns_role=""))
                | (Q(concerns__isnull=True) & ~Q(concerns_name="") & ~Q(concerns_role="")),
                name="staff_signal_user_or_named_person",
            ),
        ]

    def __str__(self) -> str:
        return _("Signal %(number)s") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("cases:staff_signal_detail", args=[self.pk])

    @property
    def person_concerned(self) -> str:
        """Who the signal is about: the account holder, or the name with the task."""
        if self.concerns_id:
            return str(self.concerns)
        return f"{self.concerns_name} ({self.get_concerns_role_display()})"

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
        PARENTS_INFORMED = "parents_informed", _("Parents informed of the aangifte")
        PERSON_INFORMED = "person_informed", _("Person concerned informed of the aangifte")
        AANGIFTE_FILED = "aangifte_filed", _("Aangifte filed with the police (WPO art. 4a)")
        OTHER = "other", _("Other measure")
        CLOSED = "closed", _("Signal closed")

    signal = models.ForeignKey(
        StaffSignal, on_delete=models.PROTECT, related_name="actions", verbose_name=_("signal")
    )
    kind = models.CharField(_("what was done"), max_length=16, choices=Kind.choices)
    # Of a consultation with the vertrouwensinspecteur: is there a redelijk vermoeden?
    suspicion = models.CharField(
        _("redelijk vermoeden"), max_length=8, choices=Suspicion.choices, blank=True
    )
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
        constraints = [
            models.CheckConstraint(
                condition=Q(suspicion="") | Q(kind="inspector"),
                name="staff_signal_action_suspicion_of_consultation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.signal} · {self.kind}"


class StaffSignalPupil(AppendOnlyModel):
    """A pupil a staff signal concerns: seen only by those who see the signal."""

    signal = models.ForeignKey(
        StaffSignal, on_delete=models.PROTECT, related_name="pupils", verbose_name=_("signal")
    )
    pupil = models.ForeignKey(
        Pupil, on_delete=models.PROTECT, related_name="+", verbose_name=_("pupil")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pupil of a staff signal")
        verbose_name_plural = _("pupils of staff signals")
        ordering = ["at", "pk"]
        triggers = [append_only_trigger("staff_signal_pupil_append_only")]
        constraints = [
            models.UniqueConstraint(fields=["signal", "pupil"], name="staff_signal_pupil_once")
        ]

    def __str__(self) -> str:
        return f"{self.signal} · {self.pupil_id}"


class StaffSignalPurgeRecord(AppendOnlyModel):
    """That a closed staff signal was purged after the board's term: no content. It names
    the records that went, so that their seals (left in the school's chain, which other
    signals share) still verify as purged rather than removed."""

    at = models.DateTimeField(_("purged at"), auto_now_add=True)
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    signal_number = models.PositiveBigIntegerField(_("signal number"), unique=True)
    rule = models.CharField(_("retention rule"), max_length=200)
    # "label:id" per line, e.g. "cases.StaffSignalAction:12".
    records = models.TextField(_("records deleted"))

    class Meta:
        verbose_name = _("purge record of a staff signal")
        verbose_name_plural = _("purge records of staff signals")
        ordering = ["at", "pk"]
        triggers = [append_only_trigger("staff_signal_purge_append_only")]

    def __str__(self) -> str:
        return f"{self.signal_number} · {self.at:%Y-%m-%d}"

    def record_keys(self) -> list[tuple[str, int]]:
        keys = []
        for line in self.records.splitlines():
            label, _sep, number = line.partition(":")
            keys.append((label, int(number)))
        return keys
