"""Backup and restore on PostgreSQL, as the README describes them: pg_dump of the demo
database, pg_restore into a new one, the same row counts and every chain intact."""

import contextlib
import os
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.db import connection

from cases.access_log import access_log_verify
from cases.seal import dossier_verify
from meldcode.db_roles import owner_in_tests

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]


@contextlib.contextmanager
def connected_to(name: str):
    settings = connection.settings_dict
    before = settings["NAME"]
    connection.close()
    settings["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        settings["NAME"] = before


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def test_a_dump_restores_with_the_same_rows_and_intact_chains(tmp_path):
    for tool in ("pg_dump", "pg_restore"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} is needed: sudo apt-get install postgresql-client")
    call_command("demo", verbosity=0)
    before = row_counts()
    assert before["cases_entry"] > 0 and before["cases_seal"] > 0

    settings = connection.settings_dict
    owner = owner_in_tests() or settings["USER"]
    env = {**os.environ, "PGHOST": settings["HOST"] or "127.0.0.1"}
    env |= {"PGPORT": str(settings["PORT"] or 5432), "PGUSER": owner}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    dump = tmp_path / "meldcode.dump"
    restored = f"{settings['NAME']}_restored"
    subprocess.run(
        ["pg_dump", "--format=custom", f"--file={dump}", settings["NAME"]], env=env, check=True
    )
    subprocess.run(["dropdb", "--if-exists", restored], env=env, check=True)
    subprocess.run(["createdb", restored], env=env, check=True)
    try:
        subprocess.run(
            ["pg_restore", "--exit-on-error", "--no-owner", f"--dbname={restored}", str(dump)],
            env=env,
            check=True,
        )
        with connected_to(restored):
            assert row_counts() == before
            assert dossier_verify().holds
            assert access_log_verify().holds
    finally:
        connection.close()
        subprocess.run(["dropdb", "--if-exists", restored], env=env, check=True)
