from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.second_factor import devices_reset
from accounts.sessions import sessions_end
from meldcode.forms import StaffImportForm
from meldcode.models import Board, Membership, Pupil, School, User
from meldcode.outbox import OutgoingMail, mail_queue
from meldcode.staff_import import ImportRefused, staff_import
from meldcode.views import staff_import_done
from socialmap.services import school_seed_socialmap


class UserChangeForm(BaseUserChangeForm):
    def clean_is_superuser(self) -> bool:
        value = self.cleaned_data["is_superuser"]
        if value and self.instance.pk and Membership.objects.filter(user=self.instance).exists():
            raise ValidationError(
                _("An application manager cannot hold a role at a school or board: give "
                  "school staff their own account.")
            )  # fmt: skip
        return value


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0


class VerifiedAdminSite(admin.AdminSite):
    """The admin answers only after the second factor (the sign-in itself is the app's)."""

    def has_permission(self, request) -> bool:
        return super().has_permission(request) and request.user.is_verified()


admin.site.__class__ = VerifiedAdminSite


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    actions = ["reset_second_factor"]

    form = UserChangeForm

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            sessions_end(obj)  # a deactivated account is signed out everywhere at once

    @admin.action(description=_("Reset the second factor (lost phone)"))
    def reset_second_factor(self, request, queryset) -> None:
        for user in queryset:
            devices_reset(user)
            sessions_end(user)
            self.log_change(request, user, _("Second factor reset; sessions ended."))
            if user.email:
                mail_queue(
                    subject=_("Meldcode: your second factor was reset"),
                    body=_(
                        "The application manager reset your second factor. At your next "
                        "sign-in you set it up again. Did you not ask for this? Tell your "
                        "school's application manager at once."
                    ),
                    to=[user.email],
                )
        self.message_user(request, _("The second factor is reset; the user was told by mail."))


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    list_display = ["name", "staff_import_link"]

    def get_urls(self):
        return [
            path(
                "<int:board_id>/medewerkers/",
                self.admin_site.admin_view(self.staff_import_view),
                name="meldcode_board_staff_import",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("staff"))
    def staff_import_link(self, board: Board) -> str:
        url = reverse("admin:meldcode_board_staff_import", args=[board.pk])
        return format_html('<a href="{}">{}</a>', url, _("Import staff"))

    def staff_import_view(self, request: HttpRequest, board_id: int) -> HttpResponse:
        """The application manager brings in the staff of the board's schools at once."""
        if not (
            request.user.has_perm("meldcode.add_membership")
            and request.user.has_perm("meldcode.delete_membership")
        ):
            raise PermissionDenied
        board = get_object_or_404(Board, pk=board_id)
        errors: list[str] = []
        form = StaffImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = staff_import(
                    data=form.cleaned_data["file"].read(), by=request.user, board=board
                )
            except ImportRefused as refused:
                errors = refused.errors
                form.add_error(
                    "file", _("Nothing was imported: correct the rows below and try again.")
                )
            else:
                staff_import_done(request, result)
                return redirect("admin:meldcode_board_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import staff of %(board)s") % {"board": board},
            "board": board,
            "form": form,
            "errors": errors,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/meldcode/board/staff_import.html", context)


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    # The retention term is the directie's to set (in the application, with history).
    fields = ["board", "name", "retention_years", "retention_from"]
    readonly_fields = ["retention_years", "retention_from"]
    list_display = ["name", "board"]
    list_filter = ["board"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            # A new school starts with the national entries of the sociale kaart.
            school_seed_socialmap(school=obj)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "school", "board", "can_diagnose"]
    list_filter = ["role", "school", "can_diagnose"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "school", "board"]


@admin.register(Pupil)
class PupilAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "group", "school"]
    list_filter = ["school", "group"]
    search_fields = ["first_name", "last_name"]


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """The outbox: whether mails went out. Never their text (it is emptied once sent)."""

    list_display = ["created_at", "to", "subject", "mail_status", "attempts", "last_error"]
    list_filter = ["failed", "sent_at"]
    fields = [*list_display, "sent_at", "next_attempt_at"]
    readonly_fields = fields

    @admin.display(description=_("status"))
    def mail_status(self, mail: OutgoingMail) -> str:
        return mail.status

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
