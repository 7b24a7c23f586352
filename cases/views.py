from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.access import get_case_for
from cases.dossier_views import dossier_context


@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk)
    return render(
        request, "cases/case_detail.html", {"case": case, **dossier_context(request, case)}
    )
