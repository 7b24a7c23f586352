"""The review of the parents' copy and its release: a second person approves, the copy is
kept under its sealed hash with what was withheld and why, and the leeslog says who
released it to whom. Read back with pdftotext."""

import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.access_log import AccessLog
from cases.dossier.models import Entry
from cases.inzage.models import InzageRelease
from cases.inzage.services import (
    State,
    draft_save,
    inzage_refuse,
    inzage_release,
    review_submit,
    standing,
)
from cases.pdf.services import pdf_context, pdf_render, review_units
from cases.seal import dossier_verify, file_problems, record_intact
from tests.cases.inzage.reviews import review_all
from tests.cases.pdf.conftest import pdf_text

HYPOTHESIS = "Mogelijk wordt het kind thuis hardhandig vastgepakt."


def released_text(release, tmp_path) -> str:
    return " ".join(pdf_text(release.path.read_bytes(), tmp_path).split())


def test_the_reviewer_cannot_approve_their_own_review(cast, inzage_request):
    review_all(inzage_request, cast.af)
    with pytest.raises(PermissionDenied):
        inzage_release(request=inzage_request, by=cast.af)
    assert not InzageRelease.objects.exists()


def test_a_second_person_approves_and_the_copy_is_kept_under_its_sealed_hash(cast, inzage_request):
    review = review_all(inzage_request, cast.af)
    release = inzage_release(request=inzage_request, by=cast.directie)
    data = release.path.read_bytes()
    assert data.startswith(b"%PDF")
    assert release.sha256 == hashlib.sha256(data).hexdigest()
    assert (release.reviewed_by, release.approved_by, release.review) == (
        cast.af, cast.directie, review
    )  # fmt: skip
    assert release.released_to == "Moeder van Zoë (een ouder met gezag)"
    assert record_intact(release) and record_intact(review)
    assert standing(inzage_request).state == State.RELEASED
    # (full_case moves its opening back by hand, which the case's own seal names.)
    assert [p for p in dossier_verify().problems if p.record.startswith("cases.Inzage")] == []


def test_a_copy_changed_on_disk_is_named_by_the_dossier_check(cast, inzage_request):
    review_all(inzage_request, cast.af)
    release = inzage_release(request=inzage_request, by=cast.directie)
    release.path.write_bytes(b"%PDF-1.7 something else")
    assert [p.what for p in file_problems()] == ["its file does not match its sealed hash"]


def test_the_leeslog_gets_one_release_row_for_the_approver(cast, inzage_request):
    review_all(inzage_request, cast.af)
    before = AccessLog.objects.count()
    inzage_release(request=inzage_request, by=cast.directie)
    rows = list(AccessLog.objects.order_by("pk")[before:])
    assert [(row.user, row.case_id, row.action) for row in rows] == [
        (cast.directie, inzage_request.case_id, AccessLog.Action.RELEASE)
    ]


def test_accepted_suggestions_are_left_out_and_a_rejected_one_stays(
    cast, inzage_request, neighbour_entry, tmp_path
):
    review_all(inzage_request, cast.af, reject=["Goes"], hide=["bovenarmen"])
    text = released_text(inzage_release(request=inzage_request, by=cast.directie), tmp_path)
    for gone in ("Jolanda", "Pietersen", "Lindelaan", "06-12345678", "Lotte", "bovenarmen"):
        assert gone not in text
    assert "Buurvrouw [naam] ([adres] in Goes, [telefoon]) zag Zoë huilen bij juf [naam]." in text
    assert "Blauwe plekken op de [weggelaten]" in text


def test_a_withheld_entry_is_absent_from_the_released_copy_with_its_ground(
    cast, inzage_request, tmp_path
):
    hypothesis = Entry.objects.get(case=inzage_request.case, kind="hypothesis")
    review_all(inzage_request, cast.af, withhold={hypothesis.pk: "child"})
    release = inzage_release(request=inzage_request, by=cast.directie)
    text = released_text(release, tmp_path)
    assert HYPOTHESIS not in text
    assert f"#{hypothesis.pk}" not in text
    assert (
        "1 onderdeel van het dossier gaat niet ter inzage, op deze grond: de bescherming "
        "van het kind." in text
    )
    assert release.withheld == [
        {
            "entry": hypothesis.pk,
            "title": release.withheld[0]["title"],
            "ground": "child",
            "explanation": "Hulp loopt; het kind vertelde dit in vertrouwen.",
        }
    ]
    # Kept for the inspectorate all the same.
    inspectie = pdf_text(pdf_render(case=inzage_request.case, version="inspectie", by=cast.af),
                         tmp_path)  # fmt: skip
    assert HYPOTHESIS in " ".join(inspectie.split())


def test_a_correction_of_a_withheld_entry_is_withheld_with_it(cast, inzage_request, tmp_path):
    observation = Entry.objects.get(case=inzage_request.case, kind="observation")
    review_all(inzage_request, cast.af, withhold={observation.pk: "others"})
    text = released_text(inzage_release(request=inzage_request, by=cast.directie), tmp_path)
    assert "Op de rechterarm, niet beide armen." not in text  # the correction of it
    assert "de rechten en vrijheden van een ander" in text


def test_the_released_copy_gives_the_art_15_information_and_no_destroy_wording(
    cast, inzage_request, tmp_path
):
    review_all(inzage_request, cast.af)
    text = released_text(inzage_release(request=inzage_request, by=cast.directie), tmp_path)
    assert "Waarom de school deze gegevens bewaart" in text
    assert "Wie gegevens uit dit dossier ontving Veilig Thuis." in text  # the report
    assert "De school bewaart dit dossier tot 2 jaar nadat de leerling de school verliet" in text
    assert "Autoriteit Persoonsgegevens" in text
    assert "eigen zienswijze" in text
    assert "CONCEPT" not in text
    assert not re.search(r"vernietig|kopieer het niet", text, re.IGNORECASE)


def test_every_part_is_gone_through_before_the_review_is_submitted(cast, inzage_request):
    units = review_units(inzage_request.case)
    draft_save(request=inzage_request, by=cast.af, unit=units[0], rejected={}, manual={})
    with pytest.raises(ValidationError):
        review_submit(request=inzage_request, by=cast.af, units=units)


def test_a_review_changed_after_submitting_awaits_a_new_submission(cast, inzage_request):
    review_all(inzage_request, cast.af)
    assert standing(inzage_request).state == State.AWAITING_APPROVAL
    unit = review_units(inzage_request.case)[0]
    draft_save(request=inzage_request, by=cast.directie, unit=unit, rejected={}, manual={})
    assert standing(inzage_request).state == State.OPEN
    with pytest.raises(ValidationError):
        inzage_release(request=inzage_request, by=cast.directie)


def test_a_refused_request_ends_and_cannot_be_released(cast, inzage_request):
    review_all(inzage_request, cast.af)
    refusal = inzage_refuse(request=inzage_request, by=cast.af, reason="De vader heeft geen gezag.")
    assert record_intact(refusal)
    assert standing(inzage_request).state == State.REFUSED
    with pytest.raises(ValidationError):
        inzage_release(request=inzage_request, by=cast.directie)


def test_only_an_entry_can_be_withheld_and_with_an_explanation(cast, inzage_request):
    units = review_units(inzage_request.case)
    route = next(unit for unit in units if unit["entry_id"] is None)
    entry = next(unit for unit in units if unit["entry_id"])
    with pytest.raises(ValidationError):
        draft_save(request=inzage_request, by=cast.af, unit=route, rejected={}, manual={},
                   ground="child", explanation="Nee.")  # fmt: skip
    with pytest.raises(ValidationError):
        draft_save(request=inzage_request, by=cast.af, unit=entry, rejected={}, manual={},
                   ground="child", explanation="")  # fmt: skip


def _stable(context: dict) -> dict:
    """The inspectie context without what changes with every export (when, the log)."""
    return {k: v for k, v in context.items() if k not in ("exported_at", "read_log")}


def test_the_inspectie_version_is_unchanged_by_a_review_and_a_release(
    cast, inzage_request, neighbour_entry, tmp_path
):
    case = inzage_request.case
    before = _stable(pdf_context(case=case, version="inspectie", by=cast.af))
    hypothesis = Entry.objects.get(case=case, kind="hypothesis")
    review_all(inzage_request, cast.af, reject=["Goes"], hide=["bovenarmen"],
               withhold={hypothesis.pk: "child"})  # fmt: skip
    inzage_release(request=inzage_request, by=cast.directie)
    after = _stable(pdf_context(case=case, version="inspectie", by=cast.af))
    assert after == before
    assert after["inzage"] is None
    text = pdf_text(pdf_render(case=case, version="inspectie", by=cast.af), tmp_path)
    assert "Jolanda Pietersen (Lindelaan 12 in Goes, 06-12345678)" in text
    assert "[naam]" not in text and "[weggelaten]" not in text


def test_the_parents_stay_named_in_their_own_talk(cast, inzage_request, tmp_path):
    from tests.cases.factories import hold_parent_talk

    meeting = hold_parent_talk(inzage_request.case, cast.af).meeting
    meeting.others = "Moeder, mevrouw Sanne Vos\nVader"
    meeting.save()
    review_all(inzage_request, cast.af, reject=["Sanne Vos"])
    text = released_text(inzage_release(request=inzage_request, by=cast.directie), tmp_path)
    assert "Andere deelnemers: Moeder, mevrouw Sanne Vos Vader" in text


def test_the_direct_parents_download_is_a_draft(cast, full_case, tmp_path):
    text = " ".join(pdf_text(pdf_render(case=full_case, version="ouders", by=cast.af),
                             tmp_path).split())  # fmt: skip
    assert "CONCEPT: NIET BEOORDEELD, NIET VERSTREKKEN" in text
