"""What each version of the dossier PDF shows of people. The rules live here, and only here.

- inspectie: everything, with every name; the inspectorate checks the school's actions.
- ouders (inzage, AVG art. 15): the parents see everything about their child, but not
  who gave information as a third party (AVG art. 23, UAVG art. 41: the rights of
  others), and not the names of staff or others present: those become their role. In
  free text every name, address, place, phone number and e-mail address `suggest` finds
  (except the child's own name) is left out, unless the review (`cases.inzage`) rejected
  that suggestion; the review can mark more by hand and withhold whole entries (UAVG art.
  41(1)). Until reviewed, the copy is a draft and says so.
- anoniem (an anonymous consultation, AVG recital 26: no one recognisable, also not by
  combining details): no name, date of birth, address, school or staff name; no places,
  household, carers or who was spoken to; days counted from the case's opening ("dag 0",
  "dag 14") instead of dates; the pupil is an age band ("leerling, 8-10 jaar"), and
  whatever `suggest` finds in free text becomes a placeholder ("[naam]", "[adres]"),
  unless its review (`cases.inzage.anonymised`) rejected that suggestion; a name the
  school knows goes whatever the review says. Until reviewed for the dossier as it is,
  the copy is a draft, "zonder naam (concept)", with every suggestion left out.

Redaction happens before the template: what is left out never reaches the HTML, so the
PDF carries no hidden text of it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import models
from django.template.defaultfilters import date as format_date
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Case
from cases.pdf.suggestions import Kind, Span, Suggester, text_key
from meldcode.models import Membership, Role, School, User

# Strongest role first: a person is named after the role that best explains their part.
ROLE_ORDER = [Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE, Role.IB, Role.LEERKRACHT, Role.BESTUUR]

# A span the reviewer marked by hand: its kind is not known, only that it goes.
MANUAL = "manual"

PLACEHOLDERS = {
    Kind.PERSON: gettext_lazy("[name]"),
    Kind.PLACE: gettext_lazy("[place]"),
    Kind.ADDRESS: gettext_lazy("[address]"),
    Kind.PHONE: gettext_lazy("[phone]"),
    Kind.EMAIL: gettext_lazy("[e-mail]"),
    Kind.INSTITUTION: gettext_lazy("[institution]"),
    Kind.DATE: gettext_lazy("[date]"),
    Kind.AGE: gettext_lazy("[age]"),
    Kind.URL: gettext_lazy("[website]"),
    Kind.NUMBER: gettext_lazy("[number]"),
    MANUAL: gettext_lazy("[left out]"),
}
# Years: 5-7, 8-10, 11-13. An age alone, with a group, singles out a child in a school.
AGE_BAND = 3


def suggest(text: str, *, school: School) -> list[Span]:
    """The spans of `text` to suggest for redaction before a copy leaves the school, in
    order, overlaps merged; each has `start`, `end` (character offsets) and `kind`
    (`person`, `place`, `address`, `phone`, `email`, `institution`, `date`, `age`, …).

    To ask about many texts of one school, build `Suggester.for_school(school)` once."""
    return Suggester.for_school(school).suggest(text)


# What the parents' copy leaves out of free text (issue 22): names, places, addresses and
# ways to reach someone. Dates, ages and institutions stay: they are the parents' own
# data, and the institutions are the recipients the copy must name (AVG art. 15(1)(c)).
PARENTS_KINDS = frozenset(
    {Kind.PERSON, Kind.PLACE, Kind.ADDRESS, Kind.PHONE, Kind.EMAIL, Kind.URL, Kind.NUMBER}
)


def child_names(case: Case) -> set[str]:
    pupil = case.pupil
    surname = " ".join(part for part in (pupil.infix, pupil.last_name) if part)
    names = {pupil.full_name, f"{pupil.first_name} {pupil.last_name}", surname,
             pupil.first_name, pupil.last_name}  # fmt: skip
    return {" ".join(name.split()).casefold() for name in names if name}


def parents_suggestions(suggester: Suggester, text: str, *, child: set[str]) -> list[Span]:
    """What the parents' copy suggests leaving out of `text`: `suggest` of the kinds
    above, but never the child's own name (the parents ask for their child's data)."""
    return [
        span
        for span in suggester.suggest(text)
        if span.kind in PARENTS_KINDS and " ".join(span.of(text).split()).casefold() not in child
    ]


def merge_manual(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end), MANUAL)
        else:
            merged.append(Span(span.start, span.end, MANUAL))
    return merged


@dataclass
class Review:
    """The decisions of a review of the parents' copy (`cases.inzage`): per text (by its
    `text_key`) the suggestions rejected and the spans marked by hand, and the dossier
    entries withheld with their ground. A suggestion the review did not see (a name the
    school learned later) is left out: undecided errs on the side of the other person.
    Without a review (`Review()`), every suggestion is left out and the copy is a draft."""

    rejected: dict[str, set[tuple[int, int]]] = field(default_factory=dict)
    manual: dict[str, list[Span]] = field(default_factory=dict)
    withheld: dict[int, str] = field(default_factory=dict)  # entry id -> ground label
    draft: bool = True


class Version(models.TextChoices):
    INSPECTIE = "inspectie", gettext_lazy("for the inspectorate")
    OUDERS = "ouders", gettext_lazy("for the parents (inzage)")
    ANONIEM = "anoniem", gettext_lazy("anonymised")


@dataclass
class Redactor:
    version: Version
    case: Case
    roles: dict[int, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    suggester: Suggester | None = None
    review: Review | None = None
    child: set[str] = field(default_factory=set)

    @classmethod
    def for_case(cls, case: Case, version: str, review: Review | None = None) -> Redactor:
        """One query for the roles of everyone at the school (and its board)."""
        version = Version(version)
        rows = Membership.objects.filter(
            models.Q(school=case.school)
            | models.Q(board_id=case.school.board_id, role=Role.BESTUUR)
        ).select_related("user")
        best: dict[int, tuple[int, str, User]] = {}
        for row in rows:
            rank = ROLE_ORDER.index(row.role) if row.role in ROLE_ORDER else len(ROLE_ORDER)
            if row.user_id not in best or rank < best[row.user_id][0]:
                best[row.user_id] = (rank, row.role, row.user)
        roles = {user_id: str(Role(role).label) for user_id, (_r, role, _u) in best.items()}
        names: dict[str, str] = {}
        if version != Version.INSPECTIE:
            for user_id, (_rank, _role, user) in best.items():
                for name in (user.get_full_name(), user.last_name):
                    if name and len(name) > 2:
                        names[name] = _("the %(role)s") % {"role": roles[user_id]}
            if version == Version.ANONIEM:
                pupil = case.pupil
                for name in (pupil.full_name, pupil.first_name, pupil.last_name):
                    if name and len(name) > 1:
                        names[name] = _("the pupil")
        suggester = Suggester.for_case(case) if version != Version.INSPECTIE else None
        if version != Version.INSPECTIE:
            review = review or Review()
        return cls(
            version=version,
            case=case,
            roles=roles,
            names=names,
            suggester=suggester,
            review=review,
            child=child_names(case) if version == Version.OUDERS else set(),
        )

    @property
    def full(self) -> bool:
        return self.version == Version.INSPECTIE

    @property
    def anonymous(self) -> bool:
        return self.version == Version.ANONIEM

    def person(self, user: User | None) -> str:
        if user is None:
            return "—"
        if self.full:
            return user.get_full_name() or user.get_username()
        role = self.roles.get(user.pk)
        return _("the %(role)s") % {"role": role} if role else _("a staff member")

    def text(self, value: str) -> str:
        """Free text with known names (staff; in the anonymous version also the pupil)
        replaced by their role, longest first so a full name goes before its parts.
        Anonymised, every span `suggest` finds goes: a known name becomes its role, the
        rest a placeholder of its kind."""
        if self.anonymous:
            return self._anonymised(value or "")
        if self.review is not None:
            return self._reviewed(value or "")
        return self._staff_roles(value)

    def _staff_roles(self, value: str) -> str:
        if not value or not self.names:
            return value or ""
        for name in sorted(self.names, key=len, reverse=True):
            value = re.sub(rf"\b{re.escape(name)}\b", self.names[name], value, flags=re.I)
        return value

    def _anonymised(self, value: str) -> str:
        roles = {name.casefold(): role for name, role in self.names.items()}
        parts, at = [], 0
        for span in self.spans_left_out(value):
            found = " ".join(span.of(value).split()).casefold()
            placeholder = roles.get(found) or PLACEHOLDERS.get(span.kind, PLACEHOLDERS[MANUAL])
            parts += [value[at : span.start], str(placeholder)]
            at = span.end
        return "".join([*parts, value[at:]])

    def always_left_out(self, words: str) -> bool:
        """Anonymised, a name the school knows goes whatever the review decided: the
        pupil, another pupil, a staff member, the school, its sociale kaart."""
        return self.anonymous and self.suggester.known.is_known(words)

    def spans_left_out(self, value: str) -> list[Span]:
        """The spans of `value` left out, by the review's decisions: the parents' copy
        from `parents_suggestions`, the anonymised copy from every suggestion."""
        key = text_key(value)
        rejected = self.review.rejected.get(key, set())
        if self.anonymous:
            suggested = self.suggester.suggest(value)
        else:
            suggested = parents_suggestions(self.suggester, value, child=self.child)
        kept = [
            span
            for span in suggested
            if (span.start, span.end) not in rejected or self.always_left_out(span.of(value))
        ]
        manual = self.review.manual.get(key, [])
        if not manual:
            return kept
        # A span marked by hand wins where it overlaps a suggestion: the reviewer chose it.
        outside = [s for s in kept if not any(s.start < m.end and m.start < s.end for m in manual)]
        return sorted([*outside, *merge_manual(manual)], key=lambda span: span.start)

    def _reviewed(self, value: str) -> str:
        """Each span left out becomes the role of a staff member it names, or a
        placeholder of its kind; the rest keeps staff names replaced by their role."""
        if not value:
            return ""
        roles = {name.casefold(): role for name, role in self.names.items()}
        parts, at = [], 0
        for span in self.spans_left_out(value):
            found = " ".join(span.of(value).split()).casefold()
            placeholder = roles.get(found) or PLACEHOLDERS.get(span.kind, PLACEHOLDERS[Kind.PERSON])
            parts += [self._staff_roles(value[at : span.start]), str(placeholder)]
            at = span.end
        return "".join([*parts, self._staff_roles(value[at:])])

    def withheld(self, entry_id: int) -> bool:
        return self.review is not None and entry_id in self.review.withheld

    def kept(self, value: str) -> str:
        """A field the anonymous version leaves out as a whole (places, the household)."""
        return "" if self.anonymous else self.text(value)

    def day(self, value: dt.date | dt.datetime | None, fmt: str = "j F Y") -> str:
        """A date as the template showed it; anonymised, the day counted from the case's
        opening ("dag 0"), with no time."""
        if value is None:
            return ""
        if not self.anonymous:
            return format_date(value, fmt)
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).date()
        opened = timezone.localtime(self.case.opened_at).date()
        return _("day %(number)s") % {"number": (value - opened).days}

    def moment(self, value: dt.datetime | None) -> str:
        return self.day(value, "j F Y H:i")

    def others_present(self, value: str) -> str:
        return value if self.full else (_("(left out)") if value else "")

    def source(self, name: str, role: str) -> str:
        if self.full:
            return f"{name} ({role})" if role else name
        return _("a third party (not named)")

    def pupil(self, today: dt.date) -> dict[str, str]:
        pupil = self.case.pupil
        if self.version == Version.ANONIEM:
            low = (pupil.age_on(today) - 2) // AGE_BAND * AGE_BAND + 2
            band = {"low": low, "high": low + AGE_BAND - 1}
            return {
                "name": _("%(low)s\u2013%(high)s years old") % band,
                "born": "",
            }
        return {"name": pupil.full_name, "born": pupil.date_of_birth}

    def school(self) -> str:
        return "" if self.version == Version.ANONIEM else self.case.school.name

    @property
    def shows_case_number(self) -> bool:
        return self.version != Version.ANONIEM

    @property
    def shows_read_log(self) -> bool:
        return self.version != Version.ANONIEM


def left_out(version: str) -> list[str]:
    """What a version leaves out, and why: the first page of the parents' version says so."""
    if Version(version) == Version.OUDERS:
        return [
            _(
                "Who gave information as a third party is not named: the law protects the "
                "privacy of others (AVG article 23, UAVG article 41). What they said is shown."
            ),
            _(
                "Staff members and others present are named by their role, not by name, "
                "to protect their privacy."
            ),
            _(
                "In the texts, the names of other people (other children, neighbours, care "
                "providers), their addresses, places, phone numbers and e-mail addresses are "
                "left out and replaced by a placeholder such as [name] (AVG article 15(4))."
            ),
        ]
    if Version(version) == Version.ANONIEM:
        return [
            _(
                "No name, date of birth, address, school or staff name, no places and no "
                "household: this version is meant for an anonymous consultation."
            ),
            _(
                "Days are counted from the day the case was opened (day 0); the pupil's age "
                "is a band of three years. In the texts, names, places, addresses, phone "
                "numbers, dates and the like are replaced by a placeholder such as [name]."
            ),
        ]
    return []
