"""Screens of the route. Views parse input and call a service; every check lives in
`cases.access` and `cases.services`, never only in a template."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import access, case_page, matrix, services
from cases.access import CasePeople, get_case_for, reads_case
from cases.consultations.views import consultations_panel
from cases.dossier.views import dossier_context, dossier_more
from cases.evaluation.views import evaluation_panel
from cases.forms import (
    CaseFilterForm,
    CaseOpenForm,
    EmergencyForm,
    GrantForm,
    MatrixForm,
    MoveForm,
    ResponsibleForm,
    RevokeForm,
    SeenStepForm,
    TermsForm,
    apply_errors,
)
from cases.help.views import help_panel
from cases.history import case_history
from cases.inzage.views import inzage_panel
from cases.leaving.views import leaving_panel
from cases.links.views import links_panel
from cases.meetings.views import meetings_panel
from cases.models import (
    RESPONSIBLE_MANAGERS,
    Case,
    StepResponsibility,
    StepTerm,
    is_past_term,
)
from cases.now import move_options, now_to_do, visible_panels
from cases.pdf.services import exportable_versions
from cases.report.views import report_panel
from cases.weighing.services import current_weighing, next_steps_after
from cases.weighing.views import weighing_panel
from cases.workflow import ROUTE, Step, allowed_moves, is_emergency
from meldcode.forms import PupilSearchForm

CASES_PER_PAGE = 25


def _require_school_role(request: HttpRequest) -> None:
    if request.school is None or not access.works_at(request.user, request.school):
        raise PermissionDenied


# --- List and opening ----------------------------------------------------------------


def _filtered_cases(request: HttpRequest, form: CaseFilterForm) -> QuerySet[Case]:
    cases = (
        Case.objects.visible_to(request.user)
        .filter(school=request.school)
        .select_related("pupil", "responsible")
        .order_by("-step_entered_at", "-pk")
    )
    if not form.is_valid():
        return cases
    data = form.cleaned_data
    if data["step"]:
        cases = cases.filter(step=data["step"])
    if data["responsible"]:
        cases = cases.filter(responsible=data["responsible"])
    if data["overdue"]:
        cases = cases.stagnating(matrix.school_terms(request.school), timezone.now())
    for word in data["q"].split():
        cases = cases.filter(
            Q(pupil__first_name__icontains=word)
            | Q(pupil__infix__icontains=word)
            | Q(pupil__last_name__icontains=word)
        )
    return cases


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    _require_school_role(request)
    form = CaseFilterForm(request.GET or None, school=request.school)
    page = Paginator(_filtered_cases(request, form), CASES_PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    terms, now = matrix.school_terms(request.school), timezone.now()
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "may_open": access.may_open_case(request.user, request.school),
            # The cases on this page past their step's term (as `Case.objects.stagnating`
            # asks it), from the rows already read.
            "overdue_ids": {case.pk for case in page.object_list if is_past_term(case, terms, now)},
            "may_edit_matrix": request.user.has_role(request.school, *RESPONSIBLE_MANAGERS),
        },
    )


@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    if not access.may_open_case(request.user, request.school):
        raise PermissionDenied
    school = request.school
    search = PupilSearchForm(request.POST or request.GET or None, school=school)
    results, too_many = search.results(school)
    form = CaseOpenForm(request.POST or None, school=school, user=request.user, results=results)
    if request.method == "POST" and form.is_valid():
        case = services.case_open(pupil=form.cleaned_data["pupil"], by=request.user)
        messages.success(request, _("The case is open in step 1. You are responsible now."))
        return redirect(case)
    searched = search.is_bound
    return render(
        request,
        "cases/case_new.html",
        {"form": form, "search": search, "searched": searched, "too_many": too_many},
    )


# --- The case page and its actions ---------------------------------------------------


def _move_forms(
    request: HttpRequest, case: Case, bound: MoveForm | None, people: CasePeople
) -> list[MoveForm]:
    """One form per regular move this user may make now (emergencies have their own form)."""
    if not access.may_act(request.user, case):
        return []
    may_name = access.may_set_responsible(request.user, case)
    forms = []
    for to in allowed_moves(Step(case.step)):
        if is_emergency(Step(case.step), to):
            continue
        if bound is not None and bound.target == to:
            forms.append(bound)
        else:
            forms.append(MoveForm(case=case, to=to, may_name_responsible=may_name, people=people))
    return forms


def _detail(request: HttpRequest, case: Case, **bound) -> HttpResponse:
    user = request.user
    # Each of the case's records once, for every part of the page below (cases.case_page).
    holds = case_page.load(case)
    # Who works at the school, once for all the forms that name or choose a person.
    people = CasePeople(case)
    may_manage = access.may_manage(user, case)
    may_emergency = access.may_declare_emergency(user, case)
    may_responsible = access.may_set_responsible(user, case)
    context = {
        "case": case,
        "steps": _step_bar(case),
        "history": case_history(case),
        "move_forms": _move_forms(request, case, bound.get("move_form"), people),
        "emergency_form": (
            bound.get("emergency_form") or EmergencyForm(case=case, user=user, people=people)
            if may_emergency
            else None
        ),
        "responsible_form": (
            bound.get("responsible_form") or ResponsibleForm(case=case, people=people)
            if may_responsible
            else None
        ),
        "may_manage": may_manage,
        "grant_form": (
            (bound.get("grant_form") or GrantForm(case=case, people=people)) if may_manage else None
        ),
        "grants": services.case_grants(case) if may_manage else [],
        "may_contribute": access.may_contribute(user, case),
        # The parts of steps 4 and 5 show their records here.
        **consultations_panel(user, case),
        **meetings_panel(user, case),
        **weighing_panel(user, case),
        **help_panel(user, case),
        **report_panel(user, case),
        **evaluation_panel(user, case),
        **inzage_panel(user, case),
        **leaving_panel(user, case),
        **links_panel(user, case),
        "pdf_versions": exportable_versions(user, case),
        # Every showing of the case page is a read of its dossier: logged in here.
        **dossier_context(request, case, holds),
    }
    # What the page leads with: the step's work, then the moves (cases.now).
    weighing = current_weighing(case) if Step(case.step) == Step.WEIGH else None
    decided = next_steps_after(weighing) if weighing is not None else None
    context["current_weighing"] = weighing
    context["now"] = now_to_do(user, case, context)
    # The panels leave out the links "nu te doen" already offers: one button per action.
    context["now_urls"] = {link.url for link in context["now"].links} if context["now"] else set()
    context["move_options"] = move_options(case, context["move_forms"], decided=decided)
    context["moves_decided"] = decided is not None
    context["panels"] = visible_panels(case, context)
    return render(request, "cases/case_detail.html", context)


def _step_bar(case: Case) -> list[dict]:
    """The route in order, each step marked done, current or ahead."""
    visited = {move.to_step for move in case.transitions.all()}
    return [
        {
            "step": step,
            "current": step == case.step,
            "visited": step.value in visited and step != case.step,
        }
        for step in ROUTE
    ]


@require_GET
@reads_case
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if request.headers.get("HX-Request") and "na" in request.GET:
        response = dossier_more(request, pk)  # "meer laden": the next entries alone
    else:
        case = get_case_for(request.user, pk, annotate=case_page.annotations())
        response = _detail(request, case)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
@reads_case
def case_move(request: HttpRequest, pk: int, to: str) -> HttpResponse:
    # Seeing comes first: a page that went stale earns a clear message, not a 403.
    case = get_case_for(request.user, pk)
    seen = SeenStepForm(request.POST)
    if not seen.is_valid() or seen.cleaned_data["seen_step"] != case.step:
        messages.error(request, services.stale_message())
        return redirect(case)
    case = get_case_for(request.user, pk, "act")
    try:
        target = Step(to)
    except ValueError:
        raise Http404 from None
    if target not in allowed_moves(Step(case.step)) or is_emergency(Step(case.step), target):
        messages.error(request, _("This move is not possible from the step the case is in."))
        return redirect(case)
    form = MoveForm(
        request.POST,
        case=case,
        to=target,
        may_name_responsible=access.may_set_responsible(request.user, case),
    )
    if form.is_valid():
        try:
            services.case_advance(
                case=case,
                to=target,
                by=request.user,
                reason=form.cleaned_data["reason"],
                responsible=form.cleaned_data.get("responsible"),
                reason_category=form.cleaned_data.get("reason_category", ""),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The case is now in: %(step)s.") % {"step": target.label})
            return redirect(case)
    return _detail(request, case, move_form=form)


@require_POST
@reads_case
def case_emergency(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, "emergency")
    form = EmergencyForm(request.POST, case=case, user=request.user)
    if form.is_valid():
        try:
            services.case_declare_emergency(case=case, by=request.user, **form.service_arguments())
        except ValidationError as error:
            apply_errors(
                form,
                error,
                rename={"reason": "summary", "service": "vt_called", "called_at": "vt_at",
                        "organisation": "crisis_organisation"},
            )  # fmt: skip
        else:
            messages.success(request, _("The noodsituatie is recorded; the case is in step 5b."))
            return redirect(case)
    return _detail(request, case, emergency_form=form)


@require_POST
@reads_case
def case_responsible(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, "responsible")
    form = ResponsibleForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.case_set_responsible(
                case=case, person=form.cleaned_data["person"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The responsible person is changed."))
            return redirect(case)
    return _detail(request, case, responsible_form=form)


@require_POST
@reads_case
def case_grant(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, "manage")
    form = GrantForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.case_grant(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The colleague is added to the case."))
            return redirect(case)
    return _detail(request, case, grant_form=form)


@require_POST
@reads_case
def case_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, "manage")
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.case_revoke(case=case, person=form.cleaned_data["person"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The colleague no longer has access to the case."))
    else:
        messages.error(request, _("Choose a colleague to remove."))
    return redirect(case)


# --- The responsibility matrix -------------------------------------------------------


@require_http_methods(["GET", "POST"])
def matrix_edit(request: HttpRequest) -> HttpResponse:
    school = request.school
    if school is None or not request.user.has_role(school, *RESPONSIBLE_MANAGERS):
        raise PermissionDenied
    form = MatrixForm(request.POST or None, matrix=matrix.school_matrix(school))
    if request.method == "POST" and form.is_valid():
        try:
            matrix.matrix_save(school=school, matrix=form.matrix(), by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The responsibility matrix is saved."))
            return redirect("cases:matrix")
    changes = (
        StepResponsibility.history.filter(school=school)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:30]
    )
    return render(request, "cases/matrix.html", {"form": form, "changes": changes})


@require_http_methods(["GET", "POST"])
def terms_edit(request: HttpRequest) -> HttpResponse:
    school = request.school
    if school is None or not request.user.has_role(school, *RESPONSIBLE_MANAGERS):
        raise PermissionDenied
    form = TermsForm(request.POST or None, terms=matrix.school_terms(school))
    if request.method == "POST" and form.is_valid():
        matrix.terms_save(school=school, terms=form.terms(), by=request.user)
        messages.success(request, _("The terms are saved."))
        return redirect("cases:terms")
    changes = (
        StepTerm.history.filter(school=school)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:30]
    )
    return render(request, "cases/terms.html", {"form": form, "changes": changes})
