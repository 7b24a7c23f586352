"""The one-page overview for the staff room wall."""

from __future__ import annotations

from itertools import groupby

from django.template.loader import render_to_string
from django.utils import timezone

from meldcode.models import School
from meldcode.pdf_output import pdf_from_html
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
    return pdf_from_html(overview_html(school=school))
