"""Step 2: consultations and the parents' written consent."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.access_log import AccessLog
from cases.consultations.models import Consent, Consultation
from cases.consultations.services import (
    consent_record,
    consent_refused,
    consultation_record,
    verwijsindex_record,
)
from cases.uploads import Upload
from cases.workflow import Step
from tests.cases.uploads import jpeg_with_exif, pdf_file
from tests.clock import today
from tests.socialmap.factories import OrganisationFactory


@pytest.fixture
def step2(case_at):
    return case_at(Step.CONSULT)


@pytest.fixture
def smw(cast):
    return OrganisationFactory(school=cast.school, name="Schoolmaatschappelijk werk Test")


def consult(case, by, **extra):
    values = {
        "held_on": today(),
        "party": "organisation",
        "anonymous": False,
        "question": "Hoe bespreken we dit?",
        "advice": "Eerst met ouders praten.",
    }
    return consultation_record(case=case, by=by, **(values | extra))


def test_a_named_consultation_outside_the_school_without_consent_is_refused(cast, step2, smw):
    with pytest.raises(ValidationError) as refused:
        consult(step2, cast.ib, organisation=smw)
    assert "anonymous" in refused.value.message_dict
    assert not Consultation.objects.exists()


def test_an_anonymous_consultation_needs_no_consent(cast, step2, smw):
    assert consult(step2, cast.ib, organisation=smw, anonymous=True).anonymous


def test_veilig_thuis_advice_is_always_possible_anonymously(cast, step2):
    consultation = consult(step2, cast.ib, party="veilig_thuis", anonymous=True)
    assert consultation.anonymous and consultation.outside


def test_a_named_consultation_with_written_consent_is_recorded(cast, step2, smw):
    consent_record(case=step2, by=cast.ib, status="given", on=today(), form=pdf_file())
    assert not consult(step2, cast.ib, organisation=smw).anonymous


def test_a_withdrawn_consent_ends_named_consultations(cast, step2, smw):
    consent_record(case=step2, by=cast.ib, status="given", on=today(), form=pdf_file())
    consent_record(case=step2, by=cast.ib, status="withdrawn", on=today())
    with pytest.raises(ValidationError):
        consult(step2, cast.ib, organisation=smw)
    assert consent_refused(step2).status == "withdrawn"


def test_a_colleague_is_consulted_by_role_without_consent(cast, step2):
    consultation = consult(step2, cast.ib, party="colleague", colleague_role="zorgteam")
    assert (consultation.colleague_role, consultation.anonymous) == ("zorgteam", False)


def test_an_organisation_of_another_school_is_refused(cast, step2):
    with pytest.raises(ValidationError) as refused:
        consult(step2, cast.ib, organisation=OrganisationFactory(school=cast.other_school),
                anonymous=True)  # fmt: skip
    assert "organisation" in refused.value.message_dict


def test_a_teacher_does_not_record_consultations(cast, step2, smw):
    with pytest.raises(PermissionDenied):
        consult(step2, cast.leerkracht, organisation=smw, anonymous=True)


def test_given_consent_is_written_consent_with_the_signed_form(cast, step2):
    with pytest.raises(ValidationError) as refused:
        consent_record(case=step2, by=cast.ib, status="given", on=today())
    assert "form" in refused.value.message_dict
    assert not Consent.objects.exists()


def test_a_refused_consent_is_shown_wherever_the_case_is_weighed(cast, case_at, client_for):
    case = case_at(Step.WEIGH)
    consent_record(case=case, by=cast.af, status="refused", on=today())
    for url in (case.get_absolute_url(), reverse("cases:weighing_new", args=[case.pk])):
        page = client_for(cast.af).get(url).content.decode()
        assert 'data-testid="consent-refused"' in page


def test_registering_in_the_verwijsindex_needs_its_date(cast, step2):
    with pytest.raises(ValidationError) as refused:
        verwijsindex_record(case=step2, by=cast.ib, registered=True, registered_on=None,
                            note="Meerdere hulpverleners betrokken.")  # fmt: skip
    assert "registered_on" in refused.value.message_dict
    decision = verwijsindex_record(case=step2, by=cast.ib, registered=False, registered_on=None,
                                   note="Nog geen andere hulpverleners.")  # fmt: skip
    assert not decision.registered


# --- uploads --------------------------------------------------------------------------------


def test_an_empty_upload_is_refused_with_a_dutch_message_at_the_field(cast, step2, client_for):
    response = client_for(cast.ib).post(
        reverse("cases:consent_new", args=[step2.pk]),
        {"status": "given", "on": today().isoformat(), "form": SimpleUploadedFile("leeg.pdf", b"")},
    )
    assert response.status_code == 200
    assert "Het verstuurde bestand is leeg." in response.content.decode()
    assert not Consent.objects.exists() and not Upload.objects.exists()


def test_a_renamed_file_is_refused_by_its_content(cast, step2):
    fake = SimpleUploadedFile("toestemming.pdf", b"MZ\x90\x00 dit is geen pdf")
    with pytest.raises(ValidationError) as refused:
        consent_record(case=step2, by=cast.ib, status="given", on=today(), form=fake)
    assert refused.value.error_dict["form"][0].code == "bad_type"


def test_a_file_over_10_mb_is_refused(cast, step2, settings):
    settings.MELDCODE_UPLOAD_MAX_BYTES = 1000
    big = SimpleUploadedFile("groot.pdf", b"%PDF-" + b"0" * 2000)
    with pytest.raises(ValidationError) as refused:
        consent_record(case=step2, by=cast.ib, status="given", on=today(), form=big)
    assert refused.value.error_dict["form"][0].code == "too_large"


def test_an_image_is_stored_without_its_metadata_outside_the_web_root(cast, step2, upload_root):
    consent = consent_record(case=step2, by=cast.ib, status="given", on=today(),
                             form=jpeg_with_exif())  # fmt: skip
    stored = consent.form.path.read_bytes()
    assert consent.form.path.parent == upload_root
    assert consent.form.content_type == "image/jpeg"
    assert b"Geheime beschrijving" not in stored and b"Exif" not in stored


def test_a_document_is_served_as_an_attachment_to_who_may_see_the_case_and_logged(
    cast, step2, client_for
):
    consent = consent_record(case=step2, by=cast.ib, status="given", on=today(), form=pdf_file())
    url = reverse("cases:upload", args=[step2.pk, consent.form_id])
    assert client_for(cast.other_leerkracht).get(url).status_code == 404
    response = client_for(cast.af).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    assert AccessLog.objects.filter(case_id=step2.pk, action="download", user=cast.af).exists()


# --- the sociale kaart links to the work -----------------------------------------------------


def test_an_organisation_lists_where_it_was_consulted_for_who_may_see_those_cases(
    cast, step2, smw, client_for
):
    consult(step2, cast.ib, organisation=smw, anonymous=True)
    url = reverse("socialmap:detail", args=[smw.pk])
    assert 'data-testid="consulted-in"' in client_for(cast.ib).get(url).content.decode()
    assert (
        'data-testid="consulted-in"' not in client_for(cast.leerkracht_b).get(url).content.decode()
    )


def test_an_archived_organisation_stays_readable_on_old_records(cast, step2, smw, client_for):
    from socialmap.services import organisation_archive

    consult(step2, cast.ib, organisation=smw, anonymous=True)
    organisation_archive(organisation=smw, by=cast.af)
    page = client_for(cast.ib).get(step2.get_absolute_url()).content.decode()
    assert "Schoolmaatschappelijk werk Test" in page


def test_a_consultation_dated_before_the_case_is_refused(cast, step2, smw):
    with pytest.raises(ValidationError) as refused:
        consult(step2, cast.ib, organisation=smw, anonymous=True,
                held_on=today() - dt.timedelta(days=400))  # fmt: skip
    assert "held_on" in refused.value.message_dict
