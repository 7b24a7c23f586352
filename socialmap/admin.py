from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from socialmap.models import BoardTemplate, Organisation


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "school", "phone", "last_checked", "archived_at"]
    list_filter = ["school", "category"]
    search_fields = ["name"]
    readonly_fields = ["archived_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Organisation | None = None) -> bool:
        # An entry a case points at is archived, never deleted (the database PROTECTs it too).
        if obj is not None and obj.is_referenced():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(BoardTemplate)
class BoardTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "board", "phone"]
    list_filter = ["board", "category"]
    search_fields = ["name"]
