"""The daily reminders scale: a person costs the run the same number of queries whether
one or ten cases wait for them, every person as many as the next, and the day's mails
go to the mail server through one connection."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from cases.actions.reminders import reminders_send
from cases.workflow import Step
from meldcode.models import Role
from tests.cases.factories import make_case
from tests.clock import today
from tests.factories import PupilFactory, member
from tests.fake_smtp import FakeSMTP


def busy_ibers(cast, people: int, cases_each: int, name: str) -> None:
    """`people` ib'ers at the cast's school, each responsible for `cases_each` cases."""
    for n in range(people):
        ib = member(cast.school, Role.IB, username=f"{name}-{n}")
        for _case in range(cases_each):
            pupil = PupilFactory(school=cast.school)
            make_case(opened_by=cast.leerkracht, pupil=pupil, step=Step.TALK, responsible=ib)


def run_queries(capture) -> int:
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        reminders_send(today=today())
    return len(queries)


def test_a_persons_queries_do_not_grow_with_their_cases_and_every_person_costs_the_same(
    cast, django_capture_on_commit_callbacks
):
    nobody = run_queries(django_capture_on_commit_callbacks)  # the run's own, fixed part
    busy_ibers(cast, people=1, cases_each=1, name="een")
    one_with_one = run_queries(django_capture_on_commit_callbacks) - nobody
    busy_ibers(cast, people=1, cases_each=10, name="tien")
    one_with_ten = run_queries(django_capture_on_commit_callbacks) - nobody
    busy_ibers(cast, people=2, cases_each=2, name="twee")
    two = run_queries(django_capture_on_commit_callbacks) - nobody
    busy_ibers(cast, people=4, cases_each=3, name="vier")
    four = run_queries(django_capture_on_commit_callbacks) - nobody
    # (Someone reminded today costs nothing more: each run skips the earlier ones.)
    assert one_with_one == one_with_ten  # 34 on SQLite: Mijn acties and the mail
    # Every further person the same number: the mails are sent once per run.
    assert four - two == 2 * (two - one_with_one)


def test_the_days_mails_go_through_one_connection(cast, django_capture_on_commit_callbacks):
    busy_ibers(cast, people=4, cases_each=1, name="post")
    server = FakeSMTP()
    try:
        with (
            override_settings(MAILERS={"default": server.mailer}),
            django_capture_on_commit_callbacks(execute=True),
        ):
            sent = reminders_send(today=today())
    finally:
        server.stop()
    assert len(sent) == 4 and server.messages == 4
    assert server.connections == 1


@pytest.mark.django_db(transaction=True)
def test_a_hung_mail_server_costs_the_run_one_timeout(cast):
    import socket
    import time

    from meldcode import outbox
    from meldcode.outbox import OutgoingMail

    busy_ibers(cast, people=3, cases_each=1, name="stil")
    silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    mailer = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": silent.getsockname()[1], "timeout": 6},
    }
    try:
        with override_settings(MAILERS={"default": mailer}):
            started = time.monotonic()
            sent = reminders_send(today=today())
            waited = time.monotonic() - started
    finally:
        silent.close()
    assert len(sent) == 3
    assert outbox.ON_COMMIT_TIMEOUT <= waited < 2 * outbox.ON_COMMIT_TIMEOUT
    waiting = OutgoingMail.objects.filter(sent_at__isnull=True, to__startswith="stil-")
    assert waiting.count() == 3  # they follow with send_mail_queue
