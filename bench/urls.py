from django.http import HttpResponse, HttpResponseForbidden
from django.urls import include, path


def bare(request):
    """The yardstick: a signed-in request that does nothing, through Django only."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden("not signed in")
    return HttpResponse(f"ok {request.user.pk}")


urlpatterns = [path("bench/bare/", bare), path("", include("meldcode.urls"))]
