"""Snel vastleggen: one save opens a case with its first observation, or adds the
observation to the pupil's open case; never a silent second case."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.dossier.models import Entry
from cases.models import Case, Transition
from cases.quick.services import quick_record
from cases.workflow import Step
from tests.cases.factories import make_case
from tests.factories import PupilFactory

URL = reverse("cases:quick_record")
SEARCH = reverse("cases:quick_pupil_search")
SIGNALS = [
    "lichamelijk-welzijn.blauwe-plekken-brandwonden-botbreuken-snij-krab",
    "lichamelijk-welzijn.oververmoeid",
]


def observation(**extra) -> dict:
    return {
        "description": "Roos had een blauwe plek op haar arm en zei dat ze gevallen was.",
        "place": "schoolplein",
        "situation": "pauze",
        **extra,
    }


def posted(pupil, **extra) -> dict:
    return {
        "pupil": pupil.pk,
        "occurred_on": "2026-12-01",
        "signals": SIGNALS,
        **observation(),
        **extra,
    }


@pytest.fixture(autouse=True)
def _known_signals():
    from cases.dossier import signal_list

    for code in SIGNALS:
        assert code in signal_list.by_code(), code


# --- the service ------------------------------------------------------------------------


def test_a_first_observation_opens_the_case_in_step_1_with_its_signals(cast):
    done = quick_record(pupil=cast.pupil, by=cast.leerkracht, signals=SIGNALS, **observation())
    case = Case.objects.get()
    assert (done.case, done.opened, done.seen) == (case, True, True)
    assert (case.step, case.opened_by) == (Step.SIGNALS, cast.leerkracht)
    entry = Entry.objects.get(case=case)
    assert entry.kind == Entry.Kind.OBSERVATION
    assert sorted(entry.signals.values_list("code", flat=True)) == sorted(SIGNALS)


def test_a_bad_observation_opens_no_case(cast):
    with pytest.raises(ValidationError):
        quick_record(pupil=cast.pupil, by=cast.leerkracht, **observation(place=""))
    assert not Case.objects.exists()


def test_an_observation_about_a_pupil_with_an_open_case_goes_to_that_case(cast):
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil)
    done = quick_record(pupil=cast.pupil, by=cast.leerkracht, **observation())
    assert (done.case, done.opened, done.seen) == (case, False, True)
    assert Case.objects.count() == 1


def test_a_second_case_needs_a_reason(cast):
    make_case(opened_by=cast.leerkracht, pupil=cast.pupil)
    with pytest.raises(ValidationError) as raised:
        quick_record(pupil=cast.pupil, by=cast.leerkracht, second_case_reason=" ", **observation())
    assert "second_case_reason" in raised.value.error_dict
    assert Case.objects.count() == 1


def test_a_second_case_keeps_its_reason_on_the_opening_move(cast):
    make_case(opened_by=cast.leerkracht, pupil=cast.pupil)
    done = quick_record(
        pupil=cast.pupil,
        by=cast.leerkracht,
        second_case_reason="Andere zorg, los van de eerste casus.",
        **observation(),
    )
    assert done.opened and Case.objects.count() == 2
    opening = Transition.objects.get(case=done.case, from_step="")
    assert opening.reason == "Andere zorg, los van de eerste casus."


def test_a_teacher_who_cannot_see_the_open_case_adds_to_it_without_a_second_case(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, responsible=cast.ib)
    with django_capture_on_commit_callbacks(execute=True):
        done = quick_record(
            pupil=cast.pupil,
            by=cast.leerkracht_b,
            second_case_reason="Toch een nieuwe",
            **observation(),
        )
    assert (done.case, done.opened, done.seen) == (case, False, False)
    assert Case.objects.count() == 1
    assert Entry.objects.get(case=case).author == cast.leerkracht_b
    # Writing gave no right to read.
    assert not Case.objects.visible_to(cast.leerkracht_b).exists()
    # Whoever carries the case hears of it, without content.
    assert [mail.to for mail in mailoutbox] == [[cast.ib.email]]
    assert "Roos" not in mailoutbox[0].body and "blauwe" not in mailoutbox[0].body


def test_someone_who_may_not_open_a_case_records_nothing(cast):
    with pytest.raises(PermissionDenied):
        quick_record(pupil=cast.pupil, by=cast.other_leerkracht, **observation())
    assert not Case.objects.exists()


# --- the view ---------------------------------------------------------------------------


def test_one_post_opens_the_case_and_shows_the_observation(cast, client_for):
    response = client_for(cast.leerkracht).post(URL, posted(cast.pupil))
    case = Case.objects.get()
    entry = Entry.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == entry.get_absolute_url()
    assert entry.occurred_on.isoformat() == "2026-12-01"


def test_the_start_page_shows_the_form_to_whoever_may_open_a_case(cast, client_for):
    assert 'data-testid="quick-record"' in client_for(cast.leerkracht).get("/").text
    assert 'data-testid="quick-record"' not in client_for(cast.bestuur).get("/").text


def test_the_start_page_never_lists_the_pupils(cast, client_for):
    PupilFactory.create_batch(5, school=cast.school, last_name="Zevenaar")
    page = client_for(cast.leerkracht).get("/").text
    assert "Zevenaar" not in page and "Testhuis" not in page


def test_a_post_without_confirmation_adds_to_the_open_case(cast, client_for):
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil)
    response = client_for(cast.leerkracht).post(URL, posted(cast.pupil))
    assert response.status_code == 302
    assert Case.objects.count() == 1
    assert Entry.objects.get().case == case


def test_a_confirmed_second_case_without_reason_gets_an_error_next_to_the_reason(cast, client_for):
    make_case(opened_by=cast.leerkracht, pupil=cast.pupil)
    response = client_for(cast.leerkracht).post(URL, posted(cast.pupil, bestemming="tweede"))
    assert response.status_code == 200
    errors = response.context["quick_form"].errors
    assert errors["second_case_reason"] == [
        "Zeg waarom een tweede casus nodig is naast de open casus."
    ]
    assert 'id="id_second_case_reason_error"' in response.text
    assert Case.objects.count() == 1 and not Entry.objects.exists()


def test_a_confirmed_second_case_with_a_reason_opens(cast, client_for):
    make_case(opened_by=cast.leerkracht, pupil=cast.pupil)
    client_for(cast.leerkracht).post(
        URL, posted(cast.pupil, bestemming="tweede", second_case_reason="Andere zorg.")
    )
    assert Case.objects.count() == 2


def test_the_form_shows_the_open_case_with_a_link_once_the_pupil_is_chosen(cast, client_for):
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil)
    response = client_for(cast.leerkracht).post(URL, {"pupil": cast.pupil.pk})
    assert response.status_code == 200
    assert f'href="{case.get_absolute_url()}"' in response.text


def test_searching_without_javascript_keeps_what_was_typed(cast, client_for):
    data = {**observation(), "leerling": "Testh", "zoek_leerling": "1"}
    response = client_for(cast.leerkracht).post(URL, data)
    assert response.status_code == 200
    assert "Roos Testhuis" in response.text
    assert "blauwe plek op haar arm" in response.text
    assert not response.context["quick_form"].is_bound
    assert not Case.objects.exists()


def test_a_pupil_of_another_school_cannot_be_chosen(cast, client_for):
    response = client_for(cast.leerkracht).post(URL, posted(cast.other_pupil))
    assert response.status_code == 200
    assert "Kies een leerling van je school uit de lijst." in response.text
    assert not Case.objects.exists()


def test_the_wrong_method_is_refused(cast, client_for):
    assert client_for(cast.leerkracht).put(URL).status_code == 405
    assert client_for(cast.leerkracht).post(SEARCH).status_code == 405


def test_outsiders_are_refused(cast, client_for, client):
    assert client.get(URL).status_code == 302  # to the sign-in
    assert client_for(cast.outsider).get(URL).status_code == 403
    assert client_for(cast.outsider).get(SEARCH + "?q=Roos").status_code == 403
    assert client_for(cast.bestuur).post(URL, posted(cast.pupil)).status_code == 403
    assert not Case.objects.exists()


# --- the type-ahead ---------------------------------------------------------------------


def found(client, typed: str) -> list[dict]:
    response = client.get(SEARCH, {"q": typed})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store" or "no-store" in response["Cache-Control"]
    return json.loads(response.content)["results"]


def test_the_type_ahead_finds_a_pupil_of_the_school(cast, client_for):
    results = found(client_for(cast.leerkracht), "roos test")
    assert [(r["id"], r["open_case"]) for r in results] == [(cast.pupil.pk, None)]


def test_a_teacher_of_another_school_cannot_find_a_pupil_of_this_school(cast, client_for):
    client = client_for(cast.other_leerkracht)
    assert found(client, "Testhuis") == []
    assert [r["id"] for r in found(client, "Elders")] == [cast.other_pupil.pk]


def test_the_type_ahead_links_an_open_case_only_to_those_who_may_see_it(cast, client_for):
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil)
    seen = found(client_for(cast.leerkracht), "Testhuis")[0]["open_case"]
    assert seen == {"url": case.get_absolute_url(), "label": f"Casus {case.pk}"}
    assert found(client_for(cast.leerkracht_b), "Testhuis")[0]["open_case"] is None


def test_the_type_ahead_needs_two_letters_and_returns_at_most_ten(cast, client_for):
    PupilFactory.create_batch(12, school=cast.school, last_name="Zevenaar")
    client = client_for(cast.leerkracht)
    assert found(client, "Z") == []
    assert len(found(client, "Zevenaar")) == 10


def test_the_type_ahead_costs_a_fixed_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    PupilFactory.create_batch(12, school=cast.school, last_name="Zevenaar")
    client = client_for(cast.leerkracht)
    client.get(SEARCH, {"q": "Ze"})
    with django_assert_max_num_queries(12):
        client.get(SEARCH, {"q": "Zevenaar"})


def test_a_name_of_another_pupil_asks_for_confirmation_and_opens_nothing_before_it(
    cast, client_for
):
    PupilFactory(school=cast.school, first_name="Jasmijn", last_name="Kortenhoeven")
    client = client_for(cast.leerkracht)
    data = posted(cast.pupil, description="Ruzie met Jasmijn over een bal.")
    response = client.post(URL, data)
    assert response.status_code == 200
    assert 'name="confirm_names"' in response.text
    assert not Case.objects.exists()
    response = client.post(URL, {**data, "confirm_names": "on"})
    assert response.status_code == 302
    assert Entry.objects.get().names_confirmed is True


def test_the_opening_reason_of_a_second_case_shows_in_its_history(cast, client_for):
    make_case(opened_by=cast.leerkracht, pupil=cast.pupil)
    client = client_for(cast.leerkracht)
    client.post(URL, posted(cast.pupil, bestemming="tweede", second_case_reason="Andere zorg."))
    second = Case.objects.order_by("-pk").first()
    assert "Andere zorg." in client.get(second.get_absolute_url()).text
