"""The access log in the admin: to look at, never to change or delete."""

from django.contrib import admin

from cases.access_log import AccessLog
from cases.dossier import admin as dossier_admin  # noqa: F401  (registers it)
from cases.dossier.admin import ReadOnlyAdmin


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["pk", "at", "username", "case_id", "action"]
    list_filter = ["action"]
    allowed_lookups = frozenset({"action", "action__exact"})
