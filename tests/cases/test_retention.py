"""Bewaartermijn: a closed case past its school's term is purged with everything it holds;
an open case never; the chains still verify; one purge record without content stays."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from cases.access_log import access_log_verify, access_log_write
from cases.consultations.services import consent_record
from cases.dossier.services import entry_add
from cases.models import AccessLog, Case, Entry, PurgeRecord, Seal
from cases.retention import expires_on, purge_case
from cases.seal import dossier_verify
from cases.services import case_advance, case_grant, case_open
from cases.workflow import Step
from meldcode.models import Pupil, RetentionFrom
from tests.cases.uploads import pdf_file, upload_root  # noqa: F401
from tests.clock import today
from tests.factories import PupilFactory
from tests.tamper import as_owner

# The purge runs as the owner role (CI's app-role run reconnects): commit first.
pytestmark = pytest.mark.django_db(transaction=True)

FIRST, LAST = "Wilhelmientje", "Vergeetmeniet"


@pytest.fixture
def leaver(cast):
    return PupilFactory(
        school=cast.school, first_name=FIRST, last_name=LAST, date_of_birth=dt.date(2015, 3, 9)
    )


@pytest.fixture
def closed_case(cast, leaver, upload_root):  # noqa: F811
    """A closed case of a pupil who left three years ago, with entries, signals, consent
    with its signed form, a colleague's grant, a read and a change of responsibility."""
    case = case_open(pupil=leaver, by=cast.leerkracht)
    entry_add(
        case=case, author=cast.leerkracht, kind=Entry.Kind.OBSERVATION, occurred_on=today(),
        description=f"{FIRST} had blauwe plekken.", place="Klas", situation="Gym",
        signals=["lichamelijk-welzijn.oververmoeid"],
    )  # fmt: skip
    case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    consent_record(case=case, by=cast.ib, status="given", on=today(), form=pdf_file())
    case_grant(case=case, person=cast.leerkracht_b, level="read", by=cast.ib)
    access_log_write(user=cast.ib, case_id=case.pk, action="view")
    case_advance(case=case, to=Step.TALK, by=cast.ib)
    case_advance(case=case, to=Step.CLOSED, by=cast.ib, reason="Zorgen weggenomen na overleg.")
    Pupil.objects.filter(pk=leaver.pk).update(left_on=today() - dt.timedelta(days=3 * 365))
    case.refresh_from_db()
    return case


def test_the_default_term_is_two_years_after_the_pupil_left(cast, leaver, closed_case):
    assert cast.school.retention_years == 2
    assert cast.school.retention_from == RetentionFrom.PUPIL_LEFT
    left = closed_case.pupil.left_on
    assert expires_on(closed_case) == left.replace(year=left.year + 2)


def test_a_pupil_who_has_not_left_keeps_their_closed_case(cast, closed_case):
    Pupil.objects.filter(pk=closed_case.pupil_id).update(left_on=None)
    closed_case.refresh_from_db()
    assert expires_on(closed_case) is None


def test_a_school_may_count_from_closing_instead(cast, closed_case):
    cast.school.retention_from = RetentionFrom.CASE_CLOSED
    cast.school.retention_years = 5
    cast.school.save()
    closed_case.refresh_from_db()
    closed_on = timezone.localdate(closed_case.step_entered_at)
    assert expires_on(closed_case) == closed_on.replace(year=closed_on.year + 5)


def test_an_open_case_is_never_purged(cast, leaver):
    case = case_open(pupil=leaver, by=cast.leerkracht)
    Pupil.objects.filter(pk=leaver.pk).update(left_on=today() - dt.timedelta(days=3000))
    assert expires_on(case) is None
    with pytest.raises(ValidationError, match="open"), as_owner():
        purge_case(case, today=today())
    call_command("purge_expired")
    assert Case.objects.filter(pk=case.pk).exists()


def test_dry_run_lists_and_deletes_nothing(closed_case, capsys):
    call_command("purge_expired", "--dry-run")
    out = capsys.readouterr().out
    assert f"would purge case {closed_case.pk}" in out
    assert LAST not in out and FIRST not in out
    assert Case.objects.filter(pk=closed_case.pk).exists()
    assert not PurgeRecord.objects.exists()


def all_text_in_the_database() -> str:
    """Every text value of every table, history tables and the admin log included."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = [
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
            ]
            names = ", ".join(connection.ops.quote_name(column) for column in columns)
            cursor.execute(f"SELECT {names} FROM {connection.ops.quote_name(table)}")
            chunks.extend(" | ".join(map(str, row)) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_the_purge_leaves_no_row_that_mentions_the_pupil(closed_case, upload_root, cast):  # noqa: F811
    files = list(upload_root.iterdir())
    assert files  # the signed consent form
    before = all_text_in_the_database()
    assert LAST in before and "2015-03-09" in before  # the search finds them while they exist
    with as_owner():
        call_command("purge_expired")
    text = all_text_in_the_database()
    assert FIRST not in text and LAST not in text
    assert "2015-03-09" not in text and "blauwe plekken" not in text
    assert not Case.objects.filter(pk=closed_case.pk).exists()
    assert not Pupil.objects.filter(last_name=LAST).exists()
    assert not any(path.exists() for path in files)
    assert not Seal.objects.filter(chain=f"case:{closed_case.pk}").exists()


def test_the_purge_record_says_what_and_when_without_content(closed_case):
    seals = Seal.objects.filter(chain=f"case:{closed_case.pk}").count()
    with as_owner():
        call_command("purge_expired")
    record = PurgeRecord.objects.get()
    assert record.case_number == closed_case.pk
    assert record.seals == seals and len(record.last_seal_hash) == 64
    assert record.records > seals  # the records, their history and grants
    assert record.access_rows_blanked == AccessLog.objects.filter(purged=True).count() >= 1
    assert record.pupil_deleted
    assert "2 years" in record.rule or "2 jaar" in record.rule


def test_every_chain_still_verifies_after_a_purge(closed_case, cast):
    other = case_open(pupil=cast.pupil, by=cast.leerkracht)
    access_log_write(user=cast.ib, case_id=other.pk, action="view")
    with as_owner():
        call_command("purge_expired")
    assert dossier_verify().holds
    assert access_log_verify().holds
    assert Seal.objects.filter(chain=f"case:{other.pk}").exists()
    assert AccessLog.objects.filter(case_id=other.pk).exists()
    call_command("verify_dossiers")


def test_a_case_within_its_term_is_kept(closed_case):
    Pupil.objects.filter(pk=closed_case.pupil_id).update(left_on=today() - dt.timedelta(days=30))
    with as_owner():
        call_command("purge_expired")
    assert Case.objects.filter(pk=closed_case.pk).exists()


def test_the_pupil_stays_while_another_case_of_theirs_remains(closed_case, cast, leaver):
    case_open(pupil=leaver, by=cast.leerkracht)
    with as_owner():
        call_command("purge_expired")
    assert not Case.objects.filter(pk=closed_case.pk).exists()
    assert Pupil.objects.filter(pk=leaver.pk).exists()


def test_the_purge_takes_a_released_inzage_copy_and_its_review_with_it(closed_case, cast):
    from cases.inzage.models import InzageRelease, InzageRequest, ReviewDraft
    from cases.inzage.services import inzage_release, inzage_request_record
    from tests.cases.inzage.reviews import review_all

    request = inzage_request_record(
        case=closed_case, by=cast.af, requester="parent", requester_name="Een ouder",
        received_on=today(), handled_by=cast.af,
    )  # fmt: skip
    review_all(request, cast.af)
    release = inzage_release(request=request, by=cast.directie)
    assert release.path.exists()
    with as_owner():
        call_command("purge_expired")
    assert not release.path.exists()
    assert not InzageRequest.objects.exists() and not InzageRelease.objects.exists()
    assert not ReviewDraft.objects.exists()
    assert dossier_verify().holds


def test_the_purge_takes_the_cases_pdf_exports_with_it(closed_case, cast):
    from cases.pdf.exports import pdf_export_request
    from cases.pdf.models import PdfExport

    export = pdf_export_request(case=closed_case, version="inspectie", by=cast.af)
    export.refresh_from_db()
    assert export.state == "ready" and export.pdf is not None  # waiting for its download
    with as_owner():
        call_command("purge_expired")
    assert not PdfExport.objects.exists()
