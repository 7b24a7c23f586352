from django import template

from cases import access
from cases.actions.services import (
    actions_and_stagnating,
    board_escalations,
    schools_without_attention_officer,
)
from cases.models import RESPONSIBLE_MANAGERS, Case, StaffSignal
from cases.quick.forms import QuickRecordForm, observation_form
from cases.staff_signals.access import may_read_staff_signals
from cases.workflow import Step
from meldcode.models import Role

register = template.Library()


@register.inclusion_tag("cases/_home_panel.html", takes_context=True)
def cases_home(context) -> dict:
    """The start page's panel: the cases waiting for this user, and where to begin."""
    request = context["request"]
    user, school = request.user, getattr(request, "school", None)
    works_here = school is not None and access.works_at(user, school)
    # The heart of the start page: Mijn acties, across every school the person works at.
    actions, stagnating = (
        actions_and_stagnating(user, school, schools=getattr(request, "schools", ()))
        if works_here
        else ([], [])
    )
    reads_signals = may_read_staff_signals(user)
    escalates = works_here and user.has_role(school, *RESPONSIBLE_MANAGERS)
    # The roles are read once per request: no query for whoever serves no board.
    boards = user.boards_served() if user.is_authenticated else []
    return {
        "board_escalations": board_escalations(boards) if boards else [],
        "works_here": works_here,
        "items": actions[:10],
        "more_actions": len(actions) > 10,
        "may_open": access.may_open_case(user, school),
        "reads_signals": reads_signals,
        "signal_count": StaffSignal.visible_to(user).count() if reads_signals else 0,
        "escalates": escalates,
        "stagnating": stagnating[:20] if escalates else [],
        "schools_without_af": list(schools_without_attention_officer(boards)) if boards else [],
        # Seed 002: the ib'er hears of a new case at once, on the start page too.
        "new_cases": (
            list(
                Case.objects.visible_to(user)
                .filter(school=school, step=Step.SIGNALS)
                .select_related("pupil", "opened_by")
                .order_by("-opened_at")[:20]
            )
            if works_here and user.has_role(school, Role.IB)
            else []
        ),
    }


@register.inclusion_tag("cases/quick/_home.html", takes_context=True)
def quick_record_home(context) -> dict:
    """Snel vastleggen on the start page, for whoever may open a case at this school."""
    request = context["request"]
    school = getattr(request, "school", None)
    if not access.may_open_case(request.user, school):
        return {}
    return {
        "quick_form": QuickRecordForm(school=school),
        "entry_form": observation_form(),
        "results": None,
        "csp_nonce": context.get("csp_nonce"),
    }


@register.filter
def body_map_of(marks) -> dict:
    """The outline with these marks (BodyMark rows, or dicts with number and region)."""
    from cases.dossier import body_map

    def pair(mark) -> tuple[int, str]:
        if isinstance(mark, dict):
            return mark["number"], mark["region"]
        return mark.number, mark.region

    return body_map.drawing(pair(mark) for mark in marks)
