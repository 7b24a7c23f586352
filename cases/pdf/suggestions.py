"""What in a free text could identify someone: the spans `redaction.suggest` proposes.

Three sources, merged: the `deduce` package (de-identification of Dutch text: persons,
places, institutions, dates, ages, phone numbers, e-mail), the names the school already
knows (its pupils, its staff, its sociale kaart), and a few patterns deduce misses
("juf Lotte", "buurvrouw Yilmaz", "3 maart", a street without its number, "+31 6 …").
"""

from __future__ import annotations

import gc
import hashlib
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version as package_version
from typing import TYPE_CHECKING

import phonenumbers
from django.db.models import Q

from meldcode.models import Pupil, Role, School, User
from socialmap.models import Organisation
from socialmap.national import NATIONAL_ENTRIES

if TYPE_CHECKING:
    from deduce import Deduce


class Kind:
    PERSON = "person"
    PLACE = "place"
    ADDRESS = "address"
    PHONE = "phone"
    EMAIL = "email"
    INSTITUTION = "institution"
    DATE = "date"
    AGE = "age"
    URL = "url"
    NUMBER = "number"


# Where merged spans disagree, the longest wins; at equal length the earlier kind here.
PRECEDENCE = [
    Kind.EMAIL,
    Kind.URL,
    Kind.PHONE,
    Kind.ADDRESS,
    Kind.PERSON,
    Kind.INSTITUTION,
    Kind.PLACE,
    Kind.DATE,
    Kind.AGE,
    Kind.NUMBER,
]


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str

    def of(self, text: str) -> str:
        return text[self.start : self.end]


# --- deduce ---------------------------------------------------------------------------

_deduce: Deduce | None = None
_deduce_lock = threading.Lock()


def deduce_instance() -> Deduce:
    """The one Deduce of this process. Building it reads a cache of some 75 MB that
    `make install` writes (without it, the first call builds it: a minute or two)."""
    global _deduce
    if _deduce is None:
        with _deduce_lock:
            if _deduce is None:
                from deduce import Deduce

                instance = Deduce()
                # Its lookup tables are millions of objects that live as long as the
                # process: left to the garbage collector, each full collection walks them
                # all (seconds). Freezing moves everything alive now out of its way.
                gc.freeze()
                _deduce = instance
    return _deduce


# Street names end in one of these; "ring", "oord" or "baan" would catch "Ervaring",
# "Antwoord" and "Loopbaan" at the start of a sentence.
STREET_SUFFIX = (
    r"(?:straat|laan|weg|plein|gracht|kade|singel|dreef|steeg|hof|park|dijk|wal|"
    r"markt|allee|plantsoen|boulevard|hoeve)"
)
HAS_STREET = re.compile(rf"\d|{STREET_SUFFIX}\b", re.IGNORECASE)


def _deduce_kind(tag: str, text: str) -> str:
    tag = tag.lower()
    if "emailadres" in tag:
        return Kind.EMAIL
    if "telefoonnummer" in tag:
        return Kind.PHONE
    if "url" in tag:
        return Kind.URL
    if "locatie" in tag:
        return Kind.ADDRESS if HAS_STREET.search(text) else Kind.PLACE
    if "ziekenhuis" in tag or "instelling" in tag:
        return Kind.INSTITUTION
    if "datum" in tag:
        return Kind.DATE
    if "leeftijd" in tag:
        return Kind.AGE
    if "bsn" in tag or tag == "id":
        return Kind.NUMBER
    return Kind.PERSON  # persoon, patient and their compound tags


def _from_deduce(text: str) -> Iterator[Span]:
    document = deduce_instance().deidentify(text, disabled={"redactor"})
    for annotation in document.annotations:
        yield Span(
            annotation.start_char,
            annotation.end_char,
            _deduce_kind(annotation.tag, annotation.text),
        )


# --- patterns deduce misses ----------------------------------------------------------

UPPER = "A-ZÀ-ÖØ-Þ"
LOWER = "a-zß-öø-ÿ"
# A capitalised word that is not a street ("mevrouw Yilmaz van de Kastanjelaan 4").
NAME = (
    rf"(?![{UPPER}{LOWER}]*{STREET_SUFFIX}\b)"
    rf"[{UPPER}][{LOWER}]+(?:[-'\u2019][{UPPER}{LOWER}][{LOWER}]+)*"
)
INITIALS = rf"(?:[{UPPER}]\.\s?)+"
INFIX = r"(?:[Vv]an|[Dd]e|[Dd]er|[Dd]en|[Tt]er|[Tt]en|[Tt]e|[Hh]et|[Ii]n|'t|[Oo]p|[Ee]l|[Aa]l)"
PERSON_NAME = rf"(?:{INITIALS}\s*)?{NAME}(?:\s+(?:{INFIX}\s+)*{NAME})*|{INITIALS}"
TITLES = (
    r"juf|juffrouw|meester|meneer|mevrouw|mevr\.|mw\.|dhr\.|de heer|dr\.|dokter|huisarts|"
    r"buurvrouw|buurman|buurjongen|buurmeisje|oom|tante|opa|oma|neef|nicht|"
    r"broer|broertje|zus|zusje|zuster|vriend|vriendin|vriendje|vriendinnetje|"
    r"moeder|vader|mama|papa|stiefvader|stiefmoeder|pleegvader|pleegmoeder"
)
# The title in any case ("Juf", "juf"), the name after it capitalised.
TITLED = re.compile(rf"(?<![\w-])(?i:{TITLES})\s+(?P<name>{PERSON_NAME})")
MONTHS = (
    r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
    r"december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
DAY_MONTH = re.compile(rf"\b\d{{1,2}}\s+(?:{MONTHS})\b\.?(?:\s+\d{{4}})?", re.IGNORECASE)
NUMERIC_DATE = re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})\b")
STREET = re.compile(
    rf"\b(?:[{UPPER}][{LOWER}]+\s)?[{UPPER}][{LOWER}]*{STREET_SUFFIX}\b"
    r"(?:\s+\d+(?:\s?[a-zA-Z]\b|-\d+)?)?"
)
# Words that end like a street but name a place at any school or a common word.
NOT_STREETS = {"schoolplein", "speelplein", "onderweg", "halfweg", "supermarkt"}
POSTCODE = re.compile(r"\b[1-9]\d{3}\s?[A-Z]{2}\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _titled(text: str) -> Iterator[Span]:
    """A title keeps its place ("juf [naam]"): the role reads on, the name goes."""
    for match in TITLED.finditer(text):
        yield Span(match.start("name"), match.end("name"), Kind.PERSON)


def _phones(text: str) -> Iterator[Span]:
    for match in phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.VALID):
        yield Span(match.start, match.end, Kind.PHONE)


def _patterns(text: str) -> Iterator[Span]:
    yield from _titled(text)
    yield from _phones(text)
    for pattern, kind in (
        (DAY_MONTH, Kind.DATE),
        (NUMERIC_DATE, Kind.DATE),
        (STREET, Kind.ADDRESS),
        (POSTCODE, Kind.ADDRESS),
        (EMAIL, Kind.EMAIL),
    ):
        for match in pattern.finditer(text):
            if pattern is STREET and match.group().split()[-1].casefold() in NOT_STREETS:
                continue
            yield Span(match.start(), match.end(), kind)


# --- what the school knows -----------------------------------------------------------


def _name_pattern(name: str) -> str:
    """A known name as written; one that starts with an infix also capitalised ("van Dijk",
    "Van Dijk"), but a capitalised one never in lower case ("Roos", not "roos")."""
    first = name[0]
    head = f"[{first.upper()}{first}]" if first.islower() else re.escape(first)
    rest = r"\s+".join(re.escape(part) for part in name[1:].split(" "))
    return head + rest


@dataclass
class KnownNames:
    """The names a school knows, as one compiled pattern; built once per export."""

    pattern: re.Pattern[str] | None
    kinds: dict[str, str]

    @classmethod
    def build(cls, names: Iterable[tuple[str, str]]) -> KnownNames:
        kinds: dict[str, str] = {}  # by the name casefolded
        written: dict[str, str] = {}  # the name as written
        for name, kind in names:
            name = " ".join(name.split())
            key = name.casefold()
            if len(name) < 2 or kinds.get(key) == Kind.PERSON:
                continue
            kinds[key], written[key] = kind, name
        if not kinds:
            return cls(pattern=None, kinds={})
        # Longest first, so a full name goes before its parts.
        alternatives = "|".join(
            _name_pattern(name) for name in sorted(written.values(), key=len, reverse=True)
        )
        return cls(pattern=re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])"), kinds=kinds)

    @property
    def digest(self) -> str:
        """Which names these are, and which detection: a stored detection is reused only
        under the same digest (a pupil enrolled later, or a new deduce, detects anew)."""
        pattern = self.pattern.pattern if self.pattern is not None else ""
        version = f"{DETECTION_VERSION}|{package_version('deduce')}|"
        return hashlib.sha256((version + pattern).encode()).hexdigest()[:24]

    def is_known(self, words: str) -> bool:
        return " ".join(words.split()).casefold() in self.kinds

    def spans(self, text: str) -> Iterator[Span]:
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            key = " ".join(match.group().split()).casefold()
            yield Span(match.start(), match.end(), self.kinds.get(key, Kind.PERSON))


def pupil_names(pupil: Pupil) -> list[str]:
    surname = " ".join(part for part in (pupil.infix, pupil.last_name) if part)
    return [pupil.full_name, f"{pupil.first_name} {pupil.last_name}", surname,
            pupil.last_name, pupil.first_name]  # fmt: skip


def staff_of(school: School) -> list[User]:
    return list(
        User.objects.filter(
            Q(memberships__school=school)
            | Q(memberships__board_id=school.board_id, memberships__role=Role.BESTUUR)
        ).distinct()
    )


def school_names(school: School) -> Iterator[tuple[str, str]]:
    """Every name the school knows, with its kind. Two queries for the people, one for
    the sociale kaart."""
    for pupil in Pupil.objects.filter(school=school).only("first_name", "infix", "last_name"):
        for name in pupil_names(pupil):
            yield name, Kind.PERSON
    for user in staff_of(school):
        for name in (user.get_full_name(), user.last_name, user.first_name):
            if name:
                yield name, Kind.PERSON
    yield school.name, Kind.INSTITUTION
    # The national entries (Veilig Thuis, Politie) tell nothing about where the child is.
    national = {entry["name"] for entry in NATIONAL_ENTRIES}
    for organisation in Organisation.objects.filter(school=school).only(
        "name", "contact_person", "address"
    ):
        if organisation.name not in national:
            yield organisation.name, Kind.INSTITUTION
        if organisation.contact_person:
            yield organisation.contact_person, Kind.PERSON
        for part in organisation.address.split(","):
            if part.strip():
                yield part.strip(), Kind.ADDRESS


# --- merging -------------------------------------------------------------------------


def merge(spans: Iterable[Span]) -> list[Span]:
    """Overlapping spans become one, with the kind of its longest part."""
    merged: list[tuple[int, int, Span]] = []  # (start, end, the part that names the kind)
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.end <= span.start:
            continue
        if merged and span.start < merged[-1][1]:
            start, end, best = merged[-1]
            if _outranks(span, best):
                best = span
            merged[-1] = (start, max(end, span.end), best)
        else:
            merged.append((span.start, span.end, span))
    return [Span(start, end, best.kind) for start, end, best in merged]


def _outranks(span: Span, other: Span) -> bool:
    length, other_length = span.end - span.start, other.end - other.start
    if length != other_length:
        return length > other_length
    return PRECEDENCE.index(span.kind) < PRECEDENCE.index(other.kind)


# Raise when the patterns above change: detections stored under the old number are not
# reused.
DETECTION_VERSION = "1"


def text_key(text: str) -> str:
    """A text's key: decisions about a text are kept by it, so the same text decided once
    is decided wherever it appears, and a record (never rewritten) keeps its key."""
    return hashlib.sha256((text or "").encode()).hexdigest()[:24]


@dataclass
class Suggester:
    """The suggestions for one school; build it once and ask it for many texts.

    Built `for_case`, it remembers what it found per text of that case in the database
    (`SuggestionCache`, offsets only): a text is detected once, the next look reads it
    (deduce takes some 10 ms a text; a dossier of 500 entries holds a thousand texts)."""

    known: KnownNames
    case_id: int | None = None
    memo: dict[str, list[Span]] = field(default_factory=dict)
    fresh: dict[str, list[Span]] = field(default_factory=dict)

    @classmethod
    def for_school(cls, school: School) -> Suggester:
        return cls(known=KnownNames.build(school_names(school)))

    @classmethod
    def for_case(cls, case) -> Suggester:
        """With what was found in the case's texts before, under the same names (1 query
        besides the names)."""
        from cases.inzage.models import SuggestionCache

        suggester = cls.for_school(case.school)
        suggester.case_id = case.pk
        rows = SuggestionCache.objects.filter(case_id=case.pk, known=suggester.known.digest)
        suggester.memo = {
            key: [Span(*span) for span in spans] for key, spans in rows.values_list("key", "spans")
        }
        return suggester

    def suggest(self, text: str) -> list[Span]:
        if not text or not text.strip():
            return []
        if self.case_id is None:
            return self.detect(text)
        key = text_key(text)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self.fresh[key] = self.detect(text)
        return found

    def detect(self, text: str) -> list[Span]:
        """The detection itself (every call runs deduce): the one seam a test counts."""
        spans = [*_from_deduce(text), *self.known.spans(text), *_patterns(text)]
        return merge(_trimmed(span, text) for span in spans)

    def store(self) -> None:
        """Keep what was found since the last `store` (1 query, none when nothing is new)."""
        from cases.inzage.models import SuggestionCache

        if self.case_id is None or not self.fresh:
            return
        known = self.known.digest
        SuggestionCache.objects.bulk_create(
            [
                SuggestionCache(
                    case_id=self.case_id,
                    key=key,
                    known=known,
                    spans=[[span.start, span.end, span.kind] for span in spans],
                )
                for key, spans in self.fresh.items()
            ],
            ignore_conflicts=True,
        )
        self.fresh = {}


LEADING_TITLE = re.compile(rf"(?i:{TITLES})\s+")


def _trimmed(span: Span, text: str) -> Span:
    """Without the spaces deduce sometimes takes along ("mevrouw Yilmaz van de "), and
    without a title before a name: "juf [naam]" still says who it was to the reader."""
    start, end = span.start, span.end
    if span.kind == Kind.PERSON:
        title = LEADING_TITLE.match(text, start, end)
        if title and title.end() < end:
            start = title.end()
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, span.kind)
