"""The term of an inzage request: one month from receipt (AVG art. 12(3)), extended once
by two months when who asked was told so, with the reason, within the first month."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.inzage.models import InzageRequest, Requester
from cases.inzage.services import (
    add_months,
    due_on,
    extended_due_on,
    inzage_extend,
    inzage_request_record,
    standing,
)
from cases.seal import record_intact


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.date(2026, 3, 10), dt.date(2026, 4, 10)),
        (dt.date(2026, 12, 15), dt.date(2027, 1, 15)),  # over the turn of the year
        (dt.date(2027, 1, 31), dt.date(2027, 2, 28)),  # February has no 31st
        (dt.date(2028, 1, 31), dt.date(2028, 2, 29)),  # a leap year
        (dt.date(2026, 3, 31), dt.date(2026, 4, 30)),  # April has no 31st
        (dt.date(2026, 2, 28), dt.date(2026, 3, 28)),
    ],
)
def test_the_answer_is_due_one_month_after_receipt(received, due):
    assert due_on(received) == due


def test_a_month_that_has_no_such_day_ends_on_its_last_day():
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 8, 31), 1) == dt.date(2026, 9, 30)


def test_extended_the_answer_is_due_three_months_after_receipt():
    assert extended_due_on(dt.date(2027, 1, 31)) == dt.date(2027, 4, 30)
    assert extended_due_on(dt.date(2026, 11, 30)) == dt.date(2027, 2, 28)


def test_a_recorded_request_carries_its_term_and_is_sealed(cast, inzage_request):
    assert inzage_request.due_on == due_on(inzage_request.received_on)
    assert standing(inzage_request).due_on == inzage_request.due_on
    assert record_intact(inzage_request)


def test_an_extension_told_within_the_first_month_moves_the_term_by_two_months(
    cast, inzage_request
):
    extension = inzage_extend(
        request=inzage_request, by=cast.directie, reason="Veel stukken na te lopen.",
        told_on=timezone.localdate(),
    )  # fmt: skip
    assert extension.due_on == add_months(inzage_request.received_on, 3)
    assert standing(inzage_request).due_on == extension.due_on
    assert record_intact(extension)


def test_the_term_is_extended_once_only(cast, inzage_request):
    today = timezone.localdate()
    inzage_extend(request=inzage_request, by=cast.af, reason="Veel stukken.", told_on=today)
    with pytest.raises(ValidationError):
        inzage_extend(request=inzage_request, by=cast.af, reason="Nog meer.", told_on=today)


def test_an_extension_told_after_the_first_month_is_refused(cast, full_case):
    received = timezone.localdate() - dt.timedelta(days=45)
    request = inzage_request_record(
        case=full_case, by=cast.af, requester=Requester.PARENT, requester_name="Vader",
        received_on=received, handled_by=cast.af,
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        inzage_extend(
            request=request, by=cast.af, reason="Te laat bedacht.", told_on=timezone.localdate()
        )
    assert "told_on" in error.value.message_dict


def test_an_extension_needs_a_reason(cast, inzage_request):
    with pytest.raises(ValidationError) as error:
        inzage_extend(request=inzage_request, by=cast.af, reason=" ", told_on=timezone.localdate())
    assert "reason" in error.value.message_dict


def test_a_pupil_younger_than_16_does_not_ask_for_themselves(cast, full_case):
    with pytest.raises(ValidationError) as error:
        inzage_request_record(
            case=full_case, by=cast.af, requester=Requester.PUPIL, requester_name="Zoë",
            received_on=timezone.localdate(), handled_by=cast.af,
        )  # fmt: skip
    assert "requester" in error.value.message_dict


def test_a_pupil_of_16_asks_for_themselves(cast, full_case):
    pupil = full_case.pupil
    pupil.date_of_birth = timezone.localdate() - dt.timedelta(days=16 * 366)
    pupil.save()
    request = inzage_request_record(
        case=full_case, by=cast.af, requester=Requester.PUPIL, requester_name="Zoë",
        received_on=timezone.localdate(), handled_by=cast.directie,
    )  # fmt: skip
    assert request.requester == Requester.PUPIL


def test_a_request_from_the_future_or_handled_by_a_teacher_is_refused(cast, full_case):
    with pytest.raises(ValidationError) as error:
        inzage_request_record(
            case=full_case, by=cast.af, requester=Requester.PARENT, requester_name="Vader",
            received_on=timezone.localdate() + dt.timedelta(days=1), handled_by=cast.leerkracht,
        )  # fmt: skip
    assert set(error.value.message_dict) == {"received_on", "handled_by"}


@pytest.mark.parametrize("who", ["leerkracht", "ib"])
def test_only_the_af_or_the_directie_records_a_request(cast, full_case, who):
    with pytest.raises(PermissionDenied):
        inzage_request_record(
            case=full_case, by=getattr(cast, who), requester=Requester.PARENT,
            requester_name="Vader", received_on=timezone.localdate(), handled_by=cast.af,
        )  # fmt: skip
    assert not InzageRequest.objects.exists()
