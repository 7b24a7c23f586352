"""Form widgets render through Jinja2 (meldcode.form_renderer) with the same HTML as
through Django's template engine, and the admin's own widgets still render."""

import html
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from cases.workflow import Step

DJANGO = "django.forms.renderers.DjangoTemplates"
OURS = "meldcode.form_renderer.FormRenderer"
ONCE_ONLY = r"(name=\"(?:csrfmiddlewaretoken|_submission)\" value=)\"[^\"]*\""


def normalised(page: str) -> str:
    """The page without what differs per request (tokens, the CSP nonce) and with every
    character reference written out (Jinja2 writes ' as &#39;, Django as &#x27;)."""
    page = re.sub(ONCE_ONLY, r'\1"T"', page)
    page = re.sub(r'nonce="[^"]*"', 'nonce="N"', page)
    page = re.sub(r"&#(x27|39);", "'", page)
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html.unescape(page))).strip()


@pytest.mark.parametrize("step", [Step.SIGNALS, Step.WEIGH])
def test_the_case_page_and_an_entry_form_are_the_same_html_with_either_renderer(
    cast, case_at, client_for, step
):
    case = case_at(step)
    client = client_for(cast.af)
    for url in (
        case.get_absolute_url(),
        reverse("cases:entry_new", args=[case.pk, "observation"]),
    ):
        pages = []
        for renderer in (DJANGO, OURS):
            with override_settings(FORM_RENDERER=renderer):
                pages.append(normalised(client.get(url).text))
        assert pages[0] == pages[1]


def test_the_admins_own_widgets_still_render(admin_client, cast):
    membership = cast.ib.memberships.get()
    response = admin_client.get(reverse("admin:meldcode_membership_change", args=[membership.pk]))
    assert response.status_code == 200
    assert "related-widget-wrapper" in response.text


def test_a_select_that_writes_its_options_in_place_is_djangos_html():
    """templates/jinja2/django/forms/widgets/select.html writes each option itself (no two
    includes per option): groups, a chosen option, attributes and text to escape come out
    as Django's own Jinja2 and Django templates write them."""
    from django import forms
    from django.forms.renderers import DjangoTemplates, Jinja2

    from meldcode.form_renderer import FormRenderer

    class Choices(forms.Form):
        one = forms.ChoiceField(
            choices=[("1", "<b>één</b>"), ("Groep", [("2", "twee"), ("3", "drie")]), ("", "—")],
            initial="2",
        )
        many = forms.MultipleChoiceField(
            choices=[("a", "A"), ("b", 'B "x"')],
            initial=["b"],
            widget=forms.SelectMultiple(attrs={"data-x": '"q"', "disabled": True}),
        )
        maybe = forms.NullBooleanField()

    for name in ("one", "many", "maybe"):
        ours = Choices(renderer=FormRenderer())[name].as_widget()
        assert 'value="2" selected' in ours or name != "one"
        assert ours == Choices(renderer=Jinja2())[name].as_widget()
        assert normalised(ours) == normalised(Choices(renderer=DjangoTemplates())[name].as_widget())
