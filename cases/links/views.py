"""Linking the cases of brothers and sisters."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.access import get_case_for, reads_case
from cases.forms import apply_errors
from cases.links import services
from cases.links.forms import CaseLinkForm
from cases.models import Case
from meldcode.models import User


def links_panel(user: User, case: Case) -> dict:
    """What the case page shows: linked cases this user may see, nothing of the rest."""
    return {
        "linked_cases": services.linked_cases_for(user, case),
        "may_link": services.may_link(user, case),
    }


@require_http_methods(["GET", "POST"])
@reads_case
def link_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk)
    if not services.may_link(request.user, case):
        raise PermissionDenied
    form = CaseLinkForm(request.POST or None, choices=services.linkable_cases(request.user, case))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_link(case=case, other=form.cleaned_data["other"], by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The cases are linked."))
            return redirect(case)
    return render(
        request,
        "cases/links/link_form.html",
        {
            "case": case,
            "form": form,
            "suggestions": services.link_suggestions(request.user, case),
            "linked_cases": services.linked_cases_for(request.user, case),
        },
    )
