"""The report of a talk printed for the parents to read and sign (seed 001: record the
talk and have it signed). It holds the report, their own reaction and the agreements of
this one talk, nothing else of the dossier, and it goes through the parents' redaction
(`cases.pdf.redaction`, version ouders): staff are named by their role, and the names,
addresses and places `suggest` finds in the texts are left out. The parents' child keeps
their name: it is their talk about their child."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import may_view
from cases.access_log import access_log_export
from cases.meetings.models import Meeting, MeetingReport
from cases.pdf.redaction import Redactor, Version
from meldcode.models import User
from meldcode.pdf_output import pdf_from_html


def report_print_context(*, meeting: Meeting, report: MeetingReport) -> dict:
    r = Redactor.for_case(meeting.case, Version.OUDERS)
    return {
        "school": meeting.case.school.name,
        "pupil": meeting.case.pupil.full_name,
        "kind": meeting.get_kind_display(),
        "held_at": r.moment(timezone.localtime(meeting.starts_at)),
        "place": r.text(meeting.place),
        "staff": [r.person(person) for person in meeting.staff.all()],
        "others": r.text(meeting.others),
        "report": r.text(report.report),
        "reaction": r.text(report.reaction),
        "agreements": [
            {
                "description": r.text(agreement.description),
                "owner": r.person(agreement.owner),
                "due_on": r.day(agreement.due_on),
            }
            for agreement in report.agreements.all()
        ],
        "printed_on": r.day(timezone.localdate()),
        # Lines to fill in by hand: the school's signer writes their own name on paper.
        "signers": [_("Parent or carer"), _("Parent or carer"), _("On behalf of the school")],
    }


def report_print(*, meeting: Meeting, by: User) -> bytes:
    """The PDF for the parents, and one `export` row in the access log: the report
    leaves the application on paper. The talk has its report (the view answers 404
    before)."""
    if not may_view(by, meeting.case):
        raise PermissionDenied
    report = MeetingReport.objects.prefetch_related("agreements__owner").get(meeting=meeting)
    html = render_to_string(
        "cases/meetings/report_print.html", report_print_context(meeting=meeting, report=report)
    )
    pdf = pdf_from_html(html)
    access_log_export(user=by, case=meeting.case)
    return pdf


def report_print_filename(meeting: Meeting) -> str:
    return f"gespreksverslag-casus-{meeting.case_id}-{meeting.pk}.pdf"
