"""WeasyPrint fetches nothing for the dossier PDF: no file, no host."""

from __future__ import annotations

import http.server
import threading

import pytest
from PIL import Image
from weasyprint import HTML

from cases.pdf.fetching import NoFetching


@pytest.fixture
def local_server():
    """A local HTTP server that counts the requests it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


def test_the_dossier_pdf_fetches_no_host(local_server):
    base, hits = local_server
    html = (
        f'<link rel="stylesheet" href="{base}/style.css">'
        f'<p style="background: url({base}/bg.png)">Tekst</p><img src="{base}/photo.png">'
    )
    HTML(string=html, url_fetcher=NoFetching()).write_pdf()
    assert hits == []
    HTML(string=html).write_pdf()  # without it, WeasyPrint would have called the host
    assert hits


def test_the_dossier_pdf_reads_no_local_file(tmp_path):
    image = tmp_path / "foto.png"
    Image.new("RGB", (40, 40), "red").save(image)
    html = f'<img src="{image.as_uri()}">'
    assert b"/Image" not in HTML(string=html, url_fetcher=NoFetching()).write_pdf()
    assert b"/Image" in HTML(string=html).write_pdf()  # the same page, fetched as usual


def test_rendering_a_dossier_fetches_nothing(cast, full_case, local_server, monkeypatch):
    """Whatever URL the print HTML might hold, the export never calls out for it."""
    from cases.pdf import services

    base, hits = local_server
    html = services.pdf_html(case=full_case, version="inspectie", by=cast.af)
    assert "<body>" in html
    monkeypatch.setattr(
        services, "pdf_html", lambda **kwargs: html.replace("<body>", f'<body><img src="{base}/x">')
    )
    assert services.pdf_render(case=full_case, version="inspectie", by=cast.af)
    assert hits == []
