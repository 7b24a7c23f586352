import datetime as dt
import shutil
import subprocess

import pytest
from django.utils import timezone

from cases.dossier.services import entry_add
from cases.models import Case
from cases.report.services import report_record
from cases.weighing.services import weighing_record
from cases.workflow import Step
from tests.cases.factories import make_case
from tests.factories import PupilFactory

SOURCE_NAME = "een ouder uit groep 7"
SOURCE_ROLE = "ouder van een klasgenoot"


def pdf_text(pdf: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is needed: sudo apt-get install poppler-utils")
    path = tmp_path / "dossier.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_info(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def full_case(cast):
    """A case in 5b with every kind of record the PDF shows."""
    pupil = PupilFactory(
        school=cast.school, first_name="Zoë", last_name="Ëlstrand", group="5",
        date_of_birth=timezone.localdate() - dt.timedelta(days=9 * 365 + 40),
    )  # fmt: skip
    case = make_case(opened_by=cast.leerkracht, pupil=pupil, step=Step.WEIGH)
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - dt.timedelta(days=30))
    case.refresh_from_db()
    day = timezone.localdate() - dt.timedelta(days=20)
    observation = entry_add(
        case=case, author=cast.af, kind="observation", occurred_on=day,
        description="Blauwe plekken op de bovenarmen; Zoë trok snel haar trui aan.",
        place="Gymzaal", situation="Omkleden", others_present="J.K.",
        signals=["lichamelijk-welzijn.oververmoeid"],
    )  # fmt: skip
    entry_add(
        case=case, author=cast.af, kind="correction", occurred_on=day, links_to=observation,
        reason="Verkeerde arm genoteerd.", description="Op de rechterarm, niet beide armen.",
    )  # fmt: skip
    entry_add(
        case=case, author=cast.af, kind="hypothesis", occurred_on=day,
        description="Mogelijk wordt het kind thuis hardhandig vastgepakt.",
    )  # fmt: skip
    entry_add(
        case=case, author=cast.af, kind="third_party", occurred_on=day,
        source=SOURCE_NAME, source_role=SOURCE_ROLE, source_consent=True,
        description="Hoort 's avonds vaak geschreeuw.",
    )  # fmt: skip
    weighing_record(
        case=case, by=cast.af,
        answers={1: ("yes", "Vermoeden."), 2: ("doubt", "Twijfel over veiligheid."),
                 3: ("yes", "SMW kan helpen."), 4: ("no", "Ouders weigeren.")},
        report_needed=True, help_possible=False,
    )  # fmt: skip
    from cases.services import case_advance

    case_advance(case=case, to=Step.REPORT, by=cast.af)
    report_record(
        case=case, by=cast.af, reported_on=timezone.localdate(), reported_by=cast.af,
        parents_told_on=timezone.localdate(), reference="VT-PDF-1",
    )  # fmt: skip
    return case
