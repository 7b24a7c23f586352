"""Least privilege on PostgreSQL: the owner role and the application role.

The owner role owns the schema: it runs the migrations, the purge of expired cases
(`purge_expired`) and the backups. The application role, which the web server and its
workers log in as, owns nothing, so it can never switch a trigger off (`ALTER TABLE …
DISABLE TRIGGER` needs the owner). On the append-only tables (the dossier, its seals,
the access log and every history table) it may only SELECT and INSERT: UPDATE, DELETE
and TRUNCATE are refused by the database before any trigger is asked. On the other
tables it may SELECT, INSERT, UPDATE and DELETE, never TRUNCATE.

`python manage.py db_grant <application role>`, run as the owner after every
`migrate`, gives exactly these rights (README, "Database roles").
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.apps import apps
from django.db import connection
from psycopg import sql
from simple_history.models import HistoricalChanges

from cases.append_only import AppendOnlyModel


def append_only_tables() -> list[str]:
    """The tables whose rows are only ever added: the law's records and their history."""
    tables = {
        model._meta.db_table
        for model in apps.get_models()
        if issubclass(model, AppendOnlyModel | HistoricalChanges)
    }
    return sorted(tables)


def grant_statements(role: str) -> list[sql.Composed]:
    """The SQL that gives `role` the application's rights and nothing more."""
    role_id = sql.Identifier(role)
    statements = [
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(role_id),
        sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {}").format(role_id),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role_id),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(role_id),
    ]
    append_only = set(append_only_tables())
    for table in sorted(connection.introspection.table_names()):
        rights = "SELECT, INSERT" if table in append_only else "SELECT, INSERT, UPDATE, DELETE"
        if table == "django_migrations":
            rights = "SELECT"
        statements.append(
            sql.SQL("GRANT " + rights + " ON TABLE {} TO {}").format(sql.Identifier(table), role_id)
        )
    return statements


def grant(role: str) -> int:
    statements = grant_statements(role)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return len(statements)


@contextlib.contextmanager
def connected_as(user: str) -> Iterator[None]:
    """Reconnect the default connection as `user` for the duration (outside any
    transaction): the test suite's flush and the tests that act as the owner use it."""
    settings = connection.settings_dict
    before = settings["USER"]
    connection.close()
    settings["USER"] = user
    try:
        yield
    finally:
        connection.close()
        settings["USER"] = before


def owner_in_tests() -> str | None:
    """In a test run under the application role: the owner role the suite set up with."""
    return connection.settings_dict.get("MELDCODE_TEST_OWNER")
