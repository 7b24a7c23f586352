"""One door for the dossier PDF: build the context of a version, render the print
template, let weasyprint write the PDF. The view only checks access and returns it."""

from __future__ import annotations

from django.db.models import Count, Min
from django.db.models.functions import TruncDate
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases.access_log import AccessLog, access_log_export
from cases.consultations.services import consents_of, consultations_of, verwijsindex_of
from cases.dossier import body_map
from cases.dossier.services import annotate_links, dossier_entries
from cases.help.services import plans_of
from cases.history import case_history
from cases.leaving.models import LeavingRecord
from cases.meetings.services import meetings_of, report_is_signed
from cases.models import AccessChange, Case, ResponsibleChange
from cases.pdf.attachments import appendix_for, type_label
from cases.pdf.redaction import Redactor, Review, Version, left_out
from cases.report.services import reports_of
from cases.weighing.services import QUESTIONS, weighings_of
from cases.workflow import PUPIL_LEFT
from meldcode.models import Role, User
from meldcode.pdf_output import InlineImages, pdf_from_html

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


def _marks(entry, r: Redactor) -> list[dict]:
    """The body map's table. Marks carry no date of their own: the anonymised version
    shows them as they are, with the entry's day counted from the opening."""
    return [
        {
            "number": mark.number,
            "region": mark.region_label,
            "kind": mark.get_kind_display(),
            "size": _("about %(size)s cm") % {"size": formats.number_format(mark.size_cm)},
            "colour": r.text(mark.colour),
            "shape": mark.get_shape_display(),
            "said": r.text(mark.said),
        }
        for mark in entry.marks.all()
    ]


def _attachments(entry, appendices: dict[int, int]) -> list[dict]:
    """Listed in every version; only the inspectie version has appendix numbers."""
    return [
        {
            "kind": attachment.get_kind_display(),
            "type": type_label(attachment.upload.content_type),
            "appendix": appendices.get(attachment.pk),
        }
        for attachment in entry.attachments.all()
    ]


def _entry(entry, r: Redactor, numbers: dict[int, int], appendices: dict[int, int]) -> dict:
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
    marks = _marks(entry, r)
    placed = [(mark.number, mark.region) for mark in entry.marks.all()]
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
        "marks": marks,
        "body_map": body_map.drawing(placed) if marks else None,
        "attachments": _attachments(entry, appendices),
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


def _appendix_numbers(entries, r: Redactor) -> dict[int, int]:
    """Per attachment, its appendix number: in the inspectie version only."""
    if not r.full:
        return {}
    attachments = [attachment for entry in entries for attachment in entry.attachments.all()]
    return {attachment.pk: n for n, attachment in enumerate(attachments, start=1)}


def _appendices(entries, numbers: dict[int, int], appendix_numbers, images) -> list:
    return [
        appendix_for(attachment, appendix_numbers[attachment.pk], numbers[entry.pk], images)
        for entry in entries
        for attachment in entry.attachments.all()
        if attachment.pk in appendix_numbers
    ]


def _dossier(case: Case, r: Redactor, images: InlineImages | None = None) -> tuple[list, list]:
    """Entries in time order; follow-ups and corrections right beside what they concern.
    With `images`, also the appendices (the inspectie version's attachments)."""
    entries = dossier_entries([case.pk])
    annotate_links(entries)
    # Anonymised, entries are numbered 1, 2, 3 in this PDF: a database id is a key back.
    numbers = {
        entry.pk: (n if r.anonymous else entry.pk) for n, entry in enumerate(entries, start=1)
    }
    withheld = _withheld_entries(entries, r)
    entries = [entry for entry in entries if entry.pk not in withheld]
    appendix_numbers = _appendix_numbers(entries, r)
    rows = {entry.pk: _entry(entry, r, numbers, appendix_numbers) for entry in entries}
    top = []
    for entry in entries:
        if entry.target is not None and entry.target.pk in rows:
            rows[entry.target.pk]["linked"].append(rows[entry.pk])
        else:
            top.append(rows[entry.pk])
    appendices = (
        _appendices(entries, numbers, appendix_numbers, images) if images is not None else []
    )
    return top, appendices


def _withheld_entries(entries, r: Redactor) -> set[int]:
    """The entries withheld from the parents' copy, with every follow-up and correction
    of one (they would tell what it said)."""
    withheld = {entry.pk for entry in entries if r.withheld(entry.pk)}
    grew = bool(withheld)
    while grew:
        before = len(withheld)
        withheld |= {e.pk for e in entries if e.target is not None and e.target.pk in withheld}
        grew = len(withheld) > before
    return withheld


def _route(case: Case, r: Redactor) -> list[dict]:
    return [
        {
            "step": stay.move.get_to_step_display(),
            "at": r.moment(timezone.localtime(stay.move.at)),
            "by": r.person(stay.move.by),
            "reason": r.text(stay.move.reason),
            "emergency": stay.move.emergency,
            "pupil_left": stay.move.reason_category == PUPIL_LEFT,
            "opening": not stay.move.from_step,
            "calls": [
                {
                    "service": call.get_service_display(),
                    "by": r.person(call.called_by),
                    "at": r.moment(timezone.localtime(call.called_at)),
                    "reference": call.reference if r.full else "",
                    "summary": r.text(call.summary),
                }
                for call in stay.calls
            ],
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
        if report is not None and r.withheld(report.entry_id):
            report = None  # withheld from the parents' copy with its dossier entry
        signoff = getattr(report, "parent_signoff", None) if report else None
        rows.append(
            {
                "kind": meeting.get_kind_display(),
                "starts_at": r.moment(timezone.localtime(meeting.starts_at)),
                "place": r.kept(meeting.place),
                "cancelled": bool(meeting.cancelled_at),
                "staff": [r.person(person) for person in meeting.staff.all()],
                # The parents stay named in their own talk; anonymised, nobody is.
                "others": r.kept(meeting.others),
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
            "weighed_with": ", ".join(weighing.weighed_with_labels),
            "staff_involved": weighing.staff_involved,
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
            "organisation": plan.provider
            if plan.by_school
            else _organisation(plan.organisation, r),
            "carried_by": r.text(plan.carried_by) if plan.by_school else "",
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
    """The case's access log, one row per person and day: who, their role, how many rows
    and of which kinds. Its length grows with the days people worked on the case, not
    with every page they opened (the leeslog page has every row)."""
    day = TruncDate("at", tzinfo=timezone.get_current_timezone())
    groups = (
        AccessLog.objects.filter(case_id=case.pk)
        .annotate(day=day)
        .values("day", "user_id", "username", "action")
        .annotate(reads=Count("pk"), first=Min("at"))
        .order_by()
    )
    rows: dict[tuple, dict] = {}
    for group in groups:
        key = (group["day"], group["user_id"], group["username"])
        row = rows.setdefault(key, {"first": group["first"], "reads": 0, "kinds": {}})
        row["first"] = min(row["first"], group["first"])
        row["reads"] += group["reads"]
        row["kinds"][group["action"]] = group["reads"]
    users = User.objects.in_bulk({user_id for _day, user_id, _name in rows if user_id})
    actions = dict(AccessLog.Action.choices)
    return [
        {
            "day": r.day(day, "j-n-Y"),
            "who": r.person(users[user_id]) if user_id in users else (username or "—"),
            "role": (r.roles.get(user_id, "") if r.full else ""),
            "reads": row["reads"],
            "kinds": ", ".join(
                f"{actions.get(action, action)}: {count}"
                for action, count in sorted(row["kinds"].items(), key=_most_first)
            ),
        }
        for (day, user_id, username), row in sorted(rows.items(), key=lambda item: item[1]["first"])
    ]


def _most_first(kind: tuple[str, int]) -> tuple[int, str]:
    action, count = kind
    return -count, action


def _recipients(case: Case) -> list[str]:
    """Who received the child's data from this dossier (AVG art. 15(1)(c)): Veilig Thuis
    after a report, or a call or consultation by name; the organisations consulted by
    name or arranging help. An anonymous consultation passed on no personal data."""
    names: list[str] = []

    def add(name: str) -> None:
        if name and name not in names:
            names.append(name)

    for consultation in consultations_of(case):
        if consultation.anonymous:
            continue
        if consultation.party == "organisation" and consultation.organisation:
            add(consultation.organisation.name)
        elif consultation.party == "veilig_thuis":
            add("Veilig Thuis")
    if reports_of(case):
        add("Veilig Thuis")
    for plan in plans_of(case):
        if not plan.by_school:
            add(plan.organisation.name)
    for stay in case_history(case):
        for call in stay.calls:
            add(call.organisation.name if call.organisation else call.get_service_display())
    return names


def _inzage_information(case: Case, r: Redactor) -> dict:
    """The first page of the parents' copy: what AVG art. 15(1) asks to be told."""
    from cases.retention import rule_text

    grounds: dict[str, int] = {}
    for ground in r.review.withheld.values():
        grounds[ground] = grounds.get(ground, 0) + 1
    return {
        "draft": r.review.draft,
        "recipients": _recipients(case),
        "retention": rule_text(case.school),
        "withheld": sorted(grounds.items()),
    }


def pdf_context(
    *,
    case: Case,
    version: str,
    by: User,
    review: Review | None = None,
    images: InlineImages | None = None,
) -> dict:
    """The context of the print template. `review` (the parents' copy only): the
    decisions of its review; without one, the parents' copy is a draft. With `images`,
    the inspectie version's appendices are read and their images added to `images`, for
    `pdf_from_html` to find."""
    r = Redactor.for_case(case, version, review=review)
    now = timezone.localtime()
    entries, appendices = _dossier(case, r, images)
    context = {
        "version": r.version,
        "version_label": _("without name (draft)") if _anonymised_draft(r) else r.version.label,
        "anonymised_draft": _anonymised_draft(r),
        "case_number": case.pk if r.shows_case_number else None,
        "school": r.school(),
        "pupil": r.pupil(now.date()),
        "exported_at": r.moment(now),
        "exported_by": r.person(by),
        "left_out": left_out(version),
        "route": _route(case, r),
        "entries": entries,
        "appendices": appendices,
        "step2": _consultations(case, r),
        "meetings": _meetings(case, r),
        "weighings": _weighings(case, r),
        "help_plans": _help(case, r),
        "reports": _reports(case, r),
        "leaving": _leaving(case, r),
        "changes": _changes(case, r),
        "read_log": _read_log(case, r) if r.shows_read_log else None,
        "parents_statement": r.version == Version.OUDERS,
        "inzage": _inzage_information(case, r) if r.version == Version.OUDERS else None,
    }
    if r.suggester is not None:
        r.suggester.store()
    return context


def _anonymised_draft(r: Redactor) -> bool:
    """The anonymised copy before its review: every suggestion left out, named a draft."""
    return r.anonymous and r.review.draft


def pdf_html(
    *,
    case: Case,
    version: str,
    by: User,
    review: Review | None = None,
    images: InlineImages | None = None,
) -> str:
    """The print HTML of a version (the benchmark times weasyprint alone on it). Without
    `images`, the appendices of attachments are left out."""
    return render_to_string(
        "cases/pdf/dossier.html",
        pdf_context(case=case, version=version, by=by, review=review, images=images),
    )


def pdf_render(
    *, case: Case, version: str, by: User, review: Review | None = None, log: bool = True
) -> bytes:
    """The PDF of a version, and one `export` row in the access log (`log=False`: the
    caller writes its own row, as the release of an inzage copy does)."""
    images = InlineImages()
    html = pdf_html(case=case, version=version, by=by, review=review, images=images)
    pdf = pdf_from_html(html, images=images)
    if log:
        access_log_export(user=by, case=case)
    return pdf


def pdf_filename(case: Case, version: str, *, reviewed: bool = False) -> str:
    if Version(version) == Version.ANONIEM:
        # Not reviewed (cases.inzage.anonymised), it is a draft and says so.
        return "dossier-zonder-naam.pdf" if reviewed else "dossier-zonder-naam-concept.pdf"
    if Version(version) == Version.OUDERS:
        # Downloaded directly, the parents' version is a draft: the copy that leaves the
        # school is reviewed, approved and kept (cases.inzage).
        return f"dossier-casus-{case.pk}-ouders-concept.pdf"
    return f"dossier-casus-{case.pk}-{version}.pdf"


# --- The review of the parents' copy ---------------------------------------------------


class _Recorder(Redactor):
    """A redactor that notes every free text its copy shows, as written."""

    def text(self, value: str) -> str:
        if value and value.strip() and value not in self.seen:
            self.seen.append(value)
        return value or ""

    def withheld(self, entry_id: int) -> bool:
        return False

    def take(self) -> list[str]:
        texts, self.seen = self.seen, []
        return texts


def review_units(case: Case, version: str = Version.OUDERS) -> list[dict]:
    """What a review of the parents' (or the anonymised) copy goes through, in the copy's
    order: each dossier entry (which may be withheld), then the other parts of the
    dossier; each with the free texts that copy shows of it, exactly as `Redactor.text`
    receives them."""
    r = _Recorder.for_case(case, version)
    r.seen = []
    entries = dossier_entries([case.pk])
    annotate_links(entries)
    numbers = {entry.pk: entry.pk for entry in entries}
    units = []
    for entry in entries:
        row = _entry(entry, r, numbers, {})
        units.append(
            {
                "key": f"entry-{entry.pk}",
                "entry_id": entry.pk,
                "title": f"#{entry.pk} · {row['label']} · {row['occurred_on']}",
                "texts": r.take(),
            }
        )
    parts = [
        ("route", _("The route"), _route),
        ("step2", _("Consultations and consent (step 2)"), _consultations),
        ("meetings", _("Talks"), _meetings),
        ("weighings", _("The weighing (step 4)"), _weighings),
        ("help", _("Help (step 5a)"), _help),
        ("reports", _("Report to Veilig Thuis (step 5b)"), _reports),
    ]
    for key, title, build in parts:
        build(case, r)
        texts = r.take()
        if texts:
            units.append({"key": key, "entry_id": None, "title": str(title), "texts": texts})
    return units
