"""Cases for tests. `make_case` puts a case straight into a step, with the one move row
that keeps the rule "the current step agrees with the last move"."""

from __future__ import annotations

from cases.models import Case, Transition
from cases.workflow import Step
from meldcode.models import Pupil, User
from tests.factories import PupilFactory


def make_case(
    *,
    opened_by: User,
    pupil: Pupil | None = None,
    step: Step = Step.SIGNALS,
    responsible: User | None = None,
) -> Case:
    pupil = pupil or PupilFactory()
    responsible = responsible or opened_by
    case = Case.objects.create(
        school=pupil.school,
        pupil=pupil,
        opened_by=opened_by,
        step=step,
        responsible=responsible,
    )
    Transition.objects.create(
        case=case, from_step="", to_step=step, by=opened_by, responsible=responsible
    )
    return case


def ready_to_leave(case: Case, to: Step, by: User) -> None:
    """Record what a part requires before `case` may move to `to` (since issue 10: a
    weighing to leave step 4, an evaluation of the help to close from 5a), so that tests
    of the route itself can make every allowed move; since issue 21 a report to Veilig
    Thuis to leave step 5b)."""
    import datetime as dt

    from django.utils import timezone

    from cases.help.models import HelpEvaluation
    from cases.help.services import help_evaluation_record, help_plan_create
    from cases.weighing.services import weighing_record
    from tests.socialmap.factories import OrganisationFactory

    to = Step(to)
    if case.step == Step.TALK and to == Step.WEIGH:
        hold_parent_talk(case, by)
    if case.step == Step.WEIGH and to in (Step.HELP, Step.REPORT, Step.CLOSED):
        suspicion = to != Step.CLOSED
        answers = {1: ("yes" if suspicion else "no", "Redenering bij vraag 1.")}
        if suspicion:
            answers |= {
                2: ("no", "Geen acuut gevaar."),
                3: ("yes", "Hulp is mogelijk."),
                4: ("yes" if to == Step.HELP else "no", "Reactie van de ouders."),
            }
        weighing_record(
            case=case,
            by=by,
            answers=answers,
            report_needed=to == Step.REPORT,
            help_possible=to == Step.HELP,
        )
    if case.step == Step.REPORT and to in (Step.HELP, Step.CLOSED):
        from cases.report.services import report_record

        report_record(
            case=case,
            by=by,
            reported_on=timezone.localdate(case.opened_at),
            reported_by=by,
            parents_told_on=timezone.localdate(case.opened_at),
            pupil_not_told_reason="In het gesprek met de ouders besloten: nog niet nu.",
        )
    if case.step == Step.HELP and to == Step.CLOSED:
        today = timezone.localdate()
        plan = help_plan_create(
            case=case,
            by=by,
            organisation=OrganisationFactory(school=case.school),
            help_offered="Opvoedondersteuning.",
            case_manager="Wijkteam, casusregisseur",
            results_agreed="Rust in huis.",
            term=today + dt.timedelta(days=30),
        )
        help_evaluation_record(
            plan=plan,
            by=by,
            held_on=today,
            result="Afgesproken resultaten bereikt.",
            results_reached=True,
            outcome=HelpEvaluation.Outcome.ENDED,
        )


def hold_parent_talk(case: Case, by: User):
    """A talk with the parents an hour ago, with its report (what 3 to 4 requires)."""
    import datetime as dt

    from django.utils import timezone

    from cases.meetings.services import meeting_plan, report_record

    meeting = meeting_plan(
        case=case,
        by=by,
        kind="parents",
        starts_at=timezone.now() - dt.timedelta(hours=1),
        place="Kamer van de IB'er",
        agenda="",
        staff=[by],
    )
    return report_record(
        meeting=meeting,
        by=by,
        report="Feiten uit het logboek besproken.",
        reaction="Ouders herkennen de signalen deels.",
        agreements=[],
    )
