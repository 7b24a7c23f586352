"""The inzage screens: record a request, review the copy part by part, approve, download;
the leeslog says who released it to whom."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from cases.access_log import AccessLog
from cases.inzage.models import InzageRelease, InzageRequest, ReviewDraft
from cases.inzage.services import inzage_release, standing
from cases.pdf.services import review_units
from tests.cases.inzage.conftest import NEIGHBOUR
from tests.cases.inzage.reviews import review_all
from tests.cases.pdf.exporting import export_and_download


def test_the_af_records_a_request_and_sees_its_term(cast, full_case, client_for):
    client = client_for(cast.af)
    received = timezone.localdate() - dt.timedelta(days=3)
    response = client.post(
        reverse("cases:inzage", args=[full_case.pk]),
        {"requester": "parent", "requester_name": "Vader van Zoë",
         "received_on": received.isoformat(), "handled_by": cast.af.pk},
    )  # fmt: skip
    request = InzageRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cases:inzage_request", args=[full_case.pk, request.pk])
    page = client.get(response.url).content.decode()
    assert "Vader van Zoë" in page and "antwoord uiterlijk" in page


def test_a_request_without_a_name_answers_with_the_error_next_to_the_field(
    cast, full_case, client_for
):
    response = client_for(cast.directie).post(
        reverse("cases:inzage", args=[full_case.pk]),
        {"requester": "parent", "requester_name": "", "received_on": "2026-01-01",
         "handled_by": cast.af.pk},
    )  # fmt: skip
    assert response.status_code == 200
    assert 'id="id_requester_name_error"' in response.content.decode()
    assert not InzageRequest.objects.exists()


def test_the_review_page_marks_every_suggestion_and_saves_a_part(
    cast, inzage_request, neighbour_entry, client_for
):
    client = client_for(cast.af)
    url = reverse("cases:inzage_review", args=[inzage_request.case_id, inzage_request.pk])
    page = client.get(url).content.decode()
    for words in ("Jolanda Pietersen", "Lindelaan 12", "06-12345678", "Lotte"):
        assert f'aria-label="Weglaten: {words}"' in page
    assert 'aria-label="Weglaten: Zoë"' not in page  # the child's own name stays
    unit = next(u for u in review_units(inzage_request.case) if u["entry_id"] == neighbour_entry.pk)
    from cases.pdf.redaction import child_names, parents_suggestions, text_key
    from cases.pdf.suggestions import Suggester

    suggester = Suggester.for_school(inzage_request.case.school)
    values = [
        f"{text_key(text)}:{span.start}:{span.end}"
        for text in unit["texts"]
        for span in parents_suggestions(suggester, text, child=child_names(inzage_request.case))
        if span.of(text) != "Goes"
    ]
    response = client.post(url, {"unit": unit["key"], "next": "submit", "accept": values,
                                 "hide": "huilen"})  # fmt: skip
    assert response.status_code == 302
    draft = ReviewDraft.objects.get(request=inzage_request, unit=unit["key"])
    key = text_key(NEIGHBOUR)
    start = NEIGHBOUR.index("Goes")
    assert draft.rejected == {key: [[start, start + 4]]}
    assert draft.manual == {key: [[NEIGHBOUR.index("huilen"), NEIGHBOUR.index("huilen") + 6]]}


def test_words_to_leave_out_that_are_not_in_the_part_are_refused_next_to_the_field(
    cast, inzage_request, client_for
):
    unit = review_units(inzage_request.case)[0]
    response = client_for(cast.af).post(
        reverse("cases:inzage_review", args=[inzage_request.case_id, inzage_request.pk]),
        {"unit": unit["key"], "hide": "Zeppelin"},
    )
    assert response.status_code == 200
    assert "Deze woorden staan niet in de teksten van dit onderdeel: Zeppelin" in (
        response.content.decode()
    )
    assert not ReviewDraft.objects.exists()


def test_the_reviewer_sees_no_approve_button_and_a_colleague_does(cast, inzage_request, client_for):
    review_all(inzage_request, cast.af)
    url = reverse("cases:inzage_request", args=[inzage_request.case_id, inzage_request.pk])
    assert "Akkoord: kopie vrijgeven" not in client_for(cast.af).get(url).content.decode()
    assert "Akkoord: kopie vrijgeven" in client_for(cast.directie).get(url).content.decode()


def test_the_directie_approves_downloads_and_the_leeslog_shows_the_release(
    cast, inzage_request, client_for
):
    review_all(inzage_request, cast.af)
    case_id = inzage_request.case_id
    client = client_for(cast.directie)
    response = client.post(reverse("cases:inzage_approve", args=[case_id, inzage_request.pk]))
    assert response.status_code == 302
    release = InzageRelease.objects.get()
    before = AccessLog.objects.count()
    download = client.get(reverse("cases:inzage_download", args=[case_id, release.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Cache-Control"] == "no-store"
    assert [r.action for r in AccessLog.objects.order_by("pk")[before:]] == ["download"]
    log = client_for(cast.af).get(reverse("cases:access_log", args=[case_id])).content.decode()
    assert "Verstrekte inzage-kopieën" in log
    assert "Moeder van Zoë (een ouder met gezag)" in log
    assert "gaf de inzage-kopie vrij aan de aanvrager" in log


def test_a_released_copy_changed_on_disk_is_not_served(cast, inzage_request, client_for):
    review_all(inzage_request, cast.af)
    release = inzage_release(request=inzage_request, by=cast.directie)
    release.path.write_bytes(b"%PDF-1.7 replaced")
    response = client_for(cast.af).get(
        reverse("cases:inzage_download", args=[inzage_request.case_id, release.pk])
    )
    assert response.status_code == 409
    assert AccessLog.objects.order_by("-pk").first().action == "file_refused"


def test_the_case_page_leads_to_the_inzage_instead_of_a_direct_parents_pdf(
    cast, inzage_request, client_for
):
    page = client_for(cast.af).get(inzage_request.case.get_absolute_url()).content.decode()
    assert reverse("cases:inzage", args=[inzage_request.case_id]) in page
    assert reverse("cases:pdf", args=[inzage_request.case_id, "ouders"]) not in page
    assert reverse("cases:pdf", args=[inzage_request.case_id, "inspectie"]) in page


def test_the_direct_parents_pdf_is_named_a_draft(cast, full_case, client_for):
    response = export_and_download(client_for(cast.af), full_case, "ouders")
    assert response["Content-Disposition"].endswith('-ouders-concept.pdf"')


def test_an_ended_request_has_no_review_page(cast, inzage_request, client_for):
    review_all(inzage_request, cast.af)
    inzage_release(request=inzage_request, by=cast.directie)
    assert standing(inzage_request).ended
    response = client_for(cast.af).get(
        reverse("cases:inzage_review", args=[inzage_request.case_id, inzage_request.pk])
    )
    assert response.status_code == 302
