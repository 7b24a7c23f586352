"""A form sent twice (a double click, back and resend) files once."""

import re
import threading
import uuid

import pytest
from django.db import connection, connections
from django.urls import reverse

from cases.models import StaffSignal
from cases.services import case_advance
from cases.workflow import Step
from tests.cases.factories import make_case

DESCRIPTION = "Collega schreeuwde in de gang tegen een leerling."


def token_from(page: str) -> str:
    return re.search(r'name="_submission" value="([0-9a-f-]{36})"', page).group(1)


def form(cast, token: str, description: str = DESCRIPTION) -> dict:
    return {"concerns": cast.leerkracht_b.pk, "description": description, "_submission": token}


def test_every_post_form_carries_a_token(cast, client_for):
    page = client_for(cast.leerkracht).get(reverse("cases:staff_signal_new")).text
    assert token_from(page)


def test_the_same_form_sent_twice_files_once(cast, client_for):
    client = client_for(cast.leerkracht)
    url = reverse("cases:staff_signal_new")
    token = token_from(client.get(url).text)
    first = client.post(url, form(cast, token))
    second = client.post(url, form(cast, token), follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[0] == (first["Location"], 303)
    assert "al verstuurd" in second.text
    assert StaffSignal.objects.count() == 1


def test_a_form_with_errors_keeps_its_token_for_the_corrected_send(cast, client_for):
    client = client_for(cast.leerkracht)
    url = reverse("cases:staff_signal_new")
    token = token_from(client.get(url).text)
    assert client.post(url, form(cast, token, description="")).status_code == 200
    assert client.post(url, form(cast, token)).status_code == 302
    assert StaffSignal.objects.count() == 1


def test_a_form_refused_with_an_error_message_is_judged_again_when_resent(cast, client_for):
    # The page went stale: the move is refused with a message and a redirect. Sent again
    # (back, resend), it is refused again; it is not "sent already", for nothing was.
    case = make_case(step=Step.SIGNALS, opened_by=cast.leerkracht, pupil=cast.pupil)
    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    client = client_for(cast.ib)
    url = reverse("cases:move", args=[case.pk, "2"])
    sent = {"seen_step": "1", "move-2-to": "2", "_submission": str(uuid.uuid4())}
    for _time in range(2):
        page = client.post(url, sent, follow=True)
        assert "zojuist" in page.text and "al verstuurd" not in page.text
    assert case.transitions.count() == 2


def test_a_new_page_gives_a_new_token_and_files_again(cast, client_for):
    client = client_for(cast.leerkracht)
    url = reverse("cases:staff_signal_new")
    for _time in range(2):
        client.post(url, form(cast, token_from(client.get(url).text)))
    assert StaffSignal.objects.count() == 2


def test_another_users_token_neither_replays_nor_reveals(cast, client_for):
    url = reverse("cases:staff_signal_new")
    teacher = client_for(cast.leerkracht)
    token = token_from(teacher.get(url).text)
    teacher.post(url, form(cast, token))
    other = client_for(cast.ib)
    response = other.post(url, form(cast, token), follow=True)
    assert "al verstuurd" not in response.text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_two_sends_at_the_same_moment_file_once(cast, client_for):
    url = reverse("cases:staff_signal_new")
    clients = [client_for(cast.leerkracht), client_for(cast.leerkracht)]
    token = token_from(clients[0].get(url).text)
    start = threading.Barrier(2)
    codes = []

    def send(client) -> None:
        try:
            start.wait()
            codes.append(client.post(url, form(cast, token)).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [302, 303]  # one filed, one sent to where the first went
    assert StaffSignal.objects.count() == 1
