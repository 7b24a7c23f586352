from django.core.management.base import BaseCommand, CommandError

from cases.access_log import access_log_verify
from cases.seal import dossier_verify


class Command(BaseCommand):
    help = (
        "Checks every case's sealed records (its identity among them) against their hash "
        "chain, its grants against the sealed changes of access, its documents' files against "
        "their sealed hashes, and the access log; names (table and id) every record that was "
        "rewritten, removed or inserted behind the application."
    )

    def handle(self, *args, **options) -> None:
        report = dossier_verify()
        log = access_log_verify()
        for problem in report.problems[:100]:
            self.stderr.write(f"Broken: {problem}")
        if len(report.problems) > 100:
            self.stderr.write(f"… and {len(report.problems) - 100} more.")
        if not log.holds:
            self.stderr.write(f"Access log broken at row id={log.first_broken.pk}: {log.problem}.")
        if report.problems or not log.holds:
            raise CommandError(
                f"The dossiers do not hold: {len(report.problems)} problem(s) in the seals"
                + ("" if log.holds else ", and the access log is broken")
                + "."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Dossiers intact: {report.seals} records in {report.chains} chains; "
                f"access log intact: {log.rows} rows."
            )
        )
