"""The anonymised copy (for an outside consultation) is reviewed before it leaves the
school; until then, and again after the dossier changed, only its draft "zonder naam
(concept)" downloads, with every suggestion left out. Read back with pdftotext/pdfinfo."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.access_log import AccessLog
from cases.dossier.services import entry_add
from cases.inzage.anonymised import anonymised_pdf, anonymised_review_submit, standing
from cases.inzage.models import AnonymisedReview
from cases.seal import SEALED, record_intact
from tests.cases.inzage.reviews import review_anonymised
from tests.cases.pdf.conftest import pdf_info, pdf_text
from tests.cases.pdf.exporting import export_and_download
from tests.factories import PupilFactory

MOTHER, CARER, GP = "Fatima Bakker", "Henk de Boer", "Pieter Klaassen"


@pytest.fixture
def named_case(cast, full_case):
    """The full case with what a demo case holds about people: another pupil, a staff
    member by first name, the parents and a carer by name, a GP, a street and a phone."""
    other = PupilFactory(school=cast.school, first_name="Noor", last_name="Vermeulen")
    day = timezone.localdate() - dt.timedelta(days=3)
    entry_add(
        case=full_case, author=cast.af, kind="observation", occurred_on=day,
        description=(
            f"Moeder {MOTHER} vertelde bij het hek dat Zoë bij {other.first_name} "
            f"{other.last_name} speelt; juf {cast.leerkracht.first_name} zag het ook. "
            f"Huisarts dr. {GP} (Lindelaan 12, 06-12345678) is op de hoogte."
        ),
        place="Schoolplein", situation="Ophalen", names_confirmed=True,
    )  # fmt: skip
    entry_add(
        case=full_case, author=cast.af, kind="kindcheck", occurred_on=day,
        description=f"Het gezin: moeder {MOTHER} en stiefvader {CARER}.",
        household="Zoë (9) en een broertje (4)", carers=f"{MOTHER}, {CARER}",
    )  # fmt: skip
    return full_case


def known_names(case, cast) -> set[str]:
    names = {MOTHER, CARER, GP, "Fatima", "Bakker", "Klaassen", case.school.name}
    for pupil in case.school.pupils.all():
        names |= {pupil.first_name, pupil.last_name, pupil.full_name}
    for user in (cast.leerkracht, cast.ib, cast.af, cast.directie):
        names |= {user.first_name, user.last_name, user.get_full_name()}
    return {name for name in names if name}


def named(names: set[str], text: str) -> list[str]:
    return sorted(n for n in names if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text))


def test_before_review_only_the_draft_without_name_downloads(
    cast, named_case, client_for, tmp_path
):
    response = export_and_download(client_for(cast.ib), named_case, "anoniem")
    assert response["Content-Disposition"].endswith('filename="dossier-zonder-naam-concept.pdf"')
    pdf = response.content
    text, info = " ".join(pdf_text(pdf, tmp_path).split()), pdf_info(pdf, tmp_path)
    assert "zonder naam (concept)" in text
    assert "ZONDER NAAM (CONCEPT)" in text
    assert "Dossier zonder naam (concept)" in info
    names = known_names(named_case, cast)
    assert named(names, text) == [] and named(names, info) == []
    row = AccessLog.objects.filter(case_id=named_case.pk).order_by("-pk").first()
    assert (row.action, row.user) == (AccessLog.Action.EXPORT, cast.ib)


def test_reviewed_with_everything_accepted_the_copy_names_no_one_the_school_knows(
    cast, named_case, tmp_path
):
    review_anonymised(named_case, cast.ib)
    pdf, filename, action = anonymised_pdf(case=named_case, by=cast.ib)
    assert filename == "dossier-zonder-naam.pdf"
    assert action == AccessLog.Action.ANONYMISED  # the row its download writes
    text, info = " ".join(pdf_text(pdf, tmp_path).split()), pdf_info(pdf, tmp_path)
    assert "concept" not in text.casefold() and "concept" not in info.casefold()
    assert "geanonimiseerd" in text
    names = known_names(named_case, cast)
    assert named(names, text) == [], named(names, text)
    assert named(names, info) == []
    assert "Lindelaan" not in text and "06-12345678" not in text


def test_the_download_of_the_reviewed_copy_is_in_the_leeslog(cast, named_case, client_for):
    review = review_anonymised(named_case, cast.ib)
    export_and_download(client_for(cast.ib), named_case, "anoniem")
    row = AccessLog.objects.filter(case_id=named_case.pk).order_by("-pk").first()
    assert (row.action, row.user) == (AccessLog.Action.ANONYMISED, cast.ib)
    page = client_for(cast.af).get(reverse("cases:access_log", args=[named_case.pk])).text
    assert "downloadde de beoordeelde geanonimiseerde kopie" in page
    assert 'data-testid="anonymised-reviews"' in page and f"#{review.last_entry}" in page


def test_the_review_is_sealed_with_the_case(cast, named_case):
    assert "cases.AnonymisedReview" in SEALED
    review = review_anonymised(named_case, cast.ib)
    assert record_intact(review)


def test_a_rejected_suggestion_stays_but_a_name_the_school_knows_never(cast, named_case, tmp_path):
    first_name = cast.leerkracht.first_name
    review_anonymised(named_case, cast.ib, reject=("Schoolplein", "Lindelaan", first_name))
    text = " ".join(pdf_text(anonymised_pdf(case=named_case, by=cast.ib)[0], tmp_path).split())
    assert "Lindelaan 12" in text  # rejected: kept
    assert not re.search(rf"\b{re.escape(first_name)}\b", text)  # known: always out


def test_words_marked_by_hand_are_left_out(cast, named_case, tmp_path):
    review_anonymised(named_case, cast.ib, hide=("bij het hek",))
    text = " ".join(pdf_text(anonymised_pdf(case=named_case, by=cast.ib)[0], tmp_path).split())
    assert "bij het hek" not in text
    assert "[weggelaten]" in text


def test_a_new_entry_makes_the_review_stale_and_the_copy_a_draft_again(cast, named_case, tmp_path):
    review_anonymised(named_case, cast.ib)
    assert standing(named_case).current
    entry = entry_add(
        case=named_case, author=cast.leerkracht, kind="observation",
        occurred_on=timezone.localdate(), description="Opa Gerrit haalde Zoë op.",
        place="Hek", situation="Ophalen",
    )  # fmt: skip
    now = standing(named_case)
    assert now.stale and not now.current
    pdf, filename, _action = anonymised_pdf(case=named_case, by=cast.ib)
    assert filename == "dossier-zonder-naam-concept.pdf"
    assert "Gerrit" not in pdf_text(pdf, tmp_path)
    # Submitted again without going through the new entry: refused, naming it.
    with pytest.raises(ValidationError, match=f"#{entry.pk}"):
        anonymised_review_submit(case=named_case, by=cast.ib)
    review = review_anonymised(named_case, cast.ib)
    assert review.last_entry == entry.pk
    assert standing(named_case).current


def test_a_teacher_cannot_review_the_anonymised_copy(cast, named_case):
    with pytest.raises(PermissionDenied):
        anonymised_review_submit(case=named_case, by=cast.leerkracht)
    assert not AnonymisedReview.objects.exists()


# --- The pages -----------------------------------------------------------------------------


def test_the_ib_reviews_a_part_on_the_page_and_submits(cast, named_case, client_for):
    from cases.inzage.anonymised import units_of

    client = client_for(cast.ib)
    url = reverse("cases:anonymised_review", args=[named_case.pk])
    page = client.get(url).content.decode()
    assert 'aria-label="Weglaten: Lindelaan 12' in page
    assert "altijd weggelaten" in page  # a known name has no checkbox
    for unit in units_of(named_case):
        response = client.post(url, {"unit": unit["key"], "next": "submit"})
        assert response.status_code == 302
    response = client.post(reverse("cases:anonymised_review_submit", args=[named_case.pk]))
    assert response.status_code == 302
    review = AnonymisedReview.objects.get(case=named_case)
    assert review.by == cast.ib
    download = export_and_download(client, named_case, "anoniem")
    assert download.status_code == 200
    assert 'filename="dossier-zonder-naam.pdf"' in download["Content-Disposition"]


def test_before_review_the_download_is_named_a_draft(cast, named_case, client_for):
    response = export_and_download(client_for(cast.ib), named_case, "anoniem")
    assert response.status_code == 200
    assert 'filename="dossier-zonder-naam-concept.pdf"' in response["Content-Disposition"]


def test_an_outsider_gets_404(cast, named_case, client_for):
    for name in ("cases:anonymised_review", "cases:anonymised_review_submit"):
        url = reverse(name, args=[named_case.pk])
        assert client_for(cast.other_leerkracht).post(url).status_code == 404
    url = reverse("cases:anonymised_review", args=[named_case.pk])
    assert client_for(cast.other_leerkracht).get(url).status_code == 404


def test_the_submit_answers_405_to_a_get(cast, named_case, client_for):
    url = reverse("cases:anonymised_review_submit", args=[named_case.pk])
    assert client_for(cast.ib).get(url).status_code == 405


def test_the_teacher_who_opened_the_case_gets_403(cast, named_case, client_for):
    url = reverse("cases:anonymised_review", args=[named_case.pk])
    assert client_for(cast.leerkracht).get(url).status_code == 403
    assert client_for(cast.leerkracht).post(url).status_code == 403
    pdf = reverse("cases:pdf", args=[named_case.pk, "anoniem"])
    assert client_for(cast.leerkracht).get(pdf).status_code == 403
    assert client_for(cast.leerkracht).post(pdf).status_code == 403
