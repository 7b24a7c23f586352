import datetime as dt

import pytest
from django.utils import timezone

from cases.inzage.models import Requester
from cases.inzage.services import inzage_request_record
from tests.cases.inzage.reviews import review_all, span_of  # noqa: F401
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
