"""Writing and verifying the access log: one hash-chained row per read of a case.

Writers are serialised so the chain stays a single line: on PostgreSQL with a
transaction-scoped advisory lock (it also covers the very first row, which no
`select_for_update` could lock); SQLite allows only one writer at a time anyway. The
unique constraint on `prev_hash` is the last net: a second row claiming the same
predecessor is refused by the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

from cases.dossier import AccessLog

# An arbitrary, fixed key for pg_advisory_xact_lock: "access log" for this application.
ADVISORY_LOCK_KEY = 7_204_113_005

Action = AccessLog.Action


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


def access_log_write(*, user, case_id: int, action: str) -> AccessLog:
    """Append one row: `user` did `action` on case `case_id` (which may not exist)."""
    action = Action(action)
    authenticated = user is not None and user.is_authenticated
    with transaction.atomic():
        _lock_chain()
        last = AccessLog.objects.order_by("-pk").values_list("row_hash", flat=True).first()
        row = AccessLog(
            user=user if authenticated else None,
            username=user.get_username() if authenticated else "",
            case_id=case_id,
            action=action,
            prev_hash=last or "",
        )
        row.row_hash = row.compute_hash()
        row.save()
    return row


def access_log_export(*, user, case) -> AccessLog:
    """Call when a dossier is exported (the PDF for the inspectorate)."""
    return access_log_write(user=user, case_id=case.pk, action=Action.EXPORT)


@dataclass(frozen=True)
class ChainReport:
    rows: int
    first_broken: AccessLog | None
    problem: str = ""
    last: AccessLog | None = None

    @property
    def holds(self) -> bool:
        return self.first_broken is None


def access_log_verify(chunk_size: int = 2000) -> ChainReport:
    """Walk the whole chain in order; stop at the first row that does not fit."""
    last: AccessLog | None = None
    count = 0
    for row in AccessLog.objects.order_by("pk").iterator(chunk_size=chunk_size):
        count += 1
        if row.prev_hash != (last.row_hash if last else ""):
            return ChainReport(count, row, "its previous hash does not match the row before it")
        if row.row_hash != row.compute_hash():
            return ChainReport(count, row, "its content does not match its hash")
        last = row
    return ChainReport(count, None, last=last)
