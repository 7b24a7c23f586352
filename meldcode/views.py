from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meldcode.forms import (
    PupilImportForm,
    PupilLeftForm,
    PupilSearchForm,
    RetentionForm,
    SchoolSwitchForm,
    StaffAddForm,
    StaffImportForm,
)
from meldcode.memberships import access_history, board_role_history, board_roles, current_access
from meldcode.middleware import SESSION_KEY
from meldcode.models import Pupil, Role
from meldcode.pupil_import import LEAVING_SETTERS, ImportRefused, pupil_set_left, pupils_import
from meldcode.staff import may_add_staff, roles_grantable_by, schools_managed_by, staff_member_add
from meldcode.staff_import import StaffImportResult, staff_import

PUPIL_MANAGERS = (Role.IB, Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE)


def _require_role(request: HttpRequest, *roles: str) -> None:
    if request.school is None or not request.user.has_role(request.school, *roles):
        raise PermissionDenied


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "meldcode/home.html")


@require_POST
def school_switch(request: HttpRequest) -> HttpResponse:
    form = SchoolSwitchForm(request.POST, user=request.user)
    if form.is_valid():
        request.session[SESSION_KEY] = form.cleaned_data["school"].pk
        messages.success(
            request, _("You now work in %(school)s.") % {"school": form.cleaned_data["school"]}
        )
    else:
        messages.error(request, _("You do not work at that school."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "home"
    return redirect(target)


@require_GET
def pupil_list(request: HttpRequest) -> HttpResponse:
    _require_role(request, *PUPIL_MANAGERS)
    search = PupilSearchForm(request.GET or None, school=request.school)
    pupils, too_many = search.results(request.school)
    return render(
        request,
        "meldcode/pupil_list.html",
        {
            "pupils": pupils,
            "too_many": too_many,
            "search": search,
            "count": request.school.pupils.count(),
            "may_set_left": request.user.has_role(request.school, *LEAVING_SETTERS),
        },
    )


@require_http_methods(["GET", "POST"])
def pupil_import(request: HttpRequest) -> HttpResponse:
    _require_role(request, *PUPIL_MANAGERS)
    errors: list[str] = []
    if request.method == "GET":
        form = PupilImportForm()
    else:
        form = PupilImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = pupils_import(school=request.school, data=form.cleaned_data["file"].read())
            except ImportRefused as refused:
                errors = refused.errors
                form.add_error(
                    "file", _("Nothing was imported: correct the rows below and try again.")
                )
            else:
                messages.success(
                    request,
                    _(
                        "Import done: %(created)d new, %(updated)d with a new group, "
                        "%(unchanged)d unchanged."
                    )
                    % {
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                    },
                )
                return redirect("pupil_list")
    return render(request, "meldcode/pupil_import.html", {"form": form, "errors": errors})


@require_GET
def school_access(request: HttpRequest) -> HttpResponse:
    """Who has access to our school, since when, given by whom; every change (directie)."""
    _require_role(request, Role.DIRECTIE)
    school = request.school
    return render(
        request,
        "meldcode/school_access.html",
        {"members": current_access(school), "changes": access_history(school)[:200]},
    )


@require_GET
def board_access(request: HttpRequest) -> HttpResponse:
    """Who holds a board role (and so reads the staff signals of every school of the
    board), since when and given by whom: for the board's members and every directie."""
    _require_role(request, Role.BESTUUR, Role.DIRECTIE)
    board = request.school.board
    return render(
        request,
        "meldcode/board_access.html",
        {"board": board, "members": board_roles(board), "changes": board_role_history(board)[:200]},
    )


def staff_import_done(request: HttpRequest, result: StaffImportResult) -> None:
    messages.success(
        request,
        _(
            "Import done: %(accounts)d new colleagues (mailed), %(added)d roles added, "
            "%(ended)d roles ended, %(kept)d unchanged."
        )
        % {
            "accounts": result.accounts_created,
            "added": result.roles_added,
            "ended": result.roles_ended,
            "kept": result.roles_kept,
        },
    )


@require_http_methods(["GET", "POST"])
def staff_import_view(request: HttpRequest) -> HttpResponse:
    """The directie brings in its school's staff at once (meldcode.staff_import)."""
    _require_role(request, Role.DIRECTIE)
    errors: list[str] = []
    form = StaffImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = staff_import(
                data=form.cleaned_data["file"].read(), by=request.user, school=request.school
            )
        except ImportRefused as refused:
            errors = refused.errors
            form.add_error("file", _("Nothing was imported: correct the rows below and try again."))
        else:
            staff_import_done(request, result)
            return redirect("school_access")
    return render(request, "meldcode/staff_import.html", {"form": form, "errors": errors})


@require_http_methods(["GET", "POST"])
def staff_add(request: HttpRequest) -> HttpResponse:
    """Medewerker toevoegen: the directie (for the schools it leads) and the application
    manager add one colleague, who is mailed a link to choose a password."""
    if not may_add_staff(request.user):
        raise PermissionDenied
    form = StaffAddForm(
        request.POST or None,
        schools=schools_managed_by(request.user),
        roles=roles_grantable_by(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = staff_member_add(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is added and gets an e-mail to choose a password.")
                % {"name": user.get_full_name()},
            )
            return redirect(
                "school_access"
                if request.user.has_role(request.school, Role.DIRECTIE)
                else "staff_add"
            )
    return render(request, "meldcode/staff_add.html", {"form": form})


@require_http_methods(["GET", "POST"])
def retention(request: HttpRequest) -> HttpResponse:
    """The school's bewaartermijn: shown to and set by the directie."""
    _require_role(request, Role.DIRECTIE)
    school = request.school
    form = RetentionForm(request.POST or None, instance=school)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The retention term is saved."))
        return redirect("retention")
    changes = school.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )[:30]
    return render(request, "meldcode/retention.html", {"form": form, "changes": changes})


@require_http_methods(["GET", "POST"])
def pupil_left(request: HttpRequest, pupil_id: int) -> HttpResponse:
    """Set by hand the day a pupil leaves (the aandachtsfunctionaris or the directie)."""
    # A pupil of another school is not found, whoever asks: no hint that it exists.
    pupil = get_object_or_404(Pupil, pk=pupil_id, school=request.school)
    _require_role(request, *LEAVING_SETTERS)
    form = PupilLeftForm(request.POST or None, initial={"left_on": pupil.left_on})
    if request.method == "POST" and form.is_valid():
        pupil_set_left(pupil=pupil, left_on=form.cleaned_data["left_on"], by=request.user)
        messages.success(request, _("The date of leaving is saved."))
        return redirect("pupil_list")
    return render(request, "meldcode/pupil_left.html", {"pupil": pupil, "form": form})
