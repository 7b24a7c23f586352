"""Snel vastleggen: the form (on the start page and on its own page) and the type-ahead
that finds a pupil of the user's own school."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.access import may_open_case
from cases.forms import apply_errors
from cases.models import Case
from cases.quick.forms import QuickRecordForm, observation_form
from cases.quick.services import quick_record
from meldcode.models import Pupil, pupils_matching

SEARCH_BUTTON = "zoek_leerling"
TYPE_AHEAD_RESULTS = 10
FALLBACK_RESULTS = 25
MIN_TYPED = 2


def _require_may_open(request: HttpRequest) -> None:
    if not may_open_case(request.user, request.school):
        raise PermissionDenied


def seen_open_cases(user, pupil_ids) -> dict[int, Case]:
    """Per pupil, the newest open case `user` may see (never a hint of any other)."""
    cases = (
        Case.objects.visible_to(user)
        .open()
        .filter(pupil_id__in=list(pupil_ids))
        .order_by("opened_at", "pk")
    )
    return {case.pupil_id: case for case in cases}


def quick_record_context(user, form: QuickRecordForm, entry_form) -> dict:
    """What the form's template needs: the forms, and the open case of the chosen pupil."""
    pupil_id = form["pupil"].value()
    open_case = None
    if pupil_id and str(pupil_id).isdigit():
        open_case = seen_open_cases(user, [int(pupil_id)]).get(int(pupil_id))
    return {"quick_form": form, "entry_form": entry_form, "open_case": open_case}


def _initial_from(post) -> dict:
    """A form shown again after "Zoeken" keeps what was typed, without complaining yet."""
    initial = {key: post.get(key) for key in post if key not in ("signals", "pupil")}
    initial["signals"] = post.getlist("signals")
    return initial


@require_http_methods(["GET", "POST"])
def quick_record_new(request: HttpRequest) -> HttpResponse:
    _require_may_open(request)
    school = request.school
    results = None
    if request.method == "POST" and SEARCH_BUTTON in request.POST:
        # The way without JavaScript: find the pupil by name, keep the rest as typed.
        typed = request.POST.get("leerling", "").strip()
        results = list(pupils_matching(school, typed)[:FALLBACK_RESULTS]) if typed else []
        initial = _initial_from(request.POST)
        form = QuickRecordForm(initial=initial, school=school, results=results)
        entry_form = observation_form(initial=initial)
    elif request.method == "POST":
        form = QuickRecordForm(request.POST, school=school)
        entry_form = observation_form(request.POST)
        if form.is_valid() & entry_form.is_valid():  # both, so every error shows at once
            try:
                done = quick_record(
                    pupil=form.cleaned_data["pupil"],
                    by=request.user,
                    second_case_reason=form.second_case_reason_or_none(),
                    **entry_form.entry_kwargs(),
                )
            except ValidationError as error:
                _show_errors(form, entry_form, error)
            else:
                return _done(request, done)
    else:
        form = QuickRecordForm(school=school)
        entry_form = observation_form()
    context = quick_record_context(request.user, form, entry_form)
    context["results"] = results
    return render(request, "cases/quick/quick_record.html", context)


def _show_errors(form: QuickRecordForm, entry_form, error: ValidationError) -> None:
    if hasattr(error, "error_dict") and "second_case_reason" in error.error_dict:
        apply_errors(form, error)
    else:
        entry_form.add_service_errors(error)


def _done(request: HttpRequest, done) -> HttpResponse:
    if done.opened:
        messages.success(
            request,
            _(
                "The case is open in step 1 with your observation. You are responsible now: "
                "inform the care coordinator today."
            ),
        )
        return redirect(done.entry.get_absolute_url())
    if done.seen:
        messages.success(request, _("Your observation is added to the open case of this pupil."))
        return redirect(done.entry.get_absolute_url())
    messages.success(
        request,
        _(
            "Your observation is added to the open case of this pupil. You cannot see that "
            "case; whoever is responsible for it has been told. Questions: ask the care "
            "coordinator or the attention officer."
        ),
    )
    return redirect("home")


@require_GET
def pupil_search(request: HttpRequest) -> JsonResponse:
    """The type-ahead: pupils of the user's current school whose name holds what was
    typed, with a link to an open case only where the user may see that case."""
    _require_may_open(request)
    typed = request.GET.get("q", "").strip()[:100]
    pupils: list[Pupil] = []
    if len(typed) >= MIN_TYPED:
        pupils = list(pupils_matching(request.school, typed)[: TYPE_AHEAD_RESULTS + 1])
    more = len(pupils) > TYPE_AHEAD_RESULTS
    pupils = pupils[:TYPE_AHEAD_RESULTS]
    cases = seen_open_cases(request.user, [pupil.pk for pupil in pupils])
    results = []
    for pupil in pupils:
        case = cases.get(pupil.pk)
        results.append(
            {
                "id": pupil.pk,
                "label": (
                    f"{pupil.full_name} ({_('group')} {pupil.group})"
                    if pupil.group
                    else pupil.full_name
                ),
                "open_case": (
                    {"url": case.get_absolute_url(), "label": str(case)} if case else None
                ),
            }
        )
    return JsonResponse({"results": results, "more": more})
