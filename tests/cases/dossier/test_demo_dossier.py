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
