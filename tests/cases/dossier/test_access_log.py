"""Every read of a case is logged in a hash chain that shows any change."""

from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from cases.access_log import access_log_export, access_log_verify, access_log_write
from cases.models import AccessLog
from cases.workflow import Step
from tests.tamper import tamper

# Tampering reconnects as the owner role under CI's application role: commit first.
tampering = pytest.mark.django_db(transaction=True)


@pytest.fixture
def honest_log(cast, case) -> list[AccessLog]:
    users = [cast.leerkracht, cast.ib, cast.af, cast.directie, cast.leerkracht]
    return [access_log_write(user=user, case_id=case.pk, action="view") for user in users]


def test_each_row_chains_to_the_one_before(honest_log):
    assert honest_log[0].prev_hash == ""  # the first row of the chain
    for before, after in pairwise(honest_log):
        assert after.prev_hash == before.row_hash
    assert all(len(row.row_hash) == 64 for row in honest_log)


def test_a_row_records_who_when_which_case_and_what(cast, case):
    row = access_log_write(user=cast.ib, case_id=case.pk, action="view")
    row.refresh_from_db()
    assert (row.user, row.username, row.case_id, row.action) == (cast.ib, "ib", case.pk, "view")
    assert row.at is not None


def test_an_export_is_logged(cast, case):
    row = access_log_export(user=cast.af, case=case)
    assert row.action == AccessLog.Action.EXPORT


def test_verify_passes_on_an_honest_log(honest_log, capsys):
    assert access_log_verify().holds
    call_command("verify_access_log")
    assert "5" in capsys.readouterr().out


@tampering
def test_verify_names_the_row_whose_content_was_changed_with_raw_sql(honest_log):
    target = honest_log[2]
    tamper("UPDATE cases_accesslog SET username = %s WHERE id = %s", ["iemand", target.pk])
    report = access_log_verify()
    assert report.first_broken.pk == target.pk
    with pytest.raises(CommandError, match=f"id={target.pk}"):
        call_command("verify_access_log")


@tampering
def test_verify_names_the_row_after_a_removed_row(honest_log):
    tamper("DELETE FROM cases_accesslog WHERE id = %s", [honest_log[1].pk])
    with pytest.raises(CommandError, match=f"id={honest_log[2].pk}"):
        call_command("verify_access_log")


@tampering
def test_verify_notices_a_rehashed_row(honest_log):
    """Changing a row and fixing its own hash still breaks the link of the next row."""
    target = honest_log[1]
    target.case_id = 999
    target.digest = target.compute_digest()
    fixed = target.compute_hash()
    tamper(
        "UPDATE cases_accesslog SET case_id = 999, digest = %s, row_hash = %s WHERE id = %s",
        [target.digest, fixed, target.pk],
    )
    assert access_log_verify().first_broken.pk == honest_log[2].pk


# --- reads through the screens ---------------------------------------------------------------


def test_viewing_the_dossier_writes_exactly_one_row(cast, case, client_for):
    before = AccessLog.objects.count()
    response = client_for(cast.leerkracht).get(case.get_absolute_url())
    assert response.status_code == 200
    rows = list(AccessLog.objects.order_by("pk")[before:])
    assert len(rows) == 1
    assert (rows[0].user, rows[0].case_id, rows[0].action) == (cast.leerkracht, case.pk, "view")


@pytest.mark.parametrize("username", ["leerkracht_b", "other_leerkracht", "outsider", "bestuur"])
def test_a_user_who_may_not_see_the_case_gets_404_and_a_denied_row(
    cast, case, client_for, username
):
    user = getattr(cast, username)
    response = client_for(user).get(case.get_absolute_url())
    assert response.status_code == 404
    row = AccessLog.objects.order_by("-pk").first()
    assert (row.user, row.case_id, row.action) == (user, case.pk, "denied")
    assert AccessLog.objects.filter(action="view").count() == 0


def test_a_case_that_does_not_exist_writes_a_denied_row_too(cast, client_for):
    response = client_for(cast.ib).get(reverse("cases:detail", args=[424242]))
    assert response.status_code == 404
    assert AccessLog.objects.filter(case_id=424242, action="denied", user=cast.ib).exists()


@pytest.mark.parametrize("username", ["af", "directie"])
def test_attention_officer_and_directie_see_who_read_the_case(cast, case, client_for, username):
    access_log_write(user=cast.leerkracht, case_id=case.pk, action="view")
    access_log_write(user=cast.leerkracht_b, case_id=case.pk, action="denied")
    response = client_for(getattr(cast, username)).get(reverse("cases:access_log", args=[case.pk]))
    assert response.status_code == 200
    assert str(cast.leerkracht) in response.text
    assert "kreeg geen toegang" in response.text
    assert "bekeek het dossier" in response.text


@pytest.mark.parametrize("username", ["leerkracht", "ib"])
def test_others_who_see_the_case_may_not_see_its_read_log(cast, case, client_for, username):
    response = client_for(getattr(cast, username)).get(reverse("cases:access_log", args=[case.pk]))
    assert response.status_code == 403


def test_the_read_log_of_a_case_of_another_school_is_not_found(cast, client_for):
    from cases.services import case_open

    other_case = case_open(pupil=cast.other_pupil, by=cast.other_leerkracht)
    response = client_for(cast.af).get(reverse("cases:access_log", args=[other_case.pk]))
    assert response.status_code == 404


def test_the_read_log_refuses_post(cast, case, client_for):
    response = client_for(cast.af).post(reverse("cases:access_log", args=[case.pk]))
    assert response.status_code == 405


def test_the_dossier_links_to_the_read_log_only_for_af_and_directie(cast, case, client_for):
    link = reverse("cases:access_log", args=[case.pk])
    assert link in client_for(cast.af).get(case.get_absolute_url()).text
    assert link not in client_for(cast.leerkracht).get(case.get_absolute_url()).text


def test_a_new_cases_read_log_leaves_out_misses_from_before_it_existed(cast, client_for, case_at):
    import datetime as dt

    from cases.models import Case

    case = case_at(Step.SIGNALS)
    assert client_for(cast.other_leerkracht).get(case.get_absolute_url()).status_code == 404
    miss = AccessLog.objects.get(case_id=case.pk, action="denied")
    # As if the number was tried before the case was opened (ids are known in advance).
    Case.objects.filter(pk=case.pk).update(opened_at=miss.at + dt.timedelta(microseconds=1))
    client_for(cast.ib).get(case.get_absolute_url())
    page = client_for(cast.af).get(reverse("cases:access_log", args=[case.pk]))
    assert cast.other_leerkracht.get_full_name() not in page.text
    assert cast.ib.get_full_name() in page.text


def test_a_number_too_long_for_the_database_is_a_plain_404(cast, client_for):
    client = client_for(cast.ib)
    assert client.get("/casussen/99999999999999999999/").status_code == 404
    assert client.get("/casussen/leerling/99999999999999999999/tijdlijn/").status_code == 404
    assert client.get("/sociale-kaart/99999999999999999999/").status_code == 404


@tampering
def test_a_row_rewritten_with_the_whole_chain_recomputed_without_the_key_is_caught(honest_log):
    """Someone with write access to the database but not the key rewrites a row and
    recomputes every later hash with plain sha256: the keyed hash gives them away."""
    import hashlib

    rows = list(AccessLog.objects.order_by("pk"))
    previous = rows[0].row_hash
    for row in rows[1:]:
        row.prev_hash = previous
        if row.pk == honest_log[1].pk:
            row.case_id = 999
        row.row_hash = hashlib.sha256(row.canonical()).hexdigest()
        tamper(
            "UPDATE cases_accesslog SET case_id = %s, prev_hash = %s, row_hash = %s WHERE id = %s",
            [row.case_id, row.prev_hash, row.row_hash, row.pk],
        )
        previous = row.row_hash
    assert access_log_verify().first_broken.pk == honest_log[1].pk


def test_verify_prints_the_last_row_to_keep_elsewhere(honest_log, capsys):
    call_command("verify_access_log")
    last = AccessLog.objects.order_by("pk").last()
    assert f"Last row: id={last.pk} hash={last.row_hash}" in capsys.readouterr().out


@tampering
def test_a_chain_emptied_or_cut_at_the_end_is_caught_against_kept_heads(honest_log, tmp_path):
    """Rows removed from the end, or a whole chain emptied (TRUNCATE), leave a chain that
    verifies on its own; the heads printed by an earlier run, kept elsewhere, catch it."""
    import io

    out = io.StringIO()
    call_command("verify_access_log", stdout=out)
    kept = tmp_path / "heads.txt"
    kept.write_text(out.getvalue())
    call_command("verify_access_log", "--heads", str(kept), stdout=io.StringIO())

    tamper("DELETE FROM cases_accesslog WHERE id = %s", [honest_log[-1].pk])
    call_command("verify_access_log", stdout=io.StringIO())  # the shorter chain still holds
    with pytest.raises(CommandError, match="was cut"):
        call_command("verify_access_log", "--heads", str(kept), stdout=io.StringIO())

    tamper("DELETE FROM cases_accesslog", [])
    with pytest.raises(CommandError, match="was cut"):
        call_command("verify_access_log", "--heads", str(kept), stdout=io.StringIO())
