import datetime as dt

import pytest
from django.utils import timezone

from cases.inzage.models import Requester
from cases.inzage.services import inzage_request_record
from tests.cases.pdf.conftest import full_case  # noqa: F401 (a fixture)


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.MELDCODE_UPLOAD_ROOT = tmp_path / "uploads"


@pytest.fixture
def inzage_request(cast, full_case):  # noqa: F811
    """The mother of the full case asked a week ago; the af handles it."""
    return inzage_request_record(
        case=full_case,
        by=cast.af,
        requester=Requester.PARENT,
        requester_name="Moeder van Zoë",
        received_on=timezone.localdate() - dt.timedelta(days=7),
        handled_by=cast.af,
    )


NEIGHBOUR = (
    "Buurvrouw Jolanda Pietersen (Lindelaan 12 in Goes, 06-12345678) zag Zoë huilen bij juf Lotte."
)


@pytest.fixture
def neighbour_entry(cast, full_case):  # noqa: F811
    from cases.dossier.services import entry_add

    return entry_add(
        case=full_case, author=cast.af, kind="observation",
        occurred_on=timezone.localdate() - dt.timedelta(days=1),
        description=NEIGHBOUR, place="Schoolplein", situation="Ophalen",
    )  # fmt: skip


WHY = "Hulp loopt; het kind vertelde dit in vertrouwen."


def span_of(text: str, words: str) -> tuple[str, int, int]:
    from cases.pdf.redaction import text_key

    start = text.index(words)
    return text_key(text), start, start + len(words)


def review_all(request, by, *, reject=(), hide=(), withhold=None):
    """Go through every part as `by`: every suggestion accepted except those that hold
    words of `reject` (as the reviewer unticks what the page shows); the words in `hide`
    marked by hand; `withhold`: {entry id: ground}."""
    from cases.inzage.services import draft_save, review_submit
    from cases.pdf.redaction import child_names, parents_suggestions, text_key
    from cases.pdf.services import review_units
    from cases.pdf.suggestions import Suggester

    suggester = Suggester.for_school(request.case.school)
    child = child_names(request.case)

    withhold = withhold or {}
    units = review_units(request.case)
    for unit in units:
        rejected, manual = {}, {}
        for text in unit["texts"]:
            for span in parents_suggestions(suggester, text, child=child):
                if any(words in span.of(text) for words in reject):
                    rejected.setdefault(text_key(text), []).append((span.start, span.end))
            for words in hide:
                if words in text:
                    key, start, end = span_of(text, words)
                    manual.setdefault(key, []).append((start, end))
        ground = withhold.get(unit["entry_id"], "")
        draft_save(
            request=request, by=by, unit=unit, rejected=rejected, manual=manual,
            ground=ground, explanation=WHY if ground else "",
        )  # fmt: skip
    return review_submit(request=request, by=by, units=units)
