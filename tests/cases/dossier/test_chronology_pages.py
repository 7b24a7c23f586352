"""The per-pupil chronology a page at a time (issue 27): the first page, "meer laden" as an
htmx fragment, the same link without JavaScript, and the reads logged on every request."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.dossier.services import CHRONOLOGY_PAGE, DOSSIER_PAGE, entry_add
from cases.models import AccessLog, Entry
from cases.services import case_open

HTMX = {"HX-Request": "true"}


def chronology_url(pupil) -> str:
    return reverse("cases:pupil_chronology", args=[pupil.pk])


def entry_numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"Waarneming nummer (\d+)\.", text)]


@pytest.fixture
def numbered(observe, today):
    """`numbered(count)`: observations numbered 0..count-1, oldest first, a day apart."""

    def add(count: int, start: int = 0) -> list[Entry]:
        return [
            observe(
                description=f"Waarneming nummer {number}.",
                occurred_on=today - dt.timedelta(days=1000 - number),
            )
            for number in range(start, start + count)
        ]

    return add


def reads(user, case) -> int:
    return AccessLog.objects.filter(user=user, case_id=case.pk, action="chronology").count()


def test_the_first_page_holds_a_page_of_entries_and_says_how_many_there_are(
    cast, case, client_for, numbered
):
    entries = numbered(CHRONOLOGY_PAGE + 5)
    text = client_for(cast.leerkracht).get(chronology_url(cast.pupil)).text
    assert entry_numbers(text) == list(range(CHRONOLOGY_PAGE))  # oldest first, a page
    assert f"{CHRONOLOGY_PAGE} van {CHRONOLOGY_PAGE + 5} getoond." in text
    last = entries[CHRONOLOGY_PAGE - 1]
    assert f'href="?na={last.pk}#entry-{last.pk}"' in text  # works without JavaScript
    assert f'hx-get="{chronology_url(cast.pupil)}?na={last.pk}"' in text
    assert "Meer laden" in text


def test_a_short_chronology_shows_everything_without_meer_laden(cast, case, client_for, numbered):
    numbered(3)
    text = client_for(cast.leerkracht).get(chronology_url(cast.pupil)).text
    assert entry_numbers(text) == [0, 1, 2]
    assert "3 van 3 getoond." in text and "Meer laden" not in text


def test_the_fragment_holds_the_next_page_only_and_logs_the_read(cast, case, client_for, numbered):
    entries = numbered(2 * CHRONOLOGY_PAGE + 3)
    client = client_for(cast.leerkracht)
    client.get(chronology_url(cast.pupil))
    assert reads(cast.leerkracht, case) == 1
    after = entries[CHRONOLOGY_PAGE - 1]
    response = client.get(chronology_url(cast.pupil), {"na": after.pk}, headers=HTMX)
    assert response.status_code == 200
    text = response.text
    assert "<html" not in text and "<h1>" not in text  # only the fragment
    assert entry_numbers(text) == list(range(CHRONOLOGY_PAGE, 2 * CHRONOLOGY_PAGE))
    assert f"{2 * CHRONOLOGY_PAGE} van {2 * CHRONOLOGY_PAGE + 3} getoond." in text
    assert 'hx-swap-oob="innerHTML"' in text  # the count on the page is put right
    following = entries[2 * CHRONOLOGY_PAGE - 1]
    assert f'hx-get="{chronology_url(cast.pupil)}?na={following.pk}"' in text
    assert reads(cast.leerkracht, case) == 2
    assert "HX-Request" in response["Vary"]
    # The last page: no "meer laden" after it.
    text = client.get(chronology_url(cast.pupil), {"na": following.pk}, headers=HTMX).text
    assert entry_numbers(text) == list(range(2 * CHRONOLOGY_PAGE, 2 * CHRONOLOGY_PAGE + 3))
    assert "Meer laden" not in text
    assert f"{2 * CHRONOLOGY_PAGE + 3} van {2 * CHRONOLOGY_PAGE + 3} getoond." in text
    assert reads(cast.leerkracht, case) == 3


def test_the_fragment_logs_only_the_cases_whose_entries_it_shows(cast, client_for, today):
    """The page lists every case (each logged); a fragment shows entries of some."""
    first = case_open(pupil=cast.pupil, by=cast.ib)
    second = case_open(pupil=cast.pupil, by=cast.ib)
    entries = [
        entry_add(
            case=first,
            author=cast.ib,
            kind=Entry.Kind.HYPOTHESIS,
            description=f"Hypothese {number}.",
            occurred_on=today - dt.timedelta(days=100 - number),
        )
        for number in range(CHRONOLOGY_PAGE + 2)
    ]
    entry_add(case=second, author=cast.ib, kind=Entry.Kind.HYPOTHESIS, description="Later.")
    client = client_for(cast.ib)
    client.get(chronology_url(cast.pupil))
    assert (reads(cast.ib, first), reads(cast.ib, second)) == (1, 1)
    after = entries[CHRONOLOGY_PAGE - 1]
    text = client.get(chronology_url(cast.pupil), {"na": after.pk}, headers=HTMX).text
    assert "Hypothese 26." in text and "Later." in text
    assert (reads(cast.ib, first), reads(cast.ib, second)) == (2, 2)
    last_of_first = entries[-1]
    text = client.get(chronology_url(cast.pupil), {"na": last_of_first.pk}, headers=HTMX).text
    assert re.search(r"Hypothese \d+\.", text) is None and "Later." in text
    assert (reads(cast.ib, first), reads(cast.ib, second)) == (2, 3)


def test_the_link_without_javascript_shows_the_page_with_the_entries_up_to_the_next_page(
    cast, case, client_for, numbered
):
    entries = numbered(2 * CHRONOLOGY_PAGE + 3)
    client = client_for(cast.leerkracht)
    after = entries[CHRONOLOGY_PAGE - 1]
    text = client.get(chronology_url(cast.pupil), {"na": after.pk}).text
    assert "<h1>" in text  # the whole page
    assert entry_numbers(text) == list(range(2 * CHRONOLOGY_PAGE))
    assert f"{2 * CHRONOLOGY_PAGE} van {2 * CHRONOLOGY_PAGE + 3} getoond." in text
    following = entries[2 * CHRONOLOGY_PAGE - 1]
    assert f'href="?na={following.pk}#entry-{following.pk}"' in text
    assert reads(cast.leerkracht, case) == 1


def test_meer_laden_neither_repeats_nor_skips_when_entries_arrive_in_between(
    cast, case, client_for, numbered, observe, today
):
    """A keyset cursor: the next page starts right after the last entry shown, however
    many entries were added meanwhile (even ones dated earlier, recorded later)."""
    entries = numbered(CHRONOLOGY_PAGE + 5)
    client = client_for(cast.leerkracht)
    client.get(chronology_url(cast.pupil))
    observe(description="Laat vastgelegd.", occurred_on=today - dt.timedelta(days=2000))
    numbered(2, start=CHRONOLOGY_PAGE + 5)  # and two new ones at the end
    after = entries[CHRONOLOGY_PAGE - 1]
    text = client.get(chronology_url(cast.pupil), {"na": after.pk}, headers=HTMX).text
    assert entry_numbers(text) == list(range(CHRONOLOGY_PAGE, CHRONOLOGY_PAGE + 7))
    # The counts are of the timeline as it is now: the late entry counts before the cursor.
    total = CHRONOLOGY_PAGE + 8
    assert f"{total} van {total} getoond." in text
    assert "Laat vastgelegd." in client.get(chronology_url(cast.pupil)).text


def test_a_user_without_a_visible_case_gets_404_for_the_fragment_too(
    cast, case, client_for, numbered
):
    entries = numbered(CHRONOLOGY_PAGE + 1)
    client = client_for(cast.leerkracht_b)
    url = chronology_url(cast.pupil)
    for headers in (HTMX, {}):
        response = client.get(url, {"na": entries[CHRONOLOGY_PAGE - 1].pk}, headers=headers)
        assert response.status_code == 404
        assert "Waarneming" not in response.text
    assert AccessLog.objects.filter(
        user=cast.leerkracht_b, case_id=case.pk, action="denied"
    ).exists()  # the first refusal of the day is in the chain, later ones counted with it
    assert reads(cast.leerkracht_b, case) == 0


def test_a_cursor_that_is_no_entry_of_the_visible_cases_is_not_found(
    cast, case, client_for, numbered
):
    numbered(2)
    hidden = case_open(pupil=cast.pupil, by=cast.ib)  # the leerkracht may not see it
    secret = entry_add(
        case=hidden, author=cast.ib, kind=Entry.Kind.HYPOTHESIS, description="Niet voor jou."
    )
    client = client_for(cast.leerkracht)
    for raw in (secret.pk, "x", 10**9):
        response = client.get(chronology_url(cast.pupil), {"na": raw}, headers=HTMX)
        assert response.status_code == 404
    assert reads(cast.leerkracht, case) == 0


def queries_of(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params, headers=HTMX if "na" in params else {}).status_code == 200
    return len(queries)


def test_the_chronology_asks_the_same_number_of_queries_however_many_entries(
    cast, case, client_for, numbered
):
    client = client_for(cast.leerkracht)
    url = chronology_url(cast.pupil)
    entries = numbered(CHRONOLOGY_PAGE + 2)
    client.get(url)  # the session settles
    few = (
        queries_of(client, url),
        queries_of(client, url, na=entries[CHRONOLOGY_PAGE - 1].pk),
    )
    entries += numbered(3 * CHRONOLOGY_PAGE, start=CHRONOLOGY_PAGE + 2)
    many = (
        queries_of(client, url),
        queries_of(client, url, na=entries[CHRONOLOGY_PAGE - 1].pk),
    )
    assert few == many


# --- "meer laden" on the case page ----------------------------------------------------------


def test_the_case_page_loads_the_next_entries_alone_through_the_door(
    cast, case, client_for, numbered
):
    entries = numbered(DOSSIER_PAGE + 3)  # newest first on the case page: 27 .. 3 shown
    client = client_for(cast.leerkracht)
    text = client.get(case.get_absolute_url()).text
    assert entry_numbers(text) == list(range(DOSSIER_PAGE + 2, 2, -1))
    oldest_shown = entries[3]
    assert f"toon={2 * DOSSIER_PAGE}" in text and f"na={oldest_shown.pk}" in text
    assert f'hx-get="{case.get_absolute_url()}?toon={2 * DOSSIER_PAGE}' in text
    views = AccessLog.objects.filter(user=cast.leerkracht, case_id=case.pk, action="view")
    assert views.count() == 1
    response = client.get(
        case.get_absolute_url(), {"toon": 2 * DOSSIER_PAGE, "na": oldest_shown.pk}, headers=HTMX
    )
    assert response.status_code == 200
    assert "<html" not in response.text and "<h1" not in response.text
    assert entry_numbers(response.text) == [2, 1, 0]
    assert "Meer laden" not in response.text
    assert f"{DOSSIER_PAGE + 3} aantekeningen van {DOSSIER_PAGE + 3}" in response.text
    assert views.count() == 2  # the door logged the read
    assert "HX-Request" in response["Vary"]
    # Without JavaScript the same link shows the whole page with the entries up to there.
    text = client.get(
        case.get_absolute_url(), {"toon": 2 * DOSSIER_PAGE, "na": oldest_shown.pk}
    ).text
    assert "<h1" in text and entry_numbers(text) == list(range(DOSSIER_PAGE + 2, -1, -1))
    assert views.count() == 3


def test_the_case_page_fragment_keeps_the_filter(cast, case, client_for, numbered, hypothesis):
    entries = numbered(DOSSIER_PAGE + 2)
    client = client_for(cast.leerkracht)
    response = client.get(
        case.get_absolute_url(),
        {"soort": "observation", "toon": 2 * DOSSIER_PAGE, "na": entries[2].pk},
        headers=HTMX,
    )
    assert entry_numbers(response.text) == [1, 0]
    assert "Hypothese, geen feit" not in response.text
    # The count on the page, put right: every observation shown, of 28 entries in all.
    assert f"{DOSSIER_PAGE + 2} aantekeningen van {DOSSIER_PAGE + 2}" in response.text
    assert f"Het dossier telt er {DOSSIER_PAGE + 3} in totaal." in response.text


def test_the_case_page_fragment_is_not_found_without_access_or_with_a_foreign_cursor(
    cast, case, client_for, numbered
):
    entries = numbered(3)
    url = case.get_absolute_url()
    response = client_for(cast.leerkracht_b).get(url, {"na": entries[1].pk}, headers=HTMX)
    assert response.status_code == 404
    assert (
        AccessLog.objects.filter(user=cast.leerkracht_b, case_id=case.pk)
        .filter(action="denied")
        .exists()
    )
    other = case_open(pupil=cast.pupil, by=cast.leerkracht)
    foreign = entry_add(
        case=other, author=cast.leerkracht, kind=Entry.Kind.HYPOTHESIS, description="Elders."
    )
    client = client_for(cast.leerkracht)
    for raw in (foreign.pk, "x"):
        assert client.get(url, {"na": raw}, headers=HTMX).status_code == 404
    assert not AccessLog.objects.filter(user=cast.leerkracht, action="view").exists()
