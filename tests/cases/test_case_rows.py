"""CaseRows: a long list's cases built from narrow rows read what `select_related` and
`case_row` would, each case, pupil and person once, and nothing more without a query."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, CaseRows, PersonRows
from cases.workflow import Step
from meldcode.models import User
from tests.cases.factories import make_case
from tests.factories import PupilFactory


def test_a_case_from_narrow_rows_is_the_case_with_its_pupil_and_responsible(cast):
    case = make_case(
        opened_by=cast.ib,
        pupil=PupilFactory(school=cast.school, first_name="Noor", infix="van", last_name="Dijk"),
        step=Step.TALK,
        responsible=cast.af,
    )
    rows = CaseRows(responsible=True)
    queryset = Case.objects.filter(pk=case.pk)
    (row,) = queryset.values_list("pk", *rows.columns)
    with CaptureQueriesContext(connection) as queries:
        built = rows.case(queryset.db, row, 1)
        read = (
            built.pk,
            built.school_id,
            built.step,
            built.step_entered_at,
            built.pupil.full_name,
            str(built),
            str(built.responsible),
            built.get_absolute_url(),
        )
    assert len(queries) == 0
    expected = Case.objects.select_related("pupil", "responsible").get(pk=case.pk)
    assert read == (
        expected.pk,
        expected.school_id,
        expected.step,
        expected.step_entered_at,
        "Noor van Dijk",
        str(expected),
        str(expected.responsible),
        expected.get_absolute_url(),
    )


def test_a_case_met_again_in_the_list_is_built_once(cast):
    first = make_case(opened_by=cast.ib, step=Step.SIGNALS)
    second = make_case(opened_by=cast.ib, step=Step.CONSULT, responsible=cast.af)
    rows = CaseRows(responsible=True)
    queryset = Case.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk")
    built = [rows.case(queryset.db, row) for row in [*queryset.values_list(*rows.columns)] * 2]
    assert [case.pk for case in built] == [first.pk, second.pk] * 2
    assert built[0] is built[2] and built[1] is built[3]
    # One person responsible for both cases is one object.
    assert built[0].responsible.pk == cast.ib.pk and built[1].responsible.pk == cast.af.pk


def test_a_case_without_a_responsible_person_has_none(cast):
    case = make_case(opened_by=cast.ib)
    Case.objects.filter(pk=case.pk).update(responsible=None)
    rows = CaseRows(responsible=True)
    queryset = Case.objects.filter(pk=case.pk)
    (row,) = queryset.values_list(*rows.columns)
    assert rows.case(queryset.db, row).responsible is None


def test_a_person_named_again_in_the_list_is_built_once(cast):
    people = PersonRows()
    rows = User.objects.filter(pk__in=[cast.ib.pk, cast.af.pk]).order_by("pk")
    found = [people.person(rows.db, row) for row in [*rows.values_list(*people.columns(""))] * 2]
    assert [str(person) for person in found] == [str(cast.ib), str(cast.af)] * 2
    assert found[0] is found[2] and found[1] is found[3]
    assert people.person(rows.db, (None, "", "", "")) is None
