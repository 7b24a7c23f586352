from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from meldcode.models import School
from meldcode.session_cache import schools_of

SESSION_KEY = "meldcode_school_id"


def current_school(request: HttpRequest, schools: list[School]) -> School | None:
    """The school the user works in now: the one chosen in the switcher, else their first."""
    chosen = request.session.get(SESSION_KEY)
    return next((school for school in schools if school.pk == chosen), None) or next(
        iter(schools), None
    )


class CurrentSchoolMiddleware:
    """Sets `request.school` (None for visitors and for people without a school) and
    `request.schools`, every school the user works at (for the switcher), as the
    session keeps them (meldcode.session_cache)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        request.schools = schools_of(request) if user.is_authenticated else []
        request.school = current_school(request, request.schools)
        return self.get_response(request)
