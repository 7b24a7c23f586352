"""The review pages detect each text of a case once (the detections are kept per text)
and show a page of parts at a time: a big dossier's review loads in bounded time and
queries. Detections are counted through `Suggester.detect`, the one seam that runs them."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.dossier.models import Entry
from cases.inzage.review_pages import UNITS_PER_PAGE
from cases.pdf.suggestions import Suggester
from cases.workflow import Step
from tests.cases.factories import make_case
from tests.factories import PupilFactory


@pytest.fixture
def detections(monkeypatch):
    calls = []
    detect = Suggester.detect

    def counted(self, text):
        calls.append(text)
        return detect(self, text)

    monkeypatch.setattr(Suggester, "detect", counted)
    return calls


def add_entries(case, author, count: int) -> None:
    Entry.objects.bulk_create(
        Entry(
            case=case, author=author, kind=Entry.Kind.OBSERVATION,
            occurred_on=timezone.localdate() - dt.timedelta(days=n % 30),
            description=f"Aantekening {n}: buurvrouw Jansen zag het kind huilen.",
            place="Klas", situation="Les",
        )
        for n in range(count)
    )  # fmt: skip


@pytest.mark.parametrize("name", ["anonymised", "inzage"])
def test_a_second_load_of_the_review_page_detects_nothing(
    cast, full_case, client_for, detections, name
):
    url = _review_url(name, cast, full_case)
    client = client_for(cast.af)
    assert client.get(url).status_code == 200
    assert len(detections) > 0
    detections.clear()
    assert client.get(url).status_code == 200
    assert detections == []


def _review_url(name, cast, case):
    if name == "anonymised":
        return reverse("cases:anonymised_review", args=[case.pk])
    from cases.inzage.models import Requester
    from cases.inzage.services import inzage_request_record

    request = inzage_request_record(
        case=case, by=cast.af, requester=Requester.PARENT, requester_name="Een ouder",
        received_on=timezone.localdate(), handled_by=cast.af,
    )  # fmt: skip
    return reverse("cases:inzage_review", args=[case.pk, request.pk])


@pytest.mark.parametrize("name", ["anonymised", "inzage"])
def test_the_review_page_needs_as_many_queries_for_200_entries_as_for_5(
    cast, client_for, detections, name
):
    counts = {}
    for total in (5, 200):
        pupil = PupilFactory(school=cast.school)
        case = make_case(
            opened_by=cast.leerkracht, pupil=pupil, step=Step.WEIGH, responsible=cast.af
        )
        add_entries(case, cast.ib, total)
        url = _review_url(name, cast, case)
        client = client_for(cast.af)
        client.get(url)  # the first look detects the first page's texts
        assert len(detections) <= UNITS_PER_PAGE + 10
        detections.clear()
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200
        shown = response.text.count('data-testid="review-unit"')
        assert shown == UNITS_PER_PAGE if total > UNITS_PER_PAGE else shown >= total
        counts[total] = len(context.captured_queries)
    assert counts[200] <= counts[5], counts
    assert counts[5] < 60, counts
