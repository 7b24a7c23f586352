"""The admin: a new school gets the national entries; a referenced entry is never deleted."""

import itertools

import pytest
from django.apps import apps
from django.db import connection, models
from django.db.models import ProtectedError
from django.urls import reverse

from meldcode.db_roles import owner_in_tests
from meldcode.models import School
from socialmap.models import Organisation
from tests.conftest import pass_second_factor
from tests.factories import UserFactory
from tests.tamper import as_owner

_names = itertools.count()


@pytest.fixture
def admin_client_for_staff(client):
    admin = UserFactory(username="beheerder", is_staff=True, is_superuser=True)
    client.force_login(admin)
    pass_second_factor(client, admin)
    return client


@pytest.fixture
def referrer(transactional_db):
    """A model as the cases app will add one: a row pointing at an entry with PROTECT.

    Declared at run time so that the rule is tested against a model the socialmap app
    does not know about, exactly like a future case record.
    """
    name = f"Referral{next(_names)}"
    model = type(
        name,
        (models.Model,),
        {
            "__module__": __name__,
            "organisation": models.ForeignKey(
                Organisation, on_delete=models.PROTECT, related_name=f"{name.lower()}s"
            ),
            "Meta": type("Meta", (), {"app_label": "socialmap"}),
        },
    )
    role = connection.settings_dict["USER"]
    # Tables are the owner's to create (under CI's application role too), then granted.
    with as_owner(), connection.schema_editor() as editor:
        editor.create_model(model)
        if owner_in_tests():
            table = editor.quote_name(model._meta.db_table)
            editor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {role}")
            editor.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")
    yield model
    with as_owner(), connection.schema_editor() as editor:
        editor.delete_model(model)
    del apps.all_models["socialmap"][name.lower()]
    apps.clear_cache()


def test_adding_a_school_in_the_admin_gives_it_the_national_entries(cast, admin_client_for_staff):
    response = admin_client_for_staff.post(
        reverse("admin:meldcode_school_add"), {"board": cast.board.pk, "name": "De Nieuwe School"}
    )
    assert response.status_code == 302
    school = School.objects.get(name="De Nieuwe School")
    assert set(Organisation.objects.of_school(school).values_list("phone", flat=True)) == {
        "112",
        "0900-8844",
        "0800-2000",
        "0900-111 3 111",  # the vertrouwensinspecteurs, since issue 25
        "0800-0432",
    }


def test_an_unreferenced_entry_may_be_deleted_in_the_admin(entry, admin_client_for_staff):
    url = reverse("admin:socialmap_organisation_delete", args=[entry.pk])
    assert admin_client_for_staff.post(url, {"post": "yes"}).status_code == 302
    assert not Organisation.objects.filter(pk=entry.pk).exists()


def test_an_entry_a_record_points_at_is_referenced(cast, referrer):
    organisation = Organisation.objects.create(school=cast.school, name="Wijkteam", category="cjg")
    assert not organisation.is_referenced()
    referrer.objects.create(organisation=organisation)
    assert organisation.is_referenced()


def test_the_admin_refuses_to_delete_a_referenced_entry(cast, referrer, admin_client_for_staff):
    organisation = Organisation.objects.create(school=cast.school, name="Wijkteam", category="cjg")
    referrer.objects.create(organisation=organisation)
    url = reverse("admin:socialmap_organisation_delete", args=[organisation.pk])
    assert admin_client_for_staff.post(url, {"post": "yes"}).status_code == 403
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_the_database_protects_a_referenced_entry(cast, referrer):
    organisation = Organisation.objects.create(school=cast.school, name="Wijkteam", category="cjg")
    referrer.objects.create(organisation=organisation)
    with pytest.raises(ProtectedError):
        organisation.delete()
