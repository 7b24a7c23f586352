"""Sealing holds a bounded number of PostgreSQL advisory locks per transaction, however many
cases it seals: an upgrade or a bulk load of thousands of cases never runs out of the lock
table ("out of shared memory"), and the chains stay whole."""

import pytest
from django.db import connection, transaction

from cases.models import Case, Seal, Transition
from cases.seal import MANY_CHAINS, dossier_verify, seal_records
from cases.workflow import Step
from tests.factories import PupilFactory

pytestmark = pytest.mark.django_db(transaction=True)


def advisory_locks_held() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def unsealed_cases(cast, count: int) -> list[int]:
    """Cases inserted in bulk, as an upgrade finds them: no seal yet."""
    pupils = PupilFactory.create_batch(count, school=cast.school)
    cases = Case.objects.bulk_create(
        Case(school=cast.school, pupil=pupil, opened_by=cast.leerkracht, responsible=cast.ib)
        for pupil in pupils
    )
    return [case.pk for case in cases]


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks exist on PostgreSQL only; SQLite writes one at a time")


def test_sealing_many_cases_holds_one_advisory_lock(cast, postgresql_only):
    batch = MANY_CHAINS + 1
    pks = unsealed_cases(cast, 3 * batch)
    with transaction.atomic():
        for start in range(0, len(pks), batch):  # as the migrations do, in batches
            seal_records(Case, pks[start : start + batch])
        assert advisory_locks_held() == 1
    assert advisory_locks_held() == 0


def test_a_transaction_never_holds_more_than_a_few_locks_at_any_scale(cast, postgresql_only):
    pks = unsealed_cases(cast, 250)
    with transaction.atomic():
        for start in range(0, len(pks), 100):  # the last batch is small: a lock per chain
            seal_records(Case, pks[start : start + 100])
        assert advisory_locks_held() <= MANY_CHAINS + 2


def test_sealing_a_few_chains_locks_each_and_shares_the_lock_over_all(cast, postgresql_only):
    pks = unsealed_cases(cast, 3)
    with transaction.atomic():
        seal_records(Case, pks)
        assert advisory_locks_held() == 1 + 3
    assert advisory_locks_held() == 0


def test_chains_sealed_in_bulk_continue_where_they_were(cast):
    pks = unsealed_cases(cast, MANY_CHAINS + 5)
    seal_records(Case, pks[:3])  # a few chains first, a lock each
    seal_records(Case, pks[3:])  # then the rest in bulk
    Transition.objects.bulk_create(  # sealed as it is inserted: a record more in every chain
        Transition(case_id=pk, from_step="", to_step=Step.SIGNALS, by=cast.leerkracht,
                   responsible=cast.ib)
        for pk in pks
    )  # fmt: skip
    for pk in pks:
        seals = Seal.objects.filter(chain=f"case:{pk}").order_by("seq")
        assert [(seal.seq, seal.record) for seal in seals] == [
            (1, "cases.Case"), (2, "cases.Transition")
        ]  # fmt: skip
    assert dossier_verify().holds
