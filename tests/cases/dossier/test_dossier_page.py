"""The dossier on the case page, the add-entry screens and the per-pupil chronology."""

import datetime as dt

import pytest
from django.urls import reverse

from cases.dossier.services import DOSSIER_PAGE, entry_add
from cases.models import AccessLog, Entry
from cases.services import case_open
from tests.cases.dossier.conftest import OBSERVATION, TAG_BRUISES, TAG_HUNGRY

Kind = Entry.Kind


def new_url(case, kind: str) -> str:
    return reverse("cases:entry_new", args=[case.pk, kind])


# --- the dossier on the case page -----------------------------------------------------------


def test_the_case_page_shows_the_newest_entries_first(cast, case, client_for, observe, today):
    """Issue 15: the case page folds a long dossier, newest first; the chronology keeps
    the whole dossier oldest first (tested below)."""
    observe(description="Tweede waarneming.", occurred_on=today)
    observe(description="Eerste waarneming.", occurred_on=today - dt.timedelta(days=3))
    text = client_for(cast.leerkracht).get(case.get_absolute_url()).text
    assert text.index("Tweede waarneming.") < text.index("Eerste waarneming.")


def test_a_long_dossier_shows_a_page_and_loads_more_with_the_filter_kept(
    cast, case, client_for, observe, today
):
    for number in range(30):
        observe(description=f"Waarneming nummer {number:02d}.", occurred_on=today)
    client = client_for(cast.leerkracht)
    text = client.get(case.get_absolute_url() + "?soort=observation").text
    assert "Waarneming nummer 29." in text and "Waarneming nummer 05." in text
    assert "Waarneming nummer 04." not in text
    assert "toon=50" in text and "soort=observation" in text  # "meer laden", filter kept
    more = client.get(case.get_absolute_url() + "?soort=observation&toon=50").text
    assert "Waarneming nummer 00." in more and "toon=" not in more


def test_a_hypothesis_never_looks_like_a_fact(cast, case, client_for, hypothesis):
    text = client_for(cast.leerkracht).get(case.get_absolute_url()).text
    assert "entry-hypothesis" in text
    assert "Hypothese, geen feit" in text
    assert "nog niet bevestigd of weerlegd" in text


def confirm(hypothesis, *, by) -> Entry:
    """A follow-up that confirms `hypothesis`."""
    return entry_add(
        case=hypothesis.case,
        author=by,
        kind=Kind.FOLLOW_UP,
        links_to=hypothesis,
        outcome="confirmed",
        description="Bevestigd door het kind zelf.",
    )


def test_a_confirmed_hypothesis_says_so(cast, case, client_for, hypothesis):
    confirm(hypothesis, by=cast.ib)
    text = client_for(cast.ib).get(case.get_absolute_url()).text
    assert "verdict-confirmed" in text
    assert "hypothese bevestigd" in text


def test_the_entry_one_follows_up_shows_its_verdict_and_follow_ups(
    cast, case, client_for, hypothesis
):
    follow_up = confirm(hypothesis, by=cast.ib)
    text = client_for(cast.ib).get(f"{new_url(case, 'follow_up')}?op={hypothesis.pk}").text
    assert "verdict-confirmed" in text
    assert f'href="#entry-{follow_up.pk}"' in text
    assert "nog niet bevestigd of weerlegd" not in text


def test_what_people_typed_is_escaped_in_the_dossier_and_the_chronology(
    cast, case, client_for, today
):
    typed = '<script>alert("x")</script> & <b>vet</b>'
    entry_add(
        case=case,
        author=cast.ib,
        kind=Kind.OBSERVATION,
        occurred_on=today,
        description=typed,
        place=typed,
        situation=typed,
        others_present="J.K.",  # initials only
    )
    client = client_for(cast.ib)
    chronology = reverse("cases:pupil_chronology", args=[case.pupil_id])
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;vet&lt;/b&gt;"
    for url in (case.get_absolute_url(), chronology):
        text = client.get(url).text
        assert "<script>alert" not in text and "<b>vet</b>" not in text
        assert escaped in text


def test_an_entry_recorded_later_is_marked(cast, case, client_for, observe, today):
    observe(occurred_on=today - dt.timedelta(days=10))
    assert "later vastgelegd" in client_for(cast.leerkracht).get(case.get_absolute_url()).text


def test_a_correction_keeps_the_original_visible(cast, case, client_for, observe):
    original = observe()
    entry_add(
        case=case,
        author=cast.leerkracht,
        kind=Kind.CORRECTION,
        links_to=original,
        reason="Verkeerde arm.",
        description="Rode striemen op de rechterarm.",
    )
    text = client_for(cast.leerkracht).get(case.get_absolute_url()).text
    assert OBSERVATION["description"] in text
    assert "Rode striemen op de rechterarm." in text
    assert "Gecorrigeerd door" in text


def test_the_dossier_can_be_filtered_by_kind(cast, case, client_for, observe, hypothesis):
    observe(description="Een waarneming.")
    text = client_for(cast.ib).get(case.get_absolute_url(), {"soort": "hypothesis"}).text
    assert hypothesis.description in text
    assert "Een waarneming." not in text


def test_the_dossier_can_be_filtered_by_signal(cast, case, client_for, observe):
    observe(description="Met blauwe plekken.", signals=[TAG_BRUISES])
    observe(description="Met honger.", signals=[TAG_HUNGRY])
    text = client_for(cast.ib).get(case.get_absolute_url(), {"signaal": TAG_HUNGRY}).text
    assert "Met honger." in text
    assert "Met blauwe plekken." not in text


def test_the_quick_observation_form_is_prefilled_with_today(cast, case, client_for, today):
    text = client_for(cast.leerkracht).get(case.get_absolute_url()).text
    assert f'value="{today.isoformat()}"' in text
    assert "Lichamelijk welzijn" in text  # the signalenlijst, grouped by category


def test_who_may_only_read_sees_no_add_form(cast, case, client_for):
    from cases.services import case_advance
    from cases.workflow import Step

    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    text = client_for(cast.directie).get(case.get_absolute_url()).text
    assert new_url(case, "observation") not in text


@pytest.mark.parametrize("count", [5, 500])
def test_the_dossier_page_needs_as_many_queries_for_500_entries_as_for_5(
    cast, case, client_for, today, count, django_assert_max_num_queries
):
    entries = Entry.objects.bulk_create(
        Entry(
            case=case,
            author=cast.leerkracht if n % 2 else cast.ib,
            kind=Kind.OBSERVATION if n % 3 else Kind.HYPOTHESIS,
            occurred_on=today - dt.timedelta(days=n % 30),
            description=f"Aantekening {n}",
            place="Klas" if n % 3 else "",
            situation="Les" if n % 3 else "",
        )
        for n in range(count)
    )
    from cases.models import EntrySignal

    EntrySignal.objects.bulk_create(EntrySignal(entry=e, code=TAG_BRUISES) for e in entries)
    client = client_for(cast.leerkracht)
    # 14 (39 before issue 27): the case is read with what it holds (its entries counted,
    # whether it has body marks, attachments or linked entries: those it lacks are not
    # asked for) and its school's matrix, then its moves, the school's staff, one page of
    # the dossier with its signals, the crisis services of the noodsituatie form, and the
    # access-log row; 13 on SQLite, PostgreSQL adds the chain's lock. The same for 5 and
    # 500 entries.
    with django_assert_max_num_queries(14) as context:
        response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    assert response.text.count('class="entry entry-') == min(count, DOSSIER_PAGE)
    # Recorded so the two sizes can be compared by eye in a failing run.
    assert len(context.captured_queries) <= 14


def test_query_count_is_the_same_for_5_and_500_entries(cast, case, client_for, today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cast.leerkracht)

    def queries_with(total: int) -> int:
        missing = total - case.entries.count()
        Entry.objects.bulk_create(
            Entry(
                case=case,
                author=cast.leerkracht,
                kind=Kind.HYPOTHESIS,
                occurred_on=today,
                description=f"Aantekening {n}",
            )
            for n in range(missing)
        )
        with CaptureQueriesContext(connection) as context:
            client.get(case.get_absolute_url())
        return len(context.captured_queries)

    assert queries_with(500) <= queries_with(5)  # same page, 100 times the entries
    assert queries_with(5) > 0


# --- adding an entry through the screens ----------------------------------------------------


def test_teacher_adds_an_observation_with_signals(cast, case, client_for, today):
    response = client_for(cast.leerkracht).post(
        new_url(case, "observation"),
        {
            "occurred_on": today.isoformat(),
            **OBSERVATION,
            "signals": [TAG_BRUISES, TAG_HUNGRY],
        },
    )
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{case.get_absolute_url()}#entry-{entry.pk}"
    assert (entry.author, entry.kind, entry.place) == (
        cast.leerkracht,
        "observation",
        "Schoolplein",
    )
    assert entry.signals.count() == 2


def test_each_kind_has_its_own_form_with_only_its_fields(cast, case, client_for):
    client = client_for(cast.ib)
    hypothesis = client.get(new_url(case, "hypothesis")).text
    assert 'name="place"' not in hypothesis and 'name="source"' not in hypothesis
    third_party = client.get(new_url(case, "third_party")).text
    assert 'name="source"' in third_party and 'name="source_consent"' in third_party
    assert 'name="place"' not in third_party
    kindcheck = client.get(new_url(case, "kindcheck")).text
    assert 'name="household"' in kindcheck and 'name="carers"' in kindcheck


def test_errors_show_next_to_the_field_in_dutch(cast, case, client_for, today):
    response = client_for(cast.leerkracht).post(
        new_url(case, "observation"),
        {"occurred_on": today.isoformat(), **OBSERVATION, "others_present": "Pieter"},
    )
    assert response.status_code == 200
    assert "lijkt op een naam" in response.text
    assert not Entry.objects.exists()


def test_third_party_without_consent_shows_the_seeds_reason(cast, case, client_for, today):
    response = client_for(cast.leerkracht).post(
        new_url(case, "third_party"),
        {
            "occurred_on": today.isoformat(),
            "source": "De buurtcoach",
            "source_role": "Wijkteam",
            "description": "Het gezin is verhuisd.",
        },
    )
    assert "niet worden vastgelegd" in response.text
    assert not Entry.objects.exists()


def test_the_privacy_guard_warns_and_records_the_confirmation(
    cast, case, client_for, today, classmate
):
    client = client_for(cast.leerkracht)
    data = {
        "occurred_on": today.isoformat(),
        **OBSERVATION,
        "description": "Jasmijn duwde het kind van de glijbaan.",
    }
    warned = client.post(new_url(case, "observation"), data)
    assert "noteer geen namen van andere kinderen" in warned.text.lower()
    assert "Ik bevestig dat dit nodig is" in warned.text
    assert not Entry.objects.exists()
    confirmed = client.post(new_url(case, "observation"), {**data, "confirm_names": "on"})
    assert confirmed.status_code == 302
    assert Entry.objects.get().names_confirmed is True


def test_ib_confirms_a_hypothesis_from_the_entry(cast, case, client_for, today, hypothesis):
    client = client_for(cast.ib)
    url = f"{new_url(case, 'follow_up')}?op={hypothesis.pk}"
    page = client.get(url)
    assert hypothesis.description in page.text  # the entry being followed up is shown...
    assert AccessLog.objects.filter(user=cast.ib, action="view").count() == 1  # ...and logged
    response = client.post(
        url,
        {
            "occurred_on": today.isoformat(),
            "links_to": hypothesis.pk,
            "outcome": "confirmed",
            "description": "Het kind vertelde het zelf.",
        },
    )
    assert response.status_code == 302
    follow_up = Entry.objects.get(kind=Kind.FOLLOW_UP)
    assert (follow_up.links_to, follow_up.outcome) == (hypothesis, "confirmed")


def test_a_link_to_an_entry_of_another_case_is_not_found(cast, case, client_for, classmate):
    other = case_open(pupil=classmate, by=cast.ib)
    foreign = entry_add(case=other, author=cast.ib, kind=Kind.HYPOTHESIS, description="x")
    response = client_for(cast.ib).get(f"{new_url(case, 'follow_up')}?op={foreign.pk}")
    assert response.status_code == 404


def test_a_teacher_cannot_open_the_diagnosis_or_parents_view_form(cast, case, client_for):
    client = client_for(cast.leerkracht)
    assert client.get(new_url(case, "diagnosis")).status_code == 403
    assert client.get(new_url(case, "parents_view")).status_code == 403


def test_a_qualified_member_adds_a_diagnosis(cast, case, client_for, orthopedagoog, today):
    response = client_for(orthopedagoog).post(
        new_url(case, "diagnosis"),
        {"occurred_on": today.isoformat(), "description": "Dyslexie."},
    )
    assert response.status_code == 302
    assert Entry.objects.get().kind == Kind.DIAGNOSIS


def test_an_outsider_cannot_add_and_gets_404(cast, case, client_for, today):
    response = client_for(cast.other_leerkracht).post(
        new_url(case, "observation"), {"occurred_on": today.isoformat(), **OBSERVATION}
    )
    assert response.status_code == 404
    assert not Entry.objects.exists()


def test_an_unknown_kind_is_not_found(cast, case, client_for):
    assert client_for(cast.ib).get(new_url(case, "gerucht")).status_code == 404


def test_the_add_screen_refuses_other_methods(cast, case, client_for):
    assert client_for(cast.ib).put(new_url(case, "observation")).status_code == 405


# --- the per-pupil chronology ---------------------------------------------------------------


def chronology_url(pupil) -> str:
    return reverse("cases:pupil_chronology", args=[pupil.pk])


def test_the_chronology_shows_entries_across_the_pupils_cases(cast, client_for, today):
    first = case_open(pupil=cast.pupil, by=cast.ib)
    second = case_open(pupil=cast.pupil, by=cast.af)
    entry_add(
        case=first,
        author=cast.ib,
        kind=Kind.HYPOTHESIS,
        description="Uit de eerste casus.",
        occurred_on=today - dt.timedelta(days=2),
    )
    entry_add(case=second, author=cast.af, kind=Kind.HYPOTHESIS, description="Uit de tweede.")
    response = client_for(cast.ib).get(chronology_url(cast.pupil))
    assert response.status_code == 200
    assert response.text.index("Uit de eerste casus.") < response.text.index("Uit de tweede.")
    rows = AccessLog.objects.filter(user=cast.ib, action="chronology")
    assert sorted(rows.values_list("case_id", flat=True)) == sorted([first.pk, second.pk])


def test_the_chronology_shows_only_the_cases_the_user_may_see(cast, client_for):
    mine = case_open(pupil=cast.pupil, by=cast.leerkracht)
    hidden = case_open(pupil=cast.pupil, by=cast.ib)
    entry_add(case=mine, author=cast.leerkracht, kind=Kind.HYPOTHESIS, description="Van mij.")
    entry_add(case=hidden, author=cast.ib, kind=Kind.HYPOTHESIS, description="Niet voor jou.")
    text = client_for(cast.leerkracht).get(chronology_url(cast.pupil)).text
    assert "Van mij." in text
    assert "Niet voor jou." not in text


def test_the_chronology_is_not_found_without_a_visible_case_and_is_logged(cast, client_for, case):
    response = client_for(cast.leerkracht_b).get(chronology_url(cast.pupil))
    assert response.status_code == 404
    assert AccessLog.objects.filter(
        user=cast.leerkracht_b, case_id=case.pk, action="denied"
    ).exists()


def test_the_follow_up_form_asks_a_number_not_a_list_of_every_entry(
    cast, case, client_for, observe
):
    """Issue 15: a case may hold hundreds of entries; no form field lists them all."""
    for number in range(3):
        observe(description=f"Waarneming {number}.")
    url = reverse("cases:entry_new", args=[case.pk, "follow_up"])
    page = client_for(cast.leerkracht).get(url).text
    assert '<input type="number" name="links_to"' in page
    assert "<option" not in page.split('name="links_to"')[1].split("</p>")[0]


def test_a_follow_up_to_a_number_that_is_not_this_cases_is_refused_at_the_field(
    cast, case, client_for, today
):
    response = client_for(cast.leerkracht).post(
        reverse("cases:entry_new", args=[case.pk, "follow_up"]),
        {"occurred_on": today.isoformat(), "description": "Nog steeds.", "links_to": "999999"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["links_to"]


def test_an_empty_choice_speaks_dutch(cast, case, client_for):
    from cases.services import case_advance
    from cases.workflow import Step

    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    page = client_for(cast.ib).get(reverse("cases:consultation_new", args=[case.pk])).text
    assert "- Kies een optie -" in page
    assert "Select an option" not in page


def test_the_parents_view_form_has_no_signal_checklist(cast, case, client_for):
    page = client_for(cast.ib).get(reverse("cases:entry_new", args=[case.pk, "parents_view"]))
    assert page.status_code == 200
    assert 'name="signals"' not in page.text
