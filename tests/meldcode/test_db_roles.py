"""Least privilege: the application's database role may add to the append-only tables and
read them, never change, delete, truncate or switch a trigger off. Runs on PostgreSQL
under the application role (CI: MELDCODE_TEST_APP_ROLE); skipped elsewhere."""

import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from cases.dossier.services import entry_add
from cases.models import Entry
from cases.services import case_open
from meldcode.db_roles import append_only_tables
from tests.tamper import tamper

under_application_role = pytest.mark.skipif(
    connection.vendor != "postgresql" or not os.environ.get("MELDCODE_TEST_APP_ROLE"),
    reason="needs PostgreSQL and MELDCODE_TEST_APP_ROLE (CI runs it: see .ci/run)",
)

APPEND_ONLY = append_only_tables()


def test_the_append_only_tables_are_the_laws_records():
    for table in ["cases_entry", "cases_accesslog", "cases_seal", "cases_transition"]:
        assert table in APPEND_ONLY
    assert "cases_historicalcase" in APPEND_ONLY  # history is evidence too
    assert "cases_case" not in APPEND_ONLY


@under_application_role
def test_the_suite_runs_as_the_application_role(application_role, db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == application_role


def refused(sql: str) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError:
        return True
    return False


@under_application_role
@pytest.mark.parametrize("table", APPEND_ONLY)
def test_the_application_role_cannot_change_an_append_only_table(table, db):
    assert refused(f"UPDATE {table} SET id = id")
    assert refused(f"DELETE FROM {table}")
    assert refused(f"TRUNCATE {table}")
    assert refused(f"TRUNCATE {table} CASCADE")
    assert refused(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
    assert refused(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    assert refused(f"DROP TABLE {table}")


@under_application_role
def test_the_application_role_can_add_and_read(cast):
    case = case_open(pupil=cast.pupil, by=cast.leerkracht)
    entry = entry_add(
        case=case,
        author=cast.leerkracht,
        kind=Entry.Kind.HYPOTHESIS,
        occurred_on=case.opened_at.date(),
        description="Mogelijk te weinig eten thuis.",
    )
    assert Entry.objects.get(pk=entry.pk).description == "Mogelijk te weinig eten thuis."


@under_application_role
def test_the_application_role_cannot_truncate_any_table(db):
    assert refused("TRUNCATE cases_case CASCADE")
    assert refused("TRUNCATE meldcode_pupil CASCADE")


@pytest.mark.django_db(transaction=True)
def test_an_entry_rewritten_by_the_owner_is_named_by_verify_dossiers(cast, capsys):
    case = case_open(pupil=cast.pupil, by=cast.leerkracht)
    entry = entry_add(
        case=case,
        author=cast.leerkracht,
        kind=Entry.Kind.HYPOTHESIS,
        occurred_on=case.opened_at.date(),
        description="Mogelijk te weinig eten thuis.",
    )
    tamper("UPDATE cases_entry SET description = %s WHERE id = %s", ["Niets.", entry.pk])
    with pytest.raises(CommandError, match="1 problem"):
        call_command("verify_dossiers")
    assert f"cases.Entry id={entry.pk}: it was rewritten" in capsys.readouterr().err


def test_db_grant_refuses_sqlite(db):
    if connection.vendor == "postgresql":
        pytest.skip("the SQLite answer")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("db_grant", "meldcode_app")
