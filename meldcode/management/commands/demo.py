from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from cases import demo as cases_demo
from cases.consultations import demo as consultations_demo
from cases.dossier import demo as dossier_demo
from cases.help import demo as help_demo
from cases.leaving import demo as leaving_demo
from cases.links import demo as links_demo
from cases.report import demo as report_demo
from cases.staff_signals import demo as staff_signals_demo
from meldcode.demo import build_organisation
from socialmap import demo as socialmap_demo

# The demo walks cases through the route with the real services; the invented people
# in it should not receive (or print) the notification mails those services send.
NO_MAIL = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}


class Command(BaseCommand):
    help = (
        "Creates (idempotently) the demo world: a board, two schools, six users, pupils, "
        "cases in every step with their dossiers, and the sociale kaart."
    )

    def handle(self, *args, **options) -> None:
        with override_settings(MAILERS=NO_MAIL), transaction.atomic():
            world = build_organisation()
            socialmap_demo.populate(world)
            cases_demo.populate(world)
            dossier_demo.populate(world)
            consultations_demo.populate(world)
            help_demo.populate(world)
            report_demo.populate(world)
            leaving_demo.populate(world)
            links_demo.populate(world)
            staff_signals_demo.populate(world)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo world ready: {world.board}, {len(world.users)} users "
                f"({', '.join(world.users)})."
            )
        )
