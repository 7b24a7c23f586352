from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from meldcode.models import Board, Membership, Pupil, School, User
from socialmap.services import school_seed_socialmap


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
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
