"""The access log: one hash-chained row per read of a case, its writing and verifying.

Refused looks are counted, not chained one by one (`access_log_deny`): the first of a
day per person, kind of target and chain is a chained `denied` row, the rest a count in
`DeniedReads`, so a person guessing case numbers cannot flood the log.

One chain per school (`school_id`; 0 for a look at a case that does not exist): a read
at one school never waits for a read at another, and the chains are verified together.
Writers of one chain are serialised: on PostgreSQL with a transaction-scoped advisory
lock on (log, school) (it also covers a chain's very first row, which no
`select_for_update` could lock); SQLite allows only one writer at a time anyway. The
unique constraint on (school, previous hash) is the last net: a second row claiming the
same predecessor in one chain is refused by the database.

Each row keeps a keyed digest of its content, and its hash covers the chain, the
previous hash and that digest. Purging an expired case blanks the content of its rows
(who, which case) but keeps their digests, so every chain still verifies across a
purge: a purged row's link is checked, its vanished content no longer can be.
"""

from __future__ import annotations

import datetime as dt
import functools
import hmac
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.append_only import AppendOnlyModel, append_only_trigger


def audit_key() -> bytes:
    """The key of the access log's hash chain: MELDCODE_AUDIT_KEY, or derived from the
    secret key. It must stay the same for as long as the log is kept."""
    return _audit_key(settings.MELDCODE_AUDIT_KEY, settings.SECRET_KEY)


@functools.lru_cache(maxsize=4)
def _audit_key(audit_setting: str, secret_key: str) -> bytes:
    # Derived once per pair of settings: the nightly checks ask for it per sealed record.
    if audit_setting:
        return audit_setting.encode()
    return hmac.digest(secret_key.encode(), b"meldcode-access-log", "sha256")


def keyed_hash(message: bytes) -> str:
    """HMAC-SHA256 of `message` under the audit key, in hex (OpenSSL's one-shot HMAC: the
    same digest as `hmac.new(...).hexdigest()`, without a Python object per record)."""
    return hmac.digest(audit_key(), message, "sha256").hex()


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
        ADMIN = "admin", _("viewed a record in the admin")
        FILE_REFUSED = "file_refused", _("was refused a document that does not match its seal")
        RELEASE = "release", _("released the inzage copy to who asked")
        ANONYMISED = "anonymised", _("downloaded the reviewed anonymised copy")

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
    # The chain this row belongs to: the case's school (0: no school, or a row from
    # before the chains were split per school).
    school_id = models.PositiveBigIntegerField(_("school number"), default=0)
    digest = models.CharField(_("content digest"), max_length=64, blank=True)
    purged = models.BooleanField(_("content purged"), default=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    row_hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("access log row")
        verbose_name_plural = _("access log")
        ordering = ["pk"]
        triggers = [append_only_trigger("access_log_append_only")]
        indexes = [
            # The head of a school's chain, read by every write.
            models.Index(fields=["school_id", "-id"], name="access_log_chain_head")
        ]
        constraints = [
            # Two rows can never claim the same predecessor: a chain cannot fork.
            models.UniqueConstraint(
                fields=["school_id", "prev_hash"], name="access_log_linear_chain_per_school"
            )
        ]

    def __str__(self) -> str:
        return f"{self.username or '-'} · {self.action} · {self.case_id}"

    def canonical(self) -> bytes:
        """Version 1 (rows from before the per-school chains, which have no digest): the
        row's content and previous hash as the hash sees them."""
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

    def content(self) -> bytes:
        """Version 2: the row's content alone (fixed keys, UTC, microseconds)."""
        content = {
            "v": 2,
            "at": self.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "user_id": self.user_id,
            "username": self.username,
            "case_id": self.case_id,
            "action": self.action,
            "school_id": self.school_id,
        }
        return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()

    def compute_digest(self) -> str:
        return keyed_hash(self.content())

    def compute_hash(self) -> str:
        # Keyed: whoever can write to the database but lacks the key cannot rewrite a row
        # and recompute the rest of the chain to hide it.
        if not self.digest:
            return keyed_hash(self.canonical())
        link = f"v2|{self.school_id}|{self.prev_hash}|{self.digest}".encode()
        return keyed_hash(link)


class DeniedReads(models.Model):
    """How often one person was refused a look at a case on one day: a counter, kept
    outside the hash chain. The first refusal of the day (per person, kind of target and
    chain) writes one chained `denied` row; each later one only counts here. So an
    auditor sees who probed what and how often, and nobody can flood the log: 30 guessed
    case numbers make one chained row and a count of 30."""

    class Kind(models.TextChoices):
        CASE = "case", _("a case they may not see")
        NO_CASE = "no_case", _("a case number that does not exist")

    day = models.DateField(_("day"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    kind = models.CharField(_("target"), max_length=16, choices=Kind.choices)
    # The chain the first refusal was written to (the case's school; 0: no such case).
    school_id = models.PositiveBigIntegerField(_("school number"), default=0)
    count = models.PositiveIntegerField(_("refusals"), default=0)
    first_case_id = models.PositiveBigIntegerField(_("first case number tried"))
    last_case_id = models.PositiveBigIntegerField(_("last case number tried"))
    first_at = models.DateTimeField(_("first refusal"))
    last_at = models.DateTimeField(_("last refusal"))

    class Meta:
        verbose_name = _("refused looks of a day")
        verbose_name_plural = _("refused looks per day")
        ordering = ["-day", "username", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "username", "kind", "school_id"], name="denied_reads_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.username or '-'} · {self.kind} · {self.count}"


# An arbitrary, fixed key for pg_advisory_xact_lock(int, int): "access log", per school.
ADVISORY_LOCK_KEY = 720_411

Action = AccessLog.Action


def _lock_chain(school_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_KEY, school_id])


def _school_of(case_id: int) -> int:
    from cases.models import Case

    return Case.objects.filter(pk=case_id).values_list("school_id", flat=True).first() or 0


@dataclass
class CaseReads:
    """The cases one request fetched through the door (`cases.access.get_case_for`), and
    the ones it already wrote a row for (a download, an export): what `reads_case` still
    has to log when the page is shown."""

    fetched: dict[int, int] = field(default_factory=dict)  # case id -> school id
    logged: set[int] = field(default_factory=set)

    def unlogged(self) -> list[tuple[int, int]]:
        return [(pk, school) for pk, school in self.fetched.items() if pk not in self.logged]


_reads: ContextVar[CaseReads | None] = ContextVar("meldcode_case_reads", default=None)


@contextmanager
def case_reads() -> Iterator[CaseReads]:
    """Track, for one view, which cases it fetched and which rows it wrote."""
    token = _reads.set(CaseReads())
    try:
        yield _reads.get()
    finally:
        _reads.reset(token)


def case_fetched(case) -> None:
    """Called by the door when it hands a case to a view (outside a view: nothing)."""
    reads = _reads.get()
    if reads is not None:
        reads.fetched[case.pk] = case.school_id


def access_log_write(*, user, case_id: int, action: str, school_id: int | None = None) -> AccessLog:
    """Append one row: `user` did `action` on case `case_id` (which may not exist). Pass the
    case's `school_id` when it is at hand; otherwise it is looked up."""
    action = Action(action)
    authenticated = user is not None and user.is_authenticated
    if school_id is None:
        school_id = _school_of(case_id)
    with transaction.atomic():
        _lock_chain(school_id)
        last = (
            AccessLog.objects.filter(school_id=school_id)
            .order_by("-pk")
            .values_list("row_hash", flat=True)
            .first()
        )
        row = AccessLog(
            user=user if authenticated else None,
            username=user.get_username() if authenticated else "",
            case_id=case_id,
            action=action,
            school_id=school_id,
            prev_hash=last or "",
            at=timezone.now(),
        )
        row.digest = row.compute_digest()
        row.row_hash = row.compute_hash()
        row.save()
    reads = _reads.get()
    if reads is not None:
        reads.logged.add(case_id)
    return row


def access_log_deny(*, user, case_id: int, school_id: int | None = None) -> AccessLog | None:
    """A refused look at case `case_id` (which may not exist): counted per person, kind
    of target, chain and day; only the first of the day is appended to the chain (that
    row is returned; later ones return None)."""
    if school_id is None:
        school_id = _school_of(case_id)
    authenticated = user is not None and user.is_authenticated
    username = user.get_username() if authenticated else ""
    kind = DeniedReads.Kind.CASE if school_id else DeniedReads.Kind.NO_CASE
    now = timezone.now()
    key = {
        "day": timezone.localdate(now),
        "username": username,
        "kind": kind,
        "school_id": school_id,
    }
    counted = {"count": models.F("count") + 1, "last_case_id": case_id, "last_at": now}
    with transaction.atomic():
        if DeniedReads.objects.filter(**key).update(**counted):
            return None
        try:
            with transaction.atomic():
                DeniedReads.objects.create(
                    **key,
                    user=user if authenticated else None,
                    count=1,
                    first_case_id=case_id,
                    last_case_id=case_id,
                    first_at=now,
                    last_at=now,
                )
        except IntegrityError:
            # The same person's other request counted the first refusal a moment ago.
            DeniedReads.objects.filter(**key).update(**counted)
            return None
        return access_log_write(
            user=user, case_id=case_id, action=Action.DENIED, school_id=school_id
        )


def access_log_export(*, user, case) -> AccessLog:
    """Call when a dossier is exported (the PDF for the inspectorate)."""
    return access_log_write(
        user=user, case_id=case.pk, action=Action.EXPORT, school_id=case.school_id
    )


def access_log_purge_case(case_id: int) -> int:
    """Blank who read which case in the rows of a purged case; keep their digests and
    hashes, so the chain still verifies. Only `cases.retention` calls this, inside its
    purge (the append-only guards let exactly that path through)."""
    from cases.append_only import purging

    with purging(AccessLog), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AccessLog._meta.db_table} SET case_id = 0, user_id = NULL, "
            "username = '', purged = %s WHERE case_id = %s AND digest <> ''",
            [True, case_id],
        )
        blanked = cursor.rowcount
    # The counters of refused looks keep who tried, not which purged case they tried.
    DeniedReads.objects.filter(first_case_id=case_id).update(first_case_id=0)
    DeniedReads.objects.filter(last_case_id=case_id).update(last_case_id=0)
    return blanked


@dataclass(frozen=True)
class ChainReport:
    rows: int
    first_broken: AccessLog | None
    problem: str = ""
    last: AccessLog | None = None
    heads: dict[int, AccessLog] = field(default_factory=dict)

    @property
    def holds(self) -> bool:
        return self.first_broken is None


def access_log_verify(chunk_size: int = 2000) -> ChainReport:
    """Walk every school's chain in order; stop at the first row that does not fit."""
    heads: dict[int, AccessLog] = {}
    last: AccessLog | None = None
    count = 0
    rows = AccessLog.objects.order_by("school_id", "pk").iterator(chunk_size=chunk_size)
    for row in rows:
        count += 1
        before = heads.get(row.school_id)
        if row.prev_hash != (before.row_hash if before else ""):
            return ChainReport(count, row, "its previous hash does not match the row before it")
        if row.row_hash != row.compute_hash():
            return ChainReport(count, row, "its hash does not match its link in the chain")
        if row.digest and not row.purged and row.digest != row.compute_digest():
            return ChainReport(count, row, "its content does not match its hash")
        heads[row.school_id] = row
        if last is None or row.pk > last.pk:
            last = row
    return ChainReport(count, None, last=last, heads=heads)
