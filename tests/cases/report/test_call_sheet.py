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
