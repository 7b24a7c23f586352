"""The axe-core check that every browser test runs on every page it visits (the `page`
fixture in tests/conftest.py) does find a violation, and finds none on a clean page."""

from tests.a11y.axe import EveryPage, axe_available


def test_the_check_of_every_page_finds_a_violation_and_passes_a_clean_page(
    context, live_server, db
):
    if not axe_available():
        return  # skipped where axe-core is not installed (CI requires it)
    page = context.new_page()  # a page without the fixture's own watcher
    watcher = EveryPage(page)
    page.goto(f"{live_server.url}/inloggen/")
    # The handler runs beside the test (Playwright dispatches the "load" event while the
    # test waits on the browser): give it the time axe takes.
    for _ in range(100):
        if watcher.checked:
            break
        page.wait_for_timeout(100)
    assert watcher.checked, "the load of the page was checked"
    assert watcher.found == {}

    page.evaluate(
        "() => { const img = document.createElement('img'); img.src = '/favicon.svg';"
        " document.querySelector('main').appendChild(img); }"
    )
    watcher.check()
    rules = {violation["id"] for violations in watcher.found.values() for violation in violations}
    assert "image-alt" in rules
