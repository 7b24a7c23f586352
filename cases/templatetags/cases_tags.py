from django import template

from cases import access, matrix
from cases.models import RESPONSIBLE_MANAGERS, Case, StaffSignal
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
    waiting = (
        Case.objects.visible_to(user)
        .open()
        .filter(school=school, responsible=user)
        .select_related("pupil")
        .order_by("step_entered_at")
        if works_here
        else Case.objects.none()
    )
    reads_signals = may_read_staff_signals(user)
    escalates = works_here and user.has_role(school, *RESPONSIBLE_MANAGERS)
    return {
        "works_here": works_here,
        "waiting": list(waiting[:20]),
        "may_open": access.may_open_case(user, school),
        "reads_signals": reads_signals,
        "signal_count": StaffSignal.visible_to(user).count() if reads_signals else 0,
        "escalates": escalates,
        "stagnating": list(matrix.stagnating_cases(user, school)[:20]) if escalates else [],
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
