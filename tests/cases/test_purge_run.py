"""The nightly purge scales: a case costs the run the same number of queries whether it
holds 1 dossier entry or 40, and every case as many as the next."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, Entry
from cases.workflow import Step
from meldcode.models import Pupil
from tests.cases.factories import make_case
from tests.clock import today
from tests.factories import PupilFactory
from tests.tamper import as_owner

# The purge runs as the owner role (CI's app-role run reconnects): commit first.
pytestmark = pytest.mark.django_db(transaction=True)


def expired(cast, cases: int, entries_each: int) -> None:
    """Closed cases of pupils who left three years ago (past the default two years)."""
    for _n in range(cases):
        pupil = PupilFactory(school=cast.school)
        case = make_case(opened_by=cast.leerkracht, pupil=pupil, step=Step.CLOSED)
        Entry.objects.bulk_create(
            Entry(
                case=case,
                author=cast.leerkracht,
                kind=Entry.Kind.HYPOTHESIS,
                occurred_on=today(),
                description=f"Aantekening {n}",
            )
            for n in range(entries_each)
        )
        Pupil.objects.filter(pk=pupil.pk).update(left_on=today() - dt.timedelta(days=3 * 365))


def run_queries() -> int:
    with as_owner(), CaptureQueriesContext(connection) as queries:
        call_command("purge_expired", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return len(queries)


def test_a_cases_queries_do_not_grow_with_its_entries_and_every_case_costs_the_same(cast):
    nobody = run_queries()  # the run's own, fixed part
    expired(cast, cases=1, entries_each=1)
    run_queries()  # the first purge of a process also reads the content types it deletes
    expired(cast, cases=1, entries_each=1)
    one_small = run_queries() - nobody
    expired(cast, cases=1, entries_each=40)
    one_large = run_queries() - nobody
    expired(cast, cases=3, entries_each=5)
    three = run_queries() - nobody
    assert not Case.objects.filter(step=Step.CLOSED).exists()
    assert one_small == one_large
    assert three == 3 * one_small
