"""Daily (cron): one content-free mail per person with actions waiting, at most once a day."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from cases.actions.reminders import reminders_send


class Command(BaseCommand):
    help = "Sends each person with waiting actions one mail without names or details, once a day."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Print, send nothing.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        done = reminders_send(today=timezone.localdate(), dry_run=dry_run)
        if dry_run:
            for username, summary in done:
                self.stdout.write(f"{username}: {summary}")
            self.stdout.write("Dry run: nothing sent.")
        else:
            self.stdout.write(f"{len(done)} reminder(s) sent.")
