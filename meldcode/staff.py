"""Adding one colleague by hand ("Medewerker toevoegen"): the directie for the schools it
leads, the application manager for every school and for a new application manager.

The account gets no password: the new colleague gets one content-free mail (the same as
the staff import's, meldcode.staff_import.staff_welcome_mail) with a link to choose one,
Django's password-reset token, which works once and for PASSWORD_RESET_TIMEOUT only. At
the first sign-in the second factor's enrolment takes over (accounts.second_factor).
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meldcode.models import Membership, Role, School, User
from meldcode.staff_import import (
    EMAIL_MAX,
    NAME_MAX,
    SCHOOL_ROLES,
    school_account_of,
    staff_welcome_mail,
)

# Not a school role: the application manager holds none (Membership.clean), so this
# choice makes a superuser account without a school.
APPLICATION_MANAGER = "applicatiebeheerder"
APPLICATION_MANAGER_LABEL = gettext_lazy("application manager")


def schools_managed_by(user: User) -> QuerySet[School]:
    """The schools to which `user` may add a colleague: where they are directie; every
    school for the application manager."""
    if user.is_superuser:
        return School.objects.select_related("board").all()
    return School.objects.filter(
        pk__in=Membership.objects.filter(user=user, role=Role.DIRECTIE).values("school_id")
    )


def may_add_staff(user: User) -> bool:
    return user.is_superuser or schools_managed_by(user).exists()


def roles_grantable_by(user: User) -> list[tuple[str, str]]:
    roles = [(role.value, role.label) for role in SCHOOL_ROLES]
    if user.is_superuser:
        roles.append((APPLICATION_MANAGER, APPLICATION_MANAGER_LABEL))
    return roles


def _split(name: str) -> tuple[str, str]:
    first, _space, rest = name.partition(" ")
    return first, rest


def email_taken(email: str) -> bool:
    return User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists()


def _outside_school_account(email: str, school: School | None) -> bool:
    provider = school_account_of(school.board) if school is not None else None
    return bool(
        provider
        and provider.passwords_off
        and provider.domains
        and email.rsplit("@", 1)[1] not in provider.domains
    )


def _check(*, name: str, email: str, school: School | None, role: str, by: User) -> None:
    if role not in dict(roles_grantable_by(by)):
        raise PermissionDenied
    if school is not None and not schools_managed_by(by).filter(pk=school.pk).exists():
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Fill in the name.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("At most %(max)d characters.") % {"max": NAME_MAX}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Fill in a valid e-mail address.")
    else:
        if len(email) > EMAIL_MAX:
            errors["email"] = _("At most %(max)d characters.") % {"max": EMAIL_MAX}
        elif _outside_school_account(email, school):
            errors["email"] = _(
                "With passwords switched off only addresses at %(domains)s can sign in."
            ) % {"domains": ", ".join(school_account_of(school.board).domains)}
        elif email_taken(email):
            errors["email"] = _(
                "There is already an account with this e-mail address. A colleague who "
                "already has an account gets a new role through the staff import or the "
                "application manager."
            )
    if role == APPLICATION_MANAGER and school is not None:
        errors["school"] = _("An application manager holds no role at a school: leave it empty.")
    elif role != APPLICATION_MANAGER and school is None:
        errors["school"] = _("Choose the school.")
    if errors:
        raise ValidationError(errors)


def staff_member_add(*, name: str, email: str, school: School | None, role: str, by: User) -> User:
    """Creates the account and its role in one transaction; the welcome mail goes after
    the commit. `ValidationError` (per field) for bad input or an address in use,
    `PermissionDenied` for a school or role `by` may not give."""
    name, email = " ".join(name.split()), email.strip().lower()
    _check(name=name, email=email, school=school, role=role, by=by)
    first, last = _split(name)
    try:
        with transaction.atomic():
            user = User.objects.create(
                username=email,
                email=email,
                first_name=first,
                last_name=last,
                password=make_password(None),
                is_staff=role == APPLICATION_MANAGER,
                is_superuser=role == APPLICATION_MANAGER,
            )
            if school is not None:
                membership = Membership(user=user, school=school, role=role)
                membership._history_user = by  # the access page says who gave the role
                membership.save()
            provider = school_account_of(school.board) if school is not None else None
            staff_welcome_mail([user], provider=provider)
    except IntegrityError:
        # Another request took the address between the check and the insert.
        raise ValidationError(
            {"email": _("There is already an account with this e-mail address.")}
        ) from None
    return user
