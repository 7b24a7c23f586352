"""Every PDF the application makes is made here: from HTML the application rendered,
with nothing fetched from anywhere.

The print templates are self-contained (styles inline, body maps as inline SVG). A URL
in them could only come from stored text that escaped its escaping; even then the server
must not fetch it: no request to an address inside the school's network (SSRF), no
file from the server's disk (file:///etc/passwd) in a dossier that leaves the school.
"""

from __future__ import annotations


def no_fetching():
    """A fetcher that refuses every protocol: http, https, ftp, file and data alike."""
    # Imported here, as weasyprint below: loading weasyprint takes a moment.
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=(), allow_redirects=False, timeout=1)


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=no_fetching()).write_pdf()
