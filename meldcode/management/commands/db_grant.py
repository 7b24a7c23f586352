from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from meldcode.db_roles import grant


class Command(BaseCommand):
    help = (
        "PostgreSQL: give the application role exactly its rights (SELECT and INSERT on the "
        "append-only tables; no TRUNCATE anywhere). Run as the owner role after every migrate."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("role", help="the application's database role, e.g. meldcode_app")

    def handle(self, *args, role: str, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Database roles exist on PostgreSQL only.")
        with transaction.atomic():
            count = grant(role)
        self.stdout.write(self.style.SUCCESS(f"{count} statements: {role} has its rights."))
