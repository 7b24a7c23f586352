"""The school's responsibility matrix (who may act in which step) and its terms per step
(how long a case may stay in a step before it is escalated: opschalen bij stagnatie)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, StringAgg, Subquery, TextField, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

from cases.models import (
    DEFAULT_MATRIX,
    DEFAULT_TERMS,
    RESPONSIBLE_MANAGERS,
    SCHOOL_ROLES,
    Case,
    StepResponsibility,
    StepTerm,
)
from cases.workflow import Step
from meldcode.models import School, User
from meldcode.request_cache import forget, remember

# Roles a school may put in its matrix (the board never acts in the route).
MATRIX_ROLES: tuple[str, ...] = SCHOOL_ROLES


def school_matrix(school: School) -> dict[Step, set[str]]:
    """Which roles may act in each step at this school (the default until the school edits it)."""
    rows = remember(
        ("school_matrix", school.pk),
        lambda: list(StepResponsibility.objects.filter(school=school).values_list("step", "role")),
    )
    if not rows:
        return {step: set(roles) for step, roles in DEFAULT_MATRIX.items()}
    matrix: dict[Step, set[str]] = {step: set() for step in Step}
    for step, role in rows:
        matrix[Step(step)].add(role)
    return matrix


def matrix_cells() -> Subquery:
    """The matrix of a case's school as one text ("1:leerkracht,4:ib,…", or NULL for the
    default), to read with the case (`access.get_case_for` does): a page that shows a
    case then needs no query for it."""
    cells = (
        StepResponsibility.objects.filter(school=OuterRef("school"))
        .order_by()
        .values("school")
        .annotate(cells=StringAgg(Concat("step", Value(":"), "role"), Value(",")))
        .values("cells")
    )
    return Subquery(cells, output_field=TextField())


def matrix_read(school: School, cells: str | None) -> None:
    """Keep `cells` (as `matrix_cells` read them with a case) as the school's matrix for
    the rest of the request."""
    rows = [tuple(cell.split(":", 1)) for cell in cells.split(",")] if cells else []
    remember(("school_matrix", school.pk), lambda: rows)


def matrix_save(*, school: School, matrix: dict[Step, set[str]], by: User) -> None:
    """Replace the school's matrix. Only changed cells are written, so that the history
    (simple-history, with `by` as the user) shows exactly what changed."""
    if not by.has_role(school, *RESPONSIBLE_MANAGERS):
        raise PermissionDenied(_("Only the attention officer or the directie edit the matrix."))
    errors = {
        step.value: _("Choose at least one role for this step.")
        for step in Step
        if not set(matrix.get(step, set())) & set(MATRIX_ROLES)
    }
    if errors:
        raise ValidationError(errors, code="empty_step")
    wanted = {(step.value, role) for step in Step for role in matrix[step] if role in MATRIX_ROLES}
    with transaction.atomic():
        existing = {
            (row.step, row.role): row
            for row in StepResponsibility.objects.select_for_update().filter(school=school)
        }
        if not existing:
            # Until its first edit a school follows the default implicitly. Store that
            # default as it stood (bulk_create writes no history), so that the history
            # shows only what this edit changes.
            StepResponsibility.objects.bulk_create(
                StepResponsibility(school=school, step=step, role=role)
                for step, roles in DEFAULT_MATRIX.items()
                for role in roles
            )
            existing = {
                (row.step, row.role): row
                for row in StepResponsibility.objects.select_for_update().filter(school=school)
            }
        removed = existing.keys() - wanted
        for cell in removed:
            row = existing[cell]
            row._history_user = by
            row.delete()
        for step, role in sorted(wanted - existing.keys()):
            row = StepResponsibility(school=school, step=step, role=role)
            row._history_user = by
            row.save()
        forget()
        # Imported here: the case's services ask this module who may act.
        from cases.services import case_hand_over_if_unable

        # Only a step that lost a role can leave a case with someone who may no longer act.
        narrowed = {step for step, _role in removed}
        cases = Case.objects.open().filter(school=school, step__in=narrowed)
        for case in cases.select_related("school"):
            case_hand_over_if_unable(case=case, by=by)


def school_terms(school: School) -> dict[Step, int]:
    """Days a case may stay in each open step at this school before it is escalated."""
    rows = remember(
        ("school_terms", school.pk),
        lambda: dict(StepTerm.objects.filter(school=school).values_list("step", "days")),
    )
    return {step: rows.get(step.value, days) for step, days in DEFAULT_TERMS.items()}


def terms_save(*, school: School, terms: dict[Step, int], by: User) -> None:
    """Save the school's terms; only changed ones are written, so the history is exact."""
    if not by.has_role(school, *RESPONSIBLE_MANAGERS):
        raise PermissionDenied(_("Only the attention officer or the directie set the terms."))
    errors = {
        step.value: _("Choose a term from 1 to 365 days.")
        for step, days in terms.items()
        if not 1 <= days <= 365
    }
    if errors or set(terms) != set(DEFAULT_TERMS):
        raise ValidationError(errors or _("Give a term for every open step."), code="terms")
    with transaction.atomic():
        saved = {t.step: t for t in StepTerm.objects.select_for_update().filter(school=school)}
        for step, days in terms.items():
            term = saved.get(step.value)
            unchanged = term.days == days if term else DEFAULT_TERMS[step] == days
            if unchanged:
                continue
            term = term or StepTerm(school=school, step=step)
            term.days = days
            term._history_user = by
            term.save()
    forget()
