"""Import the staff of a school (by its directie) or of a board (by the application
manager) from a CSV with the columns naam;e-mail;school;rol.

- All or nothing, like the pupil import: every row is checked, and any bad row refuses
  the whole file, each error with its row number and column; nothing is saved.
- A new colleague gets an account (username: the e-mail address, no password yet) and
  one content-free mail: a link to choose a password, or to sign in with the school
  account when the board has switched passwords off.
- The file is the staff list of every school it names (the directie's file: of their
  school): a role at such a school that is not in the file is ended, kept in the
  history of the memberships, and each school's directie gets one mail about it.
- Board roles (bestuur) and the application managers' own accounts are not imported:
  they are given in the admin, one by one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from meldcode.csv_table import ImportRefused, cell_in, read_table
from meldcode.memberships import access_changes_batched
from meldcode.models import Board, Membership, Role, School, User
from meldcode.outbox import mails_queue
from meldcode.session_cache import access_changed

__all__ = [
    "ImportRefused",
    "StaffImportResult",
    "school_account_of",
    "staff_import",
    "staff_welcome_mail",
]

COLUMNS = ("naam", "e-mail", "school", "rol")
SCHOOL_ROLES = (Role.LEERKRACHT, Role.IB, Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE)
ROLE_WORDS = {
    "leerkracht": Role.LEERKRACHT,
    "vakleerkracht": Role.LEERKRACHT,
    "ib": Role.IB,
    "ib'er": Role.IB,
    "intern begeleider": Role.IB,
    "aandachtsfunctionaris": Role.AANDACHTSFUNCTIONARIS,
    "directie": Role.DIRECTIE,
    "directeur": Role.DIRECTIE,
}
NAME_MAX = 150
EMAIL_MAX = 254


@dataclass
class StaffImportResult:
    accounts_created: int = 0
    roles_added: int = 0
    roles_ended: int = 0
    roles_kept: int = 0


@dataclass(frozen=True)
class _Row:
    line: int
    name: str
    email: str
    school: School
    role: str


def _error(line: int, field: str, problem: str) -> str:
    return _("Row %(row)d, %(field)s: %(problem)s.") % {
        "row": line,
        "field": field,
        "problem": problem,
    }


def school_account_of(board: Board):
    from accounts.oidc_models import SchoolAccountProvider

    return SchoolAccountProvider.objects.filter(board=board, enabled=True).first()


def _check_rows(records, schools: dict[str, School], scope: str, provider) -> tuple[list, list]:
    rows: list[_Row] = []
    errors: list[str] = []
    seen: dict[tuple, int] = {}
    names: dict[str, tuple[str, int]] = {}
    for line, record in records:
        problems = []
        name, email = " ".join(record["naam"].split()), record["e-mail"].strip().lower()
        if not name:
            problems.append(("naam", _("missing")))
        elif len(name) > NAME_MAX:
            problems.append(
                ("naam", _("too long (at most %(max)d characters)") % {"max": NAME_MAX})
            )
        if not email:
            problems.append(("e-mail", _("missing")))
        elif len(email) > EMAIL_MAX:
            problems.append(
                ("e-mail", _("too long (at most %(max)d characters)") % {"max": EMAIL_MAX})
            )
        else:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(
                    ("e-mail", _("“%(value)s” is not an e-mail address") % {"value": email})
                )
            else:
                if (
                    provider
                    and provider.passwords_off
                    and provider.domains
                    and email.rsplit("@", 1)[1] not in provider.domains
                ):
                    problems.append(
                        (
                            "e-mail",
                            _(
                                "not an address at %(domains)s: with passwords off, only "
                                "those can sign in"
                            )
                            % {"domains": ", ".join(provider.domains)},
                        )
                    )
        school = schools.get(record["school"].strip().casefold())
        if not record["school"].strip():
            problems.append(("school", _("missing")))
        elif school is None:
            problems.append(
                (
                    "school",
                    (
                        _("“%(value)s” is not your school (%(scope)s)")
                        if len(schools) == 1
                        else _("“%(value)s” is not a school of %(scope)s")
                    )
                    % {"value": record["school"], "scope": scope},
                )
            )
        word = record["rol"].strip().lower()
        role = ROLE_WORDS.get(word)
        if not word:
            problems.append(("rol", _("missing")))
        elif word == Role.BESTUUR:
            problems.append(
                ("rol", _("a board role is given by the application manager, not by an import"))
            )
        elif role is None:
            problems.append(
                (
                    "rol",
                    _(
                        "“%(value)s” is not a role (use leerkracht, ib, aandachtsfunctionaris "
                        "or directie)"
                    )
                    % {"value": record["rol"]},
                )
            )
        errors.extend(_error(line, field, problem) for field, problem in problems)
        if problems:
            continue
        if email in names and names[email][0].casefold() != name.casefold():
            errors.append(
                _error(
                    line,
                    "naam",
                    _("row %(first)d has this e-mail address with another name")
                    % {"first": names[email][1]},
                )
            )
            continue
        names.setdefault(email, (name, line))
        key = (email, school.pk, role)
        if key in seen:
            errors.append(
                _error(
                    line,
                    "rol",
                    _("the same person, school and role as row %(first)d") % {"first": seen[key]},
                )
            )
            continue
        seen[key] = line
        rows.append(_Row(line=line, name=name, email=email, school=school, role=role))
    return rows, errors


def _accounts(rows: list[_Row]) -> tuple[dict[str, User], list[str]]:
    """The existing account of each address, and the rows whose address cannot be used."""
    first_line: dict[str, int] = {}
    for row in rows:
        first_line.setdefault(row.email, row.line)
    emails = list(first_line)
    found: dict[str, list[User]] = defaultdict(list)
    for user in User.objects.annotate(address=Lower("email")).filter(address__in=emails):
        found[user.address].append(user)
    taken = set(
        User.objects.annotate(name=Lower("username"))
        .filter(name__in=[email for email in emails if email not in found])
        .values_list("name", flat=True)
    )
    accounts, errors = {}, []
    for email, line in first_line.items():
        users = found.get(email, [])
        problem = None
        if len(users) > 1:
            problem = _("more than one account has this address; ask the application manager")
        elif users and users[0].is_superuser:
            problem = _("this is an application manager's account, which holds no school role")
        elif users and not users[0].is_active:
            problem = _(
                "the account with this address is switched off; ask the application manager"
            )
        elif not users and email in taken:
            problem = _("another account already has this address as its username")
        if problem:
            errors.append(_error(line, "e-mail", problem))
        elif users:
            accounts[email] = users[0]
    return accounts, errors


def _file_errors(
    rows: list[_Row], accounts: dict[str, User], *, by: User, own_school: School | None
) -> list[str]:
    errors = []
    named = {row.school for row in rows}
    with_directie = {row.school for row in rows if row.role == Role.DIRECTIE}
    for school in sorted(named - with_directie, key=lambda s: s.name):
        errors.append(
            _("%(school)s: the file names no directie; every school keeps at least one.")
            % {"school": school.name}
        )
    if own_school is not None and not any(
        row.school == own_school and row.role == Role.DIRECTIE and accounts.get(row.email) == by
        for row in rows
    ):
        errors.append(
            _(
                "Your own role as directie is not in the file (with your e-mail address): "
                "add it, or ask the application manager to end it."
            )
        )
    return errors


def staff_import(
    *, data: bytes, by: User, school: School | None = None, board: Board | None = None
) -> StaffImportResult:
    """The directie imports for `school`, the application manager for `board`."""
    if (school is None) == (board is None):
        raise ValueError("Give either a school or a board.")
    board = board or school.board
    scope_schools = [school] if school else list(board.schools.all())
    schools = {s.name.strip().casefold(): s for s in scope_schools}
    records = read_table(data, COLUMNS, cell=cell_in)
    if not records:
        raise ImportRefused([_("The file has column names but no staff.")])
    provider = school_account_of(board)
    rows, errors = _check_rows(records, schools, school.name if school else board.name, provider)
    accounts, account_errors = _accounts(rows)
    errors += account_errors
    if not errors:
        errors += _file_errors(rows, accounts, by=by, own_school=school)
    if errors:
        raise ImportRefused(errors)
    return _save(rows, accounts, board=board, by=by, provider=provider)


def _split(name: str) -> tuple[str, str]:
    first, _space, rest = name.partition(" ")
    return first, rest


def _save(rows: list[_Row], accounts: dict[str, User], *, board, by, provider):
    result = StaffImportResult()
    scope = {row.school.pk for row in rows}
    with transaction.atomic(), access_changes_batched() as changed:
        have = {
            (m.user_id, m.school_id, m.role): m
            for m in Membership.objects.select_for_update().filter(
                school_id__in=scope, role__in=SCHOOL_ROLES
            )
        }
        names = {row.email: row.name for row in rows}
        new_users = [
            User(
                username=email,
                email=email,
                first_name=_split(names[email])[0],
                last_name=_split(names[email])[1],
                password=make_password(None),
            )
            for email in names
            if email not in accounts
        ]
        User.objects.bulk_create(new_users, batch_size=500)
        accounts = accounts | {user.email: user for user in new_users}
        wanted = {(accounts[row.email].pk, row.school.pk, row.role) for row in rows}
        added = [
            Membership(user_id=user_id, school_id=school_id, board_id=board.pk, role=role)
            for user_id, school_id, role in sorted(wanted - have.keys())
        ]
        bulk_create_with_history(added, Membership, batch_size=500, default_user=by)
        access_changed({membership.user_id for membership in added})  # no signals in bulk
        changed.update(school_id for _user, school_id, _role in wanted - have.keys())
        for key in sorted(have.keys() - wanted):
            membership = have[key]
            membership._history_user = by  # ended: its history keeps who, when and what
            membership.delete()
        staff_welcome_mail(new_users, provider=provider)
        result.accounts_created = len(new_users)
        result.roles_added = len(added)
        result.roles_ended = len(have.keys() - wanted)
        result.roles_kept = len(have.keys() & wanted)
    return result


def staff_welcome_mail(users: list[User], *, provider) -> None:
    """One mail per new colleague, with no names or school in it: a link to choose a
    password (Django's password-reset token), or to sign in with the school account."""
    sign_in = settings.SITE_URL + reverse("login")
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    mails = []
    for user in users:
        if provider and provider.passwords_off:
            body = _(
                "You now have an account in Meldcode, the application your school uses for "
                "the meldcode. Sign in with your school account: %(link)s"
            ) % {"link": sign_in}
        else:
            link = settings.SITE_URL + reverse(
                "password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            )
            body = _(
                "You now have an account in Meldcode, the application your school uses for "
                "the meldcode. Your username is this e-mail address. Choose your password "
                "here (the link works for %(days)d days): %(link)s"
            ) % {"days": days, "link": link}
            if provider:
                body += "\n\n" + _("Or sign in with your school account: %(link)s") % {
                    "link": sign_in
                }
        body += "\n\n" + _("This e-mail deliberately contains no names or details.")
        mails.append((user.email, _("Meldcode: you have an account"), body))
    mails_queue(mails=mails, background=settings.MELDCODE_MAIL_IN_BACKGROUND)
