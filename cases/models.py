"""The case and its route. Moves are rows, never overwrites."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from cases.append_only import AppendOnlyModel, append_only_trigger
from cases.workflow import Step
from meldcode.links import reverse_ids
from meldcode.models import NAME_FIELDS, Membership, Pupil, Role, School, User

# Roles that see every case of their own school (need to know: they carry the route).
SCHOOL_WIDE_ROLES = (Role.IB, Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE)
# Every role that works inside a school (the board works above the schools).
SCHOOL_ROLES = (Role.LEERKRACHT, *SCHOOL_WIDE_ROLES)
# Who may add colleagues to a case, and who may name the responsible person.
GRANT_MANAGERS = (Role.IB, Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE)
RESPONSIBLE_MANAGERS = (Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE)

VIEW_PERMISSION = "view_case"
CONTRIBUTE_PERMISSION = "contribute_case"


def is_loaded(instance: models.Model, relation: str) -> bool:
    """Whether `instance.<relation>` is prefetched: then `.all()` reads those rows without
    a query. The case page loads each of a case's records once (cases.case_page); what
    else asks about them reads what it loaded, and outside that page asks the database."""
    return relation in getattr(instance, "_prefetched_objects_cache", {})


def school_ids_of(user, roles) -> models.QuerySet:
    return Membership.objects.filter(user=user, role__in=roles, school__isnull=False).values(
        "school_id"
    )


@dataclass(frozen=True)
class CaseScope:
    """Where a user sees cases: every case of `wide` schools; at `own` schools only the
    cases they opened or were added to."""

    wide: tuple[int, ...]
    own: tuple[int, ...]


def case_scope(user) -> CaseScope:
    """The user's scope as school ids, from their roles read once per request
    (`User.held_roles`): a page that lists cases from several parts (Mijn acties asks
    eleven providers) then filters on a few ids instead of repeating the same membership
    subqueries in every query. A change of memberships clears the request's answers."""

    wide, own = set(), set()
    for school_id, _board_id, role in user.held_roles():
        if school_id is not None and role in SCHOOL_ROLES:
            (wide if role in SCHOOL_WIDE_ROLES else own).add(school_id)
    return CaseScope(wide=tuple(sorted(wide)), own=tuple(sorted(own - wide)))


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> CaseQuerySet:
        """The only way lists of cases are scoped (see cases.access for single cases).

        Need to know: ib, aandachtsfunctionaris and directie see every case of their own
        school; everyone else at the school sees only the cases they opened or were added
        to. A grant counts only while the colleague still works at the case's school. The
        board sees none. The schools come from `case_scope` (once per request); the cases
        then take one query, whatever their number.
        """
        if not user.is_authenticated:
            return self.none()
        scope = case_scope(user)
        if not scope.wide and not scope.own:
            return self.none()
        visible = Q(school_id__in=scope.wide) if scope.wide else Q(pk__in=[])
        if scope.own:
            granted = CaseUserObjectPermission.objects.filter(
                content_object=OuterRef("pk"), user=user, permission__codename=VIEW_PERMISSION
            )
            visible |= Q(school_id__in=scope.own) & (Q(opened_by=user) | Exists(granted))
        return self.filter(visible)

    def open(self) -> CaseQuerySet:
        return self.exclude(step=Step.CLOSED)

    def stagnating(self, terms: dict[Step, int], now: dt.datetime) -> CaseQuerySet:
        """Open cases that have stayed in their step longer than the school's term."""
        return self.open().filter(past_term(terms, now))


# What a list of cases shows of each (its number, pupil, step, term and responsible
# person), for `.only()`: a list of hundreds of cases builds nothing more of each row.
# `path` is the way from the listed model to the case ("" for a case itself).
def case_row(path: str = "") -> list[str]:
    fields = ["school", "pupil", "step", "step_entered_at", "responsible"]
    fields += ["pupil__first_name", "pupil__infix", "pupil__last_name"]
    return [f"{path}{field}" for field in fields]


def row_fields(model, names) -> list[str]:
    """`names` as the model's columns with its primary key, in the order of the model's
    fields: `Model.from_db` takes them so."""
    wanted = {"id", *(model._meta.get_field(name).attname for name in names)}
    return [field.attname for field in model._meta.concrete_fields if field.attname in wanted]


class PersonRows:
    """The people a long list names, from narrow rows (`values_list`): each person with
    the fields their name is written from (`NAME_FIELDS`), built once however often the
    list names them. `columns(path)` are the columns to read, by `path` from the listed
    model to the person."""

    def __init__(self) -> None:
        self.fields = row_fields(User, NAME_FIELDS)
        self._people: dict[int, User] = {}

    def columns(self, path: str) -> list[str]:
        return [f"{path}{name}" for name in self.fields]

    def person(self, db: str, row: tuple, start: int = 0) -> User | None:
        """The person whose columns start at `row[start]` (None for an empty reference)."""
        person_id = row[start]
        if person_id is None:
            return None
        if (person := self._people.get(person_id)) is None:
            values = row[start : start + len(self.fields)]
            person = self._people[person_id] = User.from_db(db, self.fields, values)
        return person


class CaseRows:
    """Builds the cases of a long list from narrow rows (`values_list`) instead of a
    model row per join: each case with its pupil, as `case_row` reads them, and with
    `responsible` the responsible person (`PersonRows`). A case, pupil or person met
    again in the list is built once. `path` is the way from the listed model to the case
    ("" for a case itself).

        rows = CaseRows("report__meeting__case__")
        for row in queryset.values_list("pk", *rows.columns):
            case = rows.case(queryset.db, row, 1)  # its columns start at row[1]
    """

    def __init__(self, path: str = "", *, responsible: bool = False) -> None:
        names = case_row()
        self.case_fields = row_fields(Case, [name for name in names if "__" not in name])
        self.pupil_fields = row_fields(
            Pupil, [name.removeprefix("pupil__") for name in names if name.startswith("pupil__")]
        )
        self.people = PersonRows() if responsible else None
        self.columns = [
            *(f"{path}{name}" for name in self.case_fields),
            *(f"{path}pupil__{name}" for name in self.pupil_fields),
            *(self.people.columns(f"{path}responsible__") if self.people else ()),
        ]
        self._id_at = self.case_fields.index("id")
        self._pupil_at = len(self.case_fields)
        self._person_at = self._pupil_at + len(self.pupil_fields)
        self._cases: dict[int, Case] = {}

    def case(self, db: str, row: tuple, start: int = 0) -> Case:
        """The case whose columns start at `row[start]`."""
        if (case := self._cases.get(row[start + self._id_at])) is not None:
            return case
        pupil_at, person_at = start + self._pupil_at, start + self._person_at
        case = Case.from_db(db, self.case_fields, row[start:pupil_at])
        Case.pupil.field.set_cached_value(
            case, Pupil.from_db(db, self.pupil_fields, row[pupil_at:person_at])
        )
        if self.people:
            Case.responsible.field.set_cached_value(case, self.people.person(db, row, person_at))
        self._cases[case.pk] = case
        return case


def past_term(terms: dict[Step, int], now: dt.datetime) -> Q:
    """Cases that have stayed in their step longer than its term (`terms`: days per step);
    `is_past_term` asks the same of one case already read."""
    overdue = Q(pk__in=[])
    for step, days in terms.items():
        overdue |= Q(step=step, step_entered_at__lt=now - dt.timedelta(days=days))
    return overdue


def is_past_term(case: Case, terms: dict[Step, int], now: dt.datetime) -> bool:
    days = terms.get(Step(case.step))
    return days is not None and case.step_entered_at < now - dt.timedelta(days=days)


class Case(models.Model):
    """One pupil's case, from the first signals to closing."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="cases", verbose_name=_("school")
    )
    pupil = models.ForeignKey(
        Pupil, on_delete=models.PROTECT, related_name="cases", verbose_name=_("pupil")
    )
    step = models.CharField(_("step"), max_length=8, choices=Step.choices, default=Step.SIGNALS)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="opened_cases",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for_cases",
        verbose_name=_("responsible now"),
    )
    step_entered_at = models.DateTimeField(_("in this step since"), auto_now_add=True)

    history = HistoricalRecords()
    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]
        permissions = [("contribute_case", _("May add to the case"))]
        indexes = [
            # The case list: a school's cases, longest in their step last.
            models.Index(fields=["school", "-step_entered_at", "-id"], name="case_list_order")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(step__in=[step.value for step in Step]), name="case_step_valid"
            )
        ]

    def __str__(self) -> str:
        return _("Case %(number)s") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return reverse_ids("cases:detail", self.pk)

    def round_started_at(self) -> dt.datetime:
        """When the case's current round began: its opening, or its last reopening.
        Records of an earlier round (before a reopening) do not count for this one."""
        # Over all moves (a handful), so that the case page's loaded moves answer it.
        reopened = [move.at for move in self.transitions.all() if move.from_step == Step.CLOSED]
        return max(reopened, default=self.opened_at)

    @property
    def is_open(self) -> bool:
        return self.step != Step.CLOSED

    @property
    def step_enum(self) -> Step:
        return Step(self.step)


class CaseUserObjectPermission(UserObjectPermissionBase):
    """A colleague added to one case (django-guardian, with a direct foreign key)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="user_grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("access to a case")
        verbose_name_plural = _("access to cases")


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="group_grants")

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("group access to a case")
        verbose_name_plural = _("group access to cases")


class Transition(AppendOnlyModel):
    """One move of a case from one step to another: who, when, why. Append-only."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="transitions", verbose_name=_("case")
    )
    from_step = models.CharField(_("from step"), max_length=8, choices=Step.choices, blank=True)
    to_step = models.CharField(_("to step"), max_length=8, choices=Step.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)
    # For moves whose reason falls in fixed categories (skipping step 3): countable.
    reason_category = models.CharField(_("reason (category)"), max_length=32, blank=True)
    emergency = models.BooleanField(_("emergency"), default=False)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("responsible in this step"),
    )

    class Meta:
        verbose_name = _("move")
        verbose_name_plural = _("moves")
        ordering = ["at", "pk"]
        triggers = [append_only_trigger("transition_append_only")]
        # A case's moves in order: its page's route and history, and the evaluation's
        # durations (each move paired with the next of its case) without a sort.
        indexes = [models.Index(fields=["case", "at", "id"], name="transition_case_at_id")]

    def __str__(self) -> str:
        return f"{self.from_step or '-'} → {self.to_step}"


class EmergencyCall(AppendOnlyModel):
    """Noodsituatie: one of the calls (Veilig Thuis, 112 / politie, the crisisdienst) that
    sent a case straight to 5b; one move can have several, each with its time and
    reference."""

    class Service(models.TextChoices):
        VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis (0800-2000)")
        POLICE = "112", _("112 / police")
        CRISIS = "crisis", _("the crisis service")

    transition = models.ForeignKey(
        Transition, on_delete=models.PROTECT, related_name="emergency_calls"
    )
    service = models.CharField(_("called"), max_length=16, choices=Service.choices)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        "socialmap.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("crisis service (sociale kaart)"),
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("called by"),
    )
    called_at = models.DateTimeField(_("called at"))
    summary = models.TextField(_("what was said and agreed"))

    class Meta:
        verbose_name = _("emergency call")
        verbose_name_plural = _("emergency calls")
        triggers = [append_only_trigger("emergency_call_append_only")]

    def __str__(self) -> str:
        return f"{self.get_service_display()} · {self.called_at:%Y-%m-%d %H:%M}"


class ResponsibleChange(AppendOnlyModel):
    """The responsible person of a step named anew after the case entered it."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="responsible_changes", verbose_name=_("case")
    )
    step = models.CharField(_("step"), max_length=8, choices=Step.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("change of responsible person")
        verbose_name_plural = _("changes of responsible person")
        ordering = ["at", "pk"]
        triggers = [append_only_trigger("responsible_change_append_only")]

    def __str__(self) -> str:
        return f"{self.step} · {self.person}"


class AccessChange(AppendOnlyModel):
    """Who added or removed a colleague on a case, and when (the grants themselves live
    in CaseUserObjectPermission and disappear on removal; this keeps the account)."""

    class Level(models.TextChoices):
        READ = "read", _("read")
        CONTRIBUTE = "contribute", _("read and contribute")
        REMOVED = "removed", _("removed")

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="access_changes", verbose_name=_("case")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("colleague"),
    )
    level = models.CharField(_("access"), max_length=16, choices=Level.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("change of access")
        verbose_name_plural = _("changes of access")
        ordering = ["at", "pk"]
        triggers = [append_only_trigger("access_change_append_only")]

    def __str__(self) -> str:
        return f"{self.person} · {self.level}"


class StepResponsibility(models.Model):
    """One cell of a school's responsibility matrix: this role may act in this step."""

    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        related_name="step_responsibilities",
        verbose_name=_("school"),
    )
    step = models.CharField(_("step"), max_length=8, choices=Step.choices)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibility matrix")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "step", "role"], name="step_responsibility_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} · {self.step} · {self.role}"


class StepTerm(models.Model):
    """How many days a case may stay in a step before it comes to the attention of the
    aandachtsfunctionaris and the directie (seed 000: opschalen bij stagnatie)."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="step_terms", verbose_name=_("school")
    )
    step = models.CharField(_("step"), max_length=8, choices=Step.choices)
    days = models.PositiveSmallIntegerField(_("days"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("term of a step")
        verbose_name_plural = _("terms of the steps")
        constraints = [
            models.UniqueConstraint(fields=["school", "step"], name="step_term_unique"),
            models.CheckConstraint(
                condition=Q(days__gte=1, days__lte=365), name="step_term_days_in_range"
            ),
            models.CheckConstraint(condition=~Q(step=Step.CLOSED), name="step_term_open_step"),
        ]

    def __str__(self) -> str:
        return f"{self.school} · {self.step} · {self.days}"


# Until a school sets its own: short terms while signals are gathered and weighed; the
# help in 5a gets a quarter to show effect; in 5b Veilig Thuis decides within 5 working
# days and investigates for at most 10 weeks.
DEFAULT_TERMS: dict[Step, int] = {
    Step.SIGNALS: 14,
    Step.CONSULT: 14,
    Step.TALK: 21,
    Step.WEIGH: 14,
    Step.HELP: 90,
    Step.REPORT: 77,
}


# The first seed's split (seed 001), which every school starts with.
DEFAULT_MATRIX: dict[Step, tuple[str, ...]] = {
    Step.SIGNALS: (Role.LEERKRACHT, Role.IB, Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE),
    Step.CONSULT: (Role.IB,),
    Step.TALK: (Role.IB,),
    Step.WEIGH: (Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE),
    Step.HELP: (Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE),
    Step.REPORT: (Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE),
    Step.CLOSED: (Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE),
}


# Every part's models, so that Django finds them in this one app with one migration history.
from cases.access_log import AccessLog  # noqa: E402,F401
from cases.actions.models import ReminderSent  # noqa: E402,F401
from cases.consultations.models import Consent, Consultation, VerwijsindexDecision  # noqa: E402,F401
from cases.dossier.models import BodyMark, Entry, EntryAttachment, EntrySignal  # noqa: E402,F401
from cases.evaluation.models import CaseEvaluation, EvaluationTheme  # noqa: E402,F401
from cases.help.models import HelpEvaluation, HelpPlan  # noqa: E402,F401
from cases.inzage.models import (  # noqa: E402,F401
    AnonymisedDraft,
    AnonymisedReview,
    InzageExtension,
    InzageRefusal,
    InzageRelease,
    InzageRequest,
    InzageReview,
    ReviewDraft,
    SuggestionCache,
)
from cases.leaving.models import LeavingRecord  # noqa: E402,F401
from cases.links.models import CaseLink  # noqa: E402,F401
from cases.meetings.models import (  # noqa: E402,F401
    Agreement,
    Meeting,
    MeetingReport,
    ParentSignoff,
    StaffSignature,
)
from cases.pdf.models import PdfExport  # noqa: E402,F401
from cases.report.models import Report, Response  # noqa: E402,F401
from cases.retention import PurgeRecord  # noqa: E402,F401
from cases.seal import Seal  # noqa: E402,F401
from cases.staff_signals.models import (  # noqa: E402,F401
    StaffSignal,
    StaffSignalAction,
    StaffSignalPupil,
    StaffSignalPurgeRecord,
)
from cases.uploads import Upload  # noqa: E402,F401
from cases.weighing.models import Weighing, WeighingAnswer  # noqa: E402,F401
