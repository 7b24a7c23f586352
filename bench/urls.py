from django.http import HttpResponse, HttpResponseForbidden
from django.urls import include, path


def bare(request):
    """The yardstick: a signed-in request that does nothing, through Django only."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden("not signed in")
    return HttpResponse(f"ok {request.user.pk}")


# The same view at a path the full application serves: every middleware of the project.
urlpatterns = [
    path("bench/bare/", bare),
    path("bench/empty/", bare),
    path("", include("meldcode.urls")),
]
