"""WPO art. 4a (issue 25): a signal about anyone with tasks at the school, also a person
without an account; the consultation with the vertrouwensinspecteur with its outcome;
aangifte only after its "yes" and after the parents and the person concerned were told;
the onverwijld duties in Mijn acties, due the next working day; pupils linked; a closed
signal purged after the board's term; the vertrouwensinspecteurs on the sociale kaart."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.actions.services import actions_for
from cases.models import StaffSignal, StaffSignalAction, StaffSignalPupil
from cases.staff_signals.services import (
    _duties,
    staff_signal_duties,
    staff_signal_file,
    staff_signal_link_pupil,
    staff_signal_readers,
    staff_signal_record_action,
)
from meldcode.workdays import add_working_days
from tests.clock import today
from tests.factories import PupilFactory


@pytest.fixture
def outside(cast):
    """A signal about a lunchtime supervisor, who has no account."""
    return staff_signal_file(
        school=cast.school,
        concerns_name="Overblijfkracht Testvoorbeeld",
        concerns_role="overblijfkracht",
        description="Tilde een leerling hardhandig op bij het overblijven.",
        by=cast.leerkracht,
    )


def record(signal, by, kind, **extra):
    extra.setdefault("note", "Vastgelegd.")
    return staff_signal_record_action(signal=signal, by=by, kind=kind, **extra)


# --- Who a signal may be about --------------------------------------------------------


def test_a_signal_can_name_a_person_without_an_account_by_name_and_role(cast, outside):
    assert outside.concerns is None
    assert outside.person_concerned == "Overblijfkracht Testvoorbeeld (overblijfkracht)"
    assert set(staff_signal_readers(outside)) == {cast.directie, cast.bestuur}


@pytest.mark.parametrize(
    "role", ["overblijfkracht", "vrijwilliger", "stagiair", "vakleerkracht", "chauffeur",
             "bestuurslid", "anders"],
)  # fmt: skip
def test_every_task_of_wpo_4a_can_be_named(cast, role):
    signal = staff_signal_file(
        school=cast.school, concerns_name="Iemand Testnaam", concerns_role=role,
        description="Zorg.", by=cast.ib,
    )  # fmt: skip
    assert signal.concerns_role == role


def test_the_board_reads_the_outside_persons_name_and_role_and_the_filer_does_not(
    cast, outside, client_for
):
    page = client_for(cast.bestuur).get(outside.get_absolute_url()).text
    assert "Overblijfkracht Testvoorbeeld (overblijfkracht)" in page
    assert client_for(cast.leerkracht).get(outside.get_absolute_url()).status_code == 404


def test_the_form_files_a_signal_about_a_person_without_an_account(cast, client_for):
    response = client_for(cast.leerkracht).post(
        reverse("cases:staff_signal_new"),
        {"concerns": "", "concerns_name": "Chauffeur Testbus", "concerns_role": "chauffeur",
         "description": "Schreeuwde tegen een kind in de bus."},
    )  # fmt: skip
    assert response.status_code == 302
    signal = StaffSignal.objects.get()
    assert (signal.concerns, signal.concerns_name) == (None, "Chauffeur Testbus")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({}, "concerns_name"),
        ({"concerns_name": "Iemand Testnaam"}, "concerns_role"),
        ({"concerns_name": "Iemand Testnaam", "concerns_role": "geen-taak"}, "concerns_role"),
    ],
)
def test_a_person_without_an_account_needs_a_name_and_a_task(cast, fields, field):
    with pytest.raises(ValidationError) as refused:
        staff_signal_file(school=cast.school, description="Zorg.", by=cast.ib, **fields)
    assert field in refused.value.message_dict
    assert not StaffSignal.objects.exists()


def test_a_signal_names_a_colleague_or_a_person_not_both(cast):
    with pytest.raises(ValidationError):
        staff_signal_file(
            school=cast.school, concerns=cast.leerkracht_b, concerns_name="Iemand Testnaam",
            concerns_role="vrijwilliger", description="Zorg.", by=cast.ib,
        )  # fmt: skip


def test_the_form_refuses_neither_a_colleague_nor_a_name_next_to_the_field(cast, client_for):
    response = client_for(cast.leerkracht).post(
        reverse("cases:staff_signal_new"), {"concerns": "", "description": "Zorg."}
    )
    assert response.status_code == 200
    assert "Kies een collega, of geef de naam van de persoon." in response.text
    assert not StaffSignal.objects.exists()


# --- The consultation and the aangifte ------------------------------------------------


def test_the_consultation_records_its_outcome(cast, outside):
    with pytest.raises(ValidationError) as refused:
        record(outside, cast.bestuur, "inspector")
    assert "suspicion" in refused.value.message_dict
    action = record(outside, cast.bestuur, "inspector", suspicion="unclear")
    assert action.get_suspicion_display() == "nog niet te zeggen"


@pytest.mark.parametrize("outcome", [None, "no", "unclear"])
def test_aangifte_is_refused_before_the_vertrouwensinspecteurs_yes(cast, outside, outcome):
    if outcome:
        record(outside, cast.bestuur, "inspector", suspicion=outcome)
    for kind in ("aangifte_filed", "parents_informed", "person_informed"):
        with pytest.raises(ValidationError) as refused:
            record(outside, cast.bestuur, kind)
        assert "redelijk vermoeden" in str(refused.value)
    assert not outside.actions.filter(kind="aangifte_filed").exists()


def test_aangifte_follows_the_yes_only_after_the_parents_and_the_person_were_informed(
    cast, outside
):
    record(outside, cast.bestuur, "inspector", suspicion="yes")
    with pytest.raises(ValidationError, match="ouders"):
        record(outside, cast.bestuur, "aangifte_filed")
    record(outside, cast.bestuur, "parents_informed", note="Ouders gebeld.")
    with pytest.raises(ValidationError, match="betrokkene"):
        record(outside, cast.bestuur, "aangifte_filed")
    record(outside, cast.directie, "person_informed", note="Gesprek met betrokkene.")
    aangifte = record(outside, cast.bestuur, "aangifte_filed", note="Bij de politie.")
    duties = staff_signal_duties(outside)
    assert duties.aangifte == aangifte and aangifte.occurred_on == today()


def test_only_a_consultation_has_an_outcome(cast, outside):
    with pytest.raises(ValidationError) as refused:
        record(outside, cast.bestuur, "talk", suspicion="yes")
    assert "suspicion" in refused.value.message_dict


def test_the_page_no_longer_says_the_board_must_file_aangifte_before_the_consultation(
    cast, outside, client_for
):
    page = client_for(cast.bestuur).get(outside.get_absolute_url()).text
    assert "moet" not in page.split('data-testid="duties"')[1].split("</div>")[0]
    assert "0900-111 3 111" in page
    assert "nadat het de ouders en de betrokkene heeft geïnformeerd" in page


def test_the_form_records_the_outcome_and_shows_it(cast, outside, client_for):
    client = client_for(cast.bestuur)
    url = reverse("cases:staff_signal_action", args=[outside.pk])
    response = client.post(
        url, {"kind": "inspector", "suspicion": "no", "note": "Gebeld.", "occurred_on": today()}
    )
    assert response.status_code == 302
    page = client.get(outside.get_absolute_url()).text
    assert "geen redelijk vermoeden" in page
    assert "niet nodig: de vertrouwensinspecteur zag geen redelijk vermoeden" in page


def test_a_signal_closes_only_once_its_duties_are_done_and_then_takes_nothing(cast, outside):
    with pytest.raises(ValidationError, match="vertrouwensinspecteur"):
        record(outside, cast.bestuur, "closed")
    record(outside, cast.bestuur, "inspector", suspicion="yes")
    with pytest.raises(ValidationError, match="aangifte"):
        record(outside, cast.bestuur, "closed")
    record(outside, cast.bestuur, "parents_informed")
    record(outside, cast.bestuur, "person_informed")
    record(outside, cast.bestuur, "aangifte_filed")
    record(outside, cast.bestuur, "closed", note="Afgehandeld.")
    with pytest.raises(ValidationError, match="gesloten"):
        record(outside, cast.bestuur, "other")


# --- Onverwijld: Mijn acties ----------------------------------------------------------


def staff_items(user, today=None):
    return [item for item in actions_for(user, today) if item.kind == "staff_signal"]


def test_the_consultation_is_due_the_next_working_day_for_the_board_and_the_directie(cast, outside):
    due = add_working_days(timezone.localdate(outside.filed_at), 1)
    for person in (cast.bestuur, cast.directie):
        [item] = staff_items(person)
        assert item.due == due
        assert "vertrouwensinspecteur" in item.what
        assert item.url == outside.get_absolute_url()
        assert not item.overdue
    [late] = staff_items(cast.bestuur, today=due + dt.timedelta(days=1))
    assert late.overdue
    for person in (cast.leerkracht, cast.ib, cast.af, cast.other_leerkracht):
        assert staff_items(person) == []


def test_a_signal_on_a_friday_is_due_on_monday():
    friday = dt.date(2026, 6, 5)
    assert _duties([], friday).consult_due == dt.date(2026, 6, 8)


def test_after_the_yes_the_aangifte_is_due_the_next_working_day(cast, outside):
    consult = record(outside, cast.bestuur, "inspector", suspicion="yes")
    [item] = staff_items(cast.directie)
    assert item.due == add_working_days(consult.occurred_on, 1)
    assert "ouders" in item.what and "aangifte" in item.what
    record(outside, cast.bestuur, "parents_informed")
    record(outside, cast.bestuur, "person_informed")
    [item] = staff_items(cast.bestuur)
    assert item.what.startswith("Doe aangifte")
    record(outside, cast.bestuur, "aangifte_filed")
    assert staff_items(cast.bestuur) == []


def test_no_redelijk_vermoeden_leaves_nothing_to_chase(cast, outside):
    record(outside, cast.bestuur, "inspector", suspicion="no")
    assert staff_items(cast.bestuur) == []


def test_not_yet_possible_to_say_asks_for_another_consultation_without_a_day(cast, outside):
    record(outside, cast.bestuur, "inspector", suspicion="unclear")
    [item] = staff_items(cast.bestuur)
    assert item.due is None and "opnieuw" in item.what


def test_the_colleague_concerned_is_never_chased_about_a_signal_on_them(cast):
    staff_signal_file(school=cast.school, concerns=cast.directie, description="Zorg.", by=cast.ib)
    assert staff_items(cast.directie) == []
    assert len(staff_items(cast.bestuur)) == 1


def test_the_duties_cost_the_same_queries_for_one_signal_or_many(
    cast, django_assert_max_num_queries
):
    staff_signal_file(
        school=cast.school, concerns_name="Iemand Testnaam", concerns_role="anders",
        description="Zorg.", by=cast.ib,
    )  # fmt: skip
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        staff_items(cast.bestuur)
    for number in range(5):
        staff_signal_file(
            school=cast.school, concerns_name=f"Iemand {number}", concerns_role="anders",
            description="Zorg.", by=cast.ib,
        )  # fmt: skip
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(staff_items(cast.bestuur)) == 6


# --- Pupils ---------------------------------------------------------------------------


def test_a_pupil_is_linked_and_seen_only_by_those_who_see_the_signal(cast, outside, client_for):
    link = staff_signal_link_pupil(signal=outside, pupil=cast.pupil, by=cast.bestuur)
    assert isinstance(link, StaffSignalPupil)
    assert cast.pupil.full_name in client_for(cast.bestuur).get(outside.get_absolute_url()).text
    with pytest.raises(PermissionDenied):
        staff_signal_link_pupil(signal=outside, pupil=PupilFactory(school=cast.school), by=cast.af)
    with pytest.raises(ValidationError):
        staff_signal_link_pupil(signal=outside, pupil=cast.other_pupil, by=cast.bestuur)
    response = client_for(cast.bestuur).post(
        reverse("cases:staff_signal_pupil", args=[outside.pk]), {"pupil": cast.pupil.pk}
    )
    assert response.status_code == 200  # already linked: the error next to the field
    assert "Deze leerling is al gekoppeld." in response.text


def test_the_actions_are_recorded_with_the_outcome_and_sealed(cast, outside):
    from cases.seal import dossier_verify, record_intact

    action = record(outside, cast.bestuur, "inspector", suspicion="yes")
    assert record_intact(outside) and record_intact(action)
    assert dossier_verify().holds
    assert StaffSignalAction.objects.get(pk=action.pk).suspicion == "yes"


# --- The sociale kaart ----------------------------------------------------------------


def test_the_vertrouwensinspecteurs_are_a_national_entry_of_every_school(cast):
    from socialmap.models import Organisation
    from socialmap.services import school_seed_socialmap

    school_seed_socialmap(school=cast.school)
    entry = Organisation.objects.get(school=cast.school, name="Vertrouwensinspecteurs")
    assert entry.phone == "0900-111 3 111"
