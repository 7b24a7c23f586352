"""Every PDF is made by one function that fetches nothing: no URL on the network, no file
on the server's disk."""

import base64
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pikepdf
import pytest
from django.utils import timezone
from PIL import Image

from cases.dossier.services import entry_add
from cases.pdf.services import pdf_render
from cases.workflow import Step
from meldcode.pdf_output import pdf_from_html
from tests.cases.factories import make_case

ROOT = Path(__file__).resolve().parents[2]


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def trap():
    """A web server on this machine that serves a picture and notes every request."""
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            body = png()
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def images_in(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return sum(len(page.get_images()) for page in document.pages)


def test_the_trap_sees_a_fetch_by_weasyprint_left_to_itself(trap, tmp_path):
    """The check below can fail: weasyprint's default fetches both."""
    from weasyprint import HTML

    url, requests = trap
    picture = tmp_path / "geheim.png"
    picture.write_bytes(png())
    html = f'<img src="{url}/x.png"><img src="file://{picture}">'
    assert images_in(HTML(string=html).write_pdf()) == 2
    assert requests == ["/x.png"]


def test_a_pdf_fetches_no_url_on_the_network(trap):
    url, requests = trap
    html = (
        f'<link rel="stylesheet" href="{url}/style.css">'
        f'<img src="{url}/x.png"><img src="http://127.0.0.1:9/x.png">'
        f'<p style="background: url({url}/bg.png)">Tekst</p>'
    )
    pdf = pdf_from_html(html)
    assert pdf.startswith(b"%PDF")
    assert requests == []
    assert images_in(pdf) == 0


def test_a_pdf_reads_no_file_from_the_servers_disk(tmp_path):
    picture = tmp_path / "geheim.png"
    picture.write_bytes(png())
    html = (
        '<link rel="stylesheet" href="file:///etc/passwd">'
        f'<img src="file://{picture}"><img src="file:///etc/passwd">'
        f'<img src="data:image/png;base64,{base64.b64encode(png()).decode()}">'
    )
    assert images_in(pdf_from_html(html)) == 0


def test_only_the_images_handed_over_in_memory_are_served(trap, tmp_path):
    """The dossier's appendices: an image the caller read (and checked) itself is served
    under its own name; a guessed name of the same kind, the network and the disk are not."""
    from meldcode.pdf_output import InlineImages

    url, requests = trap
    images = InlineImages()
    own = images.add(png(), "image/png")
    picture = tmp_path / "geheim.png"
    picture.write_bytes(png())
    html = (
        f'<img src="{own}"><img src="meldcode-image:0000000000000000-1">'
        f'<img src="{url}/x.png"><img src="file://{picture}">'
    )
    assert images_in(pdf_from_html(html, images=images)) == 1
    assert requests == []


def test_a_dossier_pdf_with_image_references_in_its_text_fetches_nothing(cast, trap):
    url, requests = trap
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.SIGNALS)
    entry_add(
        case=case, author=cast.leerkracht, kind="observation", occurred_on=timezone.localdate(),
        description=f'<img src="{url}/x.png"> <img src="file:///etc/passwd"> Gezien.',
        place="Klas", situation="Kring", others_present="",
    )  # fmt: skip
    pdf = pdf_render(case=case, version="inspectie", by=cast.af)
    assert requests == []
    assert images_in(pdf) == 0


def test_every_pdf_is_made_by_the_one_function():
    """A second way to call weasyprint would be a second way to forget the fetcher."""
    found = [
        str(path.relative_to(ROOT))
        for folder in ("cases", "meldcode", "socialmap", "bench")
        for path in (ROOT / folder).rglob("*.py")
        if ".write_pdf(" in path.read_text(encoding="utf-8")
    ]
    assert found == ["meldcode/pdf_output.py"]
