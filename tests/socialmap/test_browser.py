from playwright.sync_api import expect


def test_attention_officer_adds_an_entry_and_a_teacher_finds_it(
    cast, transactional_db, live_server, sign_in_page
):
    page = sign_in_page("af")
    page.goto(f"{live_server.url}/sociale-kaart/")
    page.get_by_role("link", name="Organisatie toevoegen").click()
    page.get_by_label("Organisatie:", exact=True).fill("Wijkteam Zuid Testdorp")
    page.get_by_label("Categorie:", exact=True).select_option(label="CJG en wijkteam")
    page.get_by_label("Telefoonnummer:", exact=True).fill("0118 - 123 456")
    page.get_by_label("E-mailadres:", exact=True).fill("zuid@example.invalid")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Wijkteam Zuid Testdorp")).to_be_visible()
    expect(page.get_by_role("link", name="0118 - 123 456")).to_have_attribute(
        "href", "tel:0118123456"
    )
    page.get_by_role("button", name="Uitloggen").click()

    sign_in_page("leerkracht")
    page.goto(f"{live_server.url}/sociale-kaart/")
    page.get_by_label("Zoeken op naam:", exact=True).fill("zuid")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("link", name="Wijkteam Zuid Testdorp")).to_be_visible()
    expect(page.get_by_role("link", name="zuid@example.invalid")).to_have_attribute(
        "href", "mailto:zuid@example.invalid"
    )
    expect(page.get_by_role("link", name="Organisatie toevoegen")).to_have_count(0)
