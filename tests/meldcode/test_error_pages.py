"""Refusals and errors speak Dutch and lead back into the application."""

from django.test import Client
from django.urls import reverse

from tests.conftest import pass_second_factor


def test_unknown_page_gets_a_dutch_404_without_a_hint(cast, client_for):
    response = client_for(cast.ib).get("/casussen/999999/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.text
    assert "niet voor jou toegankelijk" in response.text
    assert reverse("home") in response.text


def test_refused_action_gets_a_dutch_403_with_the_reason(cast, client_for):
    response = client_for(cast.leerkracht).get(reverse("pupil_import"))
    assert response.status_code == 403
    assert "Niet toegestaan" in response.text


def test_a_form_without_csrf_token_gets_a_dutch_explanation(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.ib)
    pass_second_factor(client, cast.ib)
    response = client.post(reverse("school_switch"), {"school": cast.school.pk})
    assert response.status_code == 403
    assert "Formulier verlopen" in response.text


def test_server_error_page_is_dutch(settings):
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert "Er ging iets mis" in page
