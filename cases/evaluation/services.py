"""The figures of the evaluation, per school or across a board, for a period.

Every figure is a count or a duration aggregated in the database: the number of queries
is the same for 10 cases as for 5,000 (durations per step come back as one list of
numbers, from which the median and the longest are taken). Nothing here carries a
pupil's name, a case number or free text. Inside a school the counts are exact; what the
board sees is judged in `disclosure`: fixed periods, small counts hidden, and hidden so
that no total gives them away.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import Lead
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases.consultations.services import consent_refusals
from cases.evaluation.charts import Bar, BarChart, bar_chart
from cases.evaluation.disclosure import (
    HIDDEN,
    PERIOD_SUMS,
    SMALL,
    school_year,
    school_year_start,
    suppress,
)
from cases.evaluation.models import CaseEvaluation, EvaluationTheme
from cases.help.services import late_help_count
from cases.meetings.services import late_agreements_count
from cases.models import DEFAULT_TERMS, Case, EmergencyCall, StepTerm, Transition
from cases.report.models import Response
from cases.report.services import ReportFigures, conclusions_of, late_decisions, reports_of_schools
from cases.workflow import OPEN_STEPS, SkipReason, Step
from meldcode.models import Membership, Role, School, User
from socialmap.models import Organisation

DEFAULT_THEMES = (
    "Samenwerking met ouders",
    "Samenwerking met ketenpartners",
    "Dossiervorming",
    "Termijnen",
    "Rolverdeling in de school",
)


@dataclass
class Scope:
    label: str
    schools: list[School]
    board: bool = False

    @property
    def school_ids(self) -> list[int]:
        return [school.pk for school in self.schools]


def scope_for(user: User, school: School | None, board: bool) -> Scope | None:
    """The directie and the aandachtsfunctionaris see their school; the board sees its
    schools. Anyone else sees nothing (the view answers 404)."""
    if board:
        boards = Membership.objects.filter(user=user, role=Role.BESTUUR).values("board_id")
        schools = list(School.objects.filter(board_id__in=boards).order_by("name"))
        if not schools:
            return None
        return Scope(label=schools[0].board.name, schools=schools, board=True)
    if school is None or not user.has_role(school, Role.DIRECTIE, Role.AANDACHTSFUNCTIONARIS):
        return None
    return Scope(label=school.name, schools=[school])


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The school year so far (1 August to today)."""
    start_year = today.year if today.month >= 8 else today.year - 1
    return dt.date(start_year, 8, 1), today


@dataclass
class Row:
    label: str
    count: int
    hidden: bool = False

    @property
    def display(self) -> str:
        return HIDDEN if self.hidden else str(self.count)


@dataclass
class Figure:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)
    note: str = ""
    # Counted over the period (so a year is the sum of its halves), or a state of today.
    per_period: bool = True

    @property
    def max(self) -> int:
        # Over the rows shown only: a bar's length must not tell a hidden count.
        return max((row.count for row in self.rows if not row.hidden), default=0) or 1

    @property
    def chart(self) -> BarChart | None:
        """The bars, or None where a chart adds nothing to the table (a single number).
        A hidden count gets no bar: its length would tell the count (bar_chart scales to
        the longest bar shown)."""
        if len(self.rows) < 2:
            return None
        return bar_chart(
            Bar(label=row.label, value=row.count, text=row.display, has_bar=not row.hidden)
            for row in self.rows
        )


@dataclass
class StepDuration:
    step: str
    stays: int
    median: float | None
    longest: float | None

    @property
    def enough(self) -> bool:
        return self.stays >= SMALL


def durations_chart(durations: list[StepDuration]) -> BarChart:
    """The median days per step; a step with too few stays shows a note, no bar."""
    return bar_chart(
        Bar(label=d.step, value=d.median or 0, text=formats.localize(d.median), has_bar=True)
        if d.enough
        else Bar(label=d.step, value=0, text=_("fewer than 5 cases"), has_bar=False)
        for d in durations
    )


def _in(period: tuple[dt.date, dt.date], day: str) -> Q:
    """Rows whose `day` (a date field, or a datetime's `…__date`) falls in the period."""
    start, end = period
    return Q(**{f"{day}__gte": start, f"{day}__lte": end})


def durations(scope: Scope, period: tuple[dt.date, dt.date]) -> list[StepDuration]:
    """Median and longest days per step, over the stays that ended in the period."""
    stays = (
        Transition.objects.filter(case__school_id__in=scope.school_ids)
        .annotate(
            left_at=Window(Lead("at"), partition_by=[F("case_id")], order_by=[F("at"), F("pk")])
        )
        .values_list("to_step", "at", "left_at")
    )
    start, end = period
    days: dict[str, list[float]] = {step.value: [] for step in Step if step != Step.CLOSED}
    for step, entered, left in stays:
        if left is None or step not in days:
            continue
        if start <= timezone.localdate(left) <= end:
            days[step].append((left - entered).total_seconds() / 86400)
    return [
        StepDuration(
            step=str(Step(step).label),
            stays=len(values),
            median=round(statistics.median(values), 1) if values else None,
            longest=round(max(values), 1) if values else None,
        )
        for step, values in days.items()
    ]


def figures(scope: Scope, period: tuple[dt.date, dt.date], today: dt.date) -> list[Figure]:
    """The figures as the scope may see them: exact for a school, judged for the board."""
    return evaluation(scope, period, today)[0]


def _figures(scope: Scope, period: tuple[dt.date, dt.date], today: dt.date) -> list[Figure]:
    return _tables(scope, [period], today)[0]


@dataclass
class _Now:
    """The figures of today's state: the same in every period, so counted once."""

    per_step: dict[str, int]
    late_agreements: int
    late_help: int
    past_term: int
    unchecked: int


def _now(scope: Scope, today: dt.date) -> _Now:
    ids = scope.school_ids
    open_cases = Case.objects.filter(school_id__in=ids).exclude(step=Step.CLOSED)
    return _Now(
        per_step=dict(open_cases.values_list("step").annotate(n=Count("pk")).order_by()),
        late_agreements=late_agreements_count(open_cases, today),
        late_help=late_help_count(open_cases, today),
        past_term=_past_term_count(ids, timezone.now()),
        unchecked=Organisation.objects.filter(school_id__in=ids).due_for_review(today).count(),
    )


def _past_term_count(school_ids: list[int], now: dt.datetime) -> int:
    """Open cases past their school's term for their step, in two queries for any number
    of schools: the schools' own terms, then one count in which the schools that share a
    term for a step share a condition (so the condition has at most one clause per step
    and number of days, however many schools)."""
    own: dict[int, dict[str, int]] = {}
    for school_id, step, days in StepTerm.objects.filter(school_id__in=school_ids).values_list(
        "school_id", "step", "days"
    ):
        own.setdefault(school_id, {})[step] = days
    sharing: dict[tuple[Step, int], list[int]] = {}
    for school_id in school_ids:
        for step, default in DEFAULT_TERMS.items():
            days = own.get(school_id, {}).get(step.value, default)
            sharing.setdefault((step, days), []).append(school_id)
    # The same rule as `CaseQuerySet.stagnating`, with each school's terms.
    overdue = Q(pk__in=[])
    for (step, days), schools in sharing.items():
        overdue |= Q(
            school_id__in=schools, step=step, step_entered_at__lt=now - dt.timedelta(days=days)
        )
    return Case.objects.filter(school_id__in=school_ids).open().filter(overdue).count()


def _per_period(
    queryset: QuerySet, day: str, periods: list[tuple[dt.date, dt.date]], *group: str
) -> list[dict]:
    """Count the rows of `queryset` in each period at once (a conditional count per
    period): without `group` one number per period, with it a dict per period of the
    groups that have any row in it (as `values_list(group).annotate(Count)` gives)."""
    counts = {f"p{at}": Count("pk", filter=_in(p, day)) for at, p in enumerate(periods)}
    whole = (min(start for start, _end in periods), max(end for _start, end in periods))
    rows = queryset.filter(_in(whole, day))
    if not group:
        totals = rows.aggregate(**counts)
        return [totals[f"p{at}"] for at in range(len(periods))]
    grouped = list(rows.values_list(*group).annotate(**counts).order_by())
    return [{row[0]: row[1 + at] for row in grouped if row[1 + at]} for at in range(len(periods))]


def _tables(
    scope: Scope, periods: list[tuple[dt.date, dt.date]], today: dt.date
) -> list[list[Figure]]:
    """The figures of each period. Counts over a period are taken for every period in one
    query each; the state of today is counted once; the other parts count their own records."""
    ids = scope.school_ids
    now = _now(scope, today)
    cases = Case.objects.filter(school_id__in=ids)
    moves = Transition.objects.filter(case__school_id__in=ids)
    evaluations = CaseEvaluation.objects.filter(case__school_id__in=ids)
    opened = _per_period(cases, "opened_at__date", periods)
    closed = _per_period(moves.filter(to_step=Step.CLOSED), "at__date", periods)
    skipped = _per_period(
        moves.filter(from_step=Step.CONSULT, to_step=Step.WEIGH),
        "at__date",
        periods,
        "reason_category",
    )
    calls = _per_period(
        EmergencyCall.objects.filter(transition__case__school_id__in=ids),
        "called_at__date",
        periods,
        "service",
    )
    # An evaluation without a theme counts under None, which is no theme to show.
    well = _per_period(
        evaluations.filter(themes_well__isnull=False), "at__date", periods, "themes_well__name"
    )
    change = _per_period(
        evaluations.filter(themes_change__isnull=False), "at__date", periods, "themes_change__name"
    )
    # The reports and consents of their own parts, each count for every period at once.
    reports = reports_of_schools(ids)
    made = _per_period(reports, "reported_on", periods)
    conclusions = _per_period(conclusions_of(ids), "received_on", periods, "conclusion")
    late = _per_period(late_decisions(reports, today), "reported_on", periods)
    refusals = _per_period(consent_refusals(ids), "on", periods)
    return [
        _table(
            now,
            opened=opened[at],
            closed=closed[at],
            skipped=skipped[at],
            calls=calls[at],
            reported=ReportFigures(made[at], conclusions[at], late[at]),
            refusals=refusals[at],
            well=well[at],
            change=change[at],
        )
        for at in range(len(periods))
    ]


def _table(
    now: _Now,
    *,
    opened: int,
    closed: int,
    skipped: dict,
    calls: dict,
    reported,
    refusals: int,
    well: dict,
    change: dict,
) -> list[Figure]:
    per_step = now.per_step
    conclusions = reported.conclusions
    late_agreements, late_help, past_term = now.late_agreements, now.late_help, now.past_term
    unchecked = now.unchecked
    return [
        Figure(
            "cases",
            _("Cases opened and closed"),
            [
                Row(_("opened"), opened),
                Row(_("closed"), closed),
            ],
        ),
        Figure(
            "per_step",
            _("Open cases per step now"),
            [
                Row(str(step.label), per_step.get(step.value, 0))
                for step in Step
                if step in OPEN_STEPS
            ],
            per_period=False,
        ),
        Figure(
            "skipped",
            _("Step 3 skipped (talk with the parents), by reason"),
            [Row(str(reason.label), skipped.get(reason.value, 0)) for reason in SkipReason]
            + [Row(_("no category recorded"), skipped.get("", 0))],
        ),
        Figure(
            "emergencies",
            _("Noodsituaties"),
            [
                Row(str(label), calls.get(value, 0))
                for value, label in EmergencyCall.Service.choices
            ],
        ),
        Figure(
            "reports",
            _("Reports to Veilig Thuis and their conclusions"),
            [
                Row(_("reports"), reported.reports),
                *(
                    Row(str(label), conclusions.get(value, 0))
                    for value, label in Response.Conclusion.choices
                ),
                Row(_("Veilig Thuis decided later than 5 working days"), reported.late_decisions),
            ],
        ),
        Figure("consent", _("Consent refused or withdrawn"), [Row(_("refusals"), refusals)]),
        Figure(
            "overdue",
            _("Overdue actions now"),
            [
                Row(_("agreements past their date"), late_agreements),
                Row(_("help plans past their term"), late_help),
                Row(_("cases past the term of their step"), past_term),
            ],
            per_period=False,
        ),
        Figure(
            "socialmap",
            _("Sociale kaart"),
            [
                Row(_("entries not checked for a year"), unchecked),
            ],
            per_period=False,
        ),
        Figure(
            "themes_well",
            _("Case evaluations: what went well, by theme"),
            [Row(name, count) for name, count in sorted(well.items()) if name],
        ),
        Figure(
            "themes_change",
            _("Case evaluations: what should change, by theme"),
            [Row(name, count) for name, count in sorted(change.items()) if name],
        ),
    ]


def schools_side_by_side(scope: Scope, period: tuple[dt.date, dt.date]) -> list[dict] | None:
    """Per school, only when every school has at least 5 cases opened in the period."""
    if not scope.board:
        return None
    return evaluation(scope, period, timezone.localdate())[1]


def _per_school(
    scope: Scope, periods: list[tuple[dt.date, dt.date]]
) -> list[dict[str, dict[int, int]]]:
    """Per period, the cases each school opened (every period in one query) and the
    reports it made."""
    cases = Case.objects.filter(school_id__in=scope.school_ids)
    opened = _per_period(cases, "opened_at__date", periods, "school_id")
    reports = _per_period(
        reports_of_schools(scope.school_ids), "reported_on", periods, "case__school_id"
    )
    return [{"opened": opened[at], "reports": reports[at]} for at in range(len(periods))]


def _side_by_side_shown(scope: Scope, per_school: dict[str, dict[int, int]]) -> bool:
    return len(scope.schools) >= 2 and all(
        per_school["opened"].get(school.pk, 0) >= SMALL for school in scope.schools
    )


# The board's total that a column of the schools side by side adds up to.
SCHOOL_TOTALS = {"opened": ("cases", 0), "reports": ("reports", 0)}


def evaluation(
    scope: Scope, period: tuple[dt.date, dt.date], today: dt.date
) -> tuple[list[Figure], list[dict] | None]:
    """The figures and the schools side by side, as the scope may see them.

    A school sees exact counts. The board's period is one of a school year (see
    `disclosure`): the counts of every period of that year are judged together, with
    every sum they are part of, and what must be hidden is hidden in the period shown.
    """
    if not scope.board:
        return _figures(scope, period, today), None
    periods = [p.dates for p in school_year(school_year_start(period[0]))]
    shown_at = periods.index(period) if period in periods else None
    if shown_at is None:  # not a period of the board's choice: judged on its own
        periods, shown_at = [period], 0
    tables = _tables(scope, periods, today)
    schools = _per_school(scope, periods)
    values: dict[tuple, int] = {}
    equations: list[tuple[tuple, list[tuple]]] = []
    labels: dict[str, list[str]] = {}
    for table in tables:
        for figure in table:
            labels.setdefault(figure.key, [])
            for row in figure.rows:
                if row.label not in labels[figure.key]:
                    labels[figure.key].append(row.label)
    for at, table in enumerate(tables):
        for figure in table:
            counts = {row.label: row.count for row in figure.rows}
            for label in labels[figure.key]:
                values[("figure", at, figure.key, label)] = counts.get(label, 0)
    unknown: set[tuple] = set()
    for at, per_school in enumerate(schools):
        published = _side_by_side_shown(scope, per_school)
        for column, counts in per_school.items():
            keys = [("school", at, column, school.pk) for school in scope.schools]
            for key, school in zip(keys, scope.schools, strict=True):
                values[key] = counts.get(school.pk, 0)
                if not published:
                    unknown.add(key)  # not shown, yet it may follow from other periods
            figure_key, row_at = SCHOOL_TOTALS[column]
            total_label = labels[figure_key][row_at]
            equations.append((("figure", at, figure_key, total_label), keys))
    if len(periods) > 1:
        per_period = {figure.key for figure in tables[0] if figure.per_period}
        for whole, parts in PERIOD_SUMS:
            for figure_key in per_period:
                for label in labels[figure_key]:
                    equations.append(
                        (
                            ("figure", whole, figure_key, label),
                            [("figure", part, figure_key, label) for part in parts],
                        )
                    )
            for column in SCHOOL_TOTALS:
                for school in scope.schools:
                    equations.append(
                        (
                            ("school", whole, column, school.pk),
                            [("school", part, column, school.pk) for part in parts],
                        )
                    )
    hidden = suppress(values, equations, unknown)
    shown_figures = tables[shown_at]
    for figure in shown_figures:
        for row in figure.rows:
            row.hidden = ("figure", shown_at, figure.key, row.label) in hidden
    side = None
    if _side_by_side_shown(scope, schools[shown_at]):
        side = [
            {
                "school": school.name,
                **{
                    column: HIDDEN
                    if ("school", shown_at, column, school.pk) in hidden
                    else str(values[("school", shown_at, column, school.pk)])
                    for column in SCHOOL_TOTALS
                },
            }
            for school in scope.schools
        ]
    return shown_figures, side


def themes_of(school: School) -> list[EvaluationTheme]:
    """The school's themes; a school that chose none starts from a default list."""
    themes = list(school.evaluation_themes.all())
    if not themes:
        EvaluationTheme.objects.bulk_create(
            [EvaluationTheme(school=school, name=name) for name in DEFAULT_THEMES],
            ignore_conflicts=True,
        )
        themes = list(school.evaluation_themes.all())
    return themes


def may_evaluate_case(user: User, case: Case) -> bool:
    return user.has_role(case.school, Role.IB, Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE)


def evaluation_due(case: Case) -> bool:
    """Closed, and not yet evaluated since it was (last) closed."""
    if case.step != Step.CLOSED:
        return False
    closed_at = max(
        (move.at for move in case.transitions.all() if move.to_step == Step.CLOSED),
        default=case.step_entered_at,
    )
    return not CaseEvaluation.objects.filter(case=case, at__gte=closed_at).exists()


def case_evaluation_record(
    *,
    case: Case,
    by: User,
    went_well: str,
    should_change: str,
    themes_well: list[EvaluationTheme],
    themes_change: list[EvaluationTheme],
) -> CaseEvaluation:
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.db import transaction

    went_well, should_change = (went_well or "").strip(), (should_change or "").strip()
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not may_evaluate_case(by, locked):
            raise PermissionDenied
        if not evaluation_due(locked):
            raise ValidationError(_("The case is evaluated once it is closed, once per closing."))
        errors = {}
        if not went_well:
            errors["went_well"] = _("Write down what went well.")
        if not should_change:
            errors["should_change"] = _("Write down what should change (or that nothing should).")
        if any(t.school_id != locked.school_id for t in [*themes_well, *themes_change]):
            errors["themes_well"] = _("Choose themes of this school.")
        if errors:
            raise ValidationError(errors)
        evaluation = CaseEvaluation.objects.create(
            case=locked, went_well=went_well, should_change=should_change, by=by
        )
        evaluation.themes_well.set(themes_well)
        evaluation.themes_change.set(themes_change)
    return evaluation
