"""Every form says which fields are required, and a form that comes back with errors
leads with a summary (role=alert, focused by static/js/forms.js) linking to each field."""

from django.urls import reverse
from django.utils import timezone

from cases.consultations.models import Consent
from cases.services import case_advance
from cases.workflow import Step


def _consultation_page(cast, case, client_for):
    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    return client_for(cast.ib), reverse("cases:consultation_new", args=[case.pk])


def test_each_label_says_required_or_not_required(cast, case, client_for):
    client, url = _consultation_page(cast, case, client_for)
    text = client.get(url).text
    question = text.split('for="id_question"', 1)[1].split("</label>", 1)[0]
    assert "(verplicht)" in question
    role = text.split('for="id_colleague_role"', 1)[1].split("</label>", 1)[0]
    # Required when the consultation is with a colleague, the only time it shows.
    assert "(verplicht)" in role
    # A single checkbox is a choice, not a field to fill in.
    anonymous = text.split('for="id_anonymous"', 1)[1].split("</label>", 1)[0]
    assert "verplicht" not in anonymous


def test_a_search_form_marks_nothing(cast, client_for):
    text = client_for(cast.ib).get(reverse("cases:list")).text
    assert "(niet verplicht)" not in text


def test_errors_come_with_a_focused_summary_that_links_to_each_field(cast, case, client_for):
    client, url = _consultation_page(cast, case, client_for)
    response = client.post(url, {"held_on": "", "party": "veilig_thuis", "anonymous": "on"})
    assert response.status_code == 200
    summary = response.text.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    assert 'href="#id_question"' in summary
    assert 'href="#id_advice"' in summary
    assert 'href="#id_held_on"' in summary
    head = response.text.split("data-error-summary", 1)[0].rsplit("<div", 1)[1]
    assert 'role="alert"' in head and 'tabindex="-1"' in head
    # And each error also stands next to its field.
    assert 'id="id_question_error"' in response.text


def test_anonymous_is_ticked_beforehand(cast, case, client_for):
    client, url = _consultation_page(cast, case, client_for)
    form = client.get(url).context["form"]
    assert form["anonymous"].value() is True


def test_only_the_fields_of_the_chosen_party_are_shown(cast, case, client_for):
    client, url = _consultation_page(cast, case, client_for)
    text = client.get(url).text
    assert 'data-show-when="party" data-show-values="colleague"' in text
    assert 'data-show-when="party" data-show-values="organisation"' in text


def test_asking_for_consent_is_not_reported_as_consent_given(cast, case, client_for):
    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    client = client_for(cast.ib)
    url = reverse("cases:consent_new", args=[case.pk])
    response = client.post(
        url,
        {"status": Consent.Status.REQUESTED, "on": timezone.localdate().isoformat(), "note": ""},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Vastgelegd dat de ouders om toestemming zijn gevraagd."]


def test_the_consultation_pages_have_a_title(cast, case, client_for):
    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    client = client_for(cast.ib)
    for name in ("consultation_new", "consent_new", "verwijsindex_new"):
        text = client.get(reverse(f"cases:{name}", args=[case.pk])).text
        title = text.split("<title>", 1)[1].split("</title>", 1)[0]
        assert not title.startswith(" ·"), name
        assert f"Casus {case.pk}" in title or str(case) in title


def test_the_summary_links_a_radio_group_to_its_first_option(cast, case, client_for):
    """A radio group has no element with the field's own id: the link goes to the first
    radio, which exists on the page."""
    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    client = client_for(cast.ib)
    url = reverse("cases:consent_new", args=[case.pk])
    response = client.post(url, {"on": timezone.localdate().isoformat(), "note": ""})
    assert response.status_code == 200
    summary = response.text.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    assert 'href="#id_status_0"' in summary
    assert 'id="id_status_0"' in response.text
    assert 'href="#id_status"' not in summary


def test_each_input_is_described_by_its_error_and_help_that_exist_on_the_page(
    cast, case, client_for
):
    """Django points every input at "<id>_helptext <id>_error": those elements must
    exist, or a screen reader never hears the error next to the field."""
    import re

    client, url = _consultation_page(cast, case, client_for)
    text = client.post(url, {"held_on": "", "party": "veilig_thuis", "anonymous": "on"}).text
    described = re.findall(r'aria-describedby="([^"]+)"', text)
    assert any("id_question_error" in ids for ids in described)
    for ids in described:
        for target in ids.split():
            assert f'id="{target}"' in text, target
