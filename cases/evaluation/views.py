"""The evaluation dashboard, its CSV and yearly PDF, and the evaluation of a closed case."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.access import get_case_for
from cases.evaluation import services
from cases.evaluation.disclosure import board_period, board_periods
from cases.evaluation.forms import BoardPeriodForm, CaseEvaluationForm, PeriodForm, ThemeForm
from cases.evaluation.models import EvaluationTheme
from cases.forms import apply_errors
from cases.models import Case
from meldcode.csv_table import csv_response
from meldcode.models import User
from meldcode.pdf_output import pdf_from_html


def evaluation_panel(user: User, case: Case) -> dict:
    """The case page asks for the evaluation of a closed case (composed by the core)."""
    due = services.evaluation_due(case) and services.may_evaluate_case(user, case)
    return {
        "case_evaluation_form": (
            CaseEvaluationForm(themes=services.themes_of(case.school)) if due else None
        )
    }


def _scope_and_period(request: HttpRequest):
    today = timezone.localdate()
    scope = services.scope_for(
        request.user, getattr(request, "school", None), request.GET.get("scope") == "board"
    )
    if scope is None:
        raise Http404
    if scope.board:
        # Fixed periods only: free dates (start, end) are not read at all.
        periods = board_periods(today)
        form = BoardPeriodForm(
            request.GET if "periode" in request.GET else None,
            periods=periods,
            initial={"periode": periods[0].key},
        )
        key = form.cleaned_data["periode"] if form.is_bound and form.is_valid() else None
        return scope, board_period(key, today).dates, form, today
    start, end = services.default_period(today)
    form = PeriodForm(request.GET or None, initial={"start": start, "end": end})
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    elif not request.GET.get("start"):
        form = PeriodForm(initial={"start": start, "end": end})
    return scope, (start, end), form, today


def _context(request: HttpRequest) -> dict:
    scope, period, form, today = _scope_and_period(request)
    figures, side_by_side = services.evaluation(scope, period, today)
    return {
        "scope": scope,
        "period": period,
        "form": form,
        "figures": figures,
        "durations": (durations := services.durations(scope, period)),
        "durations_chart": services.durations_chart(durations),
        "side_by_side": side_by_side,
        "themes": services.themes_of(scope.schools[0]) if not scope.board else [],
        "theme_form": ThemeForm() if not scope.board else None,
        "query": request.GET.urlencode(),
        "today": today,
    }


@require_GET
def evaluation(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/evaluation/dashboard.html", _context(request))


@require_GET
def evaluation_csv(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    start, end = context["period"]
    rows = [
        [_("figure"), _("what"), _("count")],
        [_("period"), f"{start:%d-%m-%Y} - {end:%d-%m-%Y}", ""],
    ]
    for figure in context["figures"]:
        rows += [[figure.title, row.label, row.display] for row in figure.rows]
    for duration in context["durations"]:
        values = (duration.median, duration.longest) if duration.enough else ("< 5", "< 5")
        rows.append([_("median days"), duration.step, values[0]])
        rows.append([_("longest days"), duration.step, values[1]])
    return csv_response(rows, filename="evaluatie-meldcode.csv")


@require_GET
def evaluation_pdf(request: HttpRequest) -> HttpResponse:
    html = render_to_string("cases/evaluation/report_pdf.html", _context(request), request)
    response = HttpResponse(pdf_from_html(html), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="evaluatie-meldcode.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def theme_add(request: HttpRequest) -> HttpResponse:
    scope, *_rest = _scope_and_period(request)
    if scope.board:
        raise Http404
    form = ThemeForm(request.POST)
    if form.is_valid():
        EvaluationTheme.objects.get_or_create(
            school=scope.schools[0], name=form.cleaned_data["name"].strip()
        )
        messages.success(request, _("The theme is added."))
    else:
        messages.error(request, _("Give the theme a name of at most 100 characters."))
    return redirect("cases:evaluation")


@require_POST
def case_evaluation_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk)
    if not services.may_evaluate_case(request.user, case):
        raise PermissionDenied
    form = CaseEvaluationForm(request.POST, themes=services.themes_of(case.school))
    if form.is_valid():
        try:
            services.case_evaluation_record(
                case=case,
                by=request.user,
                went_well=form.cleaned_data["went_well"],
                should_change=form.cleaned_data["should_change"],
                themes_well=list(form.cleaned_data["themes_well"]),
                themes_change=list(form.cleaned_data["themes_change"]),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Thank you: the evaluation counts in the school's figures.")
            )
            return redirect(case)
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(case)
