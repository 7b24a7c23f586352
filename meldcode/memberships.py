"""Who has access to a school: every change of a membership is kept (simple-history),
shown to the school's directie and mailed to them, without names: that the access to
their school changed, with a link to the page that says who, since when, given by whom.
So an application manager who gives themselves a role is seen by the school.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils.translation import gettext as _

from meldcode.models import Membership, Role, User
from meldcode.outbox import mail_queue


def directie_of(school_id: int) -> list[str]:
    return sorted(
        User.objects.filter(
            is_active=True,
            memberships__school_id=school_id,
            memberships__role=Role.DIRECTIE,
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def mail_access_changed(school_id: int) -> None:
    addresses = directie_of(school_id)
    if not addresses:
        return
    mail_queue(
        subject=_("Meldcode: the access to your school changed"),
        body=_(
            "In Meldcode someone's role at your school was added, changed or removed.\n\n"
            "See who has access, since when and given by whom: %(link)s\n\n"
            "This e-mail deliberately contains no names or details."
        )
        % {"link": settings.SITE_URL + reverse("school_access")},
        to=addresses,
    )


def _changed(sender, instance: Membership, **kwargs) -> None:
    if kwargs.get("raw") or instance.school_id is None:
        return
    mail_access_changed(instance.school_id)


post_save.connect(_changed, sender=Membership, dispatch_uid="membership-changed-mail")
post_delete.connect(_changed, sender=Membership, dispatch_uid="membership-removed-mail")


def access_history(school):
    """Every change of a role at `school`, newest first, with who made it."""
    return (
        Membership.history.filter(school=school)
        .select_related("user", "history_user")
        .order_by("-history_date", "-history_id")
    )


def current_access(school) -> list[dict]:
    """Everyone with a role at `school` now: since when and given by whom."""
    members = list(
        Membership.objects.filter(school=school).select_related("user").order_by("role", "user")
    )
    first = {}
    for row in (
        Membership.history.filter(id__in=[member.pk for member in members], history_type="+")
        .select_related("history_user")
        .order_by("history_date")
    ):
        first.setdefault(row.id, row)
    return [
        {
            "membership": member,
            "since": first[member.pk].history_date if member.pk in first else None,
            "given_by": first[member.pk].history_user if member.pk in first else None,
        }
        for member in members
    ]
