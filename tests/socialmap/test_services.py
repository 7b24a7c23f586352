import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meldcode.models import School
from socialmap.models import Category, Organisation
from socialmap.services import (
    board_templates_copy,
    organisation_archive,
    organisation_mark_checked,
    organisation_restore,
    school_seed_socialmap,
)
from tests.factories import BoardFactory, SchoolFactory
from tests.socialmap.factories import BoardTemplateFactory, OrganisationFactory

# Since issue 25 the vertrouwensinspecteurs of the Inspectie are a national entry too.
NATIONAL = {
    ("Politie alarmnummer", "112"),
    ("Politie", "0900-8844"),
    ("Veilig Thuis", "0800-2000"),
    ("Vertrouwensinspecteurs", "0900-111 3 111"),
    ("Kindertelefoon", "0800-0432"),
}


def numbers_of(school: School) -> set[tuple[str, str]]:
    return set(Organisation.objects.of_school(school).values_list("name", "phone"))


def test_a_new_school_starts_with_the_national_entries(cast):
    school = SchoolFactory(board=cast.board, name="De Nieuwe School")
    assert school_seed_socialmap(school=school) == len(NATIONAL)
    assert numbers_of(school) == NATIONAL
    veilig_thuis = Organisation.objects.get(school=school, name="Veilig Thuis")
    assert veilig_thuis.category == Category.VEILIG_THUIS


def test_seeding_twice_adds_nothing(cast):
    school = SchoolFactory(board=cast.board)
    school_seed_socialmap(school=school)
    assert school_seed_socialmap(school=school) == 0
    assert Organisation.objects.of_school(school).count() == len(NATIONAL)


def test_seeding_does_not_bring_back_an_archived_national_entry(cast):
    school = SchoolFactory(board=cast.board)
    school_seed_socialmap(school=school)
    kindertelefoon = Organisation.objects.get(school=school, name="Kindertelefoon")
    organisation_archive(organisation=kindertelefoon, by=cast.af)
    assert school_seed_socialmap(school=school) == 0
    assert not Organisation.objects.of_school(school).active().filter(name="Kindertelefoon")


def test_a_new_school_also_gets_the_templates_of_its_board(cast):
    BoardTemplateFactory(board=cast.board, name="Zorgadviesteam Testregio")
    school = SchoolFactory(board=cast.board)
    school_seed_socialmap(school=school)
    assert Organisation.objects.filter(school=school, name="Zorgadviesteam Testregio").exists()


def test_copying_board_templates_adds_only_the_missing_ones(cast):
    BoardTemplateFactory(
        board=cast.board, name="Leerplicht Testregio", category=Category.ATTENDANCE
    )
    BoardTemplateFactory(board=cast.board, name="Zorgadviesteam Testregio")
    OrganisationFactory(
        school=cast.school, name="zorgadviesteam testregio", category=Category.CARE_TEAM
    )
    assert board_templates_copy(school=cast.school, by=cast.af) == 1
    assert board_templates_copy(school=cast.school, by=cast.af) == 0
    copied = Organisation.objects.get(school=cast.school, name="Leerplicht Testregio")
    assert copied.history.first().history_user == cast.af


def test_templates_of_another_board_are_not_copied(cast):
    BoardTemplateFactory(board=BoardFactory(name="Ander Bestuur"), name="Elders Sjabloon")
    assert board_templates_copy(school=cast.school, by=cast.af) == 0


def test_archiving_keeps_the_row_and_takes_it_off_the_active_list(entry, cast):
    organisation_archive(organisation=entry, by=cast.af)
    entry.refresh_from_db()
    assert entry.is_archived
    assert entry not in Organisation.objects.active()
    assert entry.history.first().history_user == cast.af


def test_restoring_puts_an_archived_entry_back(entry, cast):
    organisation_archive(organisation=entry, by=cast.af)
    organisation_restore(organisation=entry, by=cast.ib)
    entry.refresh_from_db()
    assert not entry.is_archived


def test_restoring_is_refused_when_an_active_twin_exists(entry, cast):
    organisation_archive(organisation=entry, by=cast.af)
    OrganisationFactory(school=cast.school, name=entry.name, category=entry.category)
    with pytest.raises(ValidationError):
        organisation_restore(organisation=entry, by=cast.af)


def test_marking_checked_sets_today_and_ends_the_review(entry, cast):
    entry.last_checked = timezone.localdate() - dt.timedelta(days=400)
    entry.save()
    assert entry.is_due_for_review()
    organisation_mark_checked(organisation=entry, by=cast.af)
    entry.refresh_from_db()
    assert entry.last_checked == timezone.localdate()
    assert not entry.is_due_for_review()


def test_an_entry_is_due_for_review_after_a_year(entry):
    today = timezone.localdate()
    entry.last_checked = today - dt.timedelta(days=365)
    assert not entry.is_due_for_review(today)
    entry.last_checked = today - dt.timedelta(days=366)
    assert entry.is_due_for_review(today)


def test_an_archived_entry_is_never_due_for_review(entry, cast):
    entry.last_checked = dt.date(2000, 1, 1)
    entry.save()
    organisation_archive(organisation=entry, by=cast.af)
    assert not Organisation.objects.due_for_review().filter(pk=entry.pk).exists()
