import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.access_log import AccessLog, access_log_verify

HEAD_LINE = re.compile(r"Chain of school (\d+): id=(\d+) hash=([0-9a-f]{64})")


class Command(BaseCommand):
    help = (
        "Checks the hash chains of the access log (one per school); names the first broken "
        "row. With --heads, also checks that the chain heads an earlier run printed are "
        "still there: rows cut off the end, or a whole chain emptied, leave no gap."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--heads",
            type=Path,
            help="a file holding an earlier run's output (kept outside the database)",
        )

    def handle(self, *args, heads: Path | None = None, **options) -> None:
        report = access_log_verify()
        if not report.holds:
            row = report.first_broken
            raise CommandError(
                f"Access log broken at row id={row.pk} (row {report.rows} in order): "
                f"{report.problem}. Rows from here on cannot be trusted."
            )
        if heads is not None:
            self._check_heads(heads)
        self.stdout.write(self.style.SUCCESS(f"Access log intact: {report.rows} rows checked."))
        if report.last is not None:
            # Rows cut off the end leave no gap; keep these lines elsewhere to notice that.
            self.stdout.write(f"Last row: id={report.last.pk} hash={report.last.row_hash}")
        for school_id, head in sorted(report.heads.items()):
            self.stdout.write(f"Chain of school {school_id}: id={head.pk} hash={head.row_hash}")

    def _check_heads(self, path: Path) -> None:
        """Every head kept from before must still be a row of its chain: the chains only
        grow, so a missing one means rows were removed from the end (or all of them)."""
        kept = HEAD_LINE.findall(path.read_text())
        if not kept:
            raise CommandError(f"{path} holds no 'Chain of school …' lines.")
        for school_id, row_id, row_hash in kept:
            if not AccessLog.objects.filter(
                pk=int(row_id), school_id=int(school_id), row_hash=row_hash
            ).exists():
                raise CommandError(
                    f"The chain of school {school_id} was cut: its earlier head id={row_id} "
                    f"hash={row_hash} is gone."
                )
