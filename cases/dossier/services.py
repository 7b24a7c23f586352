"""One door for writing the dossier: `entry_add` validates everything, then inserts once.

The rules come from the seeds' logboek instructions (DOMAIN.md, "The dossier").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import may_contribute, may_keep_logboek, may_log_signal, may_view
from cases.dossier import body_map, signal_list
from cases.dossier.models import BodyMark, Entry, EntryAttachment, EntrySignal
from cases.models import Case
from cases.uploads import upload_store
from meldcode.models import Pupil, Role, User

Kind = Entry.Kind

# The fields each kind asks for, besides the date and the description every kind has.
KIND_FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.OBSERVATION: ("place", "situation", "others_present"),
    Kind.HYPOTHESIS: (),
    Kind.THIRD_PARTY: ("source", "source_role", "source_consent"),
    Kind.DIAGNOSIS: (),
    Kind.CONTACT: ("contact_with",),
    Kind.DECISION: ("decided_by",),
    Kind.FOLLOW_UP: ("links_to", "outcome"),
    Kind.CORRECTION: ("links_to", "reason"),
    Kind.PARENTS_VIEW: (),
    Kind.KINDCHECK: ("household", "carers"),
}
REQUIRED_FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.OBSERVATION: ("place", "situation"),
    Kind.THIRD_PARTY: ("source", "source_role"),
    Kind.CONTACT: ("contact_with",),
    Kind.DECISION: ("decided_by",),
    Kind.FOLLOW_UP: ("links_to",),
    Kind.CORRECTION: ("links_to", "reason"),
    Kind.KINDCHECK: ("household", "carers"),
}
# Free text that the privacy guard reads for names of other children.
FREE_TEXT_FIELDS = (
    "description",
    "place",
    "situation",
    "source",
    "source_role",
    "contact_with",
    "decided_by",
    "household",
    "carers",
    "reason",
)
PARENTS_VIEW_ROLES = (Role.IB, Role.AANDACHTSFUNCTIONARIS)


# --- who may add what -------------------------------------------------------------------


def _can_diagnose(user: User, case: Case) -> bool:
    return user.may_diagnose_at(case.school)


# What the teacher keeps writing in every open step (seed 002: the logboek is theirs).
LOGBOEK_KINDS = {Kind.OBSERVATION, Kind.FOLLOW_UP}


def kinds_for(user: User, case: Case) -> list[Kind]:
    """The kinds of entry `user` may add to `case`, in the order of Entry.Kind."""
    if not user.is_authenticated or not may_view(user, case):
        return []
    contributes = may_contribute(user, case)
    allowed = {kind for kind in Kind if contributes} - {Kind.PARENTS_VIEW, Kind.DIAGNOSIS}
    if may_keep_logboek(user, case):
        allowed |= LOGBOEK_KINDS
    if user.has_role(case.school, *PARENTS_VIEW_ROLES):
        allowed.add(Kind.PARENTS_VIEW)
    if _can_diagnose(user, case):
        allowed.add(Kind.DIAGNOSIS)
    return [kind for kind in Kind if kind in allowed]


def refusal_message(kind: Kind) -> str:
    if kind == Kind.DIAGNOSIS:
        return _(
            "Only a member qualified for diagnoses (for example an orthopedagoog) may record "
            "a diagnosis."
        )
    if kind == Kind.PARENTS_VIEW:
        return _("Only the care coordinator or the attention officer adds the parents' view.")
    return _("You may not add to the dossier of this case in its current step.")


# --- initials only ----------------------------------------------------------------------

# Words that name a role or join initials, never a person.
ALLOWED_WORDS = frozenset(
    {
        *("juf", "meester", "leerkracht", "leerkrachten", "ib", "ib'er", "ib-er", "intern"),
        *("begeleider", "directeur", "directie", "conciërge", "concierge", "stagiair"),
        *("stagiaire", "overblijfkracht", "gymleraar", "gymjuf", "invaller", "moeder"),
        *("vader", "ouder", "ouders", "oma", "opa", "broer", "zus", "verzorger", "pleegouder"),
        *("klasgenoot", "klasgenoten", "groep", "klas", "hele", "de", "het", "een", "en", "of"),
        *("van", "der", "den", "ter", "ten", "met", "geen", "niemand", "alleen"),
        *("mama", "papa", "mevrouw", "meneer", "juffrouw", "mevr", "dhr", "mw", "stiefvader"),
        *("stiefmoeder", "pleegmoeder", "pleegvader", "tante", "oom", "neef", "nicht", "buurman"),
        *("buurvrouw", "buren", "leerling", "leerlingen", "kinderen", "kind", "collega"),
        *("onderwijsassistent", "remedial", "teacher", "vakleerkracht", "jeugdarts", "politie"),
    }
)
_TOKEN = re.compile(r"[^\s,;/&+()]+")


def _token_is_initials(token: str) -> bool:
    word = token.strip(".:'\u2019\"")
    if not word or word.lower() in ALLOWED_WORDS or any(ch.isdigit() for ch in word):
        return True
    for part in filter(None, re.split("[.\\-'\u2019]", word)):
        if len(part) == 1:
            continue
        # "JK", "MvD", "JvdB": initials carry at least two capitals and stay short.
        if len(part) <= 4 and sum(ch.isupper() for ch in part) >= 2:
            continue
        return False
    return True


def names_in_initials_field(value: str) -> list[str]:
    """The words in `value` that look like names rather than initials or roles.

    Accepted: "J.K., M.", "JK en MvD", "juf A.", "moeder", "groep 5". Refused: any
    word of two or more letters that is not initials or a role, e.g. "Jan" or "kees".
    """
    return [token for token in _TOKEN.findall(value) if not _token_is_initials(token)]


def names_in_source(value: str) -> list[str]:
    """Words in a third party's "who" that look like a personal name: a capitalised word
    that is not a role word or an acronym ("GGD"). Seed 002: never write down the names
    of parents who voice worries; "een ouder uit groep 5" or "de buurtcoach" will do."""
    names = []
    for token in _TOKEN.findall(value):
        word = token.strip(".:'\u2019\"")
        if not word or not word[0].isupper() or word.isupper() or len(word) < 2:
            continue
        if word.lower() in ALLOWED_WORDS or word.lower() in SOURCE_WORDS:
            continue
        names.append(word)
    return names


SOURCE_WORDS = frozenset(
    {
        *("ouder", "ouders", "moeder", "vader", "oma", "opa", "buurtcoach", "sportcoach"),
        *("wijkteam", "wijkagent", "huisarts", "jeugdverpleegkundige", "schoolmaatschappelijk"),
        *("werker", "trainer", "coach", "bso", "overblijfmoeder", "overblijfkracht", "uit"),
    }
)


# --- privacy guard: names of other children ---------------------------------------------


def _name_pattern(case: Case) -> re.Pattern | None:
    """A pattern for the names of the school's other pupils: full names and first names.

    First names under three letters are skipped (too many false hits), and so is a
    first name the pupil of the case shares, or every note about them would warn.
    """
    own_first = case.pupil.first_name.casefold()
    names: set[str] = set()
    pupils = Pupil.objects.filter(school_id=case.school_id).exclude(pk=case.pupil_id)
    for first, infix, last in pupils.values_list("first_name", "infix", "last_name"):
        names.add(" ".join(part for part in (first, infix, last) if part))
        if len(first) >= 3 and first.casefold() != own_first:
            names.add(first)
    if not names:
        return None
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def other_pupil_names(case: Case, texts: dict[str, str]) -> dict[str, list[str]]:
    """Per field, the names of other pupils of the school found in its text."""
    pattern = _name_pattern(case)
    if pattern is None:
        return {}
    hits: dict[str, list[str]] = {}
    for field, text in texts.items():
        found = list(dict.fromkeys(match.group(0) for match in pattern.finditer(text or "")))
        if found:
            hits[field] = found
    return hits


def pupil_names_in(case: Case, text: str) -> list[str]:
    """The names of any pupil of the school in `text`, the case's own pupil included
    (first name, surname, full name): for text that leaves the dossier, such as the place
    of a talk in a calendar."""
    pupil = case.pupil
    own = {
        " ".join(part for part in (pupil.first_name, pupil.infix, pupil.last_name) if part),
        " ".join(part for part in (pupil.infix, pupil.last_name) if part),
        *(name for name in (pupil.first_name, pupil.last_name) if len(name) >= 3),
    }
    alternatives = "|".join(re.escape(name) for name in sorted(own, key=len, reverse=True))
    found = [
        match.group(0)
        for match in re.finditer(rf"(?<!\w)(?:{alternatives})(?!\w)", text or "", re.IGNORECASE)
    ]
    found += other_pupil_names(case, {"text": text}).get("text", [])
    return list(dict.fromkeys(found))


def names_warning(names: Iterable[str]) -> str:
    return _(
        "Do not write down names of other children (found: %(names)s). Change the text, "
        "or confirm below that the name is needed."
    ) % {"names": ", ".join(names)}


# --- the door -----------------------------------------------------------------------------


def _clean_text(fields: dict) -> dict:
    return {
        key: value.strip() if isinstance(value, str) else value for key, value in fields.items()
    }


def _validate_common(
    case: Case, occurred_on: dt.date | None, description: str, signals: list[str]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if occurred_on is None:
        errors["occurred_on"] = _("Fill in the date.")
    elif occurred_on > timezone.localdate():
        errors["occurred_on"] = _("The date cannot be in the future.")
    elif occurred_on < case.pupil.date_of_birth:
        errors["occurred_on"] = _("The date lies before the pupil was born: check the year.")
    if not description:
        errors["description"] = _("Fill this in.")
    unknown = [code for code in signals if code not in signal_list.by_code()]
    if unknown:
        errors["signals"] = _("Unknown signal: %(codes)s.") % {"codes": ", ".join(unknown)}
    return errors


def _validate_kind(case: Case, kind: Kind, fields: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name in REQUIRED_FIELDS.get(kind, ()):
        if not fields.get(name):
            errors[name] = _("Fill this in.")
    if kind == Kind.OBSERVATION and fields.get("others_present"):
        names = names_in_initials_field(fields["others_present"])
        if names:
            errors["others_present"] = _(
                "Use initials only, for example J.K., M. or juf A.: %(words)s looks like a name."
            ) % {"words": ", ".join(f"“{name}”" for name in names)}
    if kind == Kind.THIRD_PARTY and fields.get("source"):
        names = names_in_source(fields["source"])
        if names:
            errors["source"] = _(
                "Write a role, not a name (for example: a parent of group 5, the "
                "neighbourhood coach): %(words)s looks like a name."
            ) % {"words": ", ".join(f"“{name}”" for name in names)}
    if kind == Kind.THIRD_PARTY and fields.get("source_consent") is not True:
        errors["source_consent"] = _(
            "Without the consent of the source this information may not be recorded, and so "
            "it may not be used either (meldcode, dossiervorming)."
        )
    target = fields.get("links_to")
    if target is not None:
        errors.update(_validate_link(case, kind, target, fields.get("outcome", "")))
    return errors


def _validate_link(case: Case, kind: Kind, target: Entry, outcome: str) -> dict[str, str]:
    if target.case_id != case.pk:
        return {"links_to": _("Choose an entry of this case.")}
    if kind != Kind.FOLLOW_UP:
        return {}
    if target.kind == Kind.HYPOTHESIS and not outcome:
        return {"outcome": _("Say whether the hypothesis is confirmed or refuted.")}
    if target.kind != Kind.HYPOTHESIS and outcome:
        return {"outcome": _("Only a hypothesis can be confirmed or refuted.")}
    return {}


# --- the body map and attachments -----------------------------------------------------

MAX_MARKS = 8
MAX_ATTACHMENTS = 5
MARK_FIELDS = ("region", "kind", "size_cm", "colour", "shape", "said")


def _mark_problem(mark: dict) -> str:
    if mark.get("region") not in body_map.BY_CODE:
        return _("choose a place on the body from the list.")
    if mark.get("kind") not in BodyMark.Kind.values:
        return _("choose the kind of injury.")
    try:
        size = decimal.Decimal(str(mark.get("size_cm")))
    except (decimal.InvalidOperation, ValueError):
        size = None
    if size is None or not size.is_finite() or not 0 < size <= BodyMark.MAX_SIZE_CM:
        return _("give the size in centimetres, more than 0 and at most 100.")
    if not mark.get("colour"):
        return _("describe the colour.")
    if mark.get("shape") not in BodyMark.Shape.values:
        return _("choose the shape.")
    return ""


def _clean_marks(kind: Kind, marks: list[dict]) -> tuple[list[dict], dict[str, list[str]]]:
    """The marks as they will be stored, or the errors (under "marks")."""
    if not marks:
        return [], {}
    if kind != Kind.OBSERVATION:
        return [], {
            "marks": [
                _(
                    "Only an observation can carry a body map. Describe the injury in a new "
                    "observation."
                )
            ]
        }
    if len(marks) > MAX_MARKS:
        return [], {
            "marks": [
                _("At most %(count)s marks per observation: add another observation for more.")
                % {"count": MAX_MARKS}
            ]
        }
    unexpected = {name for mark in marks for name in mark} - set(MARK_FIELDS)
    if unexpected:
        raise TypeError(f"marks have no field(s) {sorted(unexpected)}")
    cleaned, errors = [], []
    for number, mark in enumerate(marks, start=1):
        mark = _clean_text(mark)
        mark.setdefault("said", "")
        problem = _mark_problem(mark)
        if problem:
            message = _("Mark %(number)s: %(problem)s")
            errors.append(message % {"number": number, "problem": problem})
        else:
            mark["size_cm"] = decimal.Decimal(str(mark["size_cm"])).quantize(decimal.Decimal("0.1"))
            cleaned.append(mark)
    return cleaned, ({"marks": errors} if errors else {})


def _check_attachments(attachments: list[tuple]) -> dict[str, list[str]]:
    if len(attachments) > MAX_ATTACHMENTS:
        return {
            "attachments": [
                _("At most %(count)s attachments per entry.") % {"count": MAX_ATTACHMENTS}
            ]
        }
    if any(kind not in EntryAttachment.Kind.values for _file, kind in attachments):
        return {"attachment_kind": [_("Say what kind of document it is.")]}
    return {}


def entry_add(
    *,
    case: Case,
    author: User,
    kind: Kind | str,
    occurred_on: dt.date | None = None,
    description: str = "",
    signals: Iterable[str] = (),
    names_confirmed: bool = False,
    marks: Iterable[dict] = (),
    attachments: Iterable[tuple] = (),
    as_signaller: bool = False,
    **fields,
) -> Entry:
    """Add one entry to the dossier of `case`, with its signal tags, in one transaction.

    `marks`: for an observation of an injury, the body map: one dict per mark with
    `region` (a code of `body_map.REGIONS`), `kind` (`BodyMark.Kind`), `size_cm`,
    `colour`, `shape` (`BodyMark.Shape`) and optionally `said`; numbered 1, 2, 3 in
    order. `attachments`: (file, `EntryAttachment.Kind`) pairs, each stored through the
    one upload door (`cases.uploads.upload_store`), which refuses what is no PDF, JPEG
    or PNG with a Dutch message under "attachments".

    Raises PermissionDenied when `author` may not add this kind to this case, and
    ValidationError (keyed by field, Dutch messages) when a rule of the kind is broken,
    including a name of another pupil of the school that was not confirmed.

    `as_signaller`: an observation by someone who may open a case for the pupil, added
    to the pupil's open case instead of opening a second one, whether or not they may
    read it (`cases.access.may_log_signal`; used by Snel vastleggen).
    """
    try:
        kind = Kind(kind)
    except ValueError:
        raise ValidationError({"kind": _("Unknown kind of entry.")}) from None
    unexpected = set(fields) - set(KIND_FIELDS[kind])
    if unexpected:
        raise TypeError(f"{kind} entries have no field(s) {sorted(unexpected)}")
    fields = _clean_text(fields)
    marks = [dict(mark) for mark in marks]
    attachments = list(attachments)
    description = (description or "").strip()
    signals = list(dict.fromkeys(signals))
    occurred_on = occurred_on if occurred_on is not None else timezone.localdate()

    with transaction.atomic():
        # Lock the case: nobody moves it to another step while we check who may add.
        locked = (
            Case.objects.select_for_update(of=("self",))
            .select_related("school", "pupil")
            .get(pk=case.pk)
        )
        signals_in = as_signaller and kind == Kind.OBSERVATION and may_log_signal(author, locked)
        if kind not in kinds_for(author, locked) and not signals_in:
            raise PermissionDenied(refusal_message(kind))
        errors = _validate_common(locked, occurred_on, description, signals)
        errors.update(_validate_kind(locked, kind, fields))
        marks, mark_errors = _clean_marks(kind, marks)
        errors.update(mark_errors)
        errors.update(_check_attachments(attachments))
        if errors:
            raise ValidationError(errors)
        texts = {
            "description": description,
            **{k: v for k, v in fields.items() if k in FREE_TEXT_FIELDS},
            "marks": "\n".join(f"{mark['colour']}\n{mark['said']}" for mark in marks),
        }
        hits = other_pupil_names(locked, texts)
        if hits and not names_confirmed:
            raise ValidationError(
                {
                    field: ValidationError(names_warning(names), code="other_pupil_name")
                    for field, names in hits.items()
                }
            )
        entry = Entry.objects.create(
            case=locked,
            author=author,
            kind=kind,
            occurred_on=occurred_on,
            description=description,
            names_confirmed=bool(hits),
            **fields,
        )
        EntrySignal.objects.bulk_create([EntrySignal(entry=entry, code=code) for code in signals])
        # One by one, not in bulk: each row passes the text guard and is sealed as saved.
        for number, mark in enumerate(marks, start=1):
            BodyMark.objects.create(entry=entry, number=number, **mark)
        for file, attachment_kind in attachments:
            upload = upload_store(case=locked, file=file, by=author, field="attachments")
            EntryAttachment.objects.create(entry=entry, upload=upload, kind=attachment_kind)
    return entry


# --- reading ------------------------------------------------------------------------------

# What the page shows of an entry besides its own row, a query each for the whole page.
ENTRY_PREFETCH = ("signals", "marks", "attachments__upload")


def dossier_entries(case_ids: Iterable[int]) -> list[Entry]:
    """Every entry of these cases in dossier order, with what the page shows, in 2 queries."""
    return list(
        Entry.objects.filter(case_id__in=list(case_ids))
        .select_related("author", "case")
        .prefetch_related(*ENTRY_PREFETCH)
        .order_by("occurred_on", "recorded_at", "pk")
    )


DOSSIER_PAGE = 25


@dataclass(frozen=True)
class DossierPage:
    entries: list[Entry]  # newest first
    total: int  # every entry of the case
    matching: int  # those the filter lets through
    shown: int

    @property
    def more(self) -> bool:
        return self.shown < self.matching


@dataclass(frozen=True)
class DossierHolds:
    """What a dossier holds, read with its case (`holds_annotations`): its entries counted
    and which kinds of record they have, so that nothing it lacks is asked for."""

    entries: int
    signals: bool
    body_marks: bool
    attachments: bool
    linked_entries: bool

    @classmethod
    def of(cls, cases: Iterable[Case]) -> DossierHolds:
        """What the dossiers of `cases` (read with `holds_annotations`) hold together."""
        cases = list(cases)

        def held(name):
            return any(getattr(case, f"holds_{name}") for case in cases)

        return cls(
            entries=sum(case.holds_entries for case in cases),
            signals=held("signals"),
            body_marks=held("body_marks"),
            attachments=held("attachments"),
            linked_entries=held("linked_entries"),
        )


def holds_annotations() -> dict:
    """What a case is read with to know what its dossier holds (`DossierHolds.of`), in the
    same query: its entries counted, and whether they hold signals, body marks,
    attachments and links."""
    of_case = OuterRef("pk")
    counted = Entry.objects.filter(case=of_case).order_by().values("case").annotate(n=Count("pk"))
    return {
        "holds_entries": Coalesce(
            Subquery(counted.values("n"), output_field=IntegerField()), Value(0)
        ),
        "holds_signals": Exists(EntrySignal.objects.filter(entry__case=of_case)),
        "holds_body_marks": Exists(BodyMark.objects.filter(entry__case=of_case)),
        "holds_attachments": Exists(EntryAttachment.objects.filter(entry__case=of_case)),
        "holds_linked_entries": Exists(Entry.objects.filter(case=of_case, links_to__isnull=False)),
    }


def only_if(holds: bool, queryset: QuerySet) -> QuerySet:
    """`queryset`, or none at all when the records are known to be absent (a prefetch of
    `QuerySet.none()` asks the database nothing)."""
    return queryset if holds else queryset.none()


def entry_prefetch(holds: DossierHolds) -> tuple[Prefetch, ...]:
    """What an entry shows with it (signals, body marks, attachments), each read only when
    the dossier holds that kind."""
    return (
        Prefetch("signals", only_if(holds.signals, EntrySignal.objects.all())),
        Prefetch("marks", only_if(holds.body_marks, BodyMark.objects.all())),
        Prefetch(
            "attachments",
            only_if(holds.attachments, EntryAttachment.objects.select_related("upload")),
        ),
    )


def dossier_page(
    case, filtered, limit: int, *, is_filtered: bool = True, holds: DossierHolds | None = None
) -> DossierPage:
    """The newest `limit` entries of `filtered` (a queryset of the case's entries, narrowed
    by a filter when `is_filtered`), with what their links need (targets, follow-ups,
    verdicts), in a constant number of queries however long the dossier is. With `holds`,
    what the dossier does not hold (body marks, attachments, links) is not asked for."""
    total = Entry.objects.filter(case=case).count() if holds is None else holds.entries
    matching = filtered.count() if is_filtered else total
    prefetch = ENTRY_PREFETCH if holds is None else entry_prefetch(holds)
    page = list(
        filtered.select_related("author")
        .prefetch_related(*prefetch)
        .order_by("-occurred_on", "-recorded_at", "-pk")[:limit]
    )
    with_links(page, [case.pk], holds_links=holds is None or holds.linked_entries)
    for entry in page:
        entry.case = case
    return DossierPage(page, total, matching, len(page))


def entry_key(entry: Entry) -> tuple:
    """An entry's place in the dossier: the order of the chronology (oldest first)."""
    return (entry.occurred_on, entry.recorded_at, entry.pk)


def after_key(key: tuple, *, newest_first: bool = False) -> Q:
    """The entries after `key` (an `entry_key`) in the order shown: a keyset cursor, so
    that a page asked for later starts right after the last entry shown, whatever was
    added in the meantime."""
    occurred_on, recorded_at, pk = key
    gt = "lt" if newest_first else "gt"
    return (
        Q(**{f"occurred_on__{gt}": occurred_on})
        | Q(occurred_on=occurred_on, **{f"recorded_at__{gt}": recorded_at})
        | Q(occurred_on=occurred_on, recorded_at=recorded_at, **{f"pk__{gt}": pk})
    )


def with_links(page: list[Entry], case_ids: Iterable[int], *, holds_links: bool = True) -> None:
    """`annotate_links` for a page of entries: the targets and follow-ups on other pages
    are read too (only what the links show), in one query, none when `holds_links` says
    the cases hold no linked entries."""
    page_ids = [entry.pk for entry in page]
    related = []
    if holds_links and page:
        target_ids = {entry.links_to_id for entry in page if entry.links_to_id} - set(page_ids)
        related = list(
            Entry.objects.filter(case_id__in=list(case_ids))
            .filter(Q(pk__in=target_ids) | Q(links_to_id__in=page_ids))
            .exclude(pk__in=page_ids)
            .only("pk", "kind", "occurred_on", "recorded_at", "links_to_id", "outcome", "case_id")
        )
    annotate_links(sorted([*page, *related], key=entry_key))


CHRONOLOGY_PAGE = DOSSIER_PAGE


@dataclass(frozen=True)
class ChronologyPage:
    entries: list[Entry]  # oldest first
    total: int  # every entry of the cases
    shown: int  # the entries up to and including the last of this page

    @property
    def more(self) -> bool:
        return self.shown < self.total

    @property
    def last(self) -> Entry | None:
        return self.entries[-1] if self.entries else None


def chronology_page(
    cases: list[Case], after: Entry | None = None, *, only_next: bool = False
) -> ChronologyPage:
    """A page of the chronology of `cases` (read with `holds_annotations`), oldest
    first. Without `after`, the first page; with `after` (an entry of these cases), the
    entries up to and including it and the page after it, or with `only_next` that page
    alone (what "meer laden" appends). A constant number of queries however many entries
    the cases hold."""
    by_id = {case.pk: case for case in cases}
    entries = Entry.objects.filter(case_id__in=list(by_id)).order_by(
        "occurred_on", "recorded_at", "pk"
    )
    upto = 0
    if after is not None:
        key = entry_key(after)
        upto = entries.exclude(after_key(key)).count()
    if only_next and after is not None:
        entries = entries.filter(after_key(key))
        limit, before = CHRONOLOGY_PAGE, upto
    else:
        limit, before = upto + CHRONOLOGY_PAGE, 0
    holds = DossierHolds.of(cases)
    page = list(entries.select_related("author").prefetch_related(*entry_prefetch(holds))[:limit])
    for entry in page:
        entry.case = by_id[entry.case_id]
    with_links(page, by_id, holds_links=holds.linked_entries)
    return ChronologyPage(page, holds.entries, before + len(page))


def annotate_links(entries: list[Entry]) -> None:
    """Give each entry `.linked` (its follow-ups and corrections) and hypotheses `.verdict`.

    Done in Python over the already loaded entries, so the page costs no extra queries.
    """
    by_pk = {entry.pk: entry for entry in entries}
    for entry in entries:
        entry.linked = []
        entry.verdict = None
        entry.target = by_pk.get(entry.links_to_id)
    for entry in entries:
        if entry.target is None:
            continue
        entry.target.linked.append(entry)
        if entry.target.is_hypothesis and entry.outcome:
            entry.target.verdict = entry  # entries are in order, so the latest one wins


@dataclass(frozen=True)
class DossierSummary:
    """What other parts (the call sheet for Veilig Thuis) may know of a dossier at a glance."""

    entries: int
    observations: int
    first_on: dt.date | None
    last_on: dt.date | None
    signals: dict[str, list[str]]
    kindchecks: list[Entry]
    contacts: list[Entry]
    third_party: list[Entry] = dataclasses.field(default_factory=list)


def dossier_summary(case: Case) -> DossierSummary:
    entries = dossier_entries([case.pk])
    signals: dict[str, list[str]] = {}
    for entry in entries:
        for tag in entry.signals.all():
            signal = tag.signal
            labels = signals.setdefault(signal.category or "-", [])
            if signal.display not in labels:
                labels.append(signal.display)
    dates = [entry.occurred_on for entry in entries]
    return DossierSummary(
        entries=len(entries),
        observations=sum(1 for entry in entries if entry.kind == Kind.OBSERVATION),
        first_on=min(dates, default=None),
        last_on=max(dates, default=None),
        signals=signals,
        kindchecks=[entry for entry in entries if entry.kind == Kind.KINDCHECK],
        contacts=[entry for entry in entries if entry.kind == Kind.CONTACT],
        third_party=[entry for entry in entries if entry.kind == Kind.THIRD_PARTY],
    )


def urgent_signals(entries: Iterable[Entry]) -> list[signal_list.Signal]:
    """The tagged signals that call for contact with Veilig Thuis at once (VGV and
    eergerelateerd geweld), over already loaded entries with their signals prefetched."""
    found: dict[str, signal_list.Signal] = {}
    for entry in entries:
        for tag in entry.signals.all():
            if tag.signal.urgent:
                found.setdefault(tag.code, tag.signal)
    return list(found.values())


def urgent_signals_of(case) -> list[signal_list.Signal]:
    """The same for a whole case, asked of the database in one query."""
    urgent = [code for code, signal in signal_list.by_code().items() if signal.urgent]
    codes = (
        EntrySignal.objects.filter(entry__case=case, code__in=urgent)
        .order_by("pk")
        .values_list("code", flat=True)
    )
    return [signal_list.get(code) for code in dict.fromkeys(codes)]
