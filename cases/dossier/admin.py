"""The dossier in the admin: to look at, never to change or delete."""

from django.contrib import admin

from cases.dossier.models import Entry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False  # entries go through entry_add, with all its rules

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    """Metadata only. The application manager is not on the need-to-know list: what an
    entry says is read on the case page, where every read is logged."""

    list_display = ["pk", "case", "kind", "occurred_on", "recorded_at", "author"]
    fields = ["case", "kind", "occurred_on", "recorded_at", "author"]
    list_filter = ["kind"]
    list_select_related = ["case", "author"]
