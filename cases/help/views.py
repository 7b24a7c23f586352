"""Screens of step 5a: the help plan, its arrival and its evaluations."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.access import get_case_for, reads_case
from cases.forms import apply_errors
from cases.help import services
from cases.help.forms import ArrivedForm, HelpEvaluationForm, HelpPlanForm
from cases.help.models import HelpPlan
from cases.models import Case
from meldcode.models import User


def help_panel(user: User, case: Case) -> dict:
    """What the case page shows of the help (composed by the core's case page)."""
    return {
        "help_plans": services.plans_of(case),
        "may_record_help": services.may_record_help(user, case),
    }


def _case_and_plan(request: HttpRequest, pk: int, plan_id: int) -> tuple[Case, HelpPlan]:
    case = get_case_for(request.user, pk, "act")
    if not services.may_record_help(request.user, case):
        raise PermissionDenied
    plan = HelpPlan.objects.filter(case=case, pk=plan_id).select_related("organisation").first()
    if plan is None:
        raise Http404
    return case, plan


@require_http_methods(["GET", "POST"])
@reads_case
def help_plan_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, "act")
    if not services.may_record_help(request.user, case):
        raise PermissionDenied
    form = HelpPlanForm(request.POST or None, school=case.school)
    if request.method == "POST" and form.is_valid():
        try:
            services.help_plan_create(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The help plan is recorded."))
            return redirect(case)
    return render(request, "cases/help/plan_form.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
@reads_case
def help_evaluation_new(request: HttpRequest, pk: int, plan_id: int) -> HttpResponse:
    case, plan = _case_and_plan(request, pk, plan_id)
    form = HelpEvaluationForm(request.POST or None)
    arrived = ArrivedForm(request.POST if "arrived" in request.POST else None)
    if request.method == "POST" and "arrived" in request.POST:
        if arrived.is_valid():
            try:
                services.help_plan_mark_arrived(plan=plan, by=request.user, **arrived.cleaned_data)
            except ValidationError as error:
                apply_errors(arrived, error)
            else:
                messages.success(request, _("Recorded: arrived at the help."))
                return redirect(case)
        form = HelpEvaluationForm()
    elif request.method == "POST" and form.is_valid():
        try:
            services.help_evaluation_record(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The evaluation is recorded."))
            return redirect(case)
    return render(
        request,
        "cases/help/evaluation_form.html",
        {"case": case, "plan": plan, "form": form, "arrived_form": arrived},
    )
