"""The call sheet for Veilig Thuis: every question, what the dossier answers, the gaps."""

import pytest
from django.urls import reverse

from cases.access_log import AccessLog
from cases.dossier.services import entry_add
from cases.workflow import Step


@pytest.fixture
def weighed_case(cast, case_at):
    case = case_at(Step.WEIGH)
    entry_add(
        case=case,
        author=cast.af,
        kind="observation",
        occurred_on=case.opened_at.date(),
        description="Blauwe plekken op de bovenarmen.",
        place="Klas",
        situation="Binnenkomst",
        signals=["lichamelijk-welzijn.oververmoeid"],
    )
    return case


@pytest.mark.parametrize("kind", ["advies", "melding"])
def test_the_call_sheet_fills_in_what_the_dossier_knows_and_marks_the_gaps(
    cast, weighed_case, client_for, kind
):
    response = client_for(cast.af).get(reverse("cases:call_sheet", args=[weighed_case.pk, kind]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "oververmoeid" in page  # the tagged signal answers "nature and severity"
    assert 'class="gap"' in page  # questions the dossier cannot answer are marked
    assert page.count('data-testid="call-sheet-item"') >= 10


def test_showing_the_call_sheet_is_a_logged_read_of_the_dossier(cast, weighed_case, client_for):
    before = AccessLog.objects.filter(case_id=weighed_case.pk).count()
    client_for(cast.af).get(reverse("cases:call_sheet", args=[weighed_case.pk, "melding"]))
    assert AccessLog.objects.filter(case_id=weighed_case.pk).count() == before + 1


def test_the_call_sheet_is_404_for_an_outsider_and_for_an_unknown_kind(
    cast, weighed_case, client_for
):
    assert (
        client_for(cast.other_leerkracht)
        .get(reverse("cases:call_sheet", args=[weighed_case.pk, "melding"]))
        .status_code
        == 404
    )
    assert (
        client_for(cast.af)
        .get(reverse("cases:call_sheet", args=[weighed_case.pk, "x"]))
        .status_code
        == 404
    )


# Since issue 21 -------------------------------------------------------------------------


def _answers(items, question_start):
    return next(item.answers for item in items if str(item.question).startswith(question_start))


def test_the_report_sheet_lists_only_the_police_under_police_contacts(cast, case_at):
    import datetime as dt

    from django.utils import timezone

    from cases.report.call_sheet import REPORT, call_sheet
    from cases.services import case_declare_emergency

    case = case_at(Step.CONSULT)
    now = timezone.now()
    case_declare_emergency(
        case=case, by=cast.af, called_by=cast.af, summary="Acuut.",
        calls=[
            {"service": "veilig_thuis", "called_at": now - dt.timedelta(minutes=9)},
            {"service": "112", "called_at": now - dt.timedelta(minutes=5), "reference": "P-1"},
        ],
    )  # fmt: skip
    police = _answers(call_sheet(case, REPORT), "Politiecontacten")
    assert len(police) == 1 and "politie (112)" in police[0] and "P-1" in police[0]


def test_the_sheet_counts_in_good_dutch_and_never_doubles_a_full_stop(cast, case_at):
    from django.utils import timezone

    from cases.dossier.services import entry_add
    from cases.report.call_sheet import ADVICE, call_sheet

    case = case_at(Step.CONSULT)
    entry_add(
        case=case, author=cast.ib, kind="observation", occurred_on=timezone.localdate(),
        description="Blauwe plek op de arm.", place="Klas", situation="Les",
    )  # fmt: skip
    entry_add(
        case=case, author=cast.ib, kind="contact", occurred_on=timezone.localdate(),
        description="Moeder gebeld.", contact_with="moeder",
    )  # fmt: skip
    text = " ".join(answer for item in call_sheet(case, ADVICE) for answer in item.answers)
    assert "1 waarneming" in text and "1 waarnemingen" not in text
    assert ".." not in text


def test_the_report_sheet_says_whether_parents_and_pupil_were_told(cast, case_at):
    from django.utils import timezone

    from cases.report.call_sheet import REPORT, call_sheet
    from cases.report.services import report_record

    case = case_at(Step.REPORT)
    report_record(
        case=case, by=cast.af, reported_on=timezone.localdate(), reported_by=cast.af,
        parents_told_on=timezone.localdate(), objections="Vader is het er niet mee eens.",
        objections_weighed="Veiligheid van het kind gaat voor.",
    )  # fmt: skip
    told = _answers(call_sheet(case, REPORT), "Zijn de ouders en de leerling")
    assert any("Ouders ingelicht" in answer for answer in told)
    assert any("Vader is het er niet mee eens" in answer for answer in told)
