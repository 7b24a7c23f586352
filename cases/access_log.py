"""The access log: one hash-chained row per read of a case, its writing and verifying.

Writers are serialised so the chain stays a single line: on PostgreSQL with a
transaction-scoped advisory lock (it also covers the very first row, which no
`select_for_update` could lock); SQLite allows only one writer at a time anyway. The
unique constraint on `prev_hash` is the last net: a second row claiming the same
predecessor is refused by the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.append_only import AppendOnlyModel, append_only_trigger


def audit_key() -> bytes:
    """The key of the access log's hash chain: MELDCODE_AUDIT_KEY, or derived from the
    secret key. It must stay the same for as long as the log is kept."""
    if settings.MELDCODE_AUDIT_KEY:
        return settings.MELDCODE_AUDIT_KEY.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"meldcode-access-log", hashlib.sha256).digest()


class AccessLog(AppendOnlyModel):
    """One read, export, download or refused look at a case. Hash-chained, append-only.

    Each row's hash covers its own fields and the previous row's hash, so a changed or
    removed row breaks the chain at that point (`manage.py verify_access_log`).
    """

    class Action(models.TextChoices):
        VIEW = "view", _("viewed the dossier")
        CHRONOLOGY = "chronology", _("viewed the pupil's chronology")
        EXPORT = "export", _("exported the dossier")
        DOWNLOAD = "download", _("downloaded a document")
        DENIED = "denied", _("was refused access")

    at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    # PROTECT: a person who read a dossier is deactivated, never deleted, so the log keeps them.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    # A plain number, not a foreign key: a denied row may name a case that does not exist,
    # and the log must outlive anything it points at.
    case_id = models.PositiveBigIntegerField(_("case number"), db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    row_hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("access log row")
        verbose_name_plural = _("access log")
        ordering = ["pk"]
        triggers = [append_only_trigger("access_log_append_only")]
        constraints = [
            # Two rows can never claim the same predecessor: the chain cannot fork.
            models.UniqueConstraint(fields=["prev_hash"], name="access_log_linear_chain")
        ]

    def __str__(self) -> str:
        return f"{self.username or '-'} · {self.action} · {self.case_id}"

    def canonical(self) -> bytes:
        """The row's content as the hash sees it: fixed keys, UTC, microseconds."""
        at = self.at.astimezone(dt.UTC).isoformat(timespec="microseconds")
        content = {
            "v": 1,
            "at": at,
            "user_id": self.user_id,
            "username": self.username,
            "case_id": self.case_id,
            "action": self.action,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()

    def compute_hash(self) -> str:
        # Keyed: whoever can write to the database but lacks the key cannot rewrite a row
        # and recompute the rest of the chain to hide it.
        return hmac.new(audit_key(), self.canonical(), hashlib.sha256).hexdigest()


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
