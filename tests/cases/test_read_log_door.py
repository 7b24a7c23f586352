"""One door for reading a case: every URL under `cases:` that shows a case writes exactly
one access-log row per GET. The URLs come from the resolver, so a new page is asked too;
a URL that shows no record of a case is declared below with its reason, and a URL that is
neither logged nor declared fails the test."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cases.access_log import AccessLog
from cases.workflow import Step
from tests.authz.world import objects_for
from tests.cases.factories import make_case
from tests.factories import PupilFactory

# A GET of these shows no record of a case, so it writes no read row.
NO_CASE_CONTENT: dict[str, str] = {
    "cases:list": "a list of cases: who, which step; no record of any case",
    "cases:new": "the form that opens a case; there is no case yet",
    "cases:quick_record": "Snel vastleggen's form: pupils by name, an open case only as a link",
    "cases:quick_pupil_search": "the type-ahead: names and groups of the school's pupils",
    "cases:actions": "a list of what waits for the person; no record of any case",
    "cases:matrix": "the school's responsibility matrix, not a case",
    "cases:terms": "the school's terms per step, not a case",
    "cases:evaluation": "figures of the school, counted over cases, no record of one",
    "cases:evaluation_csv": "figures of the school, counted over cases, no record of one",
    "cases:evaluation_pdf": "figures of the school, counted over cases, no record of one",
    "cases:staff_signal_list": "signals about staff belong to no case (the log is per case)",
    "cases:staff_signal_new": "signals about staff belong to no case (the log is per case)",
    "cases:staff_signal_filed": "signals about staff belong to no case (the log is per case)",
    "cases:staff_signal_detail": "signals about staff belong to no case (the log is per case)",
    # POST only: a GET answers 405 and shows nothing. The views still wear the door, so a
    # POST that shows the page again (a refused form) is logged like the page itself.
    "cases:move": "POST only",
    "cases:anonymised_review_submit": "POST only",
    "cases:emergency": "POST only",
    "cases:responsible": "POST only",
    "cases:grant": "POST only",
    "cases:revoke": "POST only",
    "cases:meeting_report": "POST only",
    "cases:meeting_move": "POST only",
    "cases:meeting_cancel": "POST only",
    "cases:meeting_sign": "POST only",
    "cases:meeting_signoff": "POST only",
    "cases:agreement_done": "POST only",
    "cases:action_agreement_done": "POST only",
    "cases:case_evaluation_new": "POST only",
    "cases:evaluation_theme_add": "POST only",
    "cases:staff_signal_action": "POST only",
    "cases:inzage_extend": "POST only",
    "cases:inzage_refuse": "POST only",
    "cases:inzage_review_submit": "POST only",
    "cases:inzage_approve": "POST only",
    "cases:staff_signal_pupil": "POST only; signals about staff belong to no case",
    "cases:staff_signal_retention": "the board's retention term of staff signals, no case",
    # The dossier PDF: its download (cases:pdf_download) writes the export row.
    "cases:pdf": "the button that asks for the PDF; a POST queues it and shows nothing",
    "cases:pdf_export": "the PDF being prepared or ready: its state, no record of the case",
    "cases:leaving_item": "POST only",
    "cases:leaving_close": "POST only",
}

STRING_ARGS = {"to": "closed", "kind": "melding", "version": "inspectie", "item": "parents"}
# The weighing page answers only in step 4: it is asked of a case in that step.
IN_STEP_4 = {"cases:weighing_new"}


def case_urls() -> list[tuple[str, tuple[str, ...]]]:
    """Every named URL under the `cases:` namespace, with its arguments, from the resolver."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield namespace + pattern.name, tuple(pattern.pattern.converters)

    found = {item for item in walk(get_resolver().url_patterns) if item[0].startswith("cases:")}
    return sorted(found)


def kwargs_for(name: str, args, objects, weighed_case) -> dict:
    case = weighed_case if name in IN_STEP_4 else objects.case
    ids = {
        "pk": objects.signal.pk if name.startswith("cases:staff_signal") else case.pk,
        "upload_id": objects.upload.pk,
        "meeting_id": objects.meeting.pk,
        "agreement_id": objects.agreement.pk,
        "plan_id": objects.plan.pk,
        "report_id": objects.report.pk,
        "pupil_id": objects.pupil.pk,
        "request_id": objects.inzage_request.pk,
        "release_id": objects.release.pk,
        "export_id": objects.export.pk,
    }
    kwargs = {}
    for arg in args:
        if arg in ids:
            kwargs[arg] = ids[arg]
        elif arg == "kind" and name == "cases:entry_new":
            kwargs[arg] = "observation"
        else:
            kwargs[arg] = STRING_ARGS[arg]
    return kwargs


@pytest.fixture
def world(cast, settings, tmp_path):
    """A case in step 5b with a record of every kind (tests/authz/world.py), and a case in
    step 4 for the weighing page; the aandachtsfunctionaris may see both."""
    settings.MELDCODE_UPLOAD_ROOT = tmp_path
    objects = objects_for(cast.school, cast.pupil, cast.leerkracht, cast.af, cast.bestuur)
    weighed = make_case(
        opened_by=cast.leerkracht,
        pupil=PupilFactory(school=cast.school),
        step=Step.WEIGH,
        responsible=cast.af,
    )
    return objects, weighed


def new_rows(before: int) -> list[AccessLog]:
    return list(AccessLog.objects.order_by("pk")[before:])


def test_every_page_of_a_case_writes_exactly_one_read_row(cast, world, client_for):
    objects, weighed = world
    client = client_for(cast.af)
    wrong = []
    for name, args in case_urls():
        if name in NO_CASE_CONTENT:
            continue
        url = reverse(name, kwargs=kwargs_for(name, args, objects, weighed))
        before = AccessLog.objects.count()
        response = client.get(url)
        rows = new_rows(before)
        expected_case = weighed if name in IN_STEP_4 else objects.case
        if response.status_code != 200:
            wrong.append(f"{name}: GET {url} answered {response.status_code}, not the page")
        elif len(rows) != 1:
            wrong.append(f"{name}: GET {url} wrote {len(rows)} access-log rows, not one")
        elif (rows[0].user, rows[0].case_id) != (cast.af, expected_case.pk):
            wrong.append(f"{name}: the row names {rows[0]}, not this read")
    assert not wrong, (
        "Every page that shows a case goes through the door (cases.access.reads_case); "
        "a page without case content is declared in NO_CASE_CONTENT with its reason:\n"
        + "\n".join(wrong)
    )


def test_a_url_without_case_content_writes_no_read_row(cast, world, client_for):
    objects, weighed = world
    client = client_for(cast.directie)
    for name, args in case_urls():
        if name not in NO_CASE_CONTENT:
            continue
        before = AccessLog.objects.count()
        client.get(reverse(name, kwargs=kwargs_for(name, args, objects, weighed)))
        assert new_rows(before) == [], name


def test_every_declared_url_still_exists():
    assert set(NO_CASE_CONTENT) <= {name for name, _args in case_urls()}


@pytest.mark.parametrize(
    "name", ["cases:meeting_detail", "cases:help_evaluation_new", "cases:report_response"]
)
def test_the_talk_the_help_plan_and_the_answer_of_veilig_thuis_are_logged_reads(
    cast, world, client_for, name
):
    objects, weighed = world
    args = dict(case_urls())[name]
    before = AccessLog.objects.count()
    response = client_for(cast.af).get(
        reverse(name, kwargs=kwargs_for(name, args, objects, weighed))
    )
    assert response.status_code == 200
    assert [(row.user, row.case_id, row.action) for row in new_rows(before)] == [
        (cast.af, objects.case.pk, AccessLog.Action.VIEW)
    ]


def test_a_refused_move_shows_the_case_page_again_and_logs_that_read_once(cast, client_for):
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.SIGNALS)
    before = AccessLog.objects.count()
    response = client_for(cast.leerkracht).post(
        reverse("cases:move", args=[case.pk, Step.CONSULT]), {"seen_step": Step.SIGNALS}
    )
    assert response.status_code == 200  # the move needs a reason: the page again, with errors
    assert [(row.case_id, row.action) for row in new_rows(before)] == [
        (case.pk, AccessLog.Action.VIEW)
    ]


def test_an_action_that_redirects_shows_nothing_and_logs_no_read(cast, client_for):
    case = make_case(opened_by=cast.leerkracht, pupil=cast.pupil, step=Step.SIGNALS)
    before = AccessLog.objects.count()
    response = client_for(cast.leerkracht).post(
        reverse("cases:move", args=[case.pk, Step.CONSULT]), {"seen_step": Step.TALK}
    )
    assert response.status_code == 302  # a stale page: back to the case, which logs itself
    assert new_rows(before) == []
