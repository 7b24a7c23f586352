"""Readers at the same moment still make one straight chain (PostgreSQL: real concurrency)."""

import threading

import pytest
from django.db import connection, connections

from cases.access_log import access_log_verify, access_log_write
from cases.models import AccessLog


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_concurrent_writers_keep_the_chain_linear(transactional_db, cast):
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def read_many(user) -> None:
        try:
            start.wait()
            for _ in range(10):
                access_log_write(user=user, case_id=1, action="view")
        except BaseException as error:  # surfaced below, in the test's own thread
            errors.append(error)
        finally:
            connections.close_all()

    users = [cast.leerkracht, cast.leerkracht_b, cast.ib, cast.af, cast.directie, cast.bestuur]
    threads = [threading.Thread(target=read_many, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AccessLog.objects.count() == 60
    assert access_log_verify().holds


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_refusals_at_the_same_moment_make_one_chained_row_and_count_every_one(
    transactional_db, cast
):
    from cases.access_log import DeniedReads, access_log_deny

    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def guess_many(first: int) -> None:
        try:
            start.wait()
            for number in range(first, first + 5):
                access_log_deny(user=cast.leerkracht, case_id=number)
        except BaseException as error:  # surfaced below, in the test's own thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess_many, args=(900_000 + 10 * n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AccessLog.objects.filter(action="denied").count() == 1
    assert DeniedReads.objects.get().count == 30
    assert access_log_verify().holds
