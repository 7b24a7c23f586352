"""The upgrade of a large installation, for the benchmark: a database at migration
cases 0010 (before seals) filled with 50,000 cases, then `migrate` to today, then
`verify_dossiers`. Migrations 0011 and 0016 seal every existing case; before sealing took
one lock over every chain for a bulk, a lock per case piled up in the migration's one
transaction and PostgreSQL ran out of its lock table ("out of shared memory") at about
6,000 cases.

    DJANGO_SETTINGS_MODULE=bench.settings python -m bench.upgrade --fill 50000
(fills a database migrated to cases 0010; `bench.__main__` runs the whole upgrade.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys

BEFORE_SEALS = ("cases", "0010_case_list_index")


def fill(cases: int, schools: int = 20, batch: int = 5000) -> None:
    """Cases as an installation of the time holds them, written through the models of
    that migration state (today's models have fields the tables do not have yet)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.db.migrations.loader import MigrationLoader
    from django.utils import timezone

    state = MigrationLoader(connection).project_state(BEFORE_SEALS).apps
    Board, School = state.get_model("meldcode", "Board"), state.get_model("meldcode", "School")
    Pupil, User = state.get_model("meldcode", "Pupil"), state.get_model("meldcode", "User")
    Case, Transition = state.get_model("cases", "Case"), state.get_model("cases", "Transition")
    now = timezone.now()
    with transaction.atomic():
        board = Board.objects.create(name="Stichting Upgrade")
        made = School.objects.bulk_create(
            School(name=f"Upgradeschool {n}", board=board) for n in range(schools)
        )
        teacher = User.objects.create(username="upgrade-leerkracht", password="!")
        for start in range(0, cases, batch):
            count = min(batch, cases - start)
            pupils = Pupil.objects.bulk_create(
                Pupil(
                    first_name=f"Leerling{start + n}",
                    last_name="Upgrade",
                    date_of_birth=dt.date(2016, 1, 1),
                    school=made[(start + n) % schools],
                )
                for n in range(count)
            )
            opened = Case.objects.bulk_create(
                Case(
                    school_id=pupil.school_id,
                    pupil=pupil,
                    opened_by=teacher,
                    responsible=teacher,
                    opened_at=now,
                    step_entered_at=now,
                )
                for pupil in pupils
            )
            Transition.objects.bulk_create(
                Transition(case=case, from_step="", to_step="1", by=teacher, at=now)
                for case in opened
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.upgrade")
    parser.add_argument("--fill", type=int, required=True)
    fill(parser.parse_args(argv).fill)
    return 0


if __name__ == "__main__":
    sys.exit(main())
