import pytest
from django.urls import reverse

from socialmap.models import BoardTemplate, Category, Organisation
from tests.factories import BoardFactory
from tests.socialmap.factories import BoardTemplateFactory

LIST = reverse("socialmap:template_list")
CREATE = reverse("socialmap:template_create")
VALID = {"name": "Zorgadviesteam Testregio", "category": Category.CARE_TEAM, "phone": "0113-249400"}


@pytest.fixture
def template(cast):
    return BoardTemplateFactory(board=cast.board, name="Leerplicht Testregio")


@pytest.fixture
def foreign_template(cast):
    return BoardTemplateFactory(board=BoardFactory(name="Ander Bestuur"), name="Elders")


def test_the_board_keeps_templates(cast, client_for):
    client = client_for(cast.bestuur)
    assert client.post(CREATE, VALID).status_code == 302
    assert BoardTemplate.objects.get(board=cast.board).name == "Zorgadviesteam Testregio"
    assert "Zorgadviesteam Testregio" in client.get(LIST).text


def test_the_board_edits_and_removes_a_template(cast, client_for, template):
    client = client_for(cast.bestuur)
    edit = reverse("socialmap:template_edit", args=[template.pk])
    assert client.post(edit, {**VALID, "name": "Leerplicht Regio"}).status_code == 302
    template.refresh_from_db()
    assert template.name == "Leerplicht Regio"
    assert client.post(reverse("socialmap:template_delete", args=[template.pk])).status_code == 302
    assert not BoardTemplate.objects.exists()


def test_a_template_with_a_bad_phone_number_is_refused(cast, client_for):
    response = client_for(cast.bestuur).post(CREATE, {**VALID, "phone": "abc"})
    assert "Gebruik alleen cijfers, spaties, streepjes en haakjes" in response.text


@pytest.mark.parametrize("role", ["leerkracht", "ib", "af", "directie", "outsider"])
def test_only_the_board_keeps_templates(cast, client_for, template, role):
    client = client_for(getattr(cast, role))
    assert client.get(LIST).status_code == 403
    assert client.post(CREATE, VALID).status_code == 403
    delete = reverse("socialmap:template_delete", args=[template.pk])
    assert client.post(delete).status_code == 403
    assert BoardTemplate.objects.filter(pk=template.pk).exists()


def test_a_template_of_another_board_is_not_found(cast, client_for, foreign_template):
    client = client_for(cast.bestuur)
    edit = reverse("socialmap:template_edit", args=[foreign_template.pk])
    assert client.get(edit).status_code == 404
    delete = reverse("socialmap:template_delete", args=[foreign_template.pk])
    assert client.post(delete).status_code == 404


def test_template_delete_refuses_get(cast, client_for, template):
    delete = reverse("socialmap:template_delete", args=[template.pk])
    assert client_for(cast.bestuur).get(delete).status_code == 405


@pytest.mark.parametrize("role", ["ib", "af", "directie"])
def test_editors_copy_the_templates_of_their_board(cast, client_for, template, role):
    response = client_for(getattr(cast, role)).post(reverse("socialmap:templates_copy"))
    assert response.status_code == 302
    assert Organisation.objects.filter(school=cast.school, name="Leerplicht Testregio").exists()


def test_a_teacher_may_not_copy_templates(cast, client_for, template):
    response = client_for(cast.leerkracht).post(reverse("socialmap:templates_copy"))
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Leerplicht Testregio").exists()


def test_copying_refuses_get(cast, client_for):
    assert client_for(cast.af).get(reverse("socialmap:templates_copy")).status_code == 405
