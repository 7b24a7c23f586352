"""A demo help plan with an evaluation, on every Regenboog case in 5a. All invented."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.help.models import HelpEvaluation, HelpPlan
from cases.models import Case
from cases.workflow import Step
from meldcode.demo import REGENBOOG, DemoWorld
from socialmap.models import Category, Organisation


def _organisation(world: DemoWorld) -> Organisation | None:
    school = world.schools[REGENBOOG]
    organisations = Organisation.objects.filter(school=school, archived_at__isnull=True)
    preferred = organisations.filter(category__in=[Category.CJG, Category.SCHOOL_SOCIAL_WORK])
    return preferred.order_by("name").first() or organisations.order_by("name").first()


def populate(world: DemoWorld) -> int:
    """Idempotent: a case that already has a help plan is left alone."""
    organisation = _organisation(world)
    if organisation is None:
        return 0
    today = timezone.localdate()
    af = world.users["af"]
    added = 0
    cases = Case.objects.filter(school=world.schools[REGENBOOG], step=Step.HELP)
    for case in cases:
        if case.help_plans.exists():
            continue
        # Written directly with the dates of a plan that started weeks ago (the service
        # only takes plans that start today); the same fields and rules otherwise.
        plan = HelpPlan(
            case=case,
            organisation=organisation,
            help_offered="Opvoedondersteuning thuis: vaste avondroutine en ontbijt.",
            case_manager="Casusregisseur van het wijkteam",
            results_agreed="Het kind komt uitgerust en met ontbijt op school; "
            "ouders houden de afspraken met het wijkteam na.",
            term=today + dt.timedelta(days=28),
            arrived_on=today - dt.timedelta(days=30),
            created_by=af,
        )
        plan._history_user = af
        plan.save()
        HelpEvaluation.objects.create(
            plan=plan,
            held_on=today - dt.timedelta(days=2),
            result="Eerste evaluatie met ouders en wijkteam: de ochtenden gaan beter, "
            "het kind is minder moe.",
            results_reached=False,
            outcome=HelpEvaluation.Outcome.CONTINUE,
            next_term=today + dt.timedelta(days=28),
            by=af,
        )
        added += 1
    return added
