"""The one-page overview for the staff room wall."""

from __future__ import annotations

from itertools import groupby

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from meldcode.models import School
from socialmap.models import Category, Organisation


def overview_html(*, school: School) -> str:
    organisations = list(Organisation.objects.of_school(school).active().ordered())
    labels = dict(Category.choices)
    groups = [
        (labels[category], list(entries))
        for category, entries in groupby(organisations, key=lambda o: o.category)
    ]
    return render_to_string(
        "socialmap/overview_pdf.html",
        {"school": school, "groups": groups, "printed_on": timezone.localdate()},
    )


def overview_pdf(*, school: School) -> bytes:
    # The overview is self-contained: no stored URL may make the server fetch anything.
    no_fetching = URLFetcher(allowed_protocols=())
    return HTML(string=overview_html(school=school), url_fetcher=no_fetching).write_pdf()
