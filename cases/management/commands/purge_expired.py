from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from accounts.drafts import drafts_purge
from cases.pdf.exports import pdf_exports_forget
from cases.retention import expired_cases, expires_on, purge_case
from cases.staff_signals.services import (
    expired_staff_signals,
    staff_signal_expires_on,
    staff_signal_purge,
)


class Command(BaseCommand):
    help = (
        "Deletes every closed case past its school's retention term, with everything it "
        "holds, and every closed staff signal past its board's term, leaving one purge "
        "record without content for each. Never an open case or signal. Also deletes "
        "unsaved text kept for more than a day, and PDF exports past their hour. On "
        "PostgreSQL run it as the owner role (like migrate)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="only list the case numbers that would go"
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        today = timezone.localdate()
        cases = expired_cases(today)
        for case in cases:
            # Case numbers and dates only: never a pupil's name, also not on a terminal.
            line = f"case {case.pk} (school {case.school_id}): expired on {expires_on(case)}"
            if dry_run:
                self.stdout.write(f"would purge {line}")
                continue
            try:
                record = purge_case(case, today=today)
            except DatabaseError as error:
                raise CommandError(
                    f"Purging case {case.pk} failed and changed nothing ({type(error).__name__}"
                    "). On PostgreSQL run purge_expired as the owner role."
                ) from error
            self.stdout.write(
                f"purged {line}: {record.records} records, {record.seals} seals, "
                f"{record.access_rows_blanked} access-log rows blanked"
            )
        signals = expired_staff_signals(today)
        for signal in signals:
            line = (
                f"staff signal {signal.pk} (school {signal.school_id}): expired on "
                f"{staff_signal_expires_on(signal)}"
            )
            if dry_run:
                self.stdout.write(f"would purge {line}")
                continue
            try:
                staff_signal_purge(signal, today=today)
            except DatabaseError as error:
                raise CommandError(
                    f"Purging staff signal {signal.pk} failed and changed nothing "
                    f"({type(error).__name__}). On PostgreSQL run purge_expired as the owner role."
                ) from error
            self.stdout.write(f"purged {line}")
        # Unsaved text (accounts/drafts.py) is kept a day; a count only, never its content.
        drafts = 0 if dry_run else drafts_purge()
        # PDF exports past their hour (the worker forgets them on time while it runs).
        exports = 0 if dry_run else pdf_exports_forget()
        verb = "would be purged" if dry_run else "purged"
        self.stdout.write(self.style.SUCCESS(f"{len(cases)} case(s) {verb}."))
        self.stdout.write(self.style.SUCCESS(f"{len(signals)} staff signal(s) {verb}."))
        if not dry_run:
            self.stdout.write(
                self.style.SUCCESS(f"{drafts} unsaved text(s) older than a day purged.")
            )
            self.stdout.write(
                self.style.SUCCESS(f"{exports} PDF export(s) past their hour purged.")
            )
