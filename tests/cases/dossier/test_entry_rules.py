"""The rules of each kind of entry, enforced by entry_add (and, where it can, the database)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from cases.dossier.services import entry_add, names_in_initials_field
from cases.models import Entry
from cases.services import case_advance, case_open
from cases.workflow import Step
from tests.cases.dossier.conftest import OBSERVATION, TAG_BRUISES, TAG_HUNGRY

Kind = Entry.Kind


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- every kind -------------------------------------------------------------------------


def test_an_entry_has_case_author_kind_and_a_server_recording_time(observe, case, cast):
    entry = observe()
    assert (entry.case, entry.author, entry.kind) == (case, cast.leerkracht, Kind.OBSERVATION)
    assert entry.recorded_at is not None


def test_the_description_is_required_for_every_kind(case, cast):
    with pytest.raises(ValidationError) as excinfo:
        entry_add(case=case, author=cast.leerkracht, kind=Kind.HYPOTHESIS, description="  ")
    assert "description" in errors_of(excinfo)


def test_an_unknown_kind_is_refused(case, cast):
    with pytest.raises(ValidationError):
        entry_add(case=case, author=cast.leerkracht, kind="rumour", description="x")


def test_a_field_of_another_kind_is_a_programming_error(case, cast):
    with pytest.raises(TypeError):
        entry_add(
            case=case, author=cast.leerkracht, kind=Kind.HYPOTHESIS, description="x", place="y"
        )


def test_the_recording_time_cannot_be_chosen_by_the_caller(case, cast, today):
    with pytest.raises(TypeError):
        entry_add(
            case=case,
            author=cast.leerkracht,
            kind=Kind.HYPOTHESIS,
            description="x",
            recorded_at=today - dt.timedelta(days=30),
        )


def test_someone_who_may_not_see_the_case_cannot_add(case, cast):
    for user in (cast.leerkracht_b, cast.other_leerkracht, cast.outsider, cast.bestuur):
        with pytest.raises(PermissionDenied):
            entry_add(case=case, author=user, kind=Kind.HYPOTHESIS, description="x")
    assert not case.entries.exists()


def test_a_teacher_cannot_add_once_the_case_is_in_the_ibs_step(case, cast):
    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    with pytest.raises(PermissionDenied):
        entry_add(case=case, author=cast.leerkracht, kind=Kind.HYPOTHESIS, description="x")


# --- observation ------------------------------------------------------------------------


def test_observation_requires_place_and_situation(case, cast):
    with pytest.raises(ValidationError) as excinfo:
        entry_add(case=case, author=cast.leerkracht, kind=Kind.OBSERVATION, description="Gezien.")
    assert {"place", "situation"} <= set(errors_of(excinfo))


def test_observation_may_be_backdated_and_sorts_by_the_date_observed(observe, today):
    late = observe(occurred_on=today - dt.timedelta(days=2))
    early = observe(occurred_on=today - dt.timedelta(days=5))
    assert list(Entry.objects.filter(pk__in=[late.pk, early.pk])) == [early, late]


def test_observation_cannot_be_dated_in_the_future(observe, today):
    with pytest.raises(ValidationError) as excinfo:
        observe(occurred_on=today + dt.timedelta(days=1))
    assert "occurred_on" in errors_of(excinfo)


def test_observation_recorded_more_than_seven_days_later_is_marked(observe, today):
    assert not observe(occurred_on=today - dt.timedelta(days=7)).recorded_later
    assert observe(occurred_on=today - dt.timedelta(days=8)).recorded_later


@pytest.mark.parametrize("value", ["J.K., M.", "JK", "JK en MvD", "juf A.", "Juf A.", "moeder", ""])
def test_others_present_accepts_initials_and_roles(value):
    assert names_in_initials_field(value) == []


@pytest.mark.parametrize("value", ["Jan", "J.K. en Pieter", "juf Annemiek", "Bo", "kees"])
def test_others_present_refuses_what_looks_like_a_name(value):
    assert names_in_initials_field(value)


def test_observation_with_a_full_name_present_is_refused_with_a_dutch_message(observe):
    with pytest.raises(ValidationError) as excinfo:
        observe(others_present="Pieter de Vries")
    message = errors_of(excinfo)["others_present"][0]
    assert "initialen" in message and "Pieter" in message


def test_observation_carries_signal_tags(observe):
    entry = observe(signals=[TAG_BRUISES, TAG_HUNGRY, TAG_BRUISES])
    assert sorted(entry.signals.values_list("code", flat=True)) == sorted([TAG_BRUISES, TAG_HUNGRY])


def test_an_unknown_signal_is_refused(observe):
    with pytest.raises(ValidationError) as excinfo:
        observe(signals=["made-up"])
    assert "signals" in errors_of(excinfo)
    assert not Entry.objects.exists()


# --- hypothesis and follow-up -------------------------------------------------------------


def test_a_hypothesis_is_marked_as_such(hypothesis):
    assert hypothesis.is_hypothesis
    assert hypothesis.get_kind_display() == "hypothese of veronderstelling"


def test_follow_up_requires_a_link(case, cast):
    with pytest.raises(ValidationError) as excinfo:
        entry_add(case=case, author=cast.ib, kind=Kind.FOLLOW_UP, description="Nagevraagd.")
    assert "links_to" in errors_of(excinfo)


def test_follow_up_on_a_hypothesis_must_say_confirmed_or_refuted(case, cast, hypothesis):
    with pytest.raises(ValidationError) as excinfo:
        entry_add(
            case=case, author=cast.ib, kind=Kind.FOLLOW_UP, links_to=hypothesis, description="x"
        )
    assert "outcome" in errors_of(excinfo)


def test_follow_up_confirms_a_hypothesis(case, cast, hypothesis):
    follow_up = entry_add(
        case=case,
        author=cast.ib,
        kind=Kind.FOLLOW_UP,
        links_to=hypothesis,
        outcome=Entry.Outcome.CONFIRMED,
        description="Het kind vertelde het zelf.",
    )
    assert follow_up.links_to == hypothesis
    assert list(hypothesis.linked_entries.all()) == [follow_up]


def test_only_a_hypothesis_can_be_confirmed_or_refuted(case, cast, observe):
    observation = observe()
    with pytest.raises(ValidationError) as excinfo:
        entry_add(
            case=case,
            author=cast.ib,
            kind=Kind.FOLLOW_UP,
            links_to=observation,
            outcome=Entry.Outcome.REFUTED,
            description="x",
        )
    assert "outcome" in errors_of(excinfo)


def test_follow_up_cannot_link_to_an_entry_of_another_case(cast, hypothesis, classmate):
    other_case = case_open(pupil=classmate, by=cast.ib)
    with pytest.raises(ValidationError) as excinfo:
        entry_add(
            case=other_case,
            author=cast.ib,
            kind=Kind.FOLLOW_UP,
            links_to=hypothesis,
            outcome=Entry.Outcome.CONFIRMED,
            description="x",
        )
    assert "links_to" in errors_of(excinfo)


# --- correction ---------------------------------------------------------------------------


def test_correction_requires_a_link_and_a_reason(case, cast, observe):
    observation = observe()
    with pytest.raises(ValidationError) as excinfo:
        entry_add(case=case, author=cast.leerkracht, kind=Kind.CORRECTION, description="x")
    assert {"links_to", "reason"} <= set(errors_of(excinfo))
    correction = entry_add(
        case=case,
        author=cast.leerkracht,
        kind=Kind.CORRECTION,
        links_to=observation,
        reason="Verkeerde arm genoteerd.",
        description="Rode striemen op de rechterarm.",
    )
    observation.refresh_from_db()
    assert observation.description == OBSERVATION["description"]  # the original stays
    assert correction.links_to == observation


# --- third-party information --------------------------------------------------------------


def test_third_party_information_requires_the_source_and_its_role(case, cast):
    with pytest.raises(ValidationError) as excinfo:
        entry_add(
            case=case,
            author=cast.leerkracht,
            kind=Kind.THIRD_PARTY,
            source_consent=True,
            description="Het gezin is verhuisd.",
        )
    assert {"source", "source_role"} <= set(errors_of(excinfo))


def test_third_party_information_without_consent_is_refused_with_the_seeds_reason(case, cast):
    with pytest.raises(ValidationError) as excinfo:
        entry_add(
            case=case,
            author=cast.leerkracht,
            kind=Kind.THIRD_PARTY,
            source="De buurtcoach",
            source_role="Wijkteam",
            source_consent=False,
            description="Het gezin is verhuisd.",
        )
    message = errors_of(excinfo)["source_consent"][0]
    assert "toestemming" in message and "niet worden gebruikt" in message
    assert not Entry.objects.exists()


def test_third_party_information_with_source_and_consent_is_recorded(case, cast):
    entry = entry_add(
        case=case,
        author=cast.leerkracht,
        kind=Kind.THIRD_PARTY,
        source="De buurtcoach",
        source_role="Wijkteam",
        source_consent=True,
        description="Het gezin is verhuisd.",
    )
    assert (entry.source, entry.source_role, entry.source_consent) == (
        "De buurtcoach",
        "Wijkteam",
        True,
    )


# --- diagnosis ----------------------------------------------------------------------------


def test_diagnosis_by_someone_not_qualified_is_refused(case, cast):
    for user in (cast.leerkracht, cast.ib, cast.af):
        with pytest.raises(PermissionDenied, match="orthopedagoog"):
            entry_add(case=case, author=user, kind=Kind.DIAGNOSIS, description="ADHD")


def test_diagnosis_by_a_qualified_member_is_recorded(case, orthopedagoog):
    entry = entry_add(
        case=case, author=orthopedagoog, kind=Kind.DIAGNOSIS, description="Dyslexie (2024)."
    )
    assert entry.kind == Kind.DIAGNOSIS


# --- contact, decision, kindcheck ---------------------------------------------------------


def test_contact_requires_with_whom(case, cast):
    with pytest.raises(ValidationError) as excinfo:
        entry_add(case=case, author=cast.leerkracht, kind=Kind.CONTACT, description="Gesprek.")
    assert "contact_with" in errors_of(excinfo)
    entry = entry_add(
        case=case,
        author=cast.leerkracht,
        kind=Kind.CONTACT,
        contact_with="Vader, aan de deur",
        description="Vader zegt dat het kind slecht slaapt.",
    )
    assert entry.contact_with == "Vader, aan de deur"


def test_decision_requires_by_whom(case, cast):
    with pytest.raises(ValidationError) as excinfo:
        entry_add(case=case, author=cast.af, kind=Kind.DECISION, description="Advies VT.")
    assert "decided_by" in errors_of(excinfo)
    entry = entry_add(
        case=case,
        author=cast.af,
        kind=Kind.DECISION,
        decided_by="Aandachtsfunctionaris",
        description="Advies vragen bij Veilig Thuis.",
    )
    assert entry.decided_by == "Aandachtsfunctionaris"


def test_kindcheck_requires_the_household_and_the_carers(case, cast):
    with pytest.raises(ValidationError) as excinfo:
        entry_add(case=case, author=cast.ib, kind=Kind.KINDCHECK, description="Nagevraagd.")
    assert {"household", "carers"} <= set(errors_of(excinfo))
    entry = entry_add(
        case=case,
        author=cast.ib,
        kind=Kind.KINDCHECK,
        household="Een zusje van 2.",
        carers="Moeder en oma.",
        description="Nagevraagd bij moeder.",
    )
    assert entry.household == "Een zusje van 2."


# --- parents' view ------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["ib", "af"])
def test_parents_view_is_added_by_ib_or_attention_officer(case, cast, username):
    author = getattr(cast, username)
    entry = entry_add(
        case=case, author=author, kind=Kind.PARENTS_VIEW, description="Wij zien het anders."
    )
    assert entry.kind == Kind.PARENTS_VIEW


@pytest.mark.parametrize("username", ["leerkracht", "directie"])
def test_parents_view_by_others_is_refused(case, cast, username):
    with pytest.raises(PermissionDenied):
        entry_add(
            case=case,
            author=getattr(cast, username),
            kind=Kind.PARENTS_VIEW,
            description="Wij zien het anders.",
        )


def test_parents_view_can_be_added_in_any_step(case, cast):
    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    case_advance(case=case, to=Step.WEIGH, by=cast.ib, reason="Veiligheid van het kind.")
    entry_add(case=case, author=cast.ib, kind=Kind.PARENTS_VIEW, description="Onze reactie.")


# --- privacy guard ------------------------------------------------------------------------


def test_a_name_of_another_pupil_is_refused_until_confirmed(observe, classmate):
    with pytest.raises(ValidationError) as excinfo:
        observe(description="Ruzie met jasmijn over een bal.")
    error = excinfo.value.error_dict["description"][0]
    assert error.code == "other_pupil_name"
    assert "noteer geen namen van andere kinderen" in error.messages[0].lower()
    entry = observe(description="Ruzie met jasmijn over een bal.", names_confirmed=True)
    assert entry.names_confirmed is True


def test_the_full_name_of_another_pupil_is_found_in_any_text_field(observe, classmate):
    with pytest.raises(ValidationError) as excinfo:
        observe(situation="Spelen met Jasmijn Kortenhoeven")
    assert "situation" in excinfo.value.error_dict


def test_the_pupils_own_name_and_parts_of_words_do_not_warn(observe, classmate):
    entry = observe(description="Roos zei: Jasmijnthee is lekker.", names_confirmed=True)
    assert entry.names_confirmed is False  # nothing to confirm: no other child was named


def test_names_of_pupils_of_another_school_do_not_warn(observe, cast):
    entry = observe(description="Bram was er niet bij.")
    assert entry.names_confirmed is False


# --- the database holds the rules too ------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": Kind.THIRD_PARTY, "source": "Buurtcoach", "source_role": "Wijk"},
        {"kind": Kind.THIRD_PARTY, "source_consent": True},
        {"kind": Kind.FOLLOW_UP},
        {"kind": Kind.OBSERVATION},
        {"kind": Kind.CONTACT},
        {"kind": Kind.DECISION},
        {"kind": Kind.KINDCHECK},
        {"kind": Kind.HYPOTHESIS, "outcome": "confirmed"},
    ],
)
def test_the_database_refuses_an_entry_that_breaks_its_kinds_rules(case, cast, today, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(
            case=case, author=cast.leerkracht, occurred_on=today, description="x", **fields
        )


def test_an_observation_dated_before_the_pupil_was_born_is_refused(cast, case):
    from cases.dossier.services import entry_add

    with pytest.raises(ValidationError) as refused:
        entry_add(
            case=case,
            author=cast.leerkracht,
            kind=Entry.Kind.OBSERVATION,
            occurred_on=dt.date(1, 1, 1),
            description="Blauwe plek op de arm.",
            place="Klas",
            situation="Rekenles",
        )
    assert "voordat de leerling geboren werd" in refused.value.message_dict["occurred_on"][0]


@pytest.mark.parametrize("present", ["mama en juffrouw K.", "mevrouw B., meneer T.", "oom J."])
def test_role_words_in_others_present_are_not_mistaken_for_names(present):
    assert names_in_initials_field(present) == []
