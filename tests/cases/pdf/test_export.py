"""The dossier PDF outside the request: a POST queues it, the page shows it being prepared
and then offers the download, once, to who asked; the download is what writes the
access-log row. Tests run the task at once (settings.TASKS); test_export_worker.py runs
the database queue with its worker."""

import datetime as dt
import logging
import time
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.second_factor import FACTOR_AT
from cases.access_log import AccessLog
from cases.pdf import exports
from cases.pdf.exports import pdf_export_render, pdf_export_request, pdf_exports_forget
from cases.pdf.models import PdfExport
from meldcode.models import Membership
from meldcode.security import LAST_SEEN
from tests.cases.pdf.exporting import download_url, export_and_download, export_of, start

DUMMY_QUEUE = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def queued(settings):
    """A queue nobody works: the export stays waiting, as without a running worker."""
    settings.TASKS = DUMMY_QUEUE


def waiting_page(client, export):
    return client.get(reverse("cases:pdf_export", args=[export.case_id, export.pk]))


def exports_logged(case) -> int:
    return AccessLog.objects.filter(case_id=case.pk, action=AccessLog.Action.EXPORT).count()


def test_asking_for_the_pdf_leads_to_its_page_which_offers_the_download(
    cast, full_case, client_for
):
    client = client_for(cast.af)
    started = start(client, full_case, "inspectie")
    export = export_of(started)
    assert started["Location"] == reverse("cases:pdf_export", args=[full_case.pk, export.pk])
    page = client.get(started["Location"])
    text = page.content.decode()
    assert "De pdf is klaar." in text
    assert "Download de pdf" in text and download_url(export) in text
    assert page["Cache-Control"] == "no-store"
    assert (export.requested_by, export.version) == (cast.af, "inspectie")


def test_the_export_is_logged_when_it_is_downloaded_not_when_it_is_made(
    cast, full_case, client_for
):
    client = client_for(cast.af)
    before = exports_logged(full_case)
    export = export_of(start(client, full_case, "inspectie"))
    waiting_page(client, export)
    assert exports_logged(full_case) == before
    response = client.get(download_url(export))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"] == (
        f'attachment; filename="dossier-casus-{full_case.pk}-inspectie.pdf"'
    )
    row = AccessLog.objects.filter(case_id=full_case.pk).order_by("-pk").first()
    assert (row.user, row.action, row.school_id) == (cast.af, "export", full_case.school_id)
    assert exports_logged(full_case) == before + 1


def test_the_pdf_is_handed_over_once_and_then_forgotten(cast, full_case, client_for):
    client = client_for(cast.af)
    export = export_of(start(client, full_case, "inspectie"))
    assert client.get(download_url(export)).status_code == 200
    export.refresh_from_db()
    assert export.pdf is None and export.downloaded_at is not None
    again = client.get(download_url(export))
    assert again.status_code == 302 and again["Location"] == reverse(
        "cases:pdf_export", args=[full_case.pk, export.pk]
    )
    assert "Je hebt deze pdf gedownload" in client.get(again["Location"]).content.decode()
    assert exports_logged(full_case) == 1  # the second try wrote nothing


@pytest.mark.parametrize("username", ["directie", "leerkracht", "ib", "other_leerkracht"])
def test_anyone_but_who_asked_gets_404_for_the_export_and_its_download(
    cast, full_case, client_for, username
):
    export = export_of(start(client_for(cast.af), full_case, "inspectie"))
    other = client_for(getattr(cast, username))
    assert waiting_page(other, export).status_code == 404
    assert other.get(download_url(export)).status_code == 404
    export.refresh_from_db()
    assert export.pdf is not None  # still there for the af
    assert exports_logged(full_case) == 0


def test_who_asked_but_may_no_longer_see_the_case_gets_404_at_the_download(
    cast, full_case, client_for
):
    client = client_for(cast.directie)
    export = export_of(start(client, full_case, "inspectie"))
    Membership.objects.filter(user=cast.directie).delete()
    assert client.get(download_url(export)).status_code == 404
    assert waiting_page(client, export).status_code == 404
    assert exports_logged(full_case) == 0


def test_the_render_asks_again_whether_the_person_may_export(cast, full_case, client_for, queued):
    export = export_of(start(client_for(cast.directie), full_case, "inspectie"))
    Membership.objects.filter(user=cast.directie).delete()
    pdf_export_render(export_id=export.pk)
    export.refresh_from_db()
    assert export.state == "failed" and export.pdf is None


def test_the_download_asks_for_a_fresh_second_factor(cast, full_case, client_for):
    client = client_for(cast.af)
    export = export_of(start(client, full_case, "inspectie"))
    session = client.session
    session[FACTOR_AT] = time.time() - 16 * 60
    session.save()
    asked = client.get(download_url(export))
    # To the second factor, and back to the download after it.
    assert asked.status_code == 302
    back = urlencode({"next": download_url(export)})
    assert asked["Location"] == f"{reverse('otp_verify')}?{back}"
    export.refresh_from_db()
    assert export.pdf is not None and exports_logged(full_case) == 0


def test_asking_for_the_pdf_asks_for_a_fresh_second_factor(cast, full_case, client_for):
    client = client_for(cast.af)
    session = client.session
    session[FACTOR_AT] = time.time() - 16 * 60
    session.save()
    asked = start(client, full_case, "inspectie")
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("otp_verify"))
    assert not PdfExport.objects.exists()


def test_the_anonymised_copy_asks_for_no_fresh_second_factor(cast, full_case, client_for):
    client = client_for(cast.ib)
    session = client.session
    session[FACTOR_AT] = time.time() - 16 * 60
    session.save()
    response = export_and_download(client, full_case, "anoniem")
    assert response["Content-Type"] == "application/pdf"


def test_a_waiting_export_shows_it_is_being_prepared_and_looks_again(
    cast, full_case, client_for, queued
):
    client = client_for(cast.af)
    export = export_of(start(client, full_case, "inspectie"))
    assert export.state == "waiting"
    page = waiting_page(client, export).content.decode()
    assert "Het dossier wordt klaargemaakt…" in page
    assert 'hx-trigger="every 2s"' in page  # htmx asks again
    assert '<noscript><meta http-equiv="refresh" content="2;' in page  # and without it
    assert "Download de pdf" not in page and download_url(export) not in page
    assert "langer dan gewoonlijk" not in page


def test_after_two_minutes_the_page_says_it_takes_longer_than_usual(
    cast, full_case, client_for, queued
):
    client = client_for(cast.af)
    export = export_of(start(client, full_case, "inspectie"))
    PdfExport.objects.filter(pk=export.pk).update(
        requested_at=timezone.now() - dt.timedelta(minutes=3)
    )
    page = waiting_page(client, export).content.decode()
    assert "Dit duurt langer dan gewoonlijk" in page
    assert "achtergrond" in page  # the worker that makes PDFs is named
    assert 'hx-trigger="every 10s"' in page


def test_a_poll_that_finds_nothing_new_answers_without_a_page(cast, full_case, client_for, queued):
    client = client_for(cast.af)
    export = export_of(start(client, full_case, "inspectie"))
    url = reverse("cases:pdf_export", args=[full_case.pk, export.pk])
    same = client.get(url, {"refresh": "auto", "shown": "waiting"}, headers={"HX-Request": "true"})
    assert same.status_code == 204
    pdf_export_render(export_id=export.pk)
    ready = client.get(url, {"refresh": "auto", "shown": "waiting"}, headers={"HX-Request": "true"})
    assert ready.status_code == 200 and "Download de pdf" in ready.content.decode()


def test_a_page_that_looks_again_by_itself_is_not_activity(cast, full_case, client_for, queued):
    client = client_for(cast.af)
    export = export_of(start(client, full_case, "inspectie"))
    session = client.session
    session[LAST_SEEN] = seen = time.time() - 5 * 60
    session.save()
    url = reverse("cases:pdf_export", args=[full_case.pk, export.pk])
    assert client.get(url, {"refresh": "auto"}).status_code == 200
    assert client.session[LAST_SEEN] == seen  # the idle sign-out still comes
    assert client.get(url).status_code == 200
    assert client.session[LAST_SEEN] > seen  # a look by the person is activity


def test_only_the_waiting_page_looking_again_is_not_activity(cast, full_case, client_for):
    """`?refresh=auto` on any other page, or on a POST, is still someone at work."""
    client = client_for(cast.af)
    session = client.session
    session[LAST_SEEN] = seen = time.time() - 5 * 60
    session.save()
    assert client.get(full_case.get_absolute_url(), {"refresh": "auto"}).status_code == 200
    assert client.session[LAST_SEEN] > seen
    session = client.session
    session[LAST_SEEN] = seen = time.time() - 5 * 60
    session.save()
    url = reverse("cases:pdf", args=[full_case.pk, "inspectie"])
    assert client.post(f"{url}?refresh=auto").status_code == 302
    assert client.session[LAST_SEEN] > seen


def test_a_second_click_while_it_waits_queues_nothing(cast, full_case, client_for, queued):
    client = client_for(cast.af)
    first = export_of(start(client, full_case, "inspectie"))
    second = export_of(start(client, full_case, "inspectie"))
    assert first == second and PdfExport.objects.count() == 1
    other_version = export_of(start(client, full_case, "ouders"))
    assert other_version != first


def test_a_render_error_shows_a_dutch_message_and_logs_no_content(
    cast, full_case, client_for, monkeypatch, caplog
):
    def broken(**kwargs):
        raise ValueError("Zoë Ëlstrand: blauwe plekken")

    monkeypatch.setattr(exports, "pdf_render", broken)
    client = client_for(cast.af)
    with caplog.at_level(logging.ERROR, logger="cases.pdf.exports"):
        export = export_of(start(client, full_case, "inspectie"))
    export.refresh_from_db()
    assert export.state == "failed" and export.pdf is None
    page = waiting_page(client, export)
    text = page.content.decode()
    assert page.status_code == 200
    assert "De pdf kon niet worden gemaakt." in text and "Probeer het opnieuw" in text
    assert "Traceback" not in text and "ValueError" not in text and "Zoë" not in text
    assert client.get(download_url(export)).status_code == 302  # nothing to hand over
    assert f"PDF export {export.pk} failed: ValueError" in caplog.text
    assert "Zoë" not in caplog.text and "blauwe" not in caplog.text
    assert exports_logged(full_case) == 0


def test_an_export_is_forgotten_an_hour_after_it_was_asked_for(cast, full_case, client_for):
    client = client_for(cast.af)
    export = export_of(start(client, full_case, "inspectie"))
    PdfExport.objects.filter(pk=export.pk).update(
        requested_at=timezone.now() - dt.timedelta(minutes=61)
    )
    assert waiting_page(client, export).status_code == 404
    assert client.get(download_url(export)).status_code == 404
    assert exports_logged(full_case) == 0
    assert pdf_exports_forget() == 1
    assert not PdfExport.objects.exists()


def test_the_nightly_purge_forgets_exports_past_their_hour(cast, full_case, capsys):
    old = pdf_export_request(case=full_case, version="inspectie", by=cast.af)
    fresh = pdf_export_request(case=full_case, version="ouders", by=cast.af)
    PdfExport.objects.filter(pk=old.pk).update(requested_at=timezone.now() - dt.timedelta(hours=2))
    call_command("purge_expired")
    assert "1 PDF export(s) past their hour purged." in capsys.readouterr().out
    assert list(PdfExport.objects.values_list("pk", flat=True)) == [fresh.pk]
