"""Attachments on any entry (a scan of a child's drawing, a letter, a printed e-mail) go
through the one upload door, are served only to those who may see the case, and every
download is in the read log."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cases.access_log import AccessLog
from cases.append_only import AppendOnlyError
from cases.dossier.services import entry_add
from cases.models import Entry, EntryAttachment, Seal, Upload
from tests.cases.dossier.conftest import OBSERVATION
from tests.cases.uploads import jpeg_with_exif, pdf_file, upload_root  # noqa: F401

Kind = Entry.Kind
REFUSED_TYPE = (
    "Upload een PDF-, JPEG- of PNG-bestand (dit bestand is geen van drieën, wat de naam ook zegt)."
)


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        (Kind.OBSERVATION, OBSERVATION),
        (Kind.HYPOTHESIS, {"description": "Mogelijk is er thuis te weinig eten."}),
        (Kind.CONTACT, {"contact_with": "Moeder", "description": "Ze bracht een brief."}),
    ],
)
def test_any_kind_of_entry_can_carry_an_attachment(cast, case, kind, fields):
    entry = entry_add(
        case=case,
        author=cast.ib,
        kind=kind,
        attachments=[(jpeg_with_exif("tekening.jpg"), "drawing")],
        **fields,
    )
    attachment = entry.attachments.get()
    assert attachment.kind == "drawing"
    assert attachment.upload.case == case and attachment.upload.content_type == "image/jpeg"


def test_an_attachment_goes_through_the_upload_door_and_is_sealed(cast, case, upload_root):  # noqa: F811
    entry = entry_add(
        case=case,
        author=cast.leerkracht,
        kind=Kind.OBSERVATION,
        attachments=[(jpeg_with_exif(), "drawing"), (pdf_file("brief.pdf"), "letter")],
        **OBSERVATION,
    )
    image, letter = entry.attachments.order_by("pk")
    stored = image.upload.path.read_bytes()
    assert image.upload.path.parent == upload_root
    assert b"Geheime beschrijving" not in stored and b"Fotograaf" not in stored
    assert Image.open(io.BytesIO(stored)).getexif() == {}
    assert letter.upload.content_type == "application/pdf"
    sealed = set(Seal.objects.filter(chain=f"case:{case.pk}").values_list("record", flat=True))
    assert {"cases.EntryAttachment", "cases.Upload"} <= sealed


def test_an_attachment_cannot_be_changed_or_taken_off(cast, case):
    entry = entry_add(
        case=case,
        author=cast.leerkracht,
        kind=Kind.OBSERVATION,
        attachments=[(pdf_file(), "letter")],
        **OBSERVATION,
    )
    attachment = entry.attachments.get()
    attachment.kind = "email"
    with pytest.raises(AppendOnlyError):
        attachment.save()
    with pytest.raises(AppendOnlyError):
        attachment.delete()
    with pytest.raises(AppendOnlyError):
        EntryAttachment.objects.all().update(kind="email")


def test_a_refused_file_leaves_no_entry(cast, case):
    text = SimpleUploadedFile("tekening.png", b"Dit is geen afbeelding.")
    with pytest.raises(ValidationError) as refused:
        entry_add(
            case=case,
            author=cast.leerkracht,
            kind=Kind.OBSERVATION,
            attachments=[(text, "drawing")],
            **OBSERVATION,
        )
    assert refused.value.message_dict["attachments"] == [REFUSED_TYPE]
    assert not Entry.objects.exists() and not EntryAttachment.objects.exists()


# --- the form -----------------------------------------------------------------------------


def post_hypothesis(client, case, **extra):
    data = {
        "occurred_on": case.opened_at.date().isoformat(),
        "description": "Het kind tekende een boos gezicht bij papa.",
        **extra,
    }
    return client.post(reverse("cases:entry_new", args=[case.pk, "hypothesis"]), data)


def test_a_refused_file_type_gets_the_dutch_message_at_the_field(cast, case, client_for):
    response = post_hypothesis(
        client_for(cast.leerkracht),
        case,
        attachments=SimpleUploadedFile("tekening.png", b"MZ\x90\x00 geen plaatje"),
        attachment_kind="drawing",
    )
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"] == [REFUSED_TYPE]
    assert REFUSED_TYPE.replace("'", "&#x27;") in response.text
    assert not Entry.objects.exists() and not Upload.objects.exists()


def test_a_file_without_its_kind_is_asked_for_its_kind(cast, case, client_for):
    response = post_hypothesis(client_for(cast.leerkracht), case, attachments=pdf_file())
    assert response.context["form"].errors["attachment_kind"] == [
        "Geef aan wat voor document het is."
    ]
    assert not Entry.objects.exists()


def test_the_form_takes_several_files_and_the_chronology_lists_them(cast, case, client_for):
    client = client_for(cast.leerkracht)
    response = post_hypothesis(
        client, case, attachments=[pdf_file("a.pdf"), pdf_file("b.pdf")], attachment_kind="letter"
    )
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert entry.attachments.count() == 2
    text = client.get(reverse("cases:pupil_chronology", args=[cast.pupil.pk])).text
    for attachment in entry.attachments.all():
        assert reverse("cases:upload", args=[case.pk, attachment.upload_id]) in text
    assert text.count(">Brief</a>") == 2


# --- downloads ----------------------------------------------------------------------------


@pytest.fixture
def attachment(cast, case) -> EntryAttachment:
    entry = entry_add(
        case=case,
        author=cast.leerkracht,
        kind=Kind.OBSERVATION,
        attachments=[(jpeg_with_exif(), "drawing")],
        **OBSERVATION,
    )
    return entry.attachments.get()


def downloads(case) -> int:
    return AccessLog.objects.filter(case_id=case.pk, action=AccessLog.Action.DOWNLOAD).count()


@pytest.mark.parametrize("who", ["leerkracht", "ib", "af", "directie"])
def test_who_may_see_the_case_downloads_the_attachment_and_it_is_logged(
    cast, case, client_for, attachment, who
):
    user = getattr(cast, who)
    response = client_for(user).get(reverse("cases:upload", args=[case.pk, attachment.upload_id]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == attachment.upload.path.read_bytes()
    row = AccessLog.objects.filter(case_id=case.pk, action=AccessLog.Action.DOWNLOAD).get()
    assert row.user == user


@pytest.mark.parametrize("who", ["other_leerkracht", "bestuur", "outsider"])
def test_who_may_not_see_the_case_gets_404_and_no_download_is_logged(
    cast, case, client_for, attachment, who
):
    url = reverse("cases:upload", args=[case.pk, attachment.upload_id])
    assert client_for(getattr(cast, who)).get(url).status_code == 404
    assert downloads(case) == 0
