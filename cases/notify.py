"""Notification mails: only that an action waits, with a link. Never a name or content.
Queued in the caller's transaction (meldcode.outbox): a mail server that is down never
fails the action."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext as _

from meldcode.models import User
from meldcode.outbox import mail_queue


def mail_action_waits(recipients: Iterable[User], link: str, exclude: User | None) -> None:
    """Tell people that an action waits. Never a pupil's name, a colleague's name or content."""
    addresses = sorted(
        {
            person.email
            for person in recipients
            if person.email and (exclude is None or person.pk != exclude.pk)
        }
    )
    if not addresses:
        return
    mail_queue(
        subject=_("Meldcode: an action waits for you"),
        body=_(
            "In Meldcode an action at your school waits for you.\n\n"
            "Sign in to see it: %(link)s\n\n"
            "This e-mail deliberately contains no names or details."
        )
        % {"link": settings.SITE_URL + link},
        to=addresses,
    )


def mail_invitation(
    recipients: Iterable[User],
    link: str,
    ics: bytes,
    cancelled: bool,
    exclude: User | None,
    moved: bool = False,
) -> None:
    """Invite staff to a talk (or tell them it moved or was cancelled), with an .ics file.
    Neither the mail nor the .ics names the pupil or says anything of the case. Only the
    first mail is an invitation: an update says what changed."""
    if cancelled:
        subject = _("Meldcode: a talk is cancelled")
        what = _("In Meldcode a talk at your school was cancelled.")
    elif moved:
        subject = _("Meldcode: a talk is moved")
        what = _(
            "In Meldcode a talk at your school was moved; the calendar file has the new "
            "date, time and place."
        )
    else:
        subject = _("Meldcode: invitation to a talk")
        what = _(
            "In Meldcode a talk at your school was planned; the calendar file has the date, "
            "time and place."
        )
    body = _(
        "%(what)s\n\nSign in for the details: %(link)s\n\n"
        "This e-mail deliberately contains no names or details."
    ) % {"what": what, "link": settings.SITE_URL + link}
    method = "CANCEL" if cancelled else "REQUEST"
    for person in recipients:
        if not person.email or (exclude is not None and person.pk == exclude.pk):
            continue
        mail_queue(
            subject=subject,
            body=body,
            to=[person.email],
            attachment=("afspraak.ics", ics, f"text/calendar; method={method}; charset=utf-8"),
        )
