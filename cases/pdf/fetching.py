"""WeasyPrint fetches nothing for the dossier PDF.

The print HTML is self-contained (its style inline, fonts from the system). A URL that
reached it anyway (a stray <img> or url() in a template) must not make the server call
out to another host or read a local file, so every fetch fails, and WeasyPrint leaves the
resource out with a warning. Imported only when a PDF is rendered: loading WeasyPrint
takes a moment.
"""

from __future__ import annotations

from weasyprint.urls import URLFetcher


class NoFetching(URLFetcher):
    def fetch(self, url: str, headers: dict | None = None):
        raise ValueError(f"the dossier PDF fetches nothing: {url[:80]}")
