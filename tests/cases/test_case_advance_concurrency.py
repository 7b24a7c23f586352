"""Two people moving the same case at the same moment: exactly one move is stored, the
other gets a clear message. Needs real row locks, so it runs on PostgreSQL only."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from cases.matrix import matrix_save, school_matrix
from cases.models import Case, Transition
from cases.services import case_advance
from cases.workflow import Step
from tests.cases.factories import make_case

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL row locks (SELECT ... FOR UPDATE); SQLite locks the whole file",
)


def test_two_simultaneous_moves_store_exactly_one(cast, transactional_db):
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.CONSULT)
    barrier = threading.Barrier(2, timeout=10)
    outcomes: dict[str, object] = {}

    def move(to: Step, user, reason: str) -> None:
        try:
            seen = Case.objects.get(pk=case.pk)  # each thread has its own connection
            barrier.wait()
            outcomes[to] = case_advance(case=seen, to=to, by=user, reason=reason)
        except ValidationError as error:
            outcomes[to] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=move, args=(Step.TALK, cast.ib, "")),
        threading.Thread(target=move, args=(Step.WEIGH, cast.af, "Veiligheid van het kind.")),
    ]
    # The IB'er may act in step 2; give the aandachtsfunctionaris the same right so that
    # only the race decides which move wins.
    matrix = school_matrix(cast.school)
    matrix[Step.CONSULT] |= {"aandachtsfunctionaris"}
    matrix_save(school=cast.school, matrix=matrix, by=cast.directie)

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    stored = Transition.objects.filter(case=case, from_step=Step.CONSULT)
    assert stored.count() == 1
    assert len(outcomes) == 2
    errors = [o for o in outcomes.values() if isinstance(o, ValidationError)]
    assert len(errors) == 1
    assert errors[0].code == "stale"
    case.refresh_from_db()
    assert case.step == stored.get().to_step
