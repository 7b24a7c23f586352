"""The weighing page of step 4 and the weighing panel of the case page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.access import get_case_for, reads_case
from cases.consultations.services import consent_refused
from cases.forms import apply_errors
from cases.models import Case
from cases.weighing import services
from cases.weighing.forms import WeighingForm
from meldcode.models import User


def weighing_panel(user: User, case: Case) -> dict:
    """What the case page shows of the weighing (composed by the core's case page)."""
    return {
        "weighings": services.weighings_of(case),
        "may_weigh": services.may_weigh(user, case),
        "questions": services.QUESTIONS,
    }


@require_http_methods(["GET", "POST"])
@reads_case
def weighing_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, "act")
    if not services.may_weigh(request.user, case):
        raise PermissionDenied
    form = WeighingForm(request.POST or None)
    advice = None
    if request.method == "POST" and form.is_valid():
        answers = form.plain_answers()
        if answers.get(1):
            advice = services.derive_advice(answers)
        if request.POST.get("record"):
            try:
                services.weighing_record(
                    case=case,
                    by=request.user,
                    answers=form.answers(),
                    report_needed=form.cleaned_data["report_needed"],
                    help_possible=form.cleaned_data["help_possible"],
                    reason=form.cleaned_data["reason"],
                    veilig_thuis_contact=form.cleaned_data["veilig_thuis_contact"],
                    weighed_with=form.cleaned_data["weighed_with"],
                    staff_involved=form.cleaned_data["staff_involved"],
                    board_informed=form.cleaned_data["board_informed"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The weighing is recorded."))
                return redirect(case)
    answers = form.plain_answers() if form.is_bound and hasattr(form, "cleaned_data") else {}
    return render(
        request,
        "cases/weighing/weighing_form.html",
        {
            "case": case,
            "form": form,
            "advice": advice,
            "report_required": services.report_required(answers),
            "earlier": services.weighings_of(case),
            # A refused consent is itself a signal (steps 2 and 3): shown where it is weighed.
            "consent_refused": consent_refused(case),
        },
    )
