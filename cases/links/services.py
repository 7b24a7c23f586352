"""Linked cases of brothers and sisters at the same school (CPOMS and MyConcern link
students: a pattern across a family is what an aandachtsfunctionaris looks for).

The aandachtsfunctionaris or the ib'er links two cases of the same school; the link is
recorded in both dossiers and sealed. The case page shows a linked case only to those who
may see that other case, and to nobody else: a teacher who sees one of the two learns
nothing of the other.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cases.access import may_view
from cases.links.models import CaseLink
from cases.models import Case
from meldcode.models import Role, User

LINKERS = (Role.IB, Role.AANDACHTSFUNCTIONARIS)


def may_link(user: User, case: Case) -> bool:
    return may_view(user, case) and user.has_role(case.school, *LINKERS)


def _linked_ids(case: Case) -> set[int]:
    # All of the case's links (a few), so that the case page's loaded ones answer.
    return {link.other_case for link in case.links.all()}


def case_link(*, case: Case, other: Case, by: User) -> tuple[CaseLink, CaseLink]:
    """Link the cases of a brother and a sister: one row in each case, sealed in each."""
    if not may_link(by, case):
        if not may_view(by, case):
            raise PermissionDenied(_("You may not see this case."))
        raise PermissionDenied(_("The attention officer or the ib'er links cases."))
    if not may_view(by, other):
        raise ValidationError({"other": _("Choose a case you may see.")})
    if other.school_id != case.school_id:
        raise ValidationError({"other": _("Only cases of the same school are linked.")})
    if other.pk == case.pk or other.pupil_id == case.pupil_id:
        raise ValidationError({"other": _("Choose the case of a brother or sister.")})
    with transaction.atomic():
        # Lock both, in a fixed order, so that two people linking at once make one link.
        locked = {
            row.pk: row
            for row in Case.objects.select_for_update(of=("self",))
            .filter(pk__in=[case.pk, other.pk])
            .order_by("pk")
        }
        if other.pk in _linked_ids(case):
            raise ValidationError({"other": _("These cases are already linked.")})
        first = CaseLink.objects.create(case=locked[case.pk], other_case=other.pk, by=by)
        second = CaseLink.objects.create(case=locked[other.pk], other_case=case.pk, by=by)
    return first, second


def linked_cases_for(user: User, case: Case) -> list[Case]:
    """The cases linked to `case` that `user` may see (two queries)."""
    ids = _linked_ids(case)
    if not ids:
        return []
    return list(
        Case.objects.visible_to(user).filter(pk__in=ids).select_related("pupil").order_by("pk")
    )


def _family_name(pupil) -> str:
    return " ".join(part for part in (pupil.infix, pupil.last_name) if part).lower()


def link_suggestions(user: User, case: Case) -> list[Case]:
    """Cases at the same school that may be a brother's or sister's: the same family name,
    or a first name that the kindcheck of this case lists among the children of the
    household. Only for those who may link; never a case already linked."""
    if not may_link(user, case):
        return []
    from cases.dossier.models import Entry

    households = " ".join(
        Entry.objects.filter(case=case, kind=Entry.Kind.KINDCHECK).values_list(
            "household", flat=True
        )
    ).lower()
    words = set(re.findall(r"\w+", households))
    family = _family_name(case.pupil)
    return [
        other
        for other in linkable_cases(user, case).order_by("pk")
        if _family_name(other.pupil) == family or other.pupil.first_name.lower() in words
    ]


def linkable_cases(user: User, case: Case) -> QuerySet[Case]:
    """Every other case at the school that `user` may see and that is not yet linked."""
    return (
        Case.objects.visible_to(user)
        .filter(school_id=case.school_id)
        .exclude(pupil_id=case.pupil_id)
        .exclude(pk__in=_linked_ids(case))
        .select_related("pupil")
        .order_by("pupil__last_name", "pupil__first_name", "pk")
    )
