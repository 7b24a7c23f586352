from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.consultations.services import consultations_for_organisation
from meldcode.csv_table import ImportRefused, csv_response
from socialmap import services
from socialmap.access import (
    Action,
    board_of_manager,
    can_edit,
    get_organisation_for,
    get_template_for,
    require,
)
from socialmap.csv_io import organisations_import, organisations_rows
from socialmap.forms import BoardTemplateForm, ImportForm, OrganisationForm, SearchForm
from socialmap.models import BoardTemplate, Organisation
from socialmap.pdf import overview_pdf


@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    school = require(request.user, request.school, Action.READ)
    form = SearchForm(request.GET or None)
    organisations = Organisation.objects.of_school(school).active()
    if form.is_valid():
        data = form.cleaned_data
        if data["archived"]:
            organisations = Organisation.objects.of_school(school).archived()
        organisations = organisations.search(text=data["q"], category=data["category"])
    context = {
        "form": form,
        "organisations": organisations.ordered(),
        "can_edit": can_edit(request.user, school),
        "template_count": BoardTemplate.objects.filter(board_id=school.board_id).count(),
        "today": timezone.localdate(),
    }
    return render(request, "socialmap/organisation_list.html", context)


@require_GET
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, pk, Action.READ)
    history = organisation.history.select_related("history_user").order_by("-history_date")
    context = {
        "organisation": organisation,
        "changes": _changes(history),
        "can_edit": can_edit(request.user, organisation.school),
        # The work this partner was part of, only in cases this person may see.
        "consultations": list(consultations_for_organisation(organisation, request.user)[:50]),
    }
    return render(request, "socialmap/organisation_detail.html", context)


def _changes(history) -> list[dict]:
    """Each historical version with the fields it changed compared to the one before."""
    records = list(history)
    changes = []
    for record, previous in zip(records, [*records[1:], None], strict=True):
        fields = []
        if previous is not None:
            delta = record.diff_against(previous)
            fields = [
                Organisation._meta.get_field(change.field).verbose_name for change in delta.changes
            ]
        changes.append({"record": record, "fields": fields})
    return changes


@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    school = require(request.user, request.school, Action.EDIT)
    form = OrganisationForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_save(
            organisation=form.save(commit=False), by=request.user
        )
        messages.success(request, _("%(name)s was added.") % {"name": organisation.name})
        return redirect(organisation)
    return render(request, "socialmap/organisation_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, pk, Action.EDIT)
    form = OrganisationForm(request.POST or None, instance=organisation, school=organisation.school)
    if request.method == "POST" and form.is_valid():
        services.organisation_save(organisation=form.save(commit=False), by=request.user)
        messages.success(request, _("The changes were saved."))
        return redirect(organisation)
    context = {"form": form, "organisation": organisation}
    return render(request, "socialmap/organisation_form.html", context)


@require_POST
def organisation_archive(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, pk, Action.EDIT)
    services.organisation_archive(organisation=organisation, by=request.user)
    messages.success(
        request,
        _("%(name)s was archived: it is off the social map, but cases keep pointing at it.")
        % {"name": organisation.name},
    )
    return redirect("socialmap:list")


@require_POST
def organisation_restore(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, pk, Action.EDIT)
    try:
        services.organisation_restore(organisation=organisation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is back on the social map.") % {"name": organisation})
    return redirect(organisation)


@require_POST
def organisation_mark_checked(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, pk, Action.EDIT)
    services.organisation_mark_checked(organisation=organisation, by=request.user)
    messages.success(request, _("Marked as checked today."))
    return redirect(organisation)


@require_GET
def organisation_print(request: HttpRequest) -> HttpResponse:
    school = require(request.user, request.school, Action.READ)
    response = HttpResponse(overview_pdf(school=school), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="sociale-kaart.pdf"'
    return response


@require_GET
def organisation_export(request: HttpRequest) -> HttpResponse:
    school = require(request.user, request.school, Action.READ)
    return csv_response(organisations_rows(school=school), filename="sociale-kaart.csv")


@require_http_methods(["GET", "POST"])
def organisation_import(request: HttpRequest) -> HttpResponse:
    school = require(request.user, request.school, Action.EDIT)
    errors: list[str] = []
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = organisations_import(
                school=school, data=form.cleaned_data["file"].read(), by=request.user
            )
        except ImportRefused as refused:
            errors = refused.errors
            form.add_error("file", _("Nothing was imported: correct the rows below and try again."))
        else:
            messages.success(
                request,
                _("Import done: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.")
                % vars(result),
            )
            return redirect("socialmap:list")
    return render(request, "socialmap/organisation_import.html", {"form": form, "errors": errors})


@require_POST
def templates_copy(request: HttpRequest) -> HttpResponse:
    school = require(request.user, request.school, Action.EDIT)
    added = services.board_templates_copy(school=school, by=request.user)
    if added:
        messages.success(
            request,
            ngettext(
                "%(count)d entry of the board was added.",
                "%(count)d entries of the board were added.",
                added,
            )
            % {"count": added},
        )
    else:
        messages.info(request, _("The social map already has every entry of the board."))
    return redirect("socialmap:list")


@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    board = board_of_manager(request.user, request.school)
    templates = BoardTemplate.objects.filter(board=board).order_by("category", "name")
    return render(request, "socialmap/template_list.html", {"board": board, "templates": templates})


@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest) -> HttpResponse:
    board = board_of_manager(request.user, request.school)
    form = BoardTemplateForm(request.POST or None, board=board)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            template = form.save()
        messages.success(request, _("%(name)s was added.") % {"name": template.name})
        return redirect("socialmap:template_list")
    return render(request, "socialmap/template_form.html", {"form": form, "board": board})


@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_template_for(request.user, pk, request.school)
    form = BoardTemplateForm(request.POST or None, instance=template, board=template.board)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("The changes were saved."))
        return redirect("socialmap:template_list")
    context = {"form": form, "board": template.board, "template": template}
    return render(request, "socialmap/template_form.html", context)


@require_POST
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    # Templates are only copied, never pointed at: deleting one leaves every school's copy.
    template = get_template_for(request.user, pk, request.school)
    with transaction.atomic():
        template.delete()
    messages.success(request, _("%(name)s was removed from the templates.") % {"name": template})
    return redirect("socialmap:template_list")
