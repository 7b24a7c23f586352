"""The daily reminder: one mail per person with waiting actions, at most one a day, with
no names or details. A `ReminderSent` row is written in the same transaction as the
mail is queued (meldcode.outbox), so a second run that day sends nothing, and a mail the
server could not take yet is sent by `send_mail_queue` once it can."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from cases.actions.models import ReminderSent
from cases.actions.services import actions_for
from meldcode.models import Membership, Role, User
from meldcode.outbox import mail_queue, sent_together


def reminder_text(actions: int, overdue: int) -> str:
    text = ngettext("%(count)s action waits", "%(count)s actions wait", actions) % {
        "count": actions
    }
    if overdue:
        text += ngettext(", %(count)s of them late", ", %(count)s of them late", overdue) % {
            "count": overdue
        }
    return text


def _mail(person: User, summary: str) -> None:
    mail_queue(
        subject=_("Meldcode: %(summary)s") % {"summary": summary},
        body=_(
            "In Meldcode %(summary)s for you.\n\nSee them in Mijn acties: %(link)s\n\n"
            "This e-mail deliberately contains no names or details."
        )
        % {"summary": summary, "link": settings.SITE_URL + reverse("cases:actions")},
        to=[person.email],
    )


def reminders_send(*, today: dt.date, dry_run: bool = False) -> list[tuple[str, str]]:
    """Send today's reminders; return (username, summary) for each one sent (or, on a dry
    run, that would be sent)."""
    sent_today = set(ReminderSent.objects.filter(sent_on=today).values_list("user_id", flat=True))
    people = (
        User.objects.filter(
            is_active=True,
            # School staff, and the board (escalations reach it: cases.actions.services).
            pk__in=Membership.objects.filter(Q(school__isnull=False) | Q(role=Role.BESTUUR)).values(
                "user_id"
            ),
        )
        .exclude(email="")
        .order_by("pk")
    )
    done = []
    # The day's mails go through one connection: a hung mail server costs one timeout.
    with sent_together():
        for person in people:
            if person.pk in sent_today:
                continue
            items = actions_for(person, today)
            if not items:
                continue
            overdue = sum(item.overdue for item in items)
            with override(settings.LANGUAGE_CODE):
                summary = reminder_text(len(items), overdue)
                if not dry_run:
                    try:
                        with transaction.atomic():
                            ReminderSent.objects.create(
                                user=person, sent_on=today, actions=len(items), overdue=overdue
                            )
                            _mail(person, summary)
                    except IntegrityError:
                        continue  # another run sent it in the meantime
            done.append((person.get_username(), summary))
    return done
