"""Screens of step 5b: the report to Veilig Thuis, its answers, and the call sheet."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.access import get_case_for, may_act, reads_case
from cases.forms import apply_errors
from cases.models import Case
from cases.report import call_sheet, services
from cases.report.forms import ReportExceptionForm, ReportForm, ResponseForm
from cases.report.models import Report
from meldcode.models import User


def report_panel(user: User, case: Case) -> dict:
    """What the case page shows of the reports (composed by the core's case page)."""
    return {
        "reports": services.reports_of(case),
        "may_report": services.may_report(user, case),
        "report_pending": services.report_pending(case),
        "report_missing": services.report_or_exception_missing(case),
        "report_exceptions": services.report_exceptions_of(case),
        "called_112_only": services.called_112_only(case),
        "may_answer": case.is_open and may_act(user, case),
        "today": timezone.localdate(),
    }


@require_http_methods(["GET", "POST"])
@reads_case
def report_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, "act")
    if not services.may_report(request.user, case):
        raise PermissionDenied
    form = ReportForm(request.POST or None, case=case, initial={"reported_by": request.user})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_record(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The report to Veilig Thuis is recorded."))
            return redirect(case)
    return render(
        request,
        "cases/report/report_form.html",
        {
            "case": case,
            "form": form,
            "pupil_age": case.pupil.age_on(timezone.localdate()),
        },
    )


@require_http_methods(["GET", "POST"])
@reads_case
def response_new(request: HttpRequest, pk: int, report_id: int) -> HttpResponse:
    case = get_case_for(request.user, pk, "act")
    report = Report.objects.filter(case=case, pk=report_id).first()
    if report is None:
        raise Http404
    form = ResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_record(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Veilig Thuis's answer is recorded."))
            return redirect(case)
    return render(
        request, "cases/report/response_form.html", {"case": case, "report": report, "form": form}
    )


@require_http_methods(["GET", "POST"])
@reads_case
def exception_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Why this case leaves 5b without a report of its own (Veilig Thuis's advice, or the
    noodsituatie call was the report)."""
    case = get_case_for(request.user, pk, "act")
    if not services.may_report(request.user, case):
        raise PermissionDenied
    form = ReportExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_exception_record(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The exception is recorded: the case may leave step 5b."))
            return redirect(case)
    return render(request, "cases/report/exception_form.html", {"case": case, "form": form})


@require_GET
@reads_case
def call_sheet_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in call_sheet.KINDS:
        raise Http404
    case = get_case_for(request.user, pk, "act")
    return render(
        request,
        "cases/report/call_sheet.html",
        {
            "case": case,
            "kind": kind,
            "kind_label": call_sheet.KINDS[kind],
            "items": call_sheet.call_sheet(case, kind),
            "printed_at": timezone.localtime(),
        },
    )
