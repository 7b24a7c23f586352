"""Daily (cron): one content-free mail per person with actions waiting, at most one a day."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from cases.actions.models import ReminderSent
from cases.actions.services import actions_for
from meldcode.models import Membership, User


def reminder_text(actions: int, overdue: int) -> str:
    text = ngettext("%(count)s action waits", "%(count)s actions wait", actions) % {
        "count": actions
    }
    if overdue:
        text += ngettext(", %(count)s of them late", ", %(count)s of them late", overdue) % {
            "count": overdue
        }
    return text


class Command(BaseCommand):
    help = "Sends each person with waiting actions one mail without names or details, once a day."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Print, send nothing.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        today = timezone.localdate()
        sent_today = set(
            ReminderSent.objects.filter(sent_on=today).values_list("user_id", flat=True)
        )
        people = (
            User.objects.filter(
                is_active=True,
                pk__in=Membership.objects.filter(school__isnull=False).values("user_id"),
            )
            .exclude(email="")
            .order_by("pk")
        )
        sent = 0
        for person in people:
            if person.pk in sent_today:
                continue
            items = actions_for(person, today)
            if not items:
                continue
            overdue = sum(item.overdue for item in items)
            with override(settings.LANGUAGE_CODE):
                summary = reminder_text(len(items), overdue)
                if dry_run:
                    self.stdout.write(f"{person.get_username()}: {summary}")
                    continue
                try:
                    with transaction.atomic():
                        ReminderSent.objects.create(
                            user=person, sent_on=today, actions=len(items), overdue=overdue
                        )
                        self._mail(person, summary)
                except IntegrityError:
                    continue  # another run sent it in the meantime
            sent += 1
        self.stdout.write(f"{sent} reminder(s) sent." if not dry_run else "Dry run: nothing sent.")

    def _mail(self, person: User, summary: str) -> None:
        send_mail(
            subject=_("Meldcode: %(summary)s") % {"summary": summary},
            message=_(
                "In Meldcode %(summary)s for you.\n\nSee them in Mijn acties: %(link)s\n\n"
                "This e-mail deliberately contains no names or details."
            )
            % {"summary": summary, "link": settings.SITE_URL + reverse("cases:actions")},
            from_email=None,
            recipient_list=[person.email],
        )
