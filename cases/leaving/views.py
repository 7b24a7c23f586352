"""Screens of a pupil who leaves: the leaving checklist, and the close "leerling
vertrokken"."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import get_case_for, may_close_departed, reads_case
from cases.forms import apply_errors
from cases.leaving import services
from cases.leaving.forms import ITEM_FORMS, DepartureCloseForm
from cases.models import Case
from meldcode.models import User


def leaving_panel(user: User, case: Case) -> dict:
    """What the case page shows of a pupil who left (composed by the core's case page)."""
    if not services.leaving_applies(case):
        return {"leaving": None}
    return {
        "leaving": services.leaving_checklist(case),
        "may_record_leaving": services.may_record_leaving(user, case),
    }


def _page(request: HttpRequest, case: Case, bound=None, departure_form=None) -> HttpResponse:
    today = timezone.localdate()
    forms = {
        item: bound
        if bound is not None and bound.item == item
        else form_class(initial={"occurred_on": today})
        for item, form_class in ITEM_FORMS.items()
    }
    checklist = services.leaving_checklist(case)
    return render(
        request,
        "cases/leaving/checklist.html",
        {
            "case": case,
            "checklist": checklist,
            "rows": [(item, record, forms[item]) for item, record in checklist.rows()],
            "rapport_line": services.rapport_line(case),
            "departure_form": (
                departure_form or DepartureCloseForm()
                if may_close_departed(request.user, case)
                else None
            ),
        },
    )


def _case_for_leaving(request: HttpRequest, pk: int) -> Case:
    case = get_case_for(request.user, pk)
    if not services.may_record_leaving(request.user, case):
        raise PermissionDenied
    return case


@require_http_methods(["GET"])
@reads_case
def leaving_checklist(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _case_for_leaving(request, pk))


@require_POST
@reads_case
def leaving_item(request: HttpRequest, pk: int, item: str) -> HttpResponse:
    case = _case_for_leaving(request, pk)
    if item not in ITEM_FORMS:
        raise Http404
    form = ITEM_FORMS[item](request.POST)
    if form.is_valid():
        try:
            services.leaving_record(case=case, by=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Recorded in the dossier."))
            return redirect("cases:leaving", pk=case.pk)
    return _page(request, case, bound=form)


@require_POST
@reads_case
def leaving_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk)
    if not may_close_departed(request.user, case):
        raise PermissionDenied
    form = DepartureCloseForm(request.POST)
    if form.is_valid():
        try:
            services.case_close_departed(
                case=case, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The case is closed: the pupil left the school."))
            return redirect(case)
    if services.may_record_leaving(request.user, case):
        return _page(request, case, departure_form=form)
    messages.error(request, " ".join(form.errors.get("__all__", [])) or _("Not closed."))
    return redirect(case)
