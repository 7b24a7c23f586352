"""The dossier in the admin: to look at, never to change, delete, search or filter on.

The application manager is not on the need-to-know list. The admin lists and counts a
case's records by their metadata; it refuses every lookup in the URL except the few
declared (`allowed_lookups`), so no one can probe what an entry says one request at a
time (`?description__startswith=…` answers 400), and every record opened in the admin
writes a row in the case's access log.
"""

from django.contrib import admin

from cases.access_log import Action, access_log_write
from cases.dossier.models import Entry


class ReadOnlyAdmin(admin.ModelAdmin):
    # Lookups a changelist may take from its URL: metadata only, never content.
    allowed_lookups: frozenset[str] = frozenset()
    search_fields = ()

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # entries go through entry_add, with all its rules

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        return lookup in self.allowed_lookups

    def get_search_results(self, request, queryset, search_term):
        return queryset, False


class CaseRecordAdmin(ReadOnlyAdmin):
    """A record of one case: opening it in the admin is a read of that case, logged."""

    def case_of(self, obj) -> int:
        return obj.case_id

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                access_log_write(user=request.user, case_id=self.case_of(obj), action=Action.ADMIN)
        return response


@admin.register(Entry)
class EntryAdmin(CaseRecordAdmin):
    """Metadata only: what an entry says is read on the case page, where every read is
    logged."""

    list_display = ["pk", "case", "kind", "occurred_on", "recorded_at", "author"]
    fields = ["case", "kind", "occurred_on", "recorded_at", "author"]
    list_filter = ["kind"]
    allowed_lookups = frozenset({"kind", "kind__exact"})
    list_select_related = ["case", "author"]
