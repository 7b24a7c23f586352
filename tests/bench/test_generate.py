"""The benchmark's world at a tiny scale: the counts asked for, sealed dossiers, valid
access-log chains, and the same world again from the same seed."""

import pytest
from django.db import transaction

from bench.generate import generate
from cases.access_log import access_log_verify
from cases.models import AccessLog, Case, Entry
from cases.seal import dossier_verify
from meldcode.models import Pupil, User


class Rollback(Exception):
    pass


def fingerprint(seed: int) -> tuple:
    try:
        with transaction.atomic():
            generate(scale=0.002, seed=seed)
            found = (
                list(Pupil.objects.order_by("pk").values_list("first_name", "last_name")),
                list(User.objects.order_by("pk").values_list("first_name", "last_name")),
                list(Case.objects.order_by("pk").values_list("step", flat=True)),
            )
            raise Rollback
    except Rollback:
        return found


def test_the_world_has_what_was_asked_and_every_chain_holds(db):
    world = generate(scale=0.002, seed=1)
    assert world.counts["cases"] == Case.objects.count() == 10
    assert Entry.objects.count() == world.counts["entries"]
    assert Entry.objects.filter(case_id=world.case_500).count() == 500 + 1  # its talk report
    assert Entry.objects.filter(case_id=world.case_20).count() == 20
    assert AccessLog.objects.count() == world.counts["access-log rows"]
    assert set(Case.objects.values_list("step", flat=True)) == {
        "1",
        "2",
        "3",
        "4",
        "5a",
        "5b",
        "closed",
    }
    assert dossier_verify().holds
    assert access_log_verify().holds


def test_the_same_seed_makes_the_same_world(db):
    assert fingerprint(7) == fingerprint(7)
    assert fingerprint(7) != fingerprint(8)


@pytest.mark.parametrize("scale", [0.002, 0.004])
def test_scale_grows_every_count(db, scale):
    world = generate(scale=scale, seed=1)
    assert world.counts["pupils"] == round(5000 * scale)


def test_every_school_has_cases_in_every_step(db):
    generate(scale=0.1, seed=1)  # 2 schools, 500 cases
    steps_per_school = {}
    for school_id, step in Case.objects.values_list("school_id", "step"):
        steps_per_school.setdefault(school_id, set()).add(step)
    assert len(steps_per_school) == 2
    assert len(steps_per_school) == 2
    assert all(len(steps) == 7 for steps in steps_per_school.values())


def test_the_world_has_a_board_member_and_reported_talks_with_late_agreements(db):
    from cases.meetings.models import Agreement, MeetingReport
    from meldcode.models import Membership, Role

    world = generate(scale=0.002, seed=1)
    assert Membership.objects.filter(user_id=world.bestuur, role=Role.BESTUUR).exists()
    case_id, meeting_id = world.meeting
    assert MeetingReport.objects.filter(meeting_id=meeting_id, meeting__case_id=case_id).exists()
    assert Agreement.objects.filter(report__meeting_id=meeting_id).count() == 3
    assert dossier_verify().holds


def test_the_busiest_user_is_the_one_with_the_most_waiting_items(db):
    from bench.generate import busiest
    from cases.actions.services import actions_for
    from meldcode.models import Role

    generate(scale=0.04, seed=1)
    chosen = User.objects.get(pk=busiest(Role.AANDACHTSFUNCTIONARIS))
    others = User.objects.filter(memberships__role=Role.AANDACHTSFUNCTIONARIS)
    assert len(actions_for(chosen)) == max(len(actions_for(user)) for user in others) > 0
