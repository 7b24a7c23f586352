"""Screens of step 2: consultations, consent and the Verwijsindex, and their case panel."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.access import get_case_for, reads_case
from cases.consultations import services
from cases.consultations.forms import ConsentForm, ConsultationForm, VerwijsindexForm
from cases.consultations.models import Consent
from cases.forms import apply_errors
from cases.models import Case
from meldcode.models import User


def consultations_panel(user: User, case: Case) -> dict:
    """What the case page shows of step 2 (composed by the core's case page)."""
    return {
        "consultations": services.consultations_of(case),
        "consents": services.consents_of(case),
        "consent_refused": services.consent_refused(case),
        "verwijsindex": services.verwijsindex_of(case),
        "may_consult": services.may_consult(user, case),
    }


def _page(request: HttpRequest, pk: int, form_class, record, template: str, success: str, **kw):
    case = get_case_for(request.user, pk)
    if not services.may_consult(request.user, case):
        raise PermissionDenied
    form = form_class(
        request.POST or None,
        request.FILES or None,
        # Anonymous is the usual advice of Veilig Thuis and the safe default elsewhere.
        initial={"held_on": timezone.localdate(), "on": timezone.localdate(), "anonymous": True},
        **{key: value(case) for key, value in kw.items()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            record(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success(form.cleaned_data) if callable(success) else success)
            return redirect(case)
    return render(request, template, {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
@reads_case
def consultation_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(
        request,
        pk,
        ConsultationForm,
        services.consultation_record,
        "cases/consultations/consultation_form.html",
        _("The consultation is recorded."),
        school=lambda case: case.school,
    )


def _consent_recorded(data: dict) -> str:
    """Say what was recorded: a request is not a consent."""
    return {
        Consent.Status.REQUESTED: _("Recorded that the parents were asked for consent."),
        Consent.Status.GIVEN: _("The consent of the parents is recorded."),
        Consent.Status.REFUSED: _("Recorded that the parents refused consent."),
        Consent.Status.WITHDRAWN: _("Recorded that the parents withdrew their consent."),
    }[data["status"]]


@require_http_methods(["GET", "POST"])
@reads_case
def consent_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(
        request,
        pk,
        ConsentForm,
        services.consent_record,
        "cases/consultations/consent_form.html",
        _consent_recorded,
    )


@require_http_methods(["GET", "POST"])
@reads_case
def verwijsindex_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(
        request,
        pk,
        VerwijsindexForm,
        services.verwijsindex_record,
        "cases/consultations/verwijsindex_form.html",
        _("The Verwijsindex decision is recorded."),
    )
