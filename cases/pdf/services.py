"""One door for the dossier PDF: build the context of a version, render the print
template, let weasyprint write the PDF. The view only checks access and returns it."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access_log import AccessLog, access_log_export
from cases.consultations.services import consents_of, consultations_of, verwijsindex_of
from cases.dossier.services import annotate_links, dossier_entries
from cases.help.services import plans_of
from cases.history import case_history
from cases.leaving.models import LeavingRecord
from cases.meetings.services import meetings_of, report_is_signed
from cases.models import AccessChange, Case, ResponsibleChange
from cases.pdf.redaction import Redactor, Version, left_out
from cases.report.services import reports_of
from cases.weighing.services import QUESTIONS, weighings_of
from cases.workflow import PUPIL_LEFT
from meldcode.models import Role, User
from meldcode.pdf_output import pdf_from_html

# Who may export which version (seeds: the aandachtsfunctionaris and the directie keep the
# dossier; the ib'er may take a case anonymously to a consultation).
EXPORT_ROLES: dict[Version, tuple[str, ...]] = {
    Version.INSPECTIE: (Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE),
    Version.OUDERS: (Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE),
    Version.ANONIEM: (Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE, Role.IB),
}


def may_export(user: User, case: Case, version: str) -> bool:
    return user.has_role(case.school, *EXPORT_ROLES[Version(version)])


def exportable_versions(user: User, case: Case) -> list[Version]:
    return [version for version in Version if may_export(user, case, version)]


def _entry(entry, r: Redactor, numbers: dict[int, int]) -> dict:
    fields = []

    def add(label: str, value: str) -> None:
        if value:
            fields.append((label, value))

    add(_("Place"), r.kept(entry.place))
    add(_("Situation"), r.text(entry.situation))
    add(_("Others present"), r.others_present(entry.others_present))
    if entry.kind == "third_party":
        add(_("Source"), r.source(entry.source, entry.source_role))
    add(_("With whom"), r.kept(entry.contact_with))
    add(_("Decided by"), r.kept(entry.decided_by))
    add(_("Children in the household"), r.kept(entry.household))
    add(_("Who cares for them"), r.kept(entry.carers))
    add(_("Reason for the correction"), r.text(entry.reason))
    # A kindcheck is the household itself: anonymised, none of it.
    description = (
        _("(left out)") if r.anonymous and entry.kind == "kindcheck" else r.text(entry.description)
    )
    if entry.is_hypothesis:
        label = _("Hypothesis, not a fact")
    elif entry.kind == "parents_view":
        label = _("Parents' view, in their own words")
    else:
        label = str(entry.get_kind_display()).capitalize()
    target = entry.target
    return {
        "number": numbers[entry.pk],
        "kind": entry.kind,
        "label": label,
        "occurred_on": r.day(entry.occurred_on),
        "recorded_at": r.moment(timezone.localtime(entry.recorded_at)),
        "author": r.person(entry.author),
        "fields": fields,
        "description": description,
        "signals": [tag.signal.display for tag in entry.signals.all()],
        "target": (
            {"number": numbers.get(target.pk, "—"), "label": str(target.get_kind_display())}
            if target
            else None
        ),
        "outcome": entry.get_outcome_display() if entry.outcome else "",
        "verdict": entry.verdict.get_outcome_display() if entry.verdict else "",
        "linked": [],
    }


def _organisation(organisation, r: Redactor) -> str:
    """Anonymised, an organisation is its kind: its name often holds its town."""
    return organisation.get_category_display() if r.anonymous else organisation.name


def _dossier(case: Case, r: Redactor) -> list[dict]:
    """Entries in time order; follow-ups and corrections right beside what they concern."""
    entries = dossier_entries([case.pk])
    annotate_links(entries)
    # Anonymised, entries are numbered 1, 2, 3 in this PDF: a database id is a key back.
    numbers = {
        entry.pk: (n if r.anonymous else entry.pk) for n, entry in enumerate(entries, start=1)
    }
    rows = {entry.pk: _entry(entry, r, numbers) for entry in entries}
    top = []
    for entry in entries:
        if entry.target is not None and entry.target.pk in rows:
            rows[entry.target.pk]["linked"].append(rows[entry.pk])
        else:
            top.append(rows[entry.pk])
    return top


def _route(case: Case, r: Redactor) -> list[dict]:
    return [
        {
            "step": stay.move.get_to_step_display(),
            "at": r.moment(timezone.localtime(stay.move.at)),
            "by": r.person(stay.move.by),
            "reason": r.text(stay.move.reason),
            "emergency": stay.move.emergency,
            "pupil_left": stay.move.reason_category == PUPIL_LEFT,
            "call": (
                {
                    "service": stay.call.get_service_display(),
                    "by": r.person(stay.call.called_by),
                    "at": r.moment(timezone.localtime(stay.call.called_at)),
                    "summary": r.text(stay.call.summary),
                }
                if stay.call
                else None
            ),
            "responsibles": [r.person(person) for person, _at, _by in stay.responsibles],
        }
        for stay in case_history(case)
    ]


def _consultations(case: Case, r: Redactor) -> dict:
    def party(consultation) -> str:
        if consultation.party == "organisation":
            return _organisation(consultation.organisation, r)
        if consultation.party == "colleague":
            return consultation.colleague_role
        return "Veilig Thuis"

    return {
        "consents": [
            {
                "on": r.day(consent.on),
                "status": consent.get_status_display(),
                "form": bool(consent.form_id),
                "note": r.text(consent.note),
            }
            for consent in consents_of(case)
        ],
        "consultations": [
            {
                "held_on": r.day(consultation.held_on),
                "party": party(consultation),
                "anonymous": consultation.anonymous,
                "question": r.text(consultation.question),
                "advice": r.text(consultation.advice),
                "by": r.person(consultation.by),
            }
            for consultation in consultations_of(case)
        ],
        "verwijsindex": [
            {"registered": d.registered, "on": r.day(d.registered_on), "note": r.text(d.note)}
            for d in verwijsindex_of(case)
        ],
    }


def _meetings(case: Case, r: Redactor) -> list[dict]:
    rows = []
    for meeting in meetings_of(case):
        report = getattr(meeting, "report", None)
        signoff = getattr(report, "parent_signoff", None) if report else None
        rows.append(
            {
                "kind": meeting.get_kind_display(),
                "starts_at": r.moment(timezone.localtime(meeting.starts_at)),
                "place": r.kept(meeting.place),
                "cancelled": bool(meeting.cancelled_at),
                "staff": [r.person(person) for person in meeting.staff.all()],
                "others": r.text(meeting.others) if r.full else "",
                "agenda": r.text(meeting.agenda),
                "report": r.text(report.report) if report else "",
                "reaction": r.text(report.reaction) if report else "",
                "agreements": [
                    {
                        "description": r.text(agreement.description),
                        "owner": r.person(agreement.owner),
                        "due_on": r.day(agreement.due_on),
                        "done": bool(agreement.done_at),
                    }
                    for agreement in (report.agreements.all() if report else [])
                ],
                "signatures": [
                    r.person(signature.user)
                    for signature in (report.signatures.all() if report else [])
                ],
                "signed": bool(report) and report_is_signed(report),
                "parents": (
                    f"{signoff.get_status_display()} ({r.day(signoff.on, 'd-m-Y')})"
                    if signoff
                    else ""
                ),
            }
        )
    return rows


def _weighings(case: Case, r: Redactor) -> list[dict]:
    return [
        {
            "at": r.moment(timezone.localtime(weighing.at)),
            "by": r.person(weighing.by),
            "answers": [
                {
                    "question": f"{answer.question}. {QUESTIONS[answer.question]}",
                    "answer": answer.get_answer_display(),
                    "reasoning": r.text(answer.reasoning),
                    "by": r.person(answer.given_by),
                }
                for answer in weighing.answers.all()
            ],
            "veilig_thuis_contact": r.text(weighing.veilig_thuis_contact),
            "advice_report": weighing.advice_report,
            "advice_help": weighing.advice_help,
            "report_needed": weighing.report_needed,
            "help_possible": weighing.help_possible,
            "reason": r.text(weighing.reason) if weighing.deviates else "",
        }
        for weighing in weighings_of(case)
    ]


def _help(case: Case, r: Redactor) -> list[dict]:
    return [
        {
            "organisation": _organisation(plan.organisation, r),
            "help_offered": r.text(plan.help_offered),
            "case_manager": r.text(plan.case_manager) if r.full else _("the case manager"),
            "results_agreed": r.text(plan.results_agreed),
            "term": r.day(plan.term),
            "arrived_on": r.day(plan.arrived_on),
            "evaluations": [
                {
                    "held_on": r.day(evaluation.held_on),
                    "result": r.text(evaluation.result),
                    "results_reached": evaluation.results_reached,
                    "outcome": evaluation.get_outcome_display(),
                    "next_term": r.day(evaluation.next_term),
                    "by": r.person(evaluation.by),
                }
                for evaluation in plan.evaluations.all()
            ],
        }
        for plan in plans_of(case)
    ]


def _reports(case: Case, r: Redactor) -> list[dict]:
    return [
        {
            "reported_on": r.day(report.reported_on),
            "reported_by": r.person(report.reported_by),
            "reference": report.reference if r.full else "",
            "parents_told_on": r.day(report.parents_told_on),
            "parents_not_told": report.get_parents_not_told_reason_display(),
            "parents_not_told_explanation": r.text(report.parents_not_told_explanation),
            "pupil_told_on": r.day(report.pupil_told_on),
            "pupil_not_told_reason": r.text(report.pupil_not_told_reason),
            "objections": r.text(report.objections),
            "objections_weighed": r.text(report.objections_weighed),
            "decision_expected_by": r.day(report.decision_expected_by),
            "responses": [
                {
                    "kind": response.get_kind_display(),
                    "received_on": r.day(response.received_on),
                    "takes_on": response.takes_on,
                    "assessment": response.get_assessment_display() if response.assessment else "",
                    "conclusion": response.get_conclusion_display() if response.conclusion else "",
                    "note": r.text(response.note),
                    "school_follow_up": r.text(response.school_follow_up),
                }
                for response in report.responses.all()
            ],
        }
        for report in reports_of(case)
    ]


def _leaving(case: Case, r: Redactor) -> list[dict]:
    """The leaving checklist with the warm handover: in the inspectie version only (the
    receiving school and its staff are third parties to the others)."""
    if not r.full:
        return []
    return [
        {
            "item": record.get_item_display(),
            "on": r.day(record.occurred_on),
            "by": r.person(record.by),
            "note": r.text(record.note),
            "report_needed": record.report_needed,
            "reported_on": r.day(record.reported_on),
            "receiving_school": record.receiving_school,
            "contact": (
                f"{record.contact_name} ({record.get_contact_role_display()})"
                if record.contact_name
                else ""
            ),
            "ground": record.get_ground_display() if record.ground else "",
        }
        for record in LeavingRecord.objects.filter(case=case).select_related("by")
    ]


def _changes(case: Case, r: Redactor) -> list[dict]:
    """Who was named responsible and who was given or lost access, oldest first."""
    rows = [
        {
            "at": timezone.localtime(change.at),
            "shown": r.moment(timezone.localtime(change.at)),
            "what": _("%(person)s named responsible in step %(step)s")
            % {"person": r.person(change.person), "step": change.step},
            "by": r.person(change.by),
        }
        for change in ResponsibleChange.objects.filter(case=case).select_related("person", "by")
    ] + [
        {
            "at": timezone.localtime(change.at),
            "shown": r.moment(timezone.localtime(change.at)),
            "what": _("%(person)s: access %(level)s")
            % {"person": r.person(change.person), "level": change.get_level_display()},
            "by": r.person(change.by),
        }
        for change in AccessChange.objects.filter(case=case).select_related("person", "by")
    ]
    return sorted(rows, key=lambda row: row["at"])


def _read_log(case: Case, r: Redactor) -> list[dict]:
    rows = AccessLog.objects.filter(case_id=case.pk).select_related("user").order_by("pk")
    return [
        {
            "at": r.day(timezone.localtime(row.at), "j-n-Y H:i"),
            "who": r.person(row.user) if row.user else (row.username or "—"),
            "action": row.get_action_display(),
        }
        for row in rows
    ]


def pdf_context(*, case: Case, version: str, by: User) -> dict:
    r = Redactor.for_case(case, version)
    now = timezone.localtime()
    return {
        "version": r.version,
        "version_label": r.version.label,
        "case_number": case.pk if r.shows_case_number else None,
        "school": r.school(),
        "pupil": r.pupil(now.date()),
        "exported_at": r.moment(now),
        "exported_by": r.person(by),
        "left_out": left_out(version),
        "route": _route(case, r),
        "entries": _dossier(case, r),
        "step2": _consultations(case, r),
        "meetings": _meetings(case, r),
        "weighings": _weighings(case, r),
        "help_plans": _help(case, r),
        "reports": _reports(case, r),
        "leaving": _leaving(case, r),
        "changes": _changes(case, r),
        "read_log": _read_log(case, r) if r.shows_read_log else None,
        "parents_statement": r.version == Version.OUDERS,
    }


def pdf_html(*, case: Case, version: str, by: User) -> str:
    """The print HTML of a version (the benchmark times weasyprint alone on it)."""
    return render_to_string(
        "cases/pdf/dossier.html", pdf_context(case=case, version=version, by=by)
    )


def pdf_render(*, case: Case, version: str, by: User) -> bytes:
    """The PDF of a version, and one `export` row in the access log."""
    pdf = pdf_from_html(pdf_html(case=case, version=version, by=by))
    access_log_export(user=by, case=case)
    return pdf


def pdf_filename(case: Case, version: str) -> str:
    if Version(version) == Version.ANONIEM:
        return "dossier-anoniem.pdf"
    return f"dossier-casus-{case.pk}-{version}.pdf"
