"""A school with one case carrying a record of every kind, and the same at another school,
so that every URL with an object id can be asked for with an id of either school."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.consultations.services import consent_record
from cases.dossier.services import entry_add
from cases.help.services import help_plan_create
from cases.inzage.services import inzage_release, inzage_request_record
from cases.meetings.services import meeting_plan, report_record
from cases.models import Case
from cases.pdf.exports import pdf_export_request
from cases.report.services import report_record as vt_report_record
from cases.staff_signals.services import staff_signal_file
from cases.workflow import Step
from meldcode.models import Membership, Pupil, Role
from socialmap.models import BoardTemplate
from tests.cases.factories import make_case
from tests.cases.inzage.reviews import review_all
from tests.cases.uploads import pdf_bytes
from tests.factories import member
from tests.socialmap.factories import OrganisationFactory

PDF = pdf_bytes()


@dataclass
class Objects:
    case: Case
    pupil: object
    upload: object
    meeting: object
    agreement: object
    plan: object
    report: object
    signal: object
    organisation: object
    template: object
    inzage_request: object
    release: object
    export: object


def objects_for(school, pupil, opener, acting, board_member) -> Objects:
    # The pupil leaves next month (issue 25): the case asks for the leaving checklist.
    Pupil.objects.filter(pk=pupil.pk).update(left_on=timezone.localdate() + dt.timedelta(days=30))
    pupil.refresh_from_db()
    case = make_case(opened_by=opener, pupil=pupil, step=Step.REPORT, responsible=acting)
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - dt.timedelta(days=10))
    case.refresh_from_db()
    entry_add(
        case=case,
        author=acting,
        kind="observation",
        occurred_on=timezone.localdate(),
        description="Waargenomen.",
        place="Klas",
        situation="Les",
    )
    consent = consent_record(
        case=case,
        by=acting,
        status="given",
        on=timezone.localdate(),
        form=SimpleUploadedFile("f.pdf", PDF),
    )
    meeting = meeting_plan(
        case=case,
        by=acting,
        kind="parents",
        place="Kamer",
        agenda="",
        starts_at=timezone.now() - dt.timedelta(hours=1),
        staff=[acting],
    )
    record = report_record(
        meeting=meeting,
        by=acting,
        report="Verslag.",
        reaction="Eens.",
        agreements=[{"description": "Bellen.", "owner": acting, "due_on": timezone.localdate()}],
    )
    organisation = OrganisationFactory(school=school)
    plan = help_plan_create(
        case=case,
        by=acting,
        organisation=organisation,
        help_offered="Hulp",
        case_manager="Wijkteam",
        results_agreed="Rust",
        term=timezone.localdate() + dt.timedelta(days=30),
    )
    report = vt_report_record(
        case=case,
        by=acting,
        reported_on=timezone.localdate(),
        reported_by=acting,
        parents_told_on=timezone.localdate(),
    )
    signal = staff_signal_file(school=school, concerns=acting, description="Signaal.", by=opener)

    # Inzage: one request reviewed by `acting` and awaiting a second person's approval,
    # and one released (approved by the school's directie).
    def ask() -> object:
        return inzage_request_record(
            case=case, by=acting, requester="parent", requester_name="Een ouder",
            received_on=timezone.localdate(), handled_by=acting,
        )  # fmt: skip

    directie = Membership.objects.filter(school=school, role=Role.DIRECTIE).first()
    approver = (
        directie.user
        if directie
        else member(school, Role.DIRECTIE, username=f"directie_{school.pk}")
    )
    released = ask()
    review_all(released, acting)
    release = inzage_release(request=released, by=approver)
    inzage_request = ask()
    review_all(inzage_request, acting)
    template = BoardTemplate.objects.create(
        board=school.board, name=f"Sjabloon {school.pk}", category="zat", phone="0113-249400"
    )
    # The inspectie PDF `acting` asked for: ready (tests run the task at once), not taken.
    export = pdf_export_request(case=case, version="inspectie", by=acting)
    return Objects(
        case,
        pupil,
        consent.form,
        meeting,
        record.agreements.get(),
        plan,
        report,
        signal,
        organisation,
        template,
        inzage_request,
        release,
        export,
    )
