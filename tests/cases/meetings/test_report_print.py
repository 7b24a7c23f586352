"""The talk's report printed for the parents: the report, their reaction and the
agreements, addressed to them, with lines to sign; staff named by their role (the
parents' redaction); for whoever may see the talk, and logged as an export."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.access_log import AccessLog
from cases.dossier.services import entry_add
from cases.meetings.pdf import report_print
from cases.meetings.services import meeting_plan, report_record
from cases.workflow import Step
from tests.cases.pdf.conftest import pdf_text
from tests.clock import now


@pytest.fixture
def reported(cast, case_at):
    """A parent talk held by the ib'er, with a named colleague in its texts."""
    cast.ib.first_name, cast.ib.last_name = "Ilse", "Bakkerman"
    cast.ib.save()
    case = case_at(Step.TALK)
    meeting = meeting_plan(case=case, by=cast.ib, kind="parents", place="Kamer IB",
                           starts_at=now() - dt.timedelta(hours=2), agenda="",
                           staff=[cast.ib, cast.af], others="moeder; vader")  # fmt: skip
    report_record(
        meeting=meeting, by=cast.ib,
        report="Ilse Bakkerman legde uit waarom de school zich zorgen maakt over Roos.",
        reaction="Moeder herkent de vermoeidheid; vader is het er niet mee eens.",
        agreements=[{"description": "Contact opnemen met het wijkteam.", "owner": cast.ib,
                     "due_on": timezone.localdate() + dt.timedelta(days=14)}],
    )  # fmt: skip
    entry_add(case=case, author=cast.ib, kind="observation", occurred_on=timezone.localdate(),
              place="Klas", situation="Buitenspel",
              description="Een ander dossierstuk dat niet in dit verslag hoort.")  # fmt: skip
    return meeting


def print_url(meeting):
    return reverse("cases:meeting_report_pdf", args=[meeting.case_id, meeting.pk])


def test_the_print_holds_the_report_the_reaction_the_agreements_and_signature_lines(
    cast, reported, tmp_path
):
    text = " ".join(pdf_text(report_print(meeting=reported, by=cast.ib), tmp_path).split())
    assert "legde uit waarom de school zich zorgen maakt over Roos." in text
    assert "Moeder herkent de vermoeidheid; vader is het er niet mee eens." in text
    assert "Contact opnemen met het wijkteam." in text
    assert "Uw reactie" in text and "Geachte ouder(s)" in text  # addressed to the parents
    for line in ("Naam", "Datum", "Handtekening"):  # two parents and the school
        assert len(re.findall(rf"\b{line}\b", text)) == 3
    assert "Namens de school" in text


def test_the_print_names_no_staff_member_and_nothing_else_of_the_dossier(cast, reported, tmp_path):
    text = pdf_text(report_print(meeting=reported, by=cast.ib), tmp_path)
    assert "Bakkerman" not in text and "Ilse" not in text
    assert "Testpersoon" not in text  # the other staff member's surname
    assert "de intern begeleider" in text
    assert "Een ander dossierstuk" not in text


def test_the_print_is_for_who_may_see_the_talk_and_logged_as_an_export(cast, reported, client_for):
    url = print_url(reported)
    for person in (cast.leerkracht_b, cast.other_leerkracht, cast.outsider, cast.bestuur):
        assert client_for(person).get(url).status_code == 404
    assert client_for(cast.ib).post(url).status_code == 405
    before = AccessLog.objects.filter(case_id=reported.case_id).count()
    response = client_for(cast.directie).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Roos" not in response["Content-Disposition"]
    rows = AccessLog.objects.filter(case_id=reported.case_id).order_by("pk")[before:]
    assert [(row.user_id, row.action) for row in rows] == [
        (cast.directie.pk, AccessLog.Action.EXPORT)
    ]


def test_a_talk_without_a_report_has_nothing_to_print(cast, case_at, client_for):
    case = case_at(Step.TALK)
    meeting = meeting_plan(case=case, by=cast.ib, kind="parents", place="Kamer IB",
                           starts_at=now() + dt.timedelta(days=1), agenda="",
                           staff=[cast.ib])  # fmt: skip
    assert client_for(cast.ib).get(print_url(meeting)).status_code == 404


def test_the_page_that_asks_for_the_signed_scan_links_to_the_print(cast, reported, client_for):
    page = client_for(cast.ib).get(
        reverse("cases:meeting_detail", args=[reported.case_id, reported.pk])
    )
    form = page.content.decode().split("Ondertekening door de ouders", 1)[1]
    assert print_url(reported) in form.split("</form>", 1)[0]
