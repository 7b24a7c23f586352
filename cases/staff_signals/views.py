"""Signals about anyone working at the school: filed by anyone at the school, read only by
the board and the directie, never by the colleague it names (who gets a 404 like any
stranger)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.access import works_at
from cases.forms import apply_errors
from cases.staff_signals import services as staff_signal_services
from cases.staff_signals.access import get_staff_signal_for, may_read_staff_signals
from cases.staff_signals.forms import (
    StaffSignalActionForm,
    StaffSignalForm,
    StaffSignalPupilForm,
    StaffSignalRetentionForm,
)
from cases.staff_signals.models import StaffSignal
from meldcode.models import Board, Role


@require_http_methods(["GET", "POST"])
def staff_signal_new(request: HttpRequest) -> HttpResponse:
    if request.school is None or not works_at(request.user, request.school):
        raise PermissionDenied
    form = StaffSignalForm(request.POST or None, school=request.school, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            staff_signal_services.staff_signal_file(
                school=request.school, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            # No link to the signal: the filer hands it over and does not follow it.
            return redirect("cases:staff_signal_filed")
    return render(request, "cases/staff_signals/new.html", {"form": form})


@require_GET
def staff_signal_filed(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/staff_signals/filed.html")


@require_GET
def staff_signal_list(request: HttpRequest) -> HttpResponse:
    if not may_read_staff_signals(request.user):
        raise PermissionDenied
    signals = StaffSignal.visible_to(request.user).select_related("school", "concerns")
    return render(
        request,
        "cases/staff_signals/list.html",
        {"signals": signals, "boards": _boards_of(request)},
    )


def _detail(
    request: HttpRequest,
    signal: StaffSignal,
    form: StaffSignalActionForm | None = None,
    pupil_form: StaffSignalPupilForm | None = None,
) -> HttpResponse:
    actions = signal.actions.select_related("by")
    duties = staff_signal_services.staff_signal_duties(signal)
    if form is None:
        form = StaffSignalActionForm(initial={"occurred_on": timezone.localdate()})
    return render(
        request,
        "cases/staff_signals/detail.html",
        {
            "signal": signal,
            "actions": actions,
            "form": form if duties.closed is None else None,
            "pupil_form": pupil_form or StaffSignalPupilForm(school=signal.school),
            "pupils": signal.pupils.select_related("pupil", "by"),
            "duties": duties,
            "expires_on": staff_signal_services.staff_signal_expires_on(signal),
        },
    )


@require_GET
def staff_signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signal = get_staff_signal_for(request.user, pk)
    return _detail(request, signal)


@require_POST
def staff_signal_action(request: HttpRequest, pk: int) -> HttpResponse:
    signal = get_staff_signal_for(request.user, pk)
    form = StaffSignalActionForm(request.POST)
    if form.is_valid():
        try:
            staff_signal_services.staff_signal_record_action(
                signal=signal, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The action is recorded."))
            return redirect(signal)
    return _detail(request, signal, form)


@require_POST
def staff_signal_pupil(request: HttpRequest, pk: int) -> HttpResponse:
    signal = get_staff_signal_for(request.user, pk)
    form = StaffSignalPupilForm(request.POST, school=signal.school)
    if form.is_valid():
        try:
            staff_signal_services.staff_signal_link_pupil(
                signal=signal, pupil=form.cleaned_data["pupil"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The pupil is linked to the signal."))
            return redirect(signal)
    return _detail(request, signal, pupil_form=form)


def _boards_of(request: HttpRequest):
    return Board.objects.filter(
        memberships__user=request.user, memberships__role=Role.BESTUUR
    ).distinct()


@require_http_methods(["GET", "POST"])
def staff_signal_retention(request: HttpRequest) -> HttpResponse:
    """The board's term for closed staff signals: set by the board only."""
    board = _boards_of(request).order_by("name", "pk").first()
    if board is None:
        raise PermissionDenied
    form = StaffSignalRetentionForm(request.POST or None, instance=board)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The retention term is saved."))
        return redirect("cases:staff_signal_retention")
    changes = board.history.select_related("history_user").order_by("-history_date", "-history_id")[
        :30
    ]
    return render(
        request,
        "cases/staff_signals/retention.html",
        {"form": form, "board": board, "changes": changes},
    )
