"""The dossier's seals: a keyed hash chain per case over everything the case records.

Every append-only record of a case (its entries and signal tags, its moves and
noodsituatie calls, changes of responsibility and access, consultations and consent,
talk reports and signatures, the weighing, help evaluations, reports, answers and
uploads) gets one `Seal` row in the same transaction: the record's keyed digest, linked
to the case's previous seal. Staff signals are chained per school the same way; a staff
signal purged after its term leaves its seals, and its purge record names its records.

The case row itself is mutable (its step, who is responsible), but its identity is not:
the pupil, the school, who opened it and when are sealed when it is opened (the first
seal of its chain), so a dossier moved to another child or another school is named.

`dossier_verify()` (and `manage.py verify_dossiers`) recomputes every digest from the
rows as they are now and walks every chain, so it names a record that was rewritten,
removed or inserted behind the application's back, also when someone with the owner's
rights switched the append-only triggers off: without the key, nobody can forge a seal.
It also compares what the seals vouch for with what is in force now: every per-case
grant (django-guardian's rows) against the sealed changes of access, and every
document's file against its sealed hash.

A purge (`cases.retention`) deletes a case's records together with its whole chain; the
purge record keeps the number of seals and the last hash, so the other chains and the
purge itself stay verifiable.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import hmac
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access_log import keyed_hash
from cases.append_only import AppendOnlyModel, append_only_trigger

# Which records are sealed, and the path from each to its chain: ("case", path to the
# case) or ("staff", path to the school).
SEALED: dict[str, tuple[str, str]] = {
    "cases.Case": ("case", "pk"),
    "cases.Entry": ("case", "case"),
    "cases.EntrySignal": ("case", "entry__case"),
    "cases.BodyMark": ("case", "entry__case"),
    "cases.EntryAttachment": ("case", "entry__case"),
    "cases.Transition": ("case", "case"),
    "cases.EmergencyCall": ("case", "transition__case"),
    "cases.ResponsibleChange": ("case", "case"),
    "cases.AccessChange": ("case", "case"),
    "cases.Consent": ("case", "case"),
    "cases.Consultation": ("case", "case"),
    "cases.VerwijsindexDecision": ("case", "case"),
    "cases.Upload": ("case", "case"),
    "cases.MeetingReport": ("case", "meeting__case"),
    "cases.StaffSignature": ("case", "report__meeting__case"),
    "cases.ParentSignoff": ("case", "report__meeting__case"),
    "cases.Weighing": ("case", "case"),
    "cases.WeighingAnswer": ("case", "weighing__case"),
    "cases.HelpEvaluation": ("case", "plan__case"),
    "cases.Report": ("case", "case"),
    "cases.Response": ("case", "report__case"),
    "cases.ReportException": ("case", "case"),
    "cases.CaseEvaluation": ("case", "case"),
    "cases.InzageRequest": ("case", "case"),
    "cases.InzageExtension": ("case", "request__case"),
    "cases.InzageReview": ("case", "request__case"),
    "cases.InzageRelease": ("case", "request__case"),
    "cases.InzageRefusal": ("case", "request__case"),
    "cases.AnonymisedReview": ("case", "case"),
    "cases.LeavingRecord": ("case", "case"),
    "cases.CaseLink": ("case", "case"),
    "cases.StaffSignal": ("staff", "school"),
    "cases.StaffSignalAction": ("staff", "signal__school"),
    "cases.StaffSignalPupil": ("staff", "signal__school"),
    # Sealed too, so that nobody hides a removal behind a purge record of their own.
    "cases.StaffSignalPurgeRecord": ("staff", "school"),
}

# A record sealed on some of its fields only: the rest may change. Of a case, its identity.
SEALED_FIELDS: dict[str, list[str]] = {
    "cases.Case": ["id", "opened_at", "opened_by_id", "pupil_id", "school_id"],
}

# pg_advisory_xact_lock(int, int): "seals", per chain (a case's or a school's).
ADVISORY_LOCK_KEY = 720_412


class Seal(AppendOnlyModel):
    """One record of a case, sealed: its digest, chained to the case's previous seal."""

    chain = models.CharField(_("chain"), max_length=32)
    seq = models.PositiveIntegerField(_("number in the chain"))
    record = models.CharField(_("kind of record"), max_length=64)
    record_id = models.PositiveBigIntegerField(_("record number"))
    fields = models.TextField(_("fields sealed"))
    digest = models.CharField(_("digest"), max_length=64)
    at = models.DateTimeField(_("sealed at"), default=timezone.now)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    row_hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("seal")
        verbose_name_plural = _("seals")
        ordering = ["chain", "seq"]
        triggers = [append_only_trigger("seal_append_only")]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="seal_chain_seq"),
            models.UniqueConstraint(fields=["record", "record_id"], name="seal_once_per_record"),
        ]

    def __str__(self) -> str:
        return f"{self.chain} #{self.seq}"

    def compute_hash(self) -> str:
        parts = [self.chain, str(self.seq), self.record, str(self.record_id), self.fields]
        link = "|".join(["v1", *parts, self.digest, self.prev_hash])
        return keyed_hash(link.encode())


def _plain(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    raise TypeError(f"cannot seal a {type(value).__name__}")


def record_digest(label: str, record_id: int, values: dict, fields: list[str]) -> str:
    content = {"record": label, "id": record_id, "values": {name: values[name] for name in fields}}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), default=_plain)
    return keyed_hash(b"seal|" + text.encode())


def _field_names(model) -> list[str]:
    if model._meta.label in SEALED_FIELDS:
        return sorted(SEALED_FIELDS[model._meta.label])
    return sorted(field.attname for field in model._meta.concrete_fields)


def _chain_of(label: str, target_id) -> str:
    kind, _path = SEALED[label]
    return f"{kind}:{target_id}"


def _rows(model, pks) -> list[dict]:
    """The records as the database holds them, with the id of their chain's target."""
    label = model._meta.label
    names = _field_names(model)
    _kind, path = SEALED[label]
    return list(
        model._base_manager.filter(pk__in=pks)
        .annotate(seal_chain_target=models.F(path))
        .values(*names, "seal_chain_target")
    )


# Sealing this many chains in one call takes the one lock over every chain instead of a
# lock per chain: a transaction holding a lock per chain for thousands of cases (an upgrade,
# the bench's generator) runs out of PostgreSQL's lock table ("out of shared memory").
MANY_CHAINS = 16
# The second key of the lock over every chain; a chain's own key is never negative.
EVERY_CHAIN = -1


def _lock(chains: list[str]) -> None:
    """Serialise the writers of these chains until the transaction ends.

    A writer of a few chains shares the lock over every chain and takes each chain's own;
    a writer of many takes the lock over every chain alone. Either way a transaction holds
    at most MANY_CHAINS + 1 advisory locks per call, at any scale."""
    if connection.vendor != "postgresql":
        return  # SQLite writes one transaction at a time
    with connection.cursor() as cursor:
        if len(chains) > MANY_CHAINS:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_KEY, EVERY_CHAIN])
            return
        cursor.execute(
            "SELECT pg_advisory_xact_lock_shared(%s, %s)", [ADVISORY_LOCK_KEY, EVERY_CHAIN]
        )
        for chain in chains:
            key = int(hashlib.sha256(chain.encode()).hexdigest()[:7], 16)
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_KEY, key])


def seal_records(model, pks) -> None:
    """Seal records just inserted (same transaction as their insert)."""
    if not pks:
        return
    label = model._meta.label
    names = _field_names(model)
    by_chain: dict[str, list[dict]] = {}
    for row in sorted(_rows(model, pks), key=lambda row: row["id"]):
        if row["seal_chain_target"] is None:
            continue
        by_chain.setdefault(_chain_of(label, row["seal_chain_target"]), []).append(row)
    with transaction.atomic():
        _lock(sorted(by_chain))
        heads = _heads(sorted(by_chain))
        seals = []
        for chain, rows in sorted(by_chain.items()):
            seq, prev = heads.get(chain, (0, ""))
            for row in rows:
                seq += 1
                seal = Seal(
                    chain=chain,
                    seq=seq,
                    record=label,
                    record_id=row["id"],
                    fields=",".join(names),
                    digest=record_digest(label, row["id"], row, names),
                    prev_hash=prev,
                )
                seal.row_hash = seal.compute_hash()
                prev = seal.row_hash
                seals.append(seal)
        Seal.objects.bulk_create(seals, batch_size=1000)


def _heads(chains: list[str]) -> dict[str, tuple[int, str]]:
    """The last seal of each chain (its number and hash), a few hundred chains a query."""
    latest = Seal.objects.filter(chain=models.OuterRef("chain")).order_by("-seq").values("seq")
    heads = {}
    for start in range(0, len(chains), 500):
        rows = Seal.objects.filter(
            chain__in=chains[start : start + 500], seq=models.Subquery(latest[:1])
        ).values_list("chain", "seq", "row_hash")
        heads.update({chain: (seq, row_hash) for chain, seq, row_hash in rows})
    return heads


def sealed_models() -> list[type[models.Model]]:
    return [apps.get_model(label) for label in SEALED]


def _on_save(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        seal_records(sender, [instance.pk])


def connect() -> None:
    """Called from the app config: seal every sealed record as it is saved."""
    for model in sealed_models():
        post_save.connect(_on_save, sender=model, dispatch_uid=f"seal-{model._meta.label}")


def is_sealed(model) -> bool:
    """Whether `bulk_create` of this append-only model seals what it inserts."""
    return issubclass(model, AppendOnlyModel) and model._meta.label in SEALED


@dataclass(frozen=True)
class Problem:
    chain: str
    record: str
    record_id: int
    what: str

    @property
    def table(self) -> str:
        return apps.get_model(self.record)._meta.db_table

    def __str__(self) -> str:
        where = f"{self.record} id={self.record_id}"
        return f"{self.chain}: {where}: {self.what} [table {self.table} id={self.record_id}]"


@dataclass(frozen=True)
class DossierReport:
    seals: int
    chains: int
    problems: list[Problem]

    @property
    def holds(self) -> bool:
        return not self.problems


def _all_chains() -> list[str]:
    """Every chain that has seals or could have them (each case, each school's staff
    signals): a name per case, never a record, so it stays small at any scale."""
    from cases.models import Case
    from meldcode.models import School

    chains = set(Seal.objects.values_list("chain", flat=True).distinct())
    chains.update(f"case:{pk}" for pk in Case._base_manager.values_list("pk", flat=True))
    chains.update(f"staff:{pk}" for pk in School.objects.values_list("pk", flat=True))
    return sorted(chains)


def _records_of(chains: list[str]) -> dict[tuple[str, int], tuple[str, dict]]:
    """The sealed records of these chains, with the chain each belongs to now."""
    targets: dict[str, list[int]] = defaultdict(list)
    for chain in chains:
        kind, _colon, target = chain.partition(":")
        if target.isdigit():
            targets[kind].append(int(target))
    records: dict[tuple[str, int], tuple[str, dict]] = {}
    for model in sealed_models():
        label = model._meta.label
        kind, path = SEALED[label]
        if not targets[kind]:
            continue
        names = _field_names(model)
        rows = (
            model._base_manager.annotate(seal_chain_target=models.F(path))
            .filter(seal_chain_target__in=targets[kind])
            .values(*names, "seal_chain_target")
        )
        for row in rows:
            records[(label, row["id"])] = (_chain_of(label, row["seal_chain_target"]), row)
    return records


def dossier_verify(chains_per_batch: int = 500) -> DossierReport:
    """Recompute every sealed record's digest and walk every chain; list what does not fit.

    Chain by chain, a batch of chains at a time: memory holds one batch's records and
    seals, never the whole board's (a nightly job at any scale)."""
    from cases.staff_signals.services import purged_staff_records

    # A staff signal purged after the board's term leaves its seals in the school's chain
    # (other signals share it); its records are named in its purge record.
    purged = purged_staff_records()
    problems: list[Problem] = []
    count = 0
    chains = 0
    every_chain = _all_chains()
    for start in range(0, len(every_chain), chains_per_batch):
        batch = every_chain[start : start + chains_per_batch]
        digests = _records_of(batch)
        seen: set[tuple[str, int]] = set()
        previous: Seal | None = None
        for seal in Seal.objects.filter(chain__in=batch).order_by("chain", "seq"):
            count += 1
            first = previous is None or previous.chain != seal.chain
            chains += first
            expected_prev = "" if first else previous.row_hash
            expected_seq = 1 if first else previous.seq + 1
            if seal.prev_hash != expected_prev or seal.seq != expected_seq:
                problems.append(
                    Problem(seal.chain, seal.record, seal.record_id, "a seal before it is missing")
                )
            if seal.row_hash != seal.compute_hash():
                problems.append(
                    Problem(seal.chain, seal.record, seal.record_id, "its seal is forged")
                )
            key = (seal.record, seal.record_id)
            seen.add(key)
            found = digests.get(key)
            if found is None:
                found = _moved_here(seal)
            if found is None:
                if key not in purged:
                    problems.append(
                        Problem(seal.chain, seal.record, seal.record_id, "it was removed")
                    )
            else:
                chain, row = found
                names = seal.fields.split(",")
                if chain != seal.chain:
                    problems.append(
                        Problem(
                            seal.chain, seal.record, seal.record_id, "it was moved to another case"
                        )
                    )
                elif any(name not in row for name in names) or seal.digest != record_digest(
                    seal.record, seal.record_id, row, names
                ):
                    problems.append(
                        Problem(seal.chain, seal.record, seal.record_id, REWRITTEN[seal.record])
                    )
            previous = seal
        for (label, record_id), (chain, _row) in digests.items():
            if (label, record_id) not in seen and not _sealed_elsewhere(label, record_id, batch):
                problems.append(
                    Problem(chain, label, record_id, "it was inserted outside the application")
                )
    problems += grant_problems()
    problems += file_problems()
    return DossierReport(count, chains, problems)


def _moved_here(seal: Seal) -> tuple[str, dict] | None:
    """A sealed record not among its chain's records: it may now belong to another chain
    (moved to another case), which the check names; None when it is gone."""
    try:
        model = apps.get_model(seal.record)
    except LookupError:
        return None
    _kind, path = SEALED[seal.record]
    row = (
        model._base_manager.annotate(seal_chain_target=models.F(path))
        .filter(pk=seal.record_id)
        .values(*_field_names(model), "seal_chain_target")
        .first()
    )
    return None if row is None else (_chain_of(seal.record, row["seal_chain_target"]), row)


def _sealed_elsewhere(label: str, record_id: int, batch: list[str]) -> bool:
    """A record of this batch's chains whose seal sits in a chain outside the batch (it
    was moved here from another case): that chain's walk names it, once."""
    return Seal.objects.filter(record=label, record_id=record_id).exclude(chain__in=batch).exists()


REWRITTEN: dict[str, str] = defaultdict(
    lambda: "it was rewritten",
    {
        "cases.Case": (
            "its identity (pupil, school, who opened it, when) is not the one sealed at opening"
        )
    },
)


def _granted_by_changes() -> dict[tuple[int, int], tuple[int, set[str]]]:
    """What the sealed changes of access say is in force now: per (case, colleague), the
    last change and the permissions it leaves."""
    from cases.models import CONTRIBUTE_PERMISSION, VIEW_PERMISSION, AccessChange

    leaves = {
        AccessChange.Level.READ: {VIEW_PERMISSION},
        AccessChange.Level.CONTRIBUTE: {VIEW_PERMISSION, CONTRIBUTE_PERMISSION},
        AccessChange.Level.REMOVED: set(),
    }
    last: dict[tuple[int, int], tuple[int, set[str]]] = {}
    changes = AccessChange.objects.order_by("pk").values_list("pk", "case_id", "person_id", "level")
    for pk, case_id, person_id, level in changes:
        last[(case_id, person_id)] = (pk, leaves.get(level, set()))
    return last


def grant_problems() -> list[Problem]:
    """Every per-case grant in force (django-guardian's rows) against the sealed history
    of changes of access (`cases.services.case_grant` and `case_revoke` write both): a
    grant nobody gave through the application, or one taken away behind its back."""
    from cases.models import AccessChange, CaseGroupObjectPermission, CaseUserObjectPermission

    expected = _granted_by_changes()
    found: dict[tuple[int, int], set[str]] = {}
    problems: list[Problem] = []
    rows = CaseUserObjectPermission.objects.order_by("pk").values_list(
        "pk", "content_object_id", "user_id", "permission__codename"
    )
    label = CaseUserObjectPermission._meta.label
    for pk, case_id, user_id, codename in rows:
        found.setdefault((case_id, user_id), set()).add(codename)
        if codename not in expected.get((case_id, user_id), (0, set()))[1]:
            problems.append(
                Problem(f"case:{case_id}", label, pk, "a grant no sealed change of access gave")
            )
    for (case_id, user_id), (change_id, codenames) in expected.items():
        for codename in sorted(codenames - found.get((case_id, user_id), set())):
            problems.append(
                Problem(
                    f"case:{case_id}",
                    AccessChange._meta.label,
                    change_id,
                    f"the grant it gave ({codename}) is missing",
                )
            )
    # Access is never given to a group: any such row came from outside the application.
    groups = CaseGroupObjectPermission.objects.values_list("pk", "content_object_id")
    for pk, case_id in groups.order_by("pk"):
        problems.append(
            Problem(
                f"case:{case_id}",
                CaseGroupObjectPermission._meta.label,
                pk,
                "a grant no sealed change of access gave",
            )
        )
    return problems


def file_sha256(path) -> str | None:
    """The file's sha256, or None when it is not there."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


def file_problem(upload) -> str:
    """What is wrong with a document's file compared with its sealed hash ("" if nothing)."""
    actual = file_sha256(upload.path)
    if actual is None:
        return "its file is missing"
    if not hmac.compare_digest(actual, upload.sha256):
        return "its file does not match its sealed hash"
    return ""


def file_problems() -> list[Problem]:
    """Every kept file against its sealed hash: documents, and released inzage copies."""
    from cases.inzage.models import InzageRelease
    from cases.uploads import Upload

    problems: list[Problem] = []
    for upload in Upload.objects.order_by("pk").iterator():
        what = file_problem(upload)
        if what:
            problems.append(Problem(f"case:{upload.case_id}", Upload._meta.label, upload.pk, what))
    releases = InzageRelease.objects.select_related("request").order_by("pk")
    for release in releases.iterator():
        what = file_problem(release)
        if what:
            chain = f"case:{release.request.case_id}"
            problems.append(Problem(chain, InzageRelease._meta.label, release.pk, what))
    return problems


def record_intact(instance) -> bool:
    """Whether one sealed record, as the database holds it now, matches its seal."""
    model = type(instance)
    label = model._meta.label
    seal = Seal.objects.filter(record=label, record_id=instance.pk).first()
    rows = _rows(model, [instance.pk])
    if seal is None or not rows or seal.row_hash != seal.compute_hash():
        return False
    names = seal.fields.split(",")
    row = rows[0]
    return (
        seal.chain == _chain_of(label, row["seal_chain_target"])
        and all(name in row for name in names)
        and hmac.compare_digest(seal.digest, record_digest(label, instance.pk, row, names))
    )


def upload_intact(upload) -> bool:
    """Checked at every download: the document's row matches its seal, and its file the
    sealed hash. A file replaced on disk (or a row rewritten to match it) is refused."""
    return record_intact(upload) and not file_problem(upload)


def seal_existing(labels: list[str] | None = None) -> int:
    """Seal the records written before sealing began, in the order they were written.
    Used once by the migration that introduced seals (with the labels sealed then: a
    record kind added later has no table yet at that point)."""
    total = 0
    for model in [apps.get_model(label) for label in labels] if labels else sealed_models():
        sealed_ids = set(
            Seal.objects.filter(record=model._meta.label).values_list("record_id", flat=True)
        )
        pks = [pk for pk in model._base_manager.order_by("pk").values_list("pk", flat=True)]
        pks = [pk for pk in pks if pk not in sealed_ids]
        for start in range(0, len(pks), 1000):
            seal_records(model, pks[start : start + 1000])
        total += len(pks)
    return total
