"""The dossier screens: the dossier on the case page, adding an entry, the per-pupil
chronology and the read log. Every screen that shows a case goes through the door
(`cases.access.reads_case`), which writes the access log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.step_up import step_up_required
from cases.access import get_case_for, reads_case
from cases.access_log import AccessLog, Action, access_log_deny, access_log_write
from cases.dossier import body_map
from cases.dossier.forms import DossierFilterForm, EntryForm, body_mark_formset
from cases.dossier.models import Entry
from cases.dossier.services import (
    DOSSIER_PAGE,
    ENTRY_PREFETCH,
    DossierPage,
    after_key,
    chronology_page,
    dossier_page,
    entry_add,
    entry_key,
    holds_annotations,
    kinds_for,
    refusal_message,
    urgent_signals_of,
    with_links,
)
from cases.inzage.anonymised import anonymised_reviews_of
from cases.inzage.services import releases_of
from cases.models import Case

if TYPE_CHECKING:
    from cases.case_page import Contents
from meldcode.models import Role

Kind = Entry.Kind
READ_LOG_ROLES = (Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE)


def dossier_context(request: HttpRequest, case: Case, holds: Contents) -> dict:
    """Everything the case page needs to show the dossier (the read is logged by the
    door, `cases.access.reads_case`, on the view that shows it). `holds`: what the case
    page learnt of the dossier with the case (its entries counted, which kinds of record
    it holds), so that nothing it lacks is asked for."""
    filter_form = DossierFilterForm(request.GET or None)
    page = dossier_page(
        case,
        filter_form.apply(Entry.objects.filter(case=case)),
        _shown(request),
        is_filtered=filter_form.active,
        holds=holds.dossier,
    )
    kinds = kinds_for(request.user, case)
    quick_form = None
    if Kind.OBSERVATION in kinds:
        quick_form = EntryForm(
            kind=Kind.OBSERVATION, case=case, initial={"occurred_on": timezone.localdate()}
        )
    return {
        "dossier_entries": page.entries,
        "dossier_shown": page.shown,
        "dossier_total": page.total,
        "dossier_matching": page.matching,
        "dossier_more_query": _more_query(request, page.shown, page),
        "dossier_filter": filter_form,
        "dossier_kinds": kinds,
        "dossier_may_follow_up": Kind.FOLLOW_UP in kinds,
        "dossier_quick_form": quick_form,
        "dossier_may_read_log": request.user.has_role(case.school, *READ_LOG_ROLES),
        "urgent_signals": urgent_signals_of(case) if holds.urgent_signals else [],
    }


def _more_query(request: HttpRequest, shown: int, page: DossierPage) -> str:
    """The query of "meer laden", the filter kept: `toon` for the page without JavaScript,
    `na` (the last entry shown) for the next entries alone (`dossier_more`)."""
    if not page.more:
        return ""
    more = request.GET.copy()
    more["toon"] = shown + DOSSIER_PAGE
    more["na"] = page.entries[-1].pk
    return more.urlencode()


def dossier_more(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Meer laden" on the case page, asked by htmx: the entries after `?na=` (the last one
    shown), newest first and filtered as the page is, and the next "meer laden". Called by
    `cases.views.case_detail`, so through the same door (`reads_case`), which logs the
    read; the same link without JavaScript shows the whole page with `?toon=`."""
    case = get_case_for(request.user, pk)
    filter_form = DossierFilterForm(request.GET or None)
    filtered = filter_form.apply(Entry.objects.filter(case=case))
    raw = request.GET.get("na", "")
    after = (
        Entry.objects.filter(case=case, pk=int(raw)).only("pk", "occurred_on", "recorded_at")
        if raw.isdigit()
        else Entry.objects.none()
    ).first()
    if after is None:
        raise Http404
    older = after_key(entry_key(after), newest_first=True)
    before = filtered.exclude(older).count()
    rest = dossier_page(case, filtered.filter(older), DOSSIER_PAGE)
    page = DossierPage(rest.entries, rest.total, before + rest.matching, before + rest.shown)
    kinds = kinds_for(request.user, case)
    return render(
        request,
        "cases/dossier/_dossier_page.html",
        {
            "case": case,
            "fragment": True,
            "dossier_entries": page.entries,
            "dossier_shown": page.shown,
            "dossier_total": page.total,
            "dossier_matching": page.matching,
            "dossier_more_query": _more_query(request, page.shown, page),
            "dossier_may_follow_up": Kind.FOLLOW_UP in kinds,
        },
    )


def _shown(request: HttpRequest) -> int:
    """How many entries the page shows: a page at first, more with each "meer laden"."""
    try:
        shown = int(request.GET.get("toon", DOSSIER_PAGE))
    except ValueError:
        shown = DOSSIER_PAGE
    return max(DOSSIER_PAGE, min(shown, 10_000))


def _link_target(request: HttpRequest, case: Case, kind: Kind) -> Entry | None:
    if kind not in (Kind.FOLLOW_UP, Kind.CORRECTION):
        return None
    if request.method == "POST":
        # A typed number: a wrong one gets a Dutch message at the field (the form's own
        # check against this case's entries), not a 404.
        raw = request.POST.get("links_to", "")
        if raw.isdigit():
            return Entry.objects.select_related("author").filter(case=case, pk=int(raw)).first()
        return None
    raw = request.GET.get("op")
    if not raw:
        return None
    try:
        return Entry.objects.select_related("author").get(case=case, pk=int(raw))
    except (ValueError, Entry.DoesNotExist):
        raise Http404 from None


@require_http_methods(["GET", "POST"])
@reads_case
def entry_new(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    case = get_case_for(request.user, pk)
    try:
        kind = Kind(kind)
    except ValueError:
        raise Http404 from None
    if kind not in kinds_for(request.user, case):
        raise PermissionDenied(refusal_message(kind))
    target = _link_target(request, case, kind)
    initial = {"occurred_on": timezone.localdate(), "links_to": target}
    posted = request.method == "POST"
    form = EntryForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        kind=kind,
        case=case,
        initial=initial,
    )
    marks = body_mark_formset(request.POST if posted else None)
    marks_valid = not marks.is_bound or marks.is_valid()
    if posted and form.is_valid() and marks_valid:
        try:
            entry = entry_add(
                case=case,
                author=request.user,
                kind=kind,
                marks=marks.marks() if marks.is_bound else [],
                **form.entry_kwargs(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The entry is added to the dossier."))
            return redirect(entry.get_absolute_url())
    if target is not None:
        # Shown as in the dossier: with its signals, marks and files, follow-ups and verdict.
        prefetch_related_objects([target], *ENTRY_PREFETCH)
        with_links([target], [case.pk])
    return render(
        request,
        "cases/dossier/entry_form.html",
        {
            "case": case,
            "form": form,
            "kind": kind,
            "target": target,
            "target_entries": [target] if target else [],
            "marks": marks if kind == Kind.OBSERVATION else None,
            "body_map_drawing": body_map.drawing(_chosen_regions(marks)),
            "open_body_map": request.GET.get("letsel") == "1",
        },
    )


def _chosen_regions(marks) -> list[tuple[int, str]]:
    """The places already chosen in a form shown again, numbered as they will be."""
    if not marks.is_bound:
        return []
    chosen = [form["region"].value() for form in marks.forms]
    return list(enumerate(filter(None, chosen), start=1))


@require_GET
def pupil_chronology(request: HttpRequest, pupil_id: int) -> HttpResponse:
    """Every entry across the cases of one pupil that the user may see, in one timeline,
    a page at a time. "Meer laden" links to `?na=<the last entry shown>`: a plain GET
    shows the page with the entries up to that one and the next page; an htmx request
    gets that next page alone and the next "meer laden", appended in place.

    One access-log row per case shown: on the page every case the user may see (they are
    listed), in a fragment every case whose entries it shows.
    """
    cases = list(
        Case.objects.visible_to(request.user)
        .filter(pupil_id=pupil_id)
        .select_related("pupil", "school")
        .annotate(**holds_annotations())
        .order_by("opened_at", "pk")
    )
    if not cases:
        for case_id in Case.objects.filter(pupil_id=pupil_id).values_list("pk", flat=True):
            access_log_deny(user=request.user, case_id=case_id)
        raise Http404
    after = _cursor(request, [case.pk for case in cases])
    fragment = after is not None and bool(request.headers.get("HX-Request"))
    page = chronology_page(cases, after, only_next=fragment)
    shown = {entry.case_id for entry in page.entries} if fragment else {c.pk for c in cases}
    for case in cases:
        if case.pk in shown:
            access_log_write(
                user=request.user,
                case_id=case.pk,
                action=Action.CHRONOLOGY,
                school_id=case.school_id,
            )
    response = render(
        request,
        "cases/dossier/_chronology_page.html" if fragment else "cases/dossier/chronology.html",
        {"pupil": cases[0].pupil, "cases": cases, "page": page, "fragment": fragment},
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def _cursor(request: HttpRequest, case_ids: list[int]) -> Entry | None:
    """The entry named by `?na=`, the last one shown so far: 404 when it is no entry of
    these cases (a page cannot go on after what it never showed)."""
    raw = request.GET.get("na")
    if raw is None:
        return None
    if not raw.isdigit():
        raise Http404
    after = (
        Entry.objects.filter(case_id__in=case_ids, pk=int(raw))
        .only("pk", "occurred_on", "recorded_at")
        .first()
    )
    if after is None:
        raise Http404
    return after


@require_GET
@step_up_required()
@reads_case
def case_access_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Who read this case and when: for the aandachtsfunctionaris and the directie."""
    case = get_case_for(request.user, pk)
    if not request.user.has_role(case.school, *READ_LOG_ROLES):
        raise PermissionDenied
    # Misses on this number from before the case existed are in the log, but not about it.
    rows = (
        AccessLog.objects.filter(case_id=case.pk, at__gte=case.opened_at)
        .select_related("user")
        .order_by("-pk")
    )
    page = Paginator(rows, 100).get_page(request.GET.get("pagina"))
    return render(
        request,
        "cases/dossier/access_log.html",
        {
            "case": case,
            "page": page,
            "releases": releases_of(case),
            "anonymised_reviews": anonymised_reviews_of(case),
        },
    )
