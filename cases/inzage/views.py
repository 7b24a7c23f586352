"""Screens of an inzage: the case's requests, one request with its term, the review of the
parents' copy part by part, the approval, and the copy as it left the school."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.step_up import step_up_required
from cases.access import get_case_for, reads_case
from cases.forms import apply_errors
from cases.inzage import services
from cases.inzage.forms import ExtendForm, RefuseForm, RequestForm, UnitForm
from cases.inzage.models import InzageRelease, InzageRequest
from cases.inzage.review_pages import (
    page_number_of,
    page_of,
    posted_decisions,
    shown_units,
    unit_rows,
)
from cases.models import Case
from cases.pdf.redaction import child_names, parents_suggestions
from cases.pdf.services import review_units
from cases.pdf.suggestions import Suggester
from cases.uploads import sealed_file_response
from meldcode.models import User


def _case(user: User, pk: int) -> Case:
    case = get_case_for(user, pk)
    if not services.may_handle(user, case):
        raise PermissionDenied
    return case


def _request(case: Case, request_id: int) -> InzageRequest:
    found = InzageRequest.objects.filter(case=case, pk=request_id).first()
    if found is None:
        raise Http404
    return found


def inzage_panel(user: User, case: Case) -> dict:
    """What the case page shows of inzage (composed by the core's case page)."""
    if not services.may_handle(user, case):
        return {"inzage_may": False}
    return {"inzage_may": True, "inzage_requests": services.requests_of(case)}


# --- The requests ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@reads_case
def inzage(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's inzage requests (the parents' word), and the form for a new one."""
    case = _case(request.user, pk)
    form = RequestForm(
        request.POST or None,
        handlers=services.handlers_of(case),
        initial={"received_on": timezone.localdate(), "handled_by": request.user},
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.inzage_request_record(
                case=case, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The inzage request is recorded."))
            return redirect("cases:inzage_request", case.pk, created.pk)
    return render(
        request,
        "cases/inzage/inzage.html",
        {"case": case, "form": form, "requests": services.requests_of(case)},
    )


def _request_page(request, case, found, *, extend_form=None, refuse_form=None, status=200):
    current = services.standing(found)
    return render(
        request,
        "cases/inzage/request.html",
        {
            "case": case,
            "standing": current,
            "extend_form": extend_form or ExtendForm(),
            "refuse_form": refuse_form or RefuseForm(),
            "may_approve": (
                current.state == services.State.AWAITING_APPROVAL
                and current.review.by_id != request.user.pk
            ),
            "withheld": (current.release.withheld if current.release else []),
        },
        status=status,
    )


@require_GET
@reads_case
def inzage_request(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    case = _case(request.user, pk)
    return _request_page(request, case, _request(case, request_id))


@require_POST
@reads_case
def inzage_extend(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    case = _case(request.user, pk)
    found = _request(case, request_id)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            services.inzage_extend(request=found, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The term is extended by two months."))
            return redirect("cases:inzage_request", case.pk, found.pk)
    return _request_page(request, case, found, extend_form=form)


@require_POST
@reads_case
def inzage_refuse(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    case = _case(request.user, pk)
    found = _request(case, request_id)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.inzage_refuse(request=found, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The refusal is recorded; tell who asked, with the reason.")
            )
            return redirect("cases:inzage_request", case.pk, found.pk)
    return _request_page(request, case, found, refuse_form=form)


# --- The review ----------------------------------------------------------------------------


def _parents_suggest(case: Case):
    """The parents' copy's suggestions of a text, remembered per text of the case."""
    suggester = Suggester.for_case(case)
    child = child_names(case)
    return suggester, lambda text: parents_suggestions(suggester, text, child=child)


@require_http_methods(["GET", "POST"])
@reads_case
def inzage_review(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    """The parents' copy, part by part (a page of parts at a time): each suggestion ticked
    is left out, unticked it stays; more can be marked; an entry can be withheld with its
    ground."""
    case = _case(request.user, pk)
    found = _request(case, request_id)
    if services.standing(found).ended:
        return redirect("cases:inzage_request", case.pk, found.pk)
    units = review_units(case)
    suggester, suggest = _parents_suggest(case)
    drafts = {draft.unit: draft for draft in found.drafts.select_related("by")}
    bound, error, number = None, "", request.GET.get("pagina")
    if request.method == "POST":
        unit = next((u for u in units if u["key"] == request.POST.get("unit", "")), None)
        if unit is None:
            error = _("Save one part of the review at a time.")
        else:
            saved = _save_unit(request, found, unit, suggest, drafts.get(unit["key"]))
            if saved is True:
                suggester.store()
                after = request.POST.get("next") or "submit"
                url = reverse("cases:inzage_review", args=[case.pk, found.pk])
                return redirect(f"{url}?pagina={page_number_of(units, after)}#{after}")
            bound = {unit["key"]: saved}
            number = page_number_of(units, unit["key"])
    page = page_of(units, number)
    shown = shown_units(
        page, units, suggest=suggest, drafts=drafts,
        saved=lambda unit: unit["key"] in drafts, bound=bound,
    )  # fmt: skip
    suggester.store()
    return render(
        request,
        "cases/inzage/review.html",
        {
            "case": case,
            "standing": services.standing(found),
            "units": shown,
            "page": page,
            "page_url": reverse("cases:inzage_review", args=[case.pk, found.pk]),
            "error": error,
            "all_saved": all(unit["key"] in drafts for unit in units),
            "to_go": sum(unit["key"] not in drafts for unit in units),
        },
    )


def _save_unit(request: HttpRequest, found: InzageRequest, unit: dict, suggest, draft):
    """True when saved; otherwise the bound form with its errors."""
    _rows, suggestions, marked = unit_rows(unit, suggest, draft)
    form = UnitForm(request.POST, unit=unit, suggestions=suggestions, marked=marked)
    if not form.is_valid():
        return form
    rejected, manual = posted_decisions(form, suggestions)
    try:
        services.draft_save(
            request=found,
            by=request.user,
            unit=unit,
            rejected=rejected,
            manual=manual,
            ground=form.cleaned_data.get("ground", ""),
            explanation=form.cleaned_data.get("explanation", ""),
        )
    except ValidationError as error:
        apply_errors(form, error)
        return form
    return True


@require_POST
@reads_case
def inzage_review_submit(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    case = _case(request.user, pk)
    found = _request(case, request_id)
    try:
        services.review_submit(request=found, by=request.user, units=review_units(case))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cases:inzage_review", case.pk, found.pk)
    messages.success(
        request,
        _("The review is submitted: a second person (aandachtsfunctionaris or directie) approves."),
    )
    return redirect("cases:inzage_request", case.pk, found.pk)


# --- The copy ------------------------------------------------------------------------------


@require_GET
@step_up_required()
@reads_case
def inzage_preview(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    """The parents' copy as it stands, marked as a draft; logged as an export."""
    case = _case(request.user, pk)
    found = _request(case, request_id)
    pdf = services.preview_render(request=found, by=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"inzage-casus-{case.pk}-{found.pk}-concept.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@reads_case
def inzage_approve(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    case = _case(request.user, pk)
    found = _request(case, request_id)
    try:
        services.inzage_release(request=found, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The copy is released and kept; hand it to who asked."))
    return redirect("cases:inzage_request", case.pk, found.pk)


@require_GET
@step_up_required()
@reads_case
def inzage_download(request: HttpRequest, pk: int, release_id: int) -> HttpResponse:
    """The copy as it left the school, checked against its sealed hash; logged."""
    from cases.seal import file_problem, record_intact

    case = _case(request.user, pk)
    release = (
        InzageRelease.objects.filter(request__case=case, pk=release_id)
        .select_related("request")
        .first()
    )
    if release is None or not release.path.exists():
        raise Http404
    intact = record_intact(release) and not file_problem(release)
    return sealed_file_response(
        request, case, release, intact=intact, content_type="application/pdf"
    )
