from django.conf import settings
from django.http import HttpRequest

from meldcode.models import Role


def school(request: HttpRequest) -> dict:
    """The current school, the user's other schools (for the switcher) and roles there."""
    user = getattr(request, "user", None)
    current = getattr(request, "school", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = user.roles_at(current)
    return {
        "current_school": current,
        "my_schools": getattr(request, "schools", []),
        "my_roles": roles,
        "my_roles_display": [role.label for role in Role if role in roles],
        "is_staff_lead": bool(roles & {Role.IB, Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE}),
        # For the warning a minute before the idle sign-out (static/js/app.js).
        "idle_seconds": settings.MELDCODE_IDLE_SECONDS,
    }
