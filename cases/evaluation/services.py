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
import functools
import operator
import statistics
from dataclasses import dataclass, field

from django.db.models import (
    CharField,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.functions import Lead, TruncMonth
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
from cases.help.services import late_help
from cases.meetings.services import late_agreements
from cases.models import DEFAULT_TERMS, Case, EmergencyCall, StepTerm, Transition
from cases.report.models import Response
from cases.report.services import (
    ReportFigures,
    conclusions_of,
    late_decision,
    reports_of_schools,
)
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
        schools = list(
            School.objects.filter(board_id__in=boards).select_related("board").order_by("name")
        )
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


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in the school's time zone (Europe/Amsterdam moves its
    clocks at night, never at midnight)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _in(period: tuple[dt.date, dt.date], day: str) -> Q:
    """Rows whose `day` (a date field, or a datetime's `…__date`) falls in the period.

    A datetime's local date is in the period when the time lies from midnight before the
    first day up to midnight after the last: the same rows, compared as stored (no time
    zone conversion of every row, and an index on the field can be used)."""
    start, end = period
    if day.endswith("__date"):
        moment = day.removesuffix("__date")
        return Q(
            **{
                f"{moment}__gte": _day_start(start),
                f"{moment}__lt": _day_start(end + dt.timedelta(days=1)),
            }
        )
    return Q(**{f"{day}__gte": start, f"{day}__lte": end})


def durations(scope: Scope, period: tuple[dt.date, dt.date]) -> list[StepDuration]:
    """Median and longest days per step, over the stays that ended in the period.

    A stay runs from the move into a step to the case's next move. The database pairs the
    moves, keeps the stays that ended in the period and gives each one's length; the
    median is taken here from those lengths (exact, on every database). The moves after
    the period are left out first: a stay that ended in it is between two moves before its
    end, and a case's moves before a moment come first in its order."""
    left_at = Window(Lead("at"), partition_by=[F("case_id")], order_by=[F("at"), F("pk")])
    after = _day_start(period[1] + dt.timedelta(days=1))
    stays = (
        Transition.objects.filter(case__school_id__in=scope.school_ids, at__lt=after)
        .annotate(left_at=left_at)
        .filter(_in(period, "left_at__date"))
        .annotate(length=ExpressionWrapper(F("left_at") - F("at"), output_field=DurationField()))
        .values_list("to_step", "length")
        .order_by()
    )
    days: dict[str, list[float]] = {step.value: [] for step in Step if step != Step.CLOSED}
    for step, length in stays:
        if step in days:
            days[step].append(length.total_seconds() / 86400)
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


def _past_term(school_ids: list[int], now: dt.datetime) -> Q:
    """The condition on an open case that it is past its school's term for its step, after
    one query for the schools' own terms. Schools that share a term for a step share a
    clause, so the condition has at most one clause per step and number of days, however
    many schools."""
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
    # The same rule as `CaseQuerySet.stagnating`, with each school's terms (for cases of
    # these schools: a term that all of them share needs no list of schools).
    return functools.reduce(
        operator.or_,
        (
            Q(step=step, step_entered_at__lt=now - dt.timedelta(days=days))
            & (Q(school_id__in=schools) if len(schools) < len(school_ids) else Q())
            for (step, days), schools in sharing.items()
        ),
    )


class _Periods:
    """The periods counted at once, and where a counted row falls among them. A single
    period needs nothing more: every row counted lies in it. Several periods (the board's
    school year: the year, its halves, its quarters) are made of whole months: the rows
    are counted per month, and a period's count is the sum over its months."""

    def __init__(self, periods: list[tuple[dt.date, dt.date]]) -> None:
        self.periods = periods
        self.first = min(start for start, _end in periods)
        self.last = max(end for _start, end in periods)
        if len(periods) > 1 and not all(
            start.day == 1 and (end + dt.timedelta(days=1)).day == 1 for start, end in periods
        ):
            raise ValueError("Periods counted together must be whole months.")

    def within(self, day: str) -> Q:
        """The rows whose `day` falls in any of the periods."""
        return _in((self.first, self.last), day)

    def month(self, day: str) -> Value | TruncMonth:
        """The first day of the month a row's `day` falls in (for a datetime: its local
        date); nothing for a single period."""
        if len(self.periods) == 1:
            return Value(None, output_field=DateField())
        return TruncMonth(day.removesuffix("__date"), output_field=DateField())

    def per_period(self, counts: dict[dt.date | None, int]) -> list[int]:
        """The count of each period, from the counts of the rows within (per month)."""
        if len(self.periods) == 1:
            return [sum(counts.values())]
        return [
            sum(count for month, count in counts.items() if start <= month <= end)
            for start, end in self.periods
        ]


# A part of the counts: its rows, the day that places a row in a period (None: a state of
# today, counted once), and what it is counted by (None: one number).
_Part = tuple[QuerySet, str | None, str | None]


def _counted_parts(ids: list[int], today: dt.date) -> dict[str, _Part]:
    """The parts counted together (see `_count`)."""
    moves = Transition.objects.filter(case__school_id__in=ids)
    evaluations = CaseEvaluation.objects.filter(case__school_id__in=ids)
    open_cases = Case.objects.filter(school_id__in=ids).open()
    return {
        "closed": (moves.filter(to_step=Step.CLOSED), "at__date", None),
        "skipped": (
            moves.filter(from_step=Step.CONSULT, to_step=Step.WEIGH),
            "at__date",
            "reason_category",
        ),
        "calls": (
            EmergencyCall.objects.filter(transition__case__school_id__in=ids),
            "called_at__date",
            "service",
        ),
        # An evaluation without a theme counts under None, which is no theme to show.
        "well": (
            evaluations.filter(themes_well__isnull=False),
            "at__date",
            "themes_well__name",
        ),
        "change": (
            evaluations.filter(themes_change__isnull=False),
            "at__date",
            "themes_change__name",
        ),
        "conclusions": (conclusions_of(ids), "received_on", "conclusion"),
        "refusals": (consent_refusals(ids), "on", None),
        "late_agreements": (late_agreements(open_cases, today), None, None),
        "late_help": (late_help(open_cases, today), None, None),
        "unchecked": (
            Organisation.objects.filter(school_id__in=ids).due_for_review(today),
            None,
            None,
        ),
    }


def _count(parts: dict[str, _Part], periods: _Periods) -> dict[str, list | int]:
    """Count the rows of every part, in one query: per part the rows per group (and
    month), the parts joined by UNION ALL. Gives per part counted per period a list over
    the periods: a number, or a dict of the groups that have any row in that period (as
    `values_list(group).annotate(Count)` gives); per part of today's state its number."""
    no_month = Value(None, output_field=DateField())
    queries = [
        (queryset.filter(periods.within(day)) if day else queryset)
        .values(
            counted_part=Value(name),
            counted_group=F(group) if group else Value(None, output_field=CharField()),
            counted_month=periods.month(day) if day else no_month,
        )
        .annotate(counted=Count("pk"))
        .order_by()
        for name, (queryset, day, group) in parts.items()
    ]
    per_month: dict[str, dict[str | None, dict[dt.date | None, int]]] = {n: {} for n in parts}
    for row in queries[0].union(*queries[1:], all=True).order_by():
        groups = per_month[row["counted_part"]]
        groups.setdefault(row["counted_group"], {})[row["counted_month"]] = row["counted"]
    counted: dict[str, list | int] = {}
    for name, (_queryset, day, group) in parts.items():
        if day is None:
            counted[name] = per_month[name].get(None, {}).get(None, 0)
            continue
        per_group = {key: periods.per_period(counts) for key, counts in per_month[name].items()}
        counted[name] = [
            {key: counts[at] for key, counts in per_group.items() if counts[at]}
            if group
            else per_group.get(None, [0] * len(periods.periods))[at]
            for at in range(len(periods.periods))
        ]
    return counted


@dataclass
class _Counts:
    """Every count of the evaluation, for each period: the figures, and the cases opened
    and reports made per school (which add up to the board's totals)."""

    tables: list[list[Figure]]
    per_school: list[dict[str, dict[int, int]]]


def _tables(
    scope: Scope, periods: list[tuple[dt.date, dt.date]], today: dt.date
) -> list[list[Figure]]:
    return _counts(scope, periods, today).tables


def _by_school(rows, periods: _Periods) -> list[dict[int, int]]:
    """Per period, the count of each school that has any, from (school, month, count)
    rows."""
    per_month: dict[int, dict[dt.date | None, int]] = {}
    for school_id, month, count in rows:
        if count:
            counts = per_month.setdefault(school_id, {})
            counts[month] = counts.get(month, 0) + count
    per_period = {school_id: periods.per_period(counts) for school_id, counts in per_month.items()}
    return [
        {school_id: counts[at] for school_id, counts in per_period.items() if counts[at]}
        for at in range(len(periods.periods))
    ]


def _counts(scope: Scope, periods: list[tuple[dt.date, dt.date]], today: dt.date) -> _Counts:
    """The figures of each period, counted for every period at once: the cases per school
    and step (opened, per month; open now; past their term) in one query, the reports per
    school (per month) in one, the other counts over the periods in one; the other parts
    of today's state count their own records once."""
    ids = scope.school_ids
    counting = _Periods(periods)
    still_open = ~Q(step=Step.CLOSED)
    opened_within = counting.within("opened_at__date")
    overdue = _past_term(ids, timezone.now())
    cases = (
        Case.objects.filter(school_id__in=ids)
        .filter(still_open | opened_within)
        .values_list("school_id", "step", counting.month("opened_at__date"))
        .annotate(
            opened=Count("pk", filter=opened_within),
            open=Count("pk", filter=still_open),
            overdue=Count("pk", filter=still_open & overdue),
        )
        .order_by()
    )
    opened_rows, per_step, past_term = [], {}, 0
    for school_id, step, month, opened_count, open_count, overdue_count in cases:
        opened_rows.append((school_id, month, opened_count))
        if open_count:
            per_step[step] = per_step.get(step, 0) + open_count
        past_term += overdue_count
    opened = _by_school(opened_rows, counting)
    # The reports per school (and month): made, and of those decided late.
    reported = list(
        reports_of_schools(ids)
        .filter(counting.within("reported_on"))
        .values_list("case__school_id", counting.month("reported_on"))
        .annotate(made=Count("pk"), late=Count("pk", filter=late_decision(today)))
        .order_by()
    )
    made = _by_school([(school, month, n) for school, month, n, _late in reported], counting)
    late_per_month: dict[dt.date | None, int] = {}
    for _school, month, _made, late_count in reported:
        late_per_month[month] = late_per_month.get(month, 0) + late_count
    late = counting.per_period(late_per_month)
    counted = _count(_counted_parts(ids, today), counting)
    now = _Now(
        per_step=per_step,
        late_agreements=counted["late_agreements"],
        late_help=counted["late_help"],
        past_term=past_term,
        unchecked=counted["unchecked"],
    )
    tables = [
        _table(
            now,
            opened=sum(opened[at].values()),
            closed=counted["closed"][at],
            skipped=counted["skipped"][at],
            calls=counted["calls"][at],
            reported=ReportFigures(sum(made[at].values()), counted["conclusions"][at], late[at]),
            refusals=counted["refusals"][at],
            well=counted["well"][at],
            change=counted["change"][at],
        )
        for at in range(len(periods))
    ]
    per_school = [{"opened": opened[at], "reports": made[at]} for at in range(len(periods))]
    return _Counts(tables, per_school)


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
    counts = _counts(scope, periods, today)
    tables, schools = counts.tables, counts.per_school
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
