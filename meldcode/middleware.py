from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from meldcode.models import School

SESSION_KEY = "meldcode_school_id"


def current_school(request: HttpRequest) -> School | None:
    """The school the user works in now: the one chosen in the switcher, else their first."""
    user = request.user
    if not user.is_authenticated:
        return None
    schools = user.schools().select_related("board")
    chosen = request.session.get(SESSION_KEY)
    if chosen is not None:
        school = schools.filter(pk=chosen).first()
        if school is not None:
            return school
    return schools.first()


class CurrentSchoolMiddleware:
    """Sets `request.school`: None for visitors and for people without a school."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.school = current_school(request)
        return self.get_response(request)
