import time

from django.conf import settings
from django.http import HttpRequest

from accounts.drafts import drafts_here
from accounts.session_store import LAST_SEEN
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
        "idle_remaining": _idle_remaining(request),
        # Unsaved text of this page, offered back by base.html (accounts/drafts.py).
        "drafts_here": drafts_here(request),
    }


def _idle_remaining(request: HttpRequest) -> int:
    """Seconds until the idle sign-out as the server counts them (its clock starts at the
    last request that was written, which may be up to a minute before this one)."""
    last_seen = request.session.get(LAST_SEEN, time.time())
    return max(int(settings.MELDCODE_IDLE_SECONDS - (time.time() - last_seen)), 0)
