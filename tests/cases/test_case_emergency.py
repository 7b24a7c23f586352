"""Noodsituatie: from any open step straight to 5b, recording who called Veilig Thuis or
112 and when."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import EmergencyCall
from cases.services import case_declare_emergency
from cases.workflow import Step


def declare(case, by, called_by=None, **extra):
    return case_declare_emergency(
        case=case,
        by=by,
        service=extra.get("service", EmergencyCall.Service.POLICE),
        called_by=called_by or by,
        called_at=extra.get("called_at", timezone.now() - dt.timedelta(minutes=10)),
        summary=extra.get("summary", "Kind durfde niet naar huis; politie gebeld."),
    )


@pytest.mark.parametrize("step", [Step.SIGNALS, Step.CONSULT, Step.TALK, Step.WEIGH, Step.HELP])
def test_the_af_declares_a_noodsituatie_from_any_open_step(cast, case_at, step):
    case = case_at(step)
    move = declare(case, cast.af, called_by=cast.leerkracht)
    case.refresh_from_db()
    assert case.step == Step.REPORT
    assert move.emergency
    call = move.emergency_calls.get()
    assert (call.called_by, call.service) == (cast.leerkracht, "112")
    assert move.reason == "Kind durfde niet naar huis; politie gebeld."


def test_the_teacher_who_opened_declares_a_noodsituatie_in_step_one(cast, case):
    declare(case, cast.leerkracht)
    assert case.step == Step.REPORT


def test_the_teacher_may_not_declare_one_once_the_ib_has_the_case(cast, case_at):
    case = case_at(Step.CONSULT)
    with pytest.raises(PermissionDenied):
        declare(case, cast.leerkracht)


@pytest.mark.parametrize("step", [Step.REPORT, Step.CLOSED])
def test_no_noodsituatie_from_5b_or_a_closed_case(cast, case_at, step):
    case = case_at(step)
    with pytest.raises(PermissionDenied):
        declare(case, cast.af)


def test_a_call_long_before_the_case_was_opened_is_a_typo(cast, case):
    with pytest.raises(ValidationError) as refused:
        declare(case, cast.af, called_at=timezone.now().replace(year=1900))
    assert "lang voordat deze casus werd geopend" in refused.value.message_dict["called_at"][0]


def test_the_call_cannot_lie_in_the_future(cast, case):
    with pytest.raises(ValidationError) as refused:
        declare(case, cast.af, called_at=timezone.now() + dt.timedelta(hours=2))
    assert "called_at" in refused.value.message_dict


def test_a_noodsituatie_needs_what_was_said(cast, case):
    with pytest.raises(ValidationError):
        declare(case, cast.af, summary="  ")


def test_the_caller_must_work_at_the_school(cast, case):
    with pytest.raises(ValidationError):
        declare(case, cast.af, called_by=cast.other_leerkracht)


def test_the_case_page_records_the_call(cast, case_at, client_for):
    case = case_at(Step.TALK)
    response = client_for(cast.directie).post(
        reverse("cases:emergency", args=[case.pk]),
        {
            "emergency-vt_called": "on",
            "emergency-vt_at": f"{timezone.localtime() - dt.timedelta(hours=1):%Y-%m-%dT%H:%M}",
            "emergency-vt_reference": "VT-2026-0123",
            "emergency-called_by": cast.ib.pk,
            "emergency-summary": "Advies en melding in één gesprek.",
        },
        follow=True,
    )
    assert response.status_code == 200
    call = EmergencyCall.objects.get()
    assert (call.called_by, call.service, call.reference) == (
        cast.ib,
        "veilig_thuis",
        "VT-2026-0123",
    )
    assert "Veilig Thuis (0800-2000)" in response.text


def test_the_form_shows_errors_next_to_the_fields(cast, case, client_for):
    # Since issue 21 the form asks per service whether it was called, when, and its
    # reference; nothing ticked is the error "whom did you call".
    response = client_for(cast.af).post(
        reverse("cases:emergency", args=[case.pk]), {"emergency-police_called": "on"}
    )
    assert response.status_code == 200
    assert response.context["emergency_form"].errors.keys() == {
        "police_at",
        "called_by",
        "summary",
    }
    nothing = client_for(cast.af).post(
        reverse("cases:emergency", args=[case.pk]),
        {"emergency-called_by": cast.af.pk, "emergency-summary": "Acuut."},
    )
    assert nothing.context["emergency_form"].errors.keys() == {"vt_called"}


def test_a_noodsituatie_records_each_service_called_with_its_time_and_reference(cast, case_at):
    from tests.socialmap.factories import OrganisationFactory

    crisis = OrganisationFactory(school=cast.school, category="spoed", name="Crisisdienst Test")
    case = case_at(Step.CONSULT)
    now = timezone.now()
    move = case_declare_emergency(
        case=case, by=cast.af, called_by=cast.af, summary="Acuut gevaar, drie keer gebeld.",
        calls=[
            {"service": "112", "called_at": now - dt.timedelta(minutes=30), "reference": "P-77"},
            {"service": "crisis", "called_at": now - dt.timedelta(minutes=20),
             "organisation": crisis},
            {"service": "veilig_thuis", "called_at": now - dt.timedelta(minutes=10),
             "reference": "VT-2026-0042"},
        ],
    )  # fmt: skip
    calls = list(move.emergency_calls.order_by("called_at"))
    assert [(c.service, c.reference) for c in calls] == [
        ("112", "P-77"), ("crisis", ""), ("veilig_thuis", "VT-2026-0042"),
    ]  # fmt: skip
    assert calls[1].organisation == crisis


def test_the_crisis_service_comes_from_this_schools_sociale_kaart(cast, case_at):
    from tests.socialmap.factories import OrganisationFactory

    elsewhere = OrganisationFactory(school=cast.other_school, category="spoed")
    with pytest.raises(ValidationError) as refused:
        case_declare_emergency(
            case=case_at(Step.CONSULT), by=cast.af, called_by=cast.af, summary="Acuut.",
            calls=[{"service": "crisis", "called_at": timezone.now(), "organisation": elsewhere}],
        )  # fmt: skip
    assert "organisation" in refused.value.message_dict
