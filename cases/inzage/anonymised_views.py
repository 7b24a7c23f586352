"""The review of the anonymised copy: its parts, a page at a time, as the parents' copy
is reviewed (`cases.inzage.review_pages`), and the submission for the dossier as it is."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import get_case_for, reads_case
from cases.forms import apply_errors
from cases.inzage import anonymised as services
from cases.inzage.forms import UnitForm
from cases.inzage.review_pages import (
    page_number_of,
    page_of,
    posted_decisions,
    shown_units,
    unit_rows,
)
from cases.models import Case
from cases.pdf.suggestions import Suggester
from meldcode.models import User


def _case(user: User, pk: int) -> Case:
    case = get_case_for(user, pk)
    if not services.may_review(user, case):
        raise PermissionDenied
    return case


@require_http_methods(["GET", "POST"])
@reads_case
def anonymised_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The anonymised copy, part by part: each suggestion ticked is left out, unticked it
    stays (a name the school knows always goes); more can be marked by hand."""
    case = _case(request.user, pk)
    units = services.units_of(case)
    suggester = Suggester.for_case(case)
    always = suggester.known.is_known
    drafts = {draft.unit: draft for draft in case.anonymised_drafts.select_related("by")}
    bound, number = None, request.GET.get("pagina")
    url = reverse("cases:anonymised_review", args=[case.pk])
    if request.method == "POST":
        unit = next((u for u in units if u["key"] == request.POST.get("unit", "")), None)
        if unit is None:
            messages.error(request, _("Save one part of the review at a time."))
            return redirect(url)
        _rows, suggestions, marked = unit_rows(
            unit, suggester.suggest, drafts.get(unit["key"]), always
        )
        form = UnitForm(
            request.POST, unit=unit, suggestions=suggestions, marked=marked, withhold=False
        )
        if form.is_valid():
            rejected, manual = posted_decisions(form, suggestions)
            try:
                services.anonymised_draft_save(
                    case=case, by=request.user, unit=unit, rejected=rejected, manual=manual
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                suggester.store()
                after = request.POST.get("next") or "submit"
                return redirect(f"{url}?pagina={page_number_of(units, after)}#{after}")
        bound = {unit["key"]: form}
        number = page_number_of(units, unit["key"])
    page = page_of(units, number)
    shown = shown_units(
        page, units, suggest=suggester.suggest, drafts=drafts,
        saved=lambda unit: services.gone_through(unit, drafts),
        bound=bound, always=always, withhold=False,
    )  # fmt: skip
    suggester.store()
    to_go = sum(not services.gone_through(unit, drafts) for unit in units)
    return render(
        request,
        "cases/inzage/anonymised_review.html",
        {
            "case": case,
            "standing": services.standing(case, units),
            "units": shown,
            "page": page,
            "page_url": url,
            "all_saved": to_go == 0,
            "to_go": to_go,
        },
    )


@require_POST
@reads_case
def anonymised_review_submit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request.user, pk)
    try:
        services.anonymised_review_submit(case=case, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cases:anonymised_review", case.pk)
    messages.success(request, _("The review is submitted: the anonymised copy can be downloaded."))
    return redirect(f"{reverse('cases:anonymised_review', args=[case.pk])}#submit")
