"""What each version of the dossier PDF shows of people. The rules live here, and only here.

- inspectie: everything, with every name; the inspectorate checks the school's actions.
- ouders (inzage, AVG art. 15): the parents see everything about their child, but not
  who gave information as a third party (AVG art. 23, UAVG art. 41: the rights of
  others), and not the names of staff or others present: those become their role.
- anoniem (an anonymous consultation, AVG recital 26: no one recognisable, also not by
  combining details): no name, date of birth, address, school or staff name; no places,
  household, carers or who was spoken to; days counted from the case's opening ("dag 0",
  "dag 14") instead of dates; the pupil is an age band ("leerling, 8-10 jaar"), and
  whatever `suggest` finds in free text becomes a placeholder ("[naam]", "[adres]").

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
from cases.pdf.suggestions import Kind, Span, Suggester
from meldcode.models import Membership, Role, School, User

# Strongest role first: a person is named after the role that best explains their part.
ROLE_ORDER = [Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE, Role.IB, Role.LEERKRACHT, Role.BESTUUR]

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
}
# Years: 5-7, 8-10, 11-13. An age alone, with a group, singles out a child in a school.
AGE_BAND = 3


def suggest(text: str, *, school: School) -> list[Span]:
    """The spans of `text` to suggest for redaction before a copy leaves the school, in
    order, overlaps merged; each has `start`, `end` (character offsets) and `kind`
    (`person`, `place`, `address`, `phone`, `email`, `institution`, `date`, `age`, …).

    To ask about many texts of one school, build `Suggester.for_school(school)` once."""
    return Suggester.for_school(school).suggest(text)


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

    @classmethod
    def for_case(cls, case: Case, version: str) -> Redactor:
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
        suggester = Suggester.for_school(case.school) if version == Version.ANONIEM else None
        return cls(version=version, case=case, roles=roles, names=names, suggester=suggester)

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
        if self.suggester is not None:
            return self._anonymised(value or "")
        if not value or not self.names:
            return value or ""
        for name in sorted(self.names, key=len, reverse=True):
            value = re.sub(rf"\b{re.escape(name)}\b", self.names[name], value, flags=re.I)
        return value

    def _anonymised(self, value: str) -> str:
        roles = {name.casefold(): role for name, role in self.names.items()}
        parts, at = [], 0
        for span in self.suggester.suggest(value):
            found = " ".join(span.of(value).split()).casefold()
            parts += [value[at : span.start], str(roles.get(found) or PLACEHOLDERS[span.kind])]
            at = span.end
        return "".join([*parts, value[at:]])

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
                "name": _("pupil, %(low)s\u2013%(high)s years") % band,
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
