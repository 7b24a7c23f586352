"""The seals cover the case itself, not only its records: the case's identity (pupil,
school, who opened it, when), who has been given access to it, and its documents' files.
A change made behind the application's back, with the application role's own rights
(it may update a case and insert a grant), is named by table and id."""

import importlib

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases.access_log import AccessLog
from cases.consultations.services import consent_record
from cases.models import VIEW_PERMISSION, AccessChange, Case, CaseUserObjectPermission, Seal
from cases.seal import dossier_verify
from cases.services import case_grant, case_revoke
from cases.workflow import Step
from tests.cases.uploads import jpeg_with_exif, pdf_file
from tests.tamper import tamper

# Tampering reconnects as the owner role under CI's application role: commit first.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.MELDCODE_UPLOAD_ROOT = tmp_path / "uploads"
    return settings.MELDCODE_UPLOAD_ROOT


def as_application(sql: str, params) -> None:
    """What the web server's own database role may do: no owner, no triggers switched off."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def named(report) -> list[tuple[str, int, str]]:
    return [(p.table, p.record_id, p.what) for p in report.problems]


def verify_names(*expected: str) -> None:
    """`manage.py verify_dossiers` fails and names each of `expected` in what it prints."""
    import io

    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_dossiers", stderr=err)
    for text in expected:
        assert text in err.getvalue()


IDENTITY = "its identity (pupil, school, who opened it, when) is not the one sealed at opening"


# --- the case's identity -------------------------------------------------------------


def test_a_case_is_sealed_with_its_identity_when_it_is_opened(case):
    first = Seal.objects.get(chain=f"case:{case.pk}", seq=1)
    assert (first.record, first.record_id) == ("cases.Case", case.pk)
    assert first.fields == "id,opened_at,opened_by_id,pupil_id,school_id"
    assert dossier_verify().holds


def test_a_case_moved_to_another_pupil_is_named(case, classmate):
    as_application("UPDATE cases_case SET pupil_id = %s WHERE id = %s", [classmate.pk, case.pk])
    assert named(dossier_verify()) == [("cases_case", case.pk, IDENTITY)]
    verify_names(f"table cases_case id={case.pk}]")


def test_a_case_moved_to_another_school_is_named(case, cast):
    as_application(
        "UPDATE cases_case SET school_id = %s WHERE id = %s", [cast.other_school.pk, case.pk]
    )
    assert named(dossier_verify()) == [("cases_case", case.pk, IDENTITY)]
    verify_names(f"table cases_case id={case.pk}]")


def test_a_case_with_another_opener_or_opening_time_is_named(case, cast):
    as_application("UPDATE cases_case SET opened_by_id = %s WHERE id = %s", [cast.af.pk, case.pk])
    assert named(dossier_verify()) == [("cases_case", case.pk, IDENTITY)]
    as_application(
        "UPDATE cases_case SET opened_by_id = %s WHERE id = %s", [cast.leerkracht.pk, case.pk]
    )
    assert dossier_verify().holds
    as_application("UPDATE cases_case SET opened_at = %s WHERE id = %s", [timezone.now(), case.pk])
    assert named(dossier_verify()) == [("cases_case", case.pk, IDENTITY)]


def test_what_a_case_may_change_leaves_its_seal_intact(case, cast):
    as_application(
        "UPDATE cases_case SET responsible_id = %s, step = %s WHERE id = %s",
        [cast.ib.pk, Step.CONSULT.value, case.pk],
    )
    assert dossier_verify().holds


def test_a_case_inserted_outside_the_application_is_named(case):
    as_application(
        "INSERT INTO cases_case (school_id, pupil_id, step, opened_by_id, opened_at, "
        "responsible_id, step_entered_at) SELECT school_id, pupil_id, step, opened_by_id, "
        "opened_at, responsible_id, step_entered_at FROM cases_case WHERE id = %s",
        [case.pk],
    )
    inserted = Case.objects.exclude(pk=case.pk).get()
    assert named(dossier_verify()) == [
        ("cases_case", inserted.pk, "it was inserted outside the application")
    ]


def test_the_migration_seals_the_identity_of_cases_opened_before(cast, case):
    [older] = Case.objects.bulk_create(  # no seal: as a case opened before identities were
        [Case(school=cast.school, pupil=cast.pupil, opened_by=cast.leerkracht, step="1")]
    )
    assert ("cases_case", older.pk, "it was inserted outside the application") in named(
        dossier_verify()
    )
    migration = importlib.import_module("cases.migrations.0016_seal_case_identity")
    migration.seal_case_identities(None, None)
    migration.seal_case_identities(None, None)  # once is enough: a second run adds nothing
    assert Seal.objects.filter(record="cases.Case", record_id=older.pk).count() == 1
    assert dossier_verify().holds


# --- grants --------------------------------------------------------------------------


def test_grants_given_and_taken_through_the_application_verify(case, cast):
    case_grant(case=case, person=cast.leerkracht_b, level="contribute", by=cast.ib)
    case_grant(case=case, person=cast.leerkracht_b, level="read", by=cast.ib)
    case_grant(case=case, person=cast.directie, level="read", by=cast.ib)
    case_revoke(case=case, person=cast.directie, by=cast.ib)
    assert dossier_verify().holds


def test_a_grant_inserted_for_a_teacher_of_another_school_is_named(case, cast):
    permission = Permission.objects.get(codename=VIEW_PERMISSION)
    as_application(
        "INSERT INTO cases_caseuserobjectpermission (permission_id, user_id, content_object_id) "
        "VALUES (%s, %s, %s)",
        [permission.pk, cast.other_leerkracht.pk, case.pk],
    )
    grant = CaseUserObjectPermission.objects.get(user=cast.other_leerkracht)
    assert named(dossier_verify()) == [
        ("cases_caseuserobjectpermission", grant.pk, "a grant no sealed change of access gave")
    ]
    verify_names(f"table cases_caseuserobjectpermission id={grant.pk}]")


def test_a_grant_widened_behind_the_application_is_named(case, cast):
    case_grant(case=case, person=cast.leerkracht_b, level="read", by=cast.ib)
    contribute = Permission.objects.get(codename="contribute_case")
    as_application(
        "INSERT INTO cases_caseuserobjectpermission (permission_id, user_id, content_object_id) "
        "VALUES (%s, %s, %s)",
        [contribute.pk, cast.leerkracht_b.pk, case.pk],
    )
    grant = CaseUserObjectPermission.objects.get(permission=contribute)
    assert [(p.table, p.record_id) for p in dossier_verify().problems] == [
        ("cases_caseuserobjectpermission", grant.pk)
    ]


def test_a_grant_kept_after_its_removal_is_named(case, cast):
    case_grant(case=case, person=cast.leerkracht_b, level="read", by=cast.ib)
    grant = CaseUserObjectPermission.objects.get(user=cast.leerkracht_b)
    case_revoke(case=case, person=cast.leerkracht_b, by=cast.ib)
    as_application(
        "INSERT INTO cases_caseuserobjectpermission (id, permission_id, user_id, "
        "content_object_id) VALUES (%s, %s, %s, %s)",
        [grant.pk, grant.permission_id, cast.leerkracht_b.pk, case.pk],
    )
    assert named(dossier_verify()) == [
        ("cases_caseuserobjectpermission", grant.pk, "a grant no sealed change of access gave")
    ]


def test_a_grant_removed_behind_the_application_is_named(case, cast):
    change = case_grant(case=case, person=cast.leerkracht_b, level="read", by=cast.ib)
    as_application(
        "DELETE FROM cases_caseuserobjectpermission WHERE user_id = %s", [cast.leerkracht_b.pk]
    )
    assert named(dossier_verify()) == [
        ("cases_accesschange", change.pk, "the grant it gave (view_case) is missing")
    ]
    assert AccessChange.objects.count() == 1


# --- documents -----------------------------------------------------------------------


@pytest.fixture
def consent(case_at, cast):
    step2 = case_at(Step.CONSULT)
    return consent_record(
        case=step2, by=cast.ib, status="given", on=timezone.localdate(), form=pdf_file()
    )


REPLACEMENT = b"%PDF-1.4\n% another form, with another signature\n%%EOF\n"


def test_a_replaced_file_is_named(consent):
    consent.form.path.write_bytes(REPLACEMENT)
    assert named(dossier_verify()) == [
        ("cases_upload", consent.form.pk, "its file does not match its sealed hash")
    ]
    verify_names(f"table cases_upload id={consent.form.pk}]")


def test_a_removed_file_is_named(consent):
    consent.form.path.unlink()
    assert named(dossier_verify()) == [("cases_upload", consent.form.pk, "its file is missing")]


def test_a_replaced_consent_form_is_refused_at_download_and_the_attempt_logged(
    consent, cast, client_for
):
    consent.form.path.write_bytes(REPLACEMENT)
    before = AccessLog.objects.count()
    response = client_for(cast.af).get(
        reverse("cases:upload", args=[consent.case_id, consent.form_id])
    )
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    assert b"another signature" not in response.content
    assert "komt niet meer overeen met het zegel" in response.content.decode()
    rows = list(AccessLog.objects.order_by("pk")[before:])
    assert [(row.user, row.case_id, row.action) for row in rows] == [
        (cast.af, consent.case_id, AccessLog.Action.FILE_REFUSED)
    ]


def test_a_file_and_its_row_both_rewritten_are_refused_at_download(consent, cast, client_for):
    import hashlib

    consent.form.path.write_bytes(REPLACEMENT)
    tamper(
        "UPDATE cases_upload SET sha256 = %s, size = %s WHERE id = %s",
        [hashlib.sha256(REPLACEMENT).hexdigest(), len(REPLACEMENT), consent.form_id],
    )
    response = client_for(cast.af).get(
        reverse("cases:upload", args=[consent.case_id, consent.form_id])
    )
    assert response.status_code == 409
    assert ("cases_upload", consent.form_id, "it was rewritten") in named(dossier_verify())


def test_an_intact_image_still_downloads_as_an_attachment(case_at, cast, client_for):
    step2 = case_at(Step.CONSULT)
    consent = consent_record(
        case=step2, by=cast.ib, status="given", on=timezone.localdate(), form=jpeg_with_exif()
    )
    response = client_for(cast.af).get(reverse("cases:upload", args=[step2.pk, consent.form_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == consent.form.path.read_bytes()
    assert dossier_verify().holds
