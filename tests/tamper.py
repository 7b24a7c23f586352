"""Change the database behind the application's back, as someone with the owner's
rights could: with the append-only triggers off. Under the application role (CI's
PostgreSQL run) this reconnects as the owner, so a test that tampers must commit its
data first: mark it `django_db(transaction=True)`."""

from django.db import connection

from meldcode.db_roles import connected_as, owner_in_tests


def _run(sql: str, params) -> None:
    if connection.vendor == "postgresql":
        import pgtrigger

        with pgtrigger.ignore(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def tamper(sql: str, params=()) -> None:
    owner = owner_in_tests()
    if owner is None:
        _run(sql, params)
    else:
        with connected_as(owner):
            _run(sql, params)


def as_owner():
    """Act as the owner role (under CI's application role; elsewhere the connection is
    the owner already). Reconnects: the test's data must be committed."""
    import contextlib

    owner = owner_in_tests()
    return connected_as(owner) if owner else contextlib.nullcontext()
