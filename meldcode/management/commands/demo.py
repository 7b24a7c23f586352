from django.core.management.base import BaseCommand
from django.db import transaction

from cases import demo_dossier
from cases.demo import populate as populate_cases
from meldcode.demo import build_organisation
from socialmap import demo as socialmap_demo


class Command(BaseCommand):
    help = "Creates (idempotently) the demo world: a board, two schools, six users, pupils."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            world = build_organisation()
            populate_cases(world)
            socialmap_demo.populate(world)
            demo_dossier.populate(world)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo world ready: {world.board}, {len(world.users)} users "
                f"({', '.join(world.users)})."
            )
        )
