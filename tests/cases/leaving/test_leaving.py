"""A pupil who leaves (issue 25): a date of leaving from the import (or set by hand) on a
pupil with an open case, or one closed within the school's retention term, gives the
aandachtsfunctionaris a leaving checklist in Mijn acties; every item is recorded in the
dossier (append-only, sealed); no case of the pupil closes before the checklist is done;
an open case then closes from any step with "leerling vertrokken"; the inspectie PDF
shows the handover."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.actions.services import actions_for
from cases.append_only import AppendOnlyError
from cases.leaving.models import LeavingRecord
from cases.leaving.services import (
    case_close_departed,
    leaving_applies,
    leaving_checklist,
    leaving_record,
)
from cases.models import Case
from cases.pdf.services import pdf_html
from cases.seal import dossier_verify, record_intact
from cases.services import case_advance
from cases.workflow import PUPIL_LEFT, Step
from meldcode.models import Pupil
from meldcode.pupil_import import pupil_set_left, pupils_import
from meldcode.workdays import add_working_days
from tests.cases.factories import hold_parent_talk, make_case
from tests.clock import today

RECEIVING = "Basisschool De Verre Verte"


def leave(pupil, on=None):
    Pupil.objects.filter(pk=pupil.pk).update(left_on=on or today())
    pupil.refresh_from_db()


def import_leaving(cast, on: dt.date) -> None:
    pupil = cast.pupil
    row = (
        f"{pupil.first_name};;{pupil.last_name};{pupil.date_of_birth:%d-%m-%Y};{pupil.group};"
        f"{on:%d-%m-%Y}"
    )
    data = f"voornaam;tussenvoegsel;achternaam;geboortedatum;groep;uitschrijfdatum\n{row}\n"
    pupils_import(school=cast.school, data=data.encode())
    pupil.refresh_from_db()


def leaving_items(user, today=None):
    return [item for item in actions_for(user, today) if item.kind == "leaving"]


def complete_checklist(case, by):
    leaving_record(case=case, by=by, item="parents", note="Ouders gebeld over de overdracht.")
    leaving_record(
        case=case, by=by, item="veilig_thuis", report_needed=False,
        note="Geen acute onveiligheid; de nieuwe school volgt de zorg op.",
    )  # fmt: skip
    leaving_record(
        case=case, by=by, item="handover", receiving_school=RECEIVING,
        contact_name="Testnaam", contact_role="ib", ground="consent",
        note="De signalen en de lopende hulp besproken.",
    )  # fmt: skip
    leaving_record(case=case, by=by, item="rapport")


@pytest.fixture
def open_case(cast):
    return make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.TALK)


# --- When the checklist appears -------------------------------------------------------


def test_an_import_with_a_date_of_leaving_gives_the_af_the_checklist(cast, open_case):
    assert leaving_items(cast.af) == []
    on = today() + dt.timedelta(days=10)
    import_leaving(cast, on)
    assert cast.pupil.left_on == on
    [item] = leaving_items(cast.af)
    assert item.case == open_case
    assert item.url == reverse("cases:leaving", args=[open_case.pk])
    assert item.due == add_working_days(on, 5)
    for person in (cast.leerkracht, cast.ib, cast.directie, cast.bestuur):
        assert leaving_items(person) == []


def test_a_case_closed_within_the_retention_term_asks_for_the_checklist(cast):
    closed = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.CLOSED)
    leave(cast.pupil)
    assert leaving_applies(closed)
    assert [item.case for item in leaving_items(cast.af)] == [closed]


def test_a_case_closed_longer_ago_than_the_term_asks_for_nothing(cast):
    closed = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.CLOSED)
    years = cast.school.retention_years
    leave(cast.pupil, today().replace(year=today().year + years) + dt.timedelta(days=1))
    assert not leaving_applies(closed)
    assert leaving_items(cast.af) == []


def test_a_pupil_without_a_date_of_leaving_asks_for_nothing(cast, open_case):
    assert not leaving_applies(open_case)
    with pytest.raises(ValidationError):
        leaving_record(case=open_case, by=cast.af, item="parents", note="x")


def test_the_af_or_directie_sets_the_date_of_leaving_by_hand(cast, open_case, client_for):
    url = reverse("pupil_left", args=[cast.pupil.pk])
    assert client_for(cast.ib).post(url, {"left_on": today().isoformat()}).status_code == 403
    assert client_for(cast.af).post(url, {"left_on": today().isoformat()}).status_code == 302
    cast.pupil.refresh_from_db()
    assert cast.pupil.left_on == today()
    assert len(leaving_items(cast.af)) == 1
    with pytest.raises(PermissionDenied):
        pupil_set_left(pupil=cast.pupil, left_on=None, by=cast.leerkracht)


# --- The checklist --------------------------------------------------------------------


def test_the_checklist_disappears_from_mijn_acties_once_done(cast, open_case):
    leave(cast.pupil)
    complete_checklist(open_case, cast.af)
    assert leaving_checklist(open_case).done
    assert leaving_items(cast.af) == []


def test_the_handover_names_the_school_the_person_the_role_and_the_ground(cast, open_case):
    leave(cast.pupil)
    with pytest.raises(ValidationError) as refused:
        leaving_record(case=open_case, by=cast.af, item="handover", note="Besproken.")
    assert {"receiving_school", "contact_name", "contact_role", "ground"} <= set(
        refused.value.message_dict
    )
    assert not LeavingRecord.objects.exists()


def test_a_report_weighed_as_needed_records_the_day_of_the_report(cast, open_case):
    leave(cast.pupil)
    with pytest.raises(ValidationError) as refused:
        leaving_record(
            case=open_case, by=cast.af, item="veilig_thuis", report_needed=True, note="Nodig."
        )
    assert "reported_on" in refused.value.message_dict
    record = leaving_record(
        case=open_case, by=cast.af, item="veilig_thuis", report_needed=True,
        reported_on=today(), note="Gezin vertrekt midden in de hulp: gemeld.",
    )  # fmt: skip
    assert record.reported_on == today()


def test_the_rapport_line_says_only_that_there_is_care_and_whom_to_call(cast, open_case):
    leave(cast.pupil)
    record = leaving_record(case=open_case, by=cast.af, item="rapport", note="Iets anders.")
    assert record.note == (
        f"Er is zorg; neem contact op met de aandachtsfunctionaris van {cast.school.name}."
    )


def test_a_teacher_or_ib_does_not_work_through_the_checklist(cast, open_case, client_for):
    leave(cast.pupil)
    for person in (cast.leerkracht, cast.ib):
        with pytest.raises(PermissionDenied):
            leaving_record(case=open_case, by=person, item="parents", note="x")
        assert (
            client_for(person).get(reverse("cases:leaving", args=[open_case.pk])).status_code == 403
        )


def test_the_records_are_sealed_in_the_dossier_and_never_changed(cast, open_case):
    leave(cast.pupil)
    complete_checklist(open_case, cast.af)
    record = LeavingRecord.objects.first()
    assert record_intact(record)
    assert dossier_verify().holds
    record.note = "Herschreven."
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        LeavingRecord.objects.all().delete()


# --- Closing --------------------------------------------------------------------------


def test_closing_is_refused_until_the_checklist_is_done(cast, open_case):
    leave(cast.pupil)
    hold_parent_talk(open_case, cast.ib)
    with pytest.raises(ValidationError) as refused:
        case_advance(case=open_case, to=Step.CLOSED, by=cast.ib, reason="Zorg weggenomen.")
    assert refused.value.code == "leaving_checklist"
    with pytest.raises(ValidationError) as refused:
        case_close_departed(case=open_case, by=cast.af, reason="Vertrokken.")
    assert refused.value.code == "leaving_checklist"
    open_case.refresh_from_db()
    assert open_case.step == Step.TALK


@pytest.mark.parametrize("step", [Step.SIGNALS, Step.CONSULT, Step.WEIGH, Step.HELP])
def test_an_open_case_closes_from_any_step_with_leerling_vertrokken(cast, step):
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=step)
    leave(cast.pupil)
    complete_checklist(case, cast.af)
    move = case_close_departed(case=case, by=cast.af, reason="Naar De Verre Verte, overgedragen.")
    case.refresh_from_db()
    assert case.step == Step.CLOSED
    assert (move.from_step, move.reason_category) == (step, PUPIL_LEFT)


def test_a_case_in_5b_still_needs_its_report_when_the_pupil_left(cast):
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.REPORT)
    leave(cast.pupil)
    complete_checklist(case, cast.af)
    with pytest.raises(ValidationError) as refused:
        case_close_departed(case=case, by=cast.af, reason="Vertrokken.")
    assert refused.value.code == "report_missing"


def test_leerling_vertrokken_needs_a_pupil_who_left_and_a_reason(cast, open_case):
    with pytest.raises(ValidationError) as refused:
        case_close_departed(case=open_case, by=cast.af, reason="Vertrokken.")
    assert refused.value.code == "not_departed"
    leave(cast.pupil)
    complete_checklist(open_case, cast.af)
    with pytest.raises(ValidationError) as refused:
        case_close_departed(case=open_case, by=cast.af, reason="  ")
    assert "reason" in refused.value.message_dict


def test_only_the_af_or_directie_closes_with_leerling_vertrokken(cast, open_case):
    leave(cast.pupil)
    complete_checklist(open_case, cast.af)
    for person in (cast.leerkracht, cast.ib):
        with pytest.raises(PermissionDenied):
            case_close_departed(case=open_case, by=person, reason="Vertrokken.")
    case_close_departed(case=open_case, by=cast.directie, reason="Vertrokken.")


def test_a_regular_close_of_a_leaving_pupil_passes_once_the_checklist_is_done(cast, open_case):
    leave(cast.pupil)
    hold_parent_talk(open_case, cast.ib)
    complete_checklist(open_case, cast.af)
    case_advance(case=open_case, to=Step.CLOSED, by=cast.ib, reason="Zorg weggenomen.")
    assert Case.objects.get(pk=open_case.pk).step == Step.CLOSED


def test_the_close_form_shows_the_refusal_next_to_the_form(cast, open_case, client_for):
    leave(cast.pupil)
    response = client_for(cast.af).post(
        reverse("cases:leaving_close", args=[open_case.pk]), {"departure-reason": "Weg."}
    )
    assert response.status_code == 200
    assert "werk eerst de vertreklijst af" in response.text


# --- The inspectie PDF ----------------------------------------------------------------


def test_the_inspectie_pdf_shows_the_handover_and_the_parents_version_does_not(cast, open_case):
    leave(cast.pupil)
    complete_checklist(open_case, cast.af)
    case_close_departed(case=open_case, by=cast.af, reason="Overgedragen aan de nieuwe school.")
    inspectie = pdf_html(case=open_case, version="inspectie", by=cast.af)
    assert RECEIVING in inspectie and "Testnaam" in inspectie
    assert "met schriftelijke toestemming van de ouders" in inspectie
    assert "leerling vertrokken" in inspectie
    ouders = pdf_html(case=open_case, version="ouders", by=cast.af)
    assert RECEIVING not in ouders
