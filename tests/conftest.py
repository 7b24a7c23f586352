"""The fixed cast every test can call on.

One board with two schools. At `school`: two teachers, an IB'er, an
aandachtsfunctionaris and the directie; at `other_school`: one teacher. The board
member serves the whole board; the outsider has an account but no role anywhere.
"""

import os
import shutil
from dataclasses import dataclass

import pytest

from meldcode.models import Role
from tests.factories import BoardFactory, PupilFactory, SchoolFactory, member

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("DEMO_PASSWORD", "demo-password-for-tests")

PASSWORD = "correct-horse-battery"
CHROMIUM = os.environ.get("MELDCODE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class Cast:
    board: object
    school: object
    other_school: object
    leerkracht: object
    leerkracht_b: object
    ib: object
    af: object
    directie: object
    other_leerkracht: object
    bestuur: object
    outsider: object
    pupil: object
    other_pupil: object


@pytest.fixture
def cast(db) -> Cast:
    board = BoardFactory(name="Scholengroep Test")
    school = SchoolFactory(board=board, name="De Testboom")
    other_school = SchoolFactory(board=board, name="De Andere School")
    return Cast(
        board=board,
        school=school,
        other_school=other_school,
        leerkracht=member(school, Role.LEERKRACHT, username="leerkracht"),
        leerkracht_b=member(school, Role.LEERKRACHT, username="leerkracht_b"),
        ib=member(school, Role.IB, username="ib"),
        af=member(school, Role.AANDACHTSFUNCTIONARIS, username="af"),
        directie=member(school, Role.DIRECTIE, username="directie"),
        other_leerkracht=member(other_school, Role.LEERKRACHT, username="other_leerkracht"),
        bestuur=member(None, Role.BESTUUR, username="bestuur", board=board),
        outsider=member(None, username="outsider"),
        pupil=PupilFactory(school=school, first_name="Roos", last_name="Testhuis"),
        other_pupil=PupilFactory(school=other_school, first_name="Bram", last_name="Elders"),
    )


def authenticator(user):
    """The user's confirmed authenticator app (made once), as a phone would hold it."""
    from accounts.models import AuthenticatorApp

    device = AuthenticatorApp.objects.filter(user=user, name="test phone").first()
    return device or AuthenticatorApp.objects.create(user=user, name="test phone", confirmed=True)


def current_code(device, steps_ahead: int = 0) -> str:
    """The code the phone shows (or will show `steps_ahead` periods on: a code is
    accepted only once, and the next one is within the allowed clock drift)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def pass_second_factor(client, user, in_use: bool = True) -> None:
    """Mark the client's session as past the second factor, as the sign-in would, and as
    a session in use (its clocks set), so a page's first request costs what any does.
    `in_use=False`: a session just signed in, whose first request records its browser."""
    import time

    from django_otp import DEVICE_ID_SESSION_KEY

    from accounts.second_factor import FACTOR_AT
    from accounts.session_store import LAST_SEEN, SIGNED_IN_AT, USER_AGENT

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session[SIGNED_IN_AT] = session[LAST_SEEN] = session[FACTOR_AT] = time.time()
    if in_use:
        session[USER_AGENT] = ""
        # As a session in use keeps them: the user's schools and its device.
        from meldcode.session_cache import fill

        user.refresh_from_db(fields=["access_version"])
        fill(session, user)
    else:
        session.pop(USER_AGENT, None)
    session.save()


@pytest.fixture
def client_for(client):
    """`client_for(user)`: the test client signed in as `user`, second factor passed.
    (Tests of the second factor itself use `client.force_login` alone.)"""

    def sign_in(user):
        client.force_login(user)
        pass_second_factor(client, user)
        return client

    return sign_in


# Browser tests: Debian's Chromium driven by Playwright. Where it is missing, they
# are skipped with a hint, unless MELDCODE_REQUIRE_BROWSER=1 (as in CI) makes it fatal.
def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "page" in getattr(item, "fixturenames", ())]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    message = (
        f"Chromium not found at {CHROMIUM}: install it with 'sudo apt-get install chromium' "
        "(or set MELDCODE_CHROMIUM) to run the browser tests."
    )
    if os.environ.get("MELDCODE_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(message + " MELDCODE_REQUIRE_BROWSER=1 makes this fatal.")
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def page(page):
    """Playwright's page, with axe-core checking every page of the application the test
    visits (tests/a11y/axe.py): an accessibility violation fails the test."""
    from tests.a11y.axe import EveryPage, axe_available

    watcher = EveryPage(page) if axe_available() else None
    yield page
    if watcher is not None:
        watcher.check()
    _leave_quietly(page)
    if watcher is not None and watcher.found:
        pytest.fail("axe-core found accessibility violations:\n" + watcher.report())


def _leave_quietly(page) -> None:
    """Closing the test's page must not send a draft (static/js/app.js keeps typed text when
    a tab goes to the background) to the live server while the test database is being
    emptied: the page is told it is being left on purpose, as a browser tells it on
    closing a tab (`beforeunload`)."""
    try:
        if not page.is_closed():
            page.evaluate("() => window.dispatchEvent(new Event('beforeunload'))")
    except Exception:  # a PDF or a page that is already gone: nothing to tell
        pass


@pytest.fixture
def sign_in_page(page, live_server):
    """`sign_in_page(username, password)`: signs in through the login form."""

    def sign_in(username: str, password: str = PASSWORD):
        from meldcode.models import User

        device = authenticator(User.objects.get(username=username))
        page.goto(f"{live_server.url}/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Inloggen").click()
        page.get_by_label("Code").fill(current_code(device))
        page.get_by_role("button", name="Inloggen").click()
        return page

    return sign_in


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin client, past the second factor like every admin user."""
    client.force_login(admin_user)
    pass_second_factor(client, admin_user)
    return client


@pytest.fixture(scope="session", autouse=True)
def application_role(django_db_setup, django_db_blocker):
    """On PostgreSQL with MELDCODE_TEST_APP_ROLE set (as CI does): the test database is
    created and migrated by the owner role of DATABASE_URL, then every test runs as the
    application role with exactly the rights `db_grant` gives it, as in production."""
    from django.core.management import call_command
    from django.db import connection

    role = os.environ.get("MELDCODE_TEST_APP_ROLE")
    if not role or connection.vendor != "postgresql":
        yield None
        return
    settings = connection.settings_dict
    owner = settings["USER"]
    with django_db_blocker.unblock():
        call_command("db_grant", role, verbosity=0)
        connection.close()
    settings["USER"] = role
    settings["MELDCODE_TEST_OWNER"] = owner
    yield role
    with django_db_blocker.unblock():
        connection.close()
    settings["USER"] = owner
    del settings["MELDCODE_TEST_OWNER"]
