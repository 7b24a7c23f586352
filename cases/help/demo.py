"""A demo help plan on every Regenboog case in 5a, made through the service after the
weighing that decided on help; the family arrived at the help. All invented."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.help.services import help_plan_create, help_plan_mark_arrived
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
    for case in Case.objects.filter(school=world.schools[REGENBOOG], step=Step.HELP):
        if case.help_plans.exists():
            continue
        plan = help_plan_create(
            case=case,
            by=af,
            organisation=organisation,
            help_offered="Opvoedondersteuning thuis: vaste avondroutine en ontbijt.",
            case_manager="Casusregisseur van het wijkteam",
            results_agreed="Het kind komt uitgerust en met ontbijt op school; "
            "ouders houden de afspraken met het wijkteam na.",
            term=today + dt.timedelta(days=42),
        )
        help_plan_mark_arrived(plan=plan, by=af, arrived_on=today)
        added += 1
    return added
