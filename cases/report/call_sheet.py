"""The call sheet for a phone call with Veilig Thuis: every question Veilig Thuis asks
(seed 001, bijlage 2 for advice, bijlage 3 for a report), with what the dossier already
answers filled in and the gaps marked, so nobody has to leaf through the dossier on the
phone."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cases.dossier.services import dossier_summary
from cases.help.services import plans_of
from cases.history import case_history
from cases.models import Case, EmergencyCall
from cases.report.services import reports_of
from cases.weighing.services import weighings_of

ADVICE = "advies"
REPORT = "melding"
KINDS = {ADVICE: gettext_lazy("advice"), REPORT: gettext_lazy("report")}
# Signal categories that speak of risk factors around the child (seed 001, bijlage 1).
RISK_CATEGORIES = ("Gedrag van de ouder", "Gezinssituatie")


@dataclass
class Item:
    question: str
    answers: list[str] = field(default_factory=list)

    @property
    def gap(self) -> bool:
        return not self.answers


def _sentence(text: str) -> str:
    """A text that ends a sentence of ours: its own full stop is not doubled."""
    return (text or "").strip().rstrip(".")


def _day(value) -> str:
    return date_format(value, "j F Y") if value else "—"


def _route(case: Case) -> list[str]:
    return [
        f"{_day(timezone.localtime(stay.move.at))}: {stay.move.get_to_step_display()}"
        + (f" ({stay.move.reason})" if stay.move.reason else "")
        for stay in case_history(case)
    ]


def _signals(summary, only: tuple[str, ...] = ()) -> list[str]:
    return [
        f"{category}: {', '.join(labels)}"
        for category, labels in summary.signals.items()
        if not only or category in only
    ]


def _help(case: Case) -> list[str]:
    return [
        _("%(org)s: %(help)s (case manager %(manager)s, effect by %(term)s)")
        % {
            "org": plan.provider,
            "help": plan.help_offered,
            "manager": plan.case_manager,
            "term": _day(plan.term),
        }
        for plan in plans_of(case)
    ]


def call_sheet(case: Case, kind: str) -> list[Item]:
    """The questions of the call in Veilig Thuis's order, each with what is known."""
    summary = dossier_summary(case)
    pupil = case.pupil
    today = timezone.localdate()
    involvement = [
        _("%(school)s, the pupil's school (group %(group)s).")
        % {"school": case.school.name, "group": pupil.group or "—"}
    ]
    nature = []
    if summary.entries:
        nature.append(
            _("%(entries)s (%(observations)s) from %(first)s to %(last)s.")
            % {
                "entries": ngettext(
                    "%(count)s dossier entry", "%(count)s dossier entries", summary.entries
                )
                % {"count": summary.entries},
                "observations": ngettext(
                    "%(count)s observation", "%(count)s observations", summary.observations
                )
                % {"count": summary.observations},
                "first": _day(summary.first_on),
                "last": _day(summary.last_on),
            }
        )
    nature += _signals(summary)
    # Seed 001, bijlage 3: what came from third parties is marked as such.
    nature += [
        _("From a third party (%(role)s), %(on)s: %(text)s.")
        % {
            "role": entry.source_role or "—",
            "on": _day(entry.occurred_on),
            "text": _sentence(entry.description),
        }
        for entry in summary.third_party
    ]
    children = [
        _("Kindcheck of %(on)s: %(household)s; cared for by %(carers)s.")
        % {
            "on": _day(entry.occurred_on),
            "household": _sentence(entry.household),
            "carers": _sentence(entry.carers),
        }
        for entry in summary.kindchecks
    ]
    weighings = weighings_of(case)
    latest = weighings[-1] if weighings else None
    if kind == ADVICE:
        return [
            Item(_("Earlier actions in the meldcode"), _route(case)),
            Item(_("Nature and severity of the signals"), nature),
            Item(_("How the school is involved with the pupil or the family"), involvement),
            Item(_("Are minors involved as victims or witnesses?"), children),
            Item(_("What could the school do to get more clarity?")),
            Item(
                _("What could the school do to discuss the signals with those involved?"),
                [
                    _("Contact of %(on)s: %(text)s.")
                    % {"on": _day(e.occurred_on), "text": _sentence(e.description)}
                    for e in summary.contacts
                ],
            ),
            Item(_("What could the school do to tackle the signals?"), _help(case)),
            Item(_("How can Veilig Thuis support the school?")),
            Item(_("Which local experts can the school involve?")),
            Item(_("Is a next advice call about this case needed?")),
            Item(
                _("Who is responsible for what"),
                [_("Responsible in the school now: %(person)s") % {"person": case.responsible}]
                if case.responsible
                else [],
            ),
            Item(_("Registration of the advice: anonymous, or in the name of the school?")),
        ]
    police = [
        _("Noodsituatie of %(on)s: the police (112) called%(reference)s.")
        % {
            "on": _day(timezone.localtime(call.called_at)),
            "reference": f", {call.reference}" if call.reference else "",
        }
        for call in EmergencyCall.objects.filter(
            transition__case=case, service=EmergencyCall.Service.POLICE
        ).order_by("called_at")
    ]
    told = []
    for report in reports_of(case):
        told.append(
            _("Parents told on %(on)s.") % {"on": _day(report.parents_told_on)}
            if report.parents_told_on
            else _("Parents not told first: %(reason)s.")
            % {"reason": _sentence(report.get_parents_not_told_reason_display())}
        )
        if report.pupil_told_on:
            told.append(_("Pupil told on %(on)s.") % {"on": _day(report.pupil_told_on)})
        elif report.pupil_not_told_reason:
            told.append(
                _("Pupil not told: %(reason)s.")
                % {"reason": _sentence(report.pupil_not_told_reason)}
            )
        if report.objections:
            told.append(
                _("Objections: %(objections)s. Weighed: %(weighed)s.")
                % {
                    "objections": _sentence(report.objections),
                    "weighed": _sentence(report.objections_weighed),
                }
            )
    cause = []
    if latest is not None:
        cause = [
            f"{answer.question}. {answer.get_answer_display()}: {_sentence(answer.reasoning)}."
            for answer in latest.answers.all()
            if answer.question in (1, 2)
        ]
    earlier_reports = [
        _("Earlier report of %(on)s (reference %(reference)s)")
        % {"on": _day(report.reported_on), "reference": report.reference or "—"}
        for report in reports_of(case)
    ]
    return [
        Item(_("The school's relation to the family"), involvement + earlier_reports),
        Item(_("The direct cause of the report"), cause),
        Item(_("The violence or abuse: nature, frequency, severity"), nature),
        Item(_("Risk factors"), _signals(summary, RISK_CATEGORIES)),
        Item(_("Protective factors")),
        Item(_("Composition of the family or household"), children),
        Item(
            _("Name, address and town of the family"),
            [pupil.full_name, _("Address: from the school's pupil administration.")],
        ),
        Item(
            _("Age of the children"),
            [
                _("%(name)s, born %(born)s, %(age)s years")
                % {
                    "name": pupil.full_name,
                    "born": _day(pupil.date_of_birth),
                    "age": pupil.age_on(today),
                }
            ],
        ),
        Item(_("Are the parents and the pupil told of the report, and their objections"), told),
        Item(_("Existing and recent contacts with help services"), _help(case)),
        Item(_("Contacts with the police"), police),
        Item(_("Risks of an intervention")),
    ]
