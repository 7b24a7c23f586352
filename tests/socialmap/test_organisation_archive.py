import pytest
from django.urls import reverse

from socialmap.models import Organisation


def url(name: str, organisation) -> str:
    return reverse(f"socialmap:{name}", args=[organisation.pk])


@pytest.mark.parametrize("role", ["ib", "af", "directie"])
def test_editors_archive_and_the_row_stays(cast, client_for, entry, role):
    response = client_for(getattr(cast, role)).post(url("archive", entry))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.is_archived
    assert Organisation.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("role", ["leerkracht", "bestuur"])
def test_readers_may_not_archive(cast, client_for, entry, role):
    assert client_for(getattr(cast, role)).post(url("archive", entry)).status_code == 403
    entry.refresh_from_db()
    assert not entry.is_archived


def test_another_school_cannot_archive(cast, client_for, entry):
    assert client_for(cast.other_leerkracht).post(url("archive", entry)).status_code == 404


def test_archive_refuses_get(cast, client_for, entry):
    assert client_for(cast.af).get(url("archive", entry)).status_code == 405


def test_there_is_no_way_to_delete_in_the_interface(cast, client_for, entry):
    page = client_for(cast.af).get(url("detail", entry)).text
    assert "Archiveren" in page
    assert "Verwijderen" not in page
    assert client_for(cast.af).delete(url("detail", entry)).status_code == 405


def test_an_archived_entry_stays_readable_for_the_cases_that_point_at_it(cast, client_for, entry):
    client_for(cast.af).post(url("archive", entry))
    response = client_for(cast.leerkracht).get(url("detail", entry))
    assert response.status_code == 200
    assert "Gearchiveerd op" in response.text


def test_editors_restore_an_archived_entry(cast, client_for, entry):
    client = client_for(cast.af)
    client.post(url("archive", entry))
    assert client.post(url("restore", entry)).status_code == 302
    entry.refresh_from_db()
    assert not entry.is_archived


def test_readers_may_not_restore(cast, client_for, entry):
    client_for(cast.af).post(url("archive", entry))
    assert client_for(cast.leerkracht).post(url("restore", entry)).status_code == 403


def test_editors_mark_an_entry_as_checked(cast, client_for, entry):
    assert client_for(cast.af).post(url("mark_checked", entry)).status_code == 302
    assert client_for(cast.leerkracht).post(url("mark_checked", entry)).status_code == 403
    assert client_for(cast.af).get(url("mark_checked", entry)).status_code == 405
