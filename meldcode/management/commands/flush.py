from django.core.management.commands.flush import Command as FlushCommand

from meldcode.db_roles import connected_as, owner_in_tests


class Command(FlushCommand):
    """Django's flush. In a test run under the application role, which may not TRUNCATE
    (meldcode.db_roles), the suite's flush between tests runs as the owner role."""

    def handle(self, **options):
        owner = owner_in_tests()
        if owner is None:
            return super().handle(**options)
        with connected_as(owner):
            return super().handle(**options)
