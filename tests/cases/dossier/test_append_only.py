"""Entries, their tags and the access log are never rewritten: not by the ORM, not through
the admin, and on PostgreSQL not even by raw SQL."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from cases.access_log import access_log_write
from cases.append_only import AppendOnlyError
from cases.models import AccessLog, Entry, EntrySignal
from tests.cases.dossier.conftest import TAG_BRUISES
from tests.conftest import pass_second_factor
from tests.factories import UserFactory
from tests.tamper import as_owner

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database triggers exist on PostgreSQL only"
)


@pytest.fixture
def entry(observe) -> Entry:
    return observe(signals=[TAG_BRUISES])


def test_saving_an_existing_entry_raises(entry):
    entry.description = "Herschreven."
    with pytest.raises(AppendOnlyError):
        entry.save()
    entry.refresh_from_db()
    assert entry.description != "Herschreven."


def test_saving_a_copy_with_an_existing_pk_does_not_overwrite(entry):
    copy = Entry(**{f.attname: getattr(entry, f.attname) for f in Entry._meta.concrete_fields})
    copy.description = "Herschreven."
    with pytest.raises(DatabaseError), transaction.atomic():
        copy.save()  # an INSERT with a taken pk, never an UPDATE
    entry.refresh_from_db()
    assert entry.description != "Herschreven."


def test_deleting_an_entry_raises(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert Entry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("model", [Entry, EntrySignal, AccessLog])
def test_queryset_update_and_delete_raise(entry, cast, model):
    access_log_write(user=cast.leerkracht, case_id=entry.case_id, action="view")
    with pytest.raises(AppendOnlyError):
        model.objects.all().update(pk=0)
    with pytest.raises(AppendOnlyError):
        model.objects.all().delete()
    assert model.objects.exists()


def test_access_log_row_cannot_be_saved_again_or_deleted(cast):
    row = access_log_write(user=cast.af, case_id=1, action="view")
    row.action = "export"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()


@pytest.fixture
def admin_client(client, db):
    admin = UserFactory(username="beheerder", is_staff=True, is_superuser=True)
    client.force_login(admin)
    pass_second_factor(client, admin)
    return client


def test_the_admin_shows_entries_but_cannot_change_or_delete_them(admin_client, entry):
    change_url = reverse("admin:cases_entry_change", args=[entry.pk])
    delete_url = reverse("admin:cases_entry_delete", args=[entry.pk])
    assert admin_client.get(reverse("admin:cases_entry_changelist")).status_code == 200
    page = admin_client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    response = admin_client.post(change_url, {"description": "Herschreven."})
    assert response.status_code == 403
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:cases_entry_add")).status_code == 403
    entry.refresh_from_db()
    assert entry.description != "Herschreven."


def test_the_admin_shows_what_kind_of_entry_but_never_what_it_says(admin_client, entry):
    page = admin_client.get(reverse("admin:cases_entry_change", args=[entry.pk]))
    assert page.status_code == 200
    assert entry.description not in page.text


def test_the_admin_cannot_bulk_delete_entries(admin_client, entry):
    response = admin_client.post(
        reverse("admin:cases_entry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302, 403)
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_the_admin_cannot_change_or_delete_access_log_rows(admin_client, cast):
    row = access_log_write(user=cast.af, case_id=1, action="view")
    change_url = reverse("admin:cases_accesslog_change", args=[row.pk])
    assert admin_client.post(change_url, {"action": "export"}).status_code == 403
    delete_url = reverse("admin:cases_accesslog_delete", args=[row.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert AccessLog.objects.filter(pk=row.pk, action="view").exists()


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE cases_entry SET description = 'Herschreven.'",
        "DELETE FROM cases_entry",
        "UPDATE cases_entrysignal SET code = 'iets-anders'",
        "DELETE FROM cases_entrysignal",
        "UPDATE cases_accesslog SET action = 'export'",
        "DELETE FROM cases_accesslog",
    ],
)
@pytest.mark.django_db(transaction=True)
def test_raw_sql_update_and_delete_fail_on_postgresql(entry, cast, sql):
    """The triggers refuse even the owner role (the application role is refused before
    that, by its rights: tests/meldcode/test_db_roles.py)."""
    access_log_write(user=cast.af, case_id=entry.case_id, action="view")
    with (
        as_owner(),
        pytest.raises(DatabaseError, match="pgtrigger"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
