"""Screens of the talks: plan, the talk's own page (report, signatures, agreements)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.access import get_case_for, reads_case
from cases.forms import apply_errors
from cases.meetings import services
from cases.meetings.forms import MeetingForm, MoveForm, ParentSignoffForm, ReportForm
from cases.meetings.models import Agreement, Meeting, StaffSignature
from cases.meetings.pdf import report_print, report_print_filename
from cases.models import Case
from meldcode.models import User


def meetings_panel(user: User, case: Case) -> dict:
    """What the case page shows of the talks (composed by the core's case page)."""
    return {
        "meetings": services.meetings_of(case),
        "may_meet": services.may_meet(user, case),
        "meeting_kinds": Meeting.Kind.choices,
    }


def _meeting(request: HttpRequest, pk: int, meeting_id: int) -> tuple[Case, Meeting]:
    case = get_case_for(request.user, pk)
    meeting = (
        Meeting.objects.filter(case=case, pk=meeting_id)
        .select_related("report__parent_signoff__scan")
        .prefetch_related(
            "staff",
            Prefetch(
                "report__signatures",
                queryset=StaffSignature.objects.select_related("user").order_by("at", "pk"),
            ),
            Prefetch(
                "report__agreements",
                queryset=Agreement.objects.select_related("owner").order_by("due_on", "pk"),
            ),
        )
        .first()
    )
    if meeting is None:
        raise Http404
    return case, meeting


@require_http_methods(["GET", "POST"])
@reads_case
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk)
    if not services.may_meet(request.user, case):
        raise PermissionDenied
    kind = request.GET.get("kind", Meeting.Kind.PARENTS)
    kind = kind if kind in Meeting.Kind.values else Meeting.Kind.PARENTS
    form = MeetingForm(
        request.POST or None,
        case=case,
        initial={"kind": kind, "agenda": services.AGENDAS[kind], "staff": [request.user]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_plan(
                case=case,
                by=request.user,
                **{**form.cleaned_data, "staff": list(form.cleaned_data["staff"])},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The talk is planned; the staff get an invitation."))
            return redirect("cases:meeting_detail", case.pk, meeting.pk)
    return render(request, "cases/meetings/meeting_form.html", {"case": case, "form": form})


def _detail(request, case, meeting, **bound) -> HttpResponse:
    report = getattr(meeting, "report", None)
    user = request.user
    may_meet = services.may_meet(user, case)
    status = meeting.status
    held = status == Meeting.Status.REPORT_DUE
    return render(
        request,
        "cases/meetings/meeting_detail.html",
        {
            "case": case,
            "meeting": meeting,
            "report": report,
            "status": status,
            "may_meet": may_meet,
            "report_form": (
                bound.get("report_form") or ReportForm(case=case)
                if may_meet and held and report is None
                else None
            ),
            "move_form": (
                bound.get("move_form")
                or MoveForm(initial={"starts_at": meeting.starts_at, "place": meeting.place})
                if may_meet and report is None and not meeting.cancelled_at
                else None
            ),
            "signoff_form": (
                bound.get("signoff_form") or ParentSignoffForm()
                if may_meet and report is not None and not hasattr(report, "parent_signoff")
                else None
            ),
            "may_sign": report is not None
            and any(person.pk == user.pk for person in meeting.staff.all())
            and not any(signature.user_id == user.pk for signature in report.signatures.all()),
            "signed": report is not None and services.report_is_signed(report),
            "today": timezone.localdate(),
        },
    )


@require_GET
@reads_case
def meeting_detail(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    case, meeting = _meeting(request, pk, meeting_id)
    return _detail(request, case, meeting)


@require_GET
@reads_case
def meeting_ics(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    """The talk for the signed-in person's own calendar: "Afspraak", time, place, link."""
    case, meeting = _meeting(request, pk, meeting_id)
    link = settings.SITE_URL + reverse("cases:meeting_detail", args=[case.pk, meeting.pk])
    response = HttpResponse(
        services.meeting_ics(meeting=meeting, link=link),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="afspraak.ics"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@reads_case
def meeting_report_pdf(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    """The report for the parents to read and sign; for whoever may see the talk."""
    _case, meeting = _meeting(request, pk, meeting_id)
    if not meeting.has_report:
        raise Http404
    response = HttpResponse(
        report_print(meeting=meeting, by=request.user), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{report_print_filename(meeting)}"'
    response["Cache-Control"] = "no-store"
    return response


def _act(request, pk, meeting_id, form_class, action, success, name, files=False, **form_kw):
    case, meeting = _meeting(request, pk, meeting_id)
    if not services.may_meet(request.user, case):
        raise PermissionDenied
    form = form_class(request.POST, request.FILES if files else None, **form_kw)
    if form.is_valid():
        try:
            action(form, meeting)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("cases:meeting_detail", case.pk, meeting.pk)
    return _detail(request, case, meeting, **{name: form})


@require_POST
@reads_case
def meeting_report(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    case = get_case_for(request.user, pk)
    return _act(
        request, pk, meeting_id, ReportForm,
        lambda form, meeting: services.report_record(
            meeting=meeting, by=request.user, report=form.cleaned_data["report"],
            reaction=form.cleaned_data["reaction"], agreements=form.agreements(),
        ),
        _("The report is recorded and is in the dossier."), "report_form", case=case,
    )  # fmt: skip


@require_POST
@reads_case
def meeting_move(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    return _act(
        request, pk, meeting_id, MoveForm,
        lambda form, meeting: services.meeting_move(
            meeting=meeting, by=request.user, **form.cleaned_data
        ),
        _("The talk is moved; the staff get an update."), "move_form",
    )  # fmt: skip


@require_POST
@reads_case
def meeting_cancel(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    case, meeting = _meeting(request, pk, meeting_id)
    try:
        services.meeting_cancel(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The talk is cancelled; the staff are told."))
    return redirect("cases:meeting_detail", case.pk, meeting.pk)


@require_POST
@reads_case
def meeting_signoff(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    return _act(
        request, pk, meeting_id, ParentSignoffForm,
        lambda form, meeting: services.parents_signoff_record(
            report=meeting.report, by=request.user, **form.cleaned_data
        ),
        _("The parents' sign-off is recorded."), "signoff_form", files=True,
    )  # fmt: skip


@require_POST
@reads_case
def meeting_sign(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    case, meeting = _meeting(request, pk, meeting_id)
    report = getattr(meeting, "report", None)
    if report is None:
        raise Http404
    try:
        services.report_sign(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You signed the report."))
    return redirect("cases:meeting_detail", case.pk, meeting.pk)


@require_POST
@reads_case
def agreement_done(request: HttpRequest, pk: int, agreement_id: int) -> HttpResponse:
    case = get_case_for(request.user, pk)
    agreement = services.agreement_of(case, agreement_id)
    if agreement is None:
        raise Http404
    try:
        services.agreement_done(agreement=agreement, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The agreement is marked done."))
    # Always back to the talk (Mijn acties has its own door): never to an address the
    # request names, which "/\\host" would turn into another site.
    return redirect("cases:meeting_detail", case.pk, agreement.report.meeting_id)
