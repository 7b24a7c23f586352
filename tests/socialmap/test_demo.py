from django.core.management import call_command

from socialmap.demo import REGENBOOG_ENTRIES
from socialmap.models import Organisation

# Since issue 25 with the vertrouwensinspecteurs of the Inspectie.
NATIONAL_PHONES = {"112", "0900-8844", "0800-2000", "0900-111 3 111", "0800-0432"}


def test_the_demo_gives_de_regenboog_seed_003_and_de_vlinder_the_national_entries(db):
    call_command("demo", stdout=None)
    call_command("demo", stdout=None)  # idempotent
    regenboog = Organisation.objects.filter(school__name="De Regenboog")
    vlinder = Organisation.objects.filter(school__name="De Vlinder")
    assert regenboog.count() == len(REGENBOOG_ENTRIES) + len(NATIONAL_PHONES)
    assert regenboog.filter(name="MEE Zeeland", phone="0118-432000").exists()
    assert set(vlinder.values_list("phone", flat=True)) == NATIONAL_PHONES
    assert vlinder.count() == len(NATIONAL_PHONES)
    # Organisations and public numbers only: no personal names.
    assert not Organisation.objects.exclude(contact_person="").exists()
    # Some entries are old on purpose: the attention officer's start page shows the review.
    assert regenboog.due_for_review().exists()
    assert not vlinder.due_for_review().exists()
