"""Every PDF the application makes is made here: from HTML the application rendered,
with nothing fetched from anywhere.

The print templates are self-contained (styles inline, body maps as inline SVG). A URL
in them could only come from stored text that escaped its escaping; even then the server
must not fetch it: no request to an address inside the school's network (SSRF), no
file from the server's disk (file:///etc/passwd) in a dossier that leaves the school.

The one exception is an image the caller hands over in memory (`images`: the pages of
a dossier's attachments, read and checked against their seal by the caller): it is
served under a name made for this one document, and every other URL is still refused.
"""

from __future__ import annotations

import secrets


class InlineImages:
    """Images for one document, each under a name of its own that nothing else knows."""

    SCHEME = "meldcode-image"

    def __init__(self) -> None:
        self._token = secrets.token_hex(8)
        self.images: dict[str, tuple[bytes, str]] = {}

    def add(self, data: bytes, content_type: str) -> str:
        """The URL under which the document finds this image."""
        url = f"{self.SCHEME}:{self._token}-{len(self.images) + 1}"
        self.images[url] = (data, content_type)
        return url


def no_fetching(images: InlineImages | None = None):
    """A fetcher that refuses every protocol (http, https, ftp, file and data alike), and
    serves only the in-memory images it was given."""
    # Imported here, as weasyprint below: loading weasyprint takes a moment.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    known = dict(images.images) if images is not None else {}

    class OwnImagesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url in known:
                data, content_type = known[url]
                return URLFetcherResponse(url, data, {"Content-Type": content_type})
            return super().fetch(url, headers)

    return OwnImagesOnly(allowed_protocols=(), allow_redirects=False, timeout=1)


def pdf_from_html(html: str, *, images: InlineImages | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=no_fetching(images)).write_pdf()
