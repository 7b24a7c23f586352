"""The demo cases carry a real dossier, so a newcomer sees what one looks like."""

from django.core.management import call_command

from cases.access_log import access_log_verify
from cases.models import Case, Entry
from meldcode.demo import REGENBOOG


def test_demo_cases_carry_entries_of_several_kinds(db):
    call_command("demo")
    cases = Case.objects.filter(school__name=REGENBOOG)
    assert cases.exists()
    for case in cases:
        kinds = set(case.entries.values_list("kind", flat=True))
        assert len(kinds) >= 5, (case, kinds)
    kinds = set(Entry.objects.values_list("kind", flat=True))
    assert {"observation", "hypothesis", "third_party", "follow_up", "parents_view"} <= kinds
    assert Entry.objects.filter(signals__isnull=False).exists()


def test_demo_is_idempotent(db):
    call_command("demo")
    count = Entry.objects.count()
    call_command("demo")
    assert Entry.objects.count() == count
    assert access_log_verify().holds


def test_de_regenboog_has_an_observation_of_an_injury_with_a_body_map_of_two_marks(db, client_for):
    from django.contrib.auth import get_user_model

    from cases.models import BodyMark

    call_command("demo")
    injury = (
        Entry.objects.filter(case__school__name=REGENBOOG, kind="observation", marks__isnull=False)
        .distinct()
        .first()
    )
    assert injury is not None
    assert list(injury.marks.values_list("number", flat=True)) == [1, 2]
    call_command("demo")  # idempotent: no second observation with marks
    assert BodyMark.objects.filter(entry__case=injury.case).count() == 2
    af = get_user_model().objects.get(username="af")
    text = client_for(af).get(injury.case.get_absolute_url()).text
    assert "Lichaamskaart</h3>" in text


def test_a_demo_world_made_before_the_body_map_gets_one(db, monkeypatch):
    """Its entries are never changed, so the body map comes with a new observation."""
    from cases.dossier import demo as dossier_demo
    from cases.models import BodyMark
    from meldcode.demo import build_organisation

    with monkeypatch.context() as before:  # the demo as it was before the body map
        before.setattr(dossier_demo, "BODY_MAP", [])
        before.setattr(dossier_demo, "_ensure_body_map", lambda *args: 0)
        call_command("demo")
    assert not BodyMark.objects.exists()
    dossier_demo.populate(build_organisation())
    marks = BodyMark.objects.all()
    assert marks.count() == 2 and len({mark.entry_id for mark in marks}) == 1
