"""The one door for uploads: what it stores is rewritten, and what it refuses is refused
with a Dutch message at the field, never with a 500."""

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image, PngImagePlugin

from cases.consultations.models import Consent
from cases.uploads import MAX_IMAGE_PIXELS, Upload, upload_store
from cases.workflow import Step
from tests.cases.uploads import pdf_bytes, png_header_claiming, upload_root  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
TOO_MANY_PIXELS = (
    "De afbeelding is groter dan 25 megapixel: scan of fotografeer hem met een lagere resolutie."
)


@pytest.fixture
def case(case_at):
    return case_at(Step.CONSULT)


def store(case, by, data: bytes, name: str = "document.pdf") -> Upload:
    return upload_store(case=case, file=SimpleUploadedFile(name, data), by=by)


def refusal(case, by, data: bytes, name: str = "document.pdf") -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        store(case, by, data, name)
    assert not Upload.objects.exists()
    return refused.value


def malicious_pdf() -> bytes:
    """A consent form as an attacker (or a careless author) sends it: a script run on
    opening, a link that launches a program, an attached file, the pupil's name in the
    title and in the XMP metadata."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    script = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hoi')"))
    )
    pdf.Root.OpenAction = script
    pdf.Root.AA = pikepdf.Dictionary(WC=script)
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("start"), script])),
    )
    attachment = pikepdf.AttachedFileSpec(pdf, b"MZ malware", filename="lees-mij.exe")
    pdf.attachments["lees-mij.exe"] = attachment
    page = pdf.pages[0]
    page.obj.AA = pikepdf.Dictionary(O=script)
    launch = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[0, 0, 100, 100],
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")),
    )
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[0, 100, 100, 200],
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("http://x.example/?k=1")),
        AA=pikepdf.Dictionary(E=script),
    )
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([launch, link]))
    with pdf.open_metadata() as xmp:
        xmp["dc:title"] = "Toestemming Noor Appelboom (XMP)"
    pdf.docinfo["/Title"] = "Toestemming Noor Appelboom"
    pdf.docinfo["/Author"] = "Meester Jansen"
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def every_object(pdf: pikepdf.Pdf) -> str:
    return "\n".join(repr(obj) for obj in pdf.objects)


# --- PDF ----------------------------------------------------------------------------------


def test_a_stored_pdf_has_no_javascript_actions_attachments_or_document_information(cast, case):
    upload = store(case, cast.ib, malicious_pdf())
    stored = upload.path.read_bytes()
    with pikepdf.open(io.BytesIO(stored)) as pdf:
        assert "/Info" not in pdf.trailer
        assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root
        assert "/Metadata" not in pdf.Root
        assert "/JavaScript" not in pdf.Root.get("/Names", {})
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
        assert len(pdf.attachments) == 0
        page = pdf.pages[0].obj
        assert "/AA" not in page
        assert all("/A" not in annot and "/AA" not in annot for annot in page.Annots)
        everything = every_object(pdf)
    for trace in ("/JavaScript", "/Launch", "/URI", "Appelboom", "Jansen", "lees-mij"):
        assert trace not in everything
    assert b"Appelboom" not in stored and b"MZ malware" not in stored


def test_what_is_stored_is_the_rewritten_pdf_and_its_hash_is_of_what_is_stored(cast, case):
    sent = malicious_pdf()
    upload = store(case, cast.ib, sent)
    stored = upload.path.read_bytes()
    assert stored != sent
    assert upload.size == len(stored)
    assert upload.sha256 == hashlib.sha256(stored).hexdigest()


def test_a_pdf_keeps_its_pages(cast, case):
    with pikepdf.open(io.BytesIO(store(case, cast.ib, pdf_bytes()).path.read_bytes())) as pdf:
        assert len(pdf.pages) == 1


def test_data_that_only_starts_like_a_pdf_is_refused_in_dutch(cast, case):
    refused = refusal(case, cast.ib, b"%PDF-1.7\n" + b"<html><script>alert(1)</script>" * 50)
    assert refused.code == "bad_pdf"
    assert refused.messages == [
        "Deze pdf is niet te lezen: sla hem opnieuw op of scan hem opnieuw als pdf en upload die."
    ]


def test_html_before_the_pdf_header_is_refused(cast, case):
    polyglot = b"<html><body><script>alert(document.cookie)</script></body></html>\n" + pdf_bytes()
    assert refusal(case, cast.ib, polyglot).code == "bad_type"


def test_html_hidden_in_a_pdf_is_not_stored_and_the_stored_file_starts_with_the_pdf_header(
    cast, case
):
    header, rest = pdf_bytes().split(b"\n", 1)
    polyglot = header + b"\n%<html><script>alert(1)</script>\n" + rest + b"<html><script>x</script>"
    stored = store(case, cast.ib, polyglot).path.read_bytes()
    assert stored.startswith(b"%PDF-")
    assert b"<script>" not in stored and b"<html>" not in stored


@pytest.mark.parametrize("user_password", ["geheim", ""])
def test_an_encrypted_pdf_is_refused_in_dutch(cast, case, user_password):
    pdf = pikepdf.open(io.BytesIO(pdf_bytes()))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="eigenaar", user=user_password))
    refused = refusal(case, cast.ib, out.getvalue())
    assert refused.code == "encrypted_pdf"
    assert refused.messages == [
        "Deze pdf is beveiligd met een wachtwoord of versleuteld: upload hem zonder beveiliging."
    ]


# --- images -------------------------------------------------------------------------------


def test_pillow_refuses_images_above_the_same_bound_everywhere():
    assert MAX_IMAGE_PIXELS == 25_000_000
    assert Image.MAX_IMAGE_PIXELS == MAX_IMAGE_PIXELS


@pytest.mark.parametrize(
    ("width", "height"),
    [(100_000, 100_000), (13_000, 13_000), (5_001, 5_000)],
    ids=["far-above-pillow-bomb-error", "the-13000-square", "just-above-25-megapixels"],
)
def test_an_image_above_25_megapixels_is_refused_from_its_header(cast, case, width, height):
    refused = refusal(case, cast.ib, png_header_claiming(width, height), "scan.png")
    assert refused.code == "too_many_pixels"
    assert refused.messages == [TOO_MANY_PIXELS]


def test_refusing_a_bomb_header_costs_no_memory_worth_mentioning(tmp_path):
    """In a fresh process: its peak memory (Django and all) stays under 300 MB, where
    decoding 100,000 x 100,000 pixels would take 10 GB. The peak is the process's own
    VmHWM: ru_maxrss would carry over the peak of the test run that started it."""
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_header_claiming(100_000, 100_000))
    script = f"""
import django, re
def peak():
    status = open("/proc/self/status").read()
    return int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1))
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from cases.uploads import check_upload
before = peak()
try:
    check_upload(SimpleUploadedFile("bomb.png", open({str(bomb)!r}, "rb").read()))
except ValidationError as error:
    print(error.code)
print(before, peak())
"""
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "meldcode.settings", "DJANGO_DEBUG": "1"}
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    code, peaks = run.stdout.splitlines()
    before, after = (int(kib) for kib in peaks.split())
    assert code == "too_many_pixels"
    assert after < 300 * 1024
    assert after - before < 20 * 1024


def test_an_image_that_does_not_decode_is_refused_in_dutch_not_a_500(cast, case):
    broken = png_header_claiming(400, 300)[:-40] + b"\x00" * 40
    refused = refusal(case, cast.ib, broken, "scan.png")
    assert refused.code == "bad_image"
    assert refused.messages == ["Deze afbeelding kan niet worden gelezen."]


def test_a_png_is_stored_without_its_text_chunks_and_exif(cast, case):
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Noor Appelboom")
    info.add_itxt("Description", "Toestemming Noor Appelboom")
    exif = Image.Exif()
    exif[0x013B] = "Fotograaf Testpersoon"
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, format="PNG", pnginfo=info, exif=exif)
    stored = store(case, cast.ib, out.getvalue(), "scan.png").path.read_bytes()
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"Appelboom", b"Testpersoon"):
        assert chunk not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (40, 30) and not image.getexif()


def test_a_jpeg_is_stored_without_its_location_or_comment(cast, case):
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps[2] = (52.0, 5.0, 0.0)  # GPSLatitude
    gps[1] = "N"
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(
        out, format="JPEG", exif=exif, comment=b"Noor Appelboom"
    )
    stored = store(case, cast.ib, out.getvalue(), "scan.jpg").path.read_bytes()
    assert b"Exif" not in stored and b"Appelboom" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif() and "comment" not in image.info


# --- at the field -------------------------------------------------------------------------


def test_the_upload_form_shows_the_refusal_of_a_bomb_next_to_its_field(cast, case, client_for):
    response = client_for(cast.ib).post(
        reverse("cases:consent_new", args=[case.pk]),
        {
            "status": "given",
            "on": timezone.localdate().isoformat(),
            "form": SimpleUploadedFile("scan.png", png_header_claiming(100_000, 100_000)),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    errors = page.split('id="id_form_error"', 1)[1].split("</ul>", 1)[0]
    assert TOO_MANY_PIXELS in errors
    assert not Consent.objects.exists() and not Upload.objects.exists()


def test_a_refused_scan_of_a_talk_report_names_its_field(cast, case):
    with pytest.raises(ValidationError) as refused:
        upload_store(case=case, file=SimpleUploadedFile("x.pdf", b"%PDF-"), by=cast.ib,
                     field="scan")  # fmt: skip
    assert refused.value.error_dict["scan"][0].code == "bad_pdf"
