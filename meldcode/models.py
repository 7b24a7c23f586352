"""The organisation: boards, schools, people, their roles, and pupils."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from meldcode.request_cache import remember

# The fields a person's name is written from (`User.__str__`): what a list that names
# people reads of each (cases.models.PersonRows).
NAME_FIELDS = ("first_name", "last_name", "username")


class User(AbstractUser):
    """A staff member. Roles come from memberships, never from this row."""

    # Set only by `manage.py demo`: such a user may skip the second factor while debug is
    # on (never in production, never a user created any other way).
    demo = models.BooleanField(default=False, editable=False)
    # Raised whenever the user's roles, schools or second-factor devices change: what a
    # session keeps of them is stamped with it (meldcode.session_cache), so a change
    # counts from the user's next request in every session.
    access_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def schools(self) -> models.QuerySet[School]:
        """Schools where the user holds a role, including every school of a board they serve.

        Written with subqueries, not joins: joining the memberships multiplies a board's
        schools by its staff and needs DISTINCT, which grows with the square of the staff.
        """
        own = Membership.objects.filter(user=self, school__isnull=False).values("school_id")
        boards = Membership.objects.filter(user=self, role=Role.BESTUUR).values("board_id")
        return School.objects.filter(Q(pk__in=own) | Q(board_id__in=boards))

    def _memberships(self) -> tuple[tuple[int | None, int | None, str, bool], ...]:
        """Every (school id, board id, role, may diagnose) of the user: one query, asked
        once per request however often a page asks about roles, scope or schools."""
        if self.pk is None:
            return ()
        return remember(
            ("memberships", self.pk),
            lambda: tuple(
                Membership.objects.filter(user=self).values_list(
                    "school_id", "board_id", "role", "can_diagnose"
                )
            ),
        )

    def held_roles(self) -> tuple[tuple[int | None, int | None, str], ...]:
        """Every (school id, board id, role) the user holds (read once per request)."""
        return tuple((school, board, role) for school, board, role, _may in self._memberships())

    def boards_served(self) -> list[int]:
        """The boards the user serves as bestuur (ids), from the roles read once per request."""
        return [board for _school, board, role in self.held_roles() if role == Role.BESTUUR]

    def holds_any(self, *roles: str) -> bool:
        """Whether the user holds one of these roles anywhere (read once per request)."""
        return any(role in roles for _school, _board, role in self.held_roles())

    def roles_at(self, school: School | None) -> set[str]:
        if school is None or self.pk is None:
            return set()
        return {
            role
            for school_id, board_id, role in self.held_roles()
            if school_id == school.pk or (role == Role.BESTUUR and board_id == school.board_id)
        }

    def has_role(self, school: School | None, *roles: str) -> bool:
        return bool(self.roles_at(school) & set(roles))

    def may_diagnose_at(self, school: School) -> bool:
        """A membership at `school` marked as allowed to record a diagnosis."""
        return any(at == school.pk and may for at, _board, _role, may in self._memberships())


class Board(models.Model):
    """A scholengroep: the bevoegd gezag of one or more schools."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    # How long a closed signal about someone working at a school is kept, counted from the
    # day it was closed; then `manage.py purge_expired` deletes it. Five years by default:
    # the civil limitation period (BW 3:310) during which the board may have to show what
    # it did with a signal. No seed sets a term; the board may choose another.
    staff_signal_retention_years = models.PositiveSmallIntegerField(
        _("retention term of staff signals (years)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("board")
        verbose_name_plural = _("boards")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RetentionFrom(models.TextChoices):
    PUPIL_LEFT = "pupil_left", _("the pupil left the school")
    CASE_CLOSED = "case_closed", _("the case was closed")


class School(models.Model):
    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, related_name="schools", verbose_name=_("board")
    )
    name = models.CharField(_("name"), max_length=200)
    # Bewaartermijn: a closed case is kept this many years after this event, then purged
    # (`manage.py purge_expired`). The seeds keep the signals in the leerlingdossier until
    # two years after the pupil left the school: the default.
    retention_years = models.PositiveSmallIntegerField(
        _("retention term (years)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    retention_from = models.CharField(
        _("counted from"),
        max_length=16,
        choices=RetentionFrom.choices,
        default=RetentionFrom.PUPIL_LEFT,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["board", "name"], name="school_unique_name_per_board")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    LEERKRACHT = "leerkracht", _("teacher")
    IB = "ib", _("care coordinator")
    AANDACHTSFUNCTIONARIS = "aandachtsfunctionaris", _("attention officer")
    DIRECTIE = "directie", _("school management")
    BESTUUR = "bestuur", _("board")


class Membership(models.Model):
    """One role one person holds at one school (or, for the board, at a board)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("school"),
    )
    board = models.ForeignKey(
        Board,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("board"),
        help_text=_("Filled in from the school; only a board role without a school sets it."),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    can_diagnose = models.BooleanField(
        _("qualified for diagnoses"),
        default=False,
        help_text=_("For example an orthopedagoog: may record a diagnosis in a dossier."),
    )

    # Who has access to a school, since when, given by whom: every change is kept, shown
    # to the school's directie and mailed to them (meldcode.memberships).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school", "role"], name="membership_unique_role_per_school"
            ),
            models.CheckConstraint(
                condition=Q(role="bestuur") | Q(school__isnull=False),
                name="membership_school_required_below_board",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.school or self.board}"

    def save(self, *args, **kwargs) -> None:
        # The board is denormalised so that board-wide roles need no school.
        if self.school_id and not self.board_id:
            self.board_id = self.school.board_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.user_id and self.user.is_superuser:
            raise ValidationError(
                _("An application manager cannot hold a role at a school or board: give "
                  "school staff their own account.")
            )  # fmt: skip


class Pupil(models.Model):
    """Only what the meldcode needs to know about a child."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="pupils", verbose_name=_("school")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    infix = models.CharField(_("infix"), max_length=30, blank=True, default="")
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    group = models.CharField(_("group"), max_length=20, blank=True, default="")
    # The day the pupil left the school (from the pupil import's "uitschrijfdatum"): the
    # retention term of their closed cases counts from here.
    left_on = models.DateField(_("left the school on"), null=True, blank=True)

    class Meta:
        verbose_name = _("pupil")
        verbose_name_plural = _("pupils")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "first_name", "infix", "last_name", "date_of_birth"],
                name="pupil_unique_per_school",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.infix, self.last_name) if part)

    def age_on(self, day: dt.date) -> int:
        """Age in whole years on `day` (a birthday on 29 February counts from 1 March)."""
        born = self.date_of_birth
        had_birthday = (day.month, day.day) >= (born.month, born.day)
        return day.year - born.year - (0 if had_birthday else 1)


class ResetRequest(models.Model):
    """A password-reset request, counted per client address and per account to slow
    down abuse. The address asked for is kept only as a hash."""

    ip = models.GenericIPAddressField(null=True)
    email_hash = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")

    def __str__(self) -> str:
        return f"{self.ip} · {self.at:%Y-%m-%d %H:%M}"


def pupils_matching(school: School, term: str = "", group: str = "") -> models.QuerySet:
    """A school's pupils whose name holds every word of `term`, in `group` if given. The
    screens search instead of listing a whole school (on PostgreSQL a trigram index
    serves the name search: migration 0007)."""
    pupils = school.pupils.all()
    for word in term.split()[:5]:
        pupils = pupils.filter(
            Q(first_name__icontains=word) | Q(infix__icontains=word) | Q(last_name__icontains=word)
        )
    if group:
        pupils = pupils.filter(group=group)
    return pupils.order_by("last_name", "first_name", "pk")


from meldcode.outbox import OutgoingMail  # noqa: E402,F401  (its table is this app's)
from meldcode.submission import Submission  # noqa: E402,F401
