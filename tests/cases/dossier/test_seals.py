"""Every record of a case is sealed in the case's keyed hash chain: a record rewritten,
removed or inserted behind the application's back is named, triggers on or off."""

from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.dossier.services import entry_add
from cases.models import Entry, Seal, Transition
from cases.seal import dossier_verify
from cases.services import case_open
from tests.cases.dossier.conftest import TAG_BRUISES
from tests.factories import PupilFactory
from tests.tamper import tamper

# Tampering reconnects as the owner role under CI's application role: commit first.
pytestmark = pytest.mark.django_db(transaction=True)


def test_each_record_of_a_case_gets_one_seal_in_the_cases_chain(case, observe):
    entry = observe(signals=[TAG_BRUISES])
    seals = list(Seal.objects.filter(chain=f"case:{case.pk}").order_by("seq"))
    records = [seal.record for seal in seals]
    assert records[:2] == ["cases.Case", "cases.Transition"]  # its identity, the opening move
    assert "cases.Entry" in records and "cases.EntrySignal" in records
    assert Seal.objects.get(record="cases.Entry", record_id=entry.pk).chain == f"case:{case.pk}"
    assert [seal.seq for seal in seals] == list(range(1, len(seals) + 1))
    assert seals[0].prev_hash == ""
    assert all(after.prev_hash == before.row_hash for before, after in pairwise(seals))


def test_two_cases_have_two_chains(cast, case, observe, classmate):
    other = case_open(pupil=classmate, by=cast.leerkracht)
    observe()
    assert Seal.objects.filter(chain=f"case:{other.pk}", seq=1).exists()
    assert Seal.objects.filter(chain=f"case:{case.pk}", seq=1).exists()


def test_verify_holds_on_an_honest_dossier(case, observe, capsys):
    observe()
    observe(description="Weer rode striemen, nu op de rechterarm.")
    assert dossier_verify().holds
    call_command("verify_dossiers")
    assert "intact" in capsys.readouterr().out


def test_a_rewritten_entry_is_named(case, observe):
    entry = observe()
    sql = "UPDATE cases_entry SET description = %s WHERE id = %s"
    tamper(sql, ["Niets aan de hand.", entry.pk])
    report = dossier_verify()
    assert [(p.record, p.record_id, p.what) for p in report.problems] == [
        ("cases.Entry", entry.pk, "it was rewritten")
    ]
    with pytest.raises(CommandError):
        call_command("verify_dossiers")


def test_a_rewritten_move_is_named(case):
    move = Transition.objects.get(case=case)
    tamper("UPDATE cases_transition SET reason = %s WHERE id = %s", ["Verzonnen.", move.pk])
    assert [(p.record, p.record_id) for p in dossier_verify().problems] == [
        ("cases.Transition", move.pk)
    ]


def test_a_removed_entry_is_named(case, observe):
    first = observe()
    removed = observe(description="Tweede waarneming.")
    observe(description="Derde waarneming.")
    tamper("DELETE FROM cases_entrysignal WHERE entry_id = %s", [removed.pk])
    tamper("DELETE FROM cases_entry WHERE id = %s", [removed.pk])
    problems = dossier_verify().problems
    assert ("cases.Entry", removed.pk, "it was removed") in [
        (p.record, p.record_id, p.what) for p in problems
    ]
    assert first.pk not in [p.record_id for p in problems if p.record == "cases.Entry"]


def test_a_removed_entry_and_its_seal_break_the_chain(case, observe):
    observe()
    removed = observe(description="Tweede waarneming.")
    observe(description="Derde waarneming.")
    tamper("DELETE FROM cases_entry WHERE id = %s", [removed.pk])
    tamper(
        "DELETE FROM cases_seal WHERE record = %s AND record_id = %s", ["cases.Entry", removed.pk]
    )
    problems = dossier_verify().problems
    assert [p.what for p in problems] == ["a seal before it is missing"]


def test_an_entry_inserted_outside_the_application_is_named(case, observe, cast):
    entry = observe()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_entry (case_id, author_id, kind, recorded_at, occurred_on, "
            "description, place, situation, others_present, source, source_role, "
            "contact_with, decided_by, household, carers, outcome, reason, names_confirmed) "
            "SELECT case_id, author_id, kind, recorded_at, occurred_on, %s, place, situation, "
            "others_present, source, source_role, contact_with, decided_by, household, carers, "
            "outcome, reason, names_confirmed FROM cases_entry WHERE id = %s",
            ["Ingevoegd achteraf.", entry.pk],
        )
    inserted = Entry.objects.exclude(pk=entry.pk).get(case=case)
    assert [(p.record_id, p.what) for p in dossier_verify().problems] == [
        (inserted.pk, "it was inserted outside the application")
    ]


def test_a_forged_seal_is_named(case, observe):
    entry = observe()
    seal = Seal.objects.get(record="cases.Entry", record_id=entry.pk)
    tamper("UPDATE cases_seal SET digest = %s WHERE id = %s", ["0" * 64, seal.pk])
    whats = {p.what for p in dossier_verify().problems}
    assert "its seal is forged" in whats


@pytest.mark.parametrize("chains_per_batch", [1, 500])
def test_an_entry_moved_to_another_case_is_named_once_whatever_the_batches(
    cast, case, observe, classmate, chains_per_batch
):
    """verify_dossiers walks a batch of chains at a time: a record moved between two
    chains that fall in different batches is still named once, as moved."""
    other = case_open(pupil=classmate, by=cast.leerkracht)
    moved = observe(description="Verplaatste waarneming.")
    tamper("UPDATE cases_entry SET case_id = %s WHERE id = %s", [other.pk, moved.pk])
    problems = [
        (p.record, p.record_id, p.what)
        for p in dossier_verify(chains_per_batch=chains_per_batch).problems
    ]
    assert problems.count(("cases.Entry", moved.pk, "it was moved to another case")) == 1
    assert ("cases.Entry", moved.pk, "it was inserted outside the application") not in problems


def test_verify_holds_its_queries_per_batch_of_chains_not_per_case(cast, case, observe):
    """The nightly check reads a batch of chains at a time: 3 or 30 cases in one batch
    take the same queries, so its memory is one batch's records, not the board's."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert dossier_verify().holds
        return len(captured)

    observe()
    few = queries()
    for pupil in PupilFactory.create_batch(27, school=cast.school):
        entry_add(
            case=case_open(pupil=pupil, by=cast.leerkracht),
            author=cast.leerkracht,
            kind=Entry.Kind.OBSERVATION,
            occurred_on=timezone.localdate(),
            description="Waarneming.",
            place="Klas",
            situation="Les",
        )
    assert queries() == few
