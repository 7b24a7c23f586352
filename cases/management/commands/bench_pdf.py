"""Times the dossier PDF for 50 and 500 entries, beside weasyprint alone on the same HTML.

Runs on the configured database inside a transaction that is rolled back: it leaves
nothing behind. `make bench` times the same on its generated board (bench/measure.py).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from cases.dossier.models import Entry
from cases.models import Case, Transition
from cases.pdf.services import pdf_html, pdf_render
from cases.workflow import Step
from meldcode.models import Board, Membership, Pupil, Role, School, User
from meldcode.pdf_output import pdf_from_html


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Times the inspectie PDF for 50 and 500 entries, and weasyprint alone on its HTML."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--sizes", nargs="+", type=int, default=[50, 500])

    def handle(self, *args, sizes: list[int], **options) -> None:
        pdf_from_html("<p>warm-up: fonts and styles load once</p>")
        rows = []
        try:
            with transaction.atomic():
                board = Board.objects.create(name="Bench board (rolled back)")
                school = School.objects.create(board=board, name="Bench school")
                user = User.objects.create(username="bench-af-rolled-back", first_name="Bench")
                Membership.objects.create(
                    user=user, school=school, board=board, role=Role.AANDACHTSFUNCTIONARIS
                )
                for size in sizes:
                    pupil = Pupil.objects.create(
                        school=school, first_name=f"Bench{size}", last_name="Leerling",
                        date_of_birth=timezone.localdate().replace(year=2016),
                    )  # fmt: skip
                    case = Case.objects.create(
                        school=school, pupil=pupil, opened_by=user, responsible=user,
                        step=Step.WEIGH,
                    )  # fmt: skip
                    Transition.objects.create(case=case, to_step=Step.WEIGH, by=user)
                    Entry.objects.bulk_create(
                        Entry(
                            case=case, author=user, kind="observation",
                            occurred_on=timezone.localdate(), place="Klas", situation="Les",
                            description=f"Waarneming {n}: het kind was stil en at niet.",
                        )
                        for n in range(size)
                    )  # fmt: skip
                    started = time.perf_counter()
                    pdf = pdf_render(case=case, version="inspectie", by=user)
                    total = time.perf_counter() - started
                    html = pdf_html(case=case, version="inspectie", by=user)
                    started = time.perf_counter()
                    pdf_from_html(html)
                    alone = time.perf_counter() - started
                    rows.append((size, total, alone, len(pdf)))
                raise Rollback
        except Rollback:
            pass
        self.stdout.write("| entries | PDF (s) | weasyprint alone (s) | overhead | size (KB) |")
        self.stdout.write("|---:|---:|---:|---:|---:|")
        for size, total, alone, length in rows:
            overhead = (total - alone) / alone * 100 if alone else 0
            self.stdout.write(
                f"| {size} | {total:.2f} | {alone:.2f} | {overhead:+.0f}% | {length // 1024} |"
            )
