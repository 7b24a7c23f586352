"""In the browser: a teacher logs between lessons, the IB'er follows up later."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import Entry
from cases.services import case_open


@pytest.fixture
def browser_case(transactional_db, cast):
    return case_open(pupil=cast.pupil, by=cast.leerkracht)


def test_teacher_adds_tagged_observation_and_hypothesis_and_ib_confirms_it(
    page, live_server, sign_in_page, browser_case
):
    case_url = f"{live_server.url}{browser_case.get_absolute_url()}"

    sign_in_page("leerkracht")
    page.goto(case_url)
    page.get_by_label("Plaats").fill("Klaslokaal")
    page.get_by_label("Situatie").fill("Binnenkomst om half negen")
    page.get_by_label("Overige aanwezigen").fill("J.K.")
    page.get_by_label("Wat zag, hoorde of rook je?").fill("Vroeg om eten; had geen ontbijt gehad.")
    page.locator("summary", has_text="Lichamelijk welzijn").first.click()
    page.get_by_label("kind is hongerig", exact=True).check()
    page.get_by_label("oververmoeid", exact=True).check()
    page.get_by_role("button", name="Waarneming opslaan").click()
    expect(page.get_by_text("De aantekening staat in het dossier.")).to_be_visible()
    observation = page.locator("article.entry-observation")
    expect(observation).to_contain_text("Vroeg om eten")
    expect(observation.locator(".tags li")).to_have_count(2)

    page.get_by_role("link", name="Hypothese of veronderstelling").click()
    page.get_by_label("Je hypothese of veronderstelling").fill(
        "Mogelijk is er thuis te weinig eten."
    )
    page.get_by_role("button", name="Toevoegen aan het dossier").click()
    hypothesis = page.locator("article.entry-hypothesis")
    expect(hypothesis).to_contain_text("Hypothese, geen feit")
    expect(hypothesis).to_contain_text("nog niet bevestigd of weerlegd")

    page.context.clear_cookies()
    sign_in_page("ib")
    page.goto(case_url)
    page.locator("article.entry-hypothesis").get_by_role(
        "link", name="Bevestigen of weerleggen"
    ).click()
    expect(page.locator("article.entry-hypothesis")).to_contain_text("te weinig eten")
    page.get_by_label("bevestigd", exact=True).check()
    page.get_by_label("Vervolgnotitie").fill(
        "Moeder vertelde dat er al weken geen geld is voor boodschappen."
    )
    page.get_by_role("button", name="Toevoegen aan het dossier").click()

    expect(page).to_have_url(re.compile(r"#entry-\d+$"))
    expect(page.locator("article.entry-hypothesis .verdict-confirmed")).to_be_visible()
    follow_up = Entry.objects.get(kind=Entry.Kind.FOLLOW_UP)
    assert follow_up.links_to.kind == Entry.Kind.HYPOTHESIS
    assert follow_up.outcome == Entry.Outcome.CONFIRMED
    assert follow_up.author.username == "ib"
    observation_entry = Entry.objects.get(kind=Entry.Kind.OBSERVATION)
    assert observation_entry.signals.count() == 2
