"""The responsibility matrix settings page: aandachtsfunctionaris and directie edit it,
every step keeps at least one role, and its changes keep their history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.matrix import MATRIX_ROLES, matrix_save, school_matrix
from cases.models import DEFAULT_MATRIX, StepResponsibility
from cases.workflow import Step

URL = reverse("cases:matrix")


def grid(matrix) -> dict:
    return {
        f"cell_{step.value}_{role}": "on"
        for step, roles in matrix.items()
        for role in roles
        if role in MATRIX_ROLES
    }


def test_the_page_shows_the_default_matrix_as_ticked_boxes(cast, client_for):
    response = client_for(cast.af).get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["cell_1_leerkracht"].value() is True
    assert form["cell_2_leerkracht"].value() is False


def test_saving_replaces_the_schools_rows(cast, client_for):
    wanted = {step: set(roles) for step, roles in DEFAULT_MATRIX.items()}
    wanted[Step.WEIGH] = {"ib", "aandachtsfunctionaris"}
    response = client_for(cast.directie).post(URL, grid(wanted))
    assert response.status_code == 302
    assert school_matrix(cast.school) == wanted
    assert StepResponsibility.objects.filter(school=cast.school, step="4").count() == 2


def test_a_step_without_a_role_is_refused_with_a_dutch_error_next_to_that_row(cast, client_for):
    wanted = {step: set(roles) for step, roles in DEFAULT_MATRIX.items()}
    wanted[Step.TALK] = set()
    response = client_for(cast.af).post(URL, grid(wanted))
    assert response.status_code == 200
    rows = {row["step"]: row["errors"] for row in response.context["form"].rows()}
    assert rows[Step.TALK] and not rows[Step.CONSULT]
    assert "Kies minstens één rol voor deze stap." in response.text
    assert not StepResponsibility.objects.exists()


def test_the_service_refuses_an_empty_step_too(cast):
    with pytest.raises(ValidationError):
        matrix_save(school=cast.school, matrix={step: set() for step in Step}, by=cast.af)


@pytest.mark.parametrize("who", ["leerkracht", "ib", "bestuur", "other_leerkracht"])
def test_only_af_and_directie_edit_the_matrix(cast, who):
    with pytest.raises(PermissionDenied):
        matrix_save(school=cast.school, matrix=DEFAULT_MATRIX, by=getattr(cast, who))


def test_changes_keep_their_history_with_who_made_them(cast, client_for):
    matrix_save(school=cast.school, matrix=DEFAULT_MATRIX, by=cast.af)
    changed = {step: set(roles) for step, roles in DEFAULT_MATRIX.items()}
    changed[Step.SIGNALS] = {"ib"}
    matrix_save(school=cast.school, matrix=changed, by=cast.directie)
    removed = StepResponsibility.history.filter(history_type="-")
    assert {(h.step, h.role, h.history_user) for h in removed} == {
        ("1", "leerkracht", cast.directie),
        ("1", "aandachtsfunctionaris", cast.directie),
        ("1", "directie", cast.directie),
    }
    response = client_for(cast.af).get(URL)
    assert (
        len(response.context["changes"])
        == removed.count() + StepResponsibility.history.filter(history_type="+").count()
    )


def test_the_first_edit_records_only_what_it_changes(cast):
    changed = {step: set(roles) for step, roles in DEFAULT_MATRIX.items()}
    changed[Step.CONSULT] = {"ib", "leerkracht"}
    matrix_save(school=cast.school, matrix=changed, by=cast.af)
    history = StepResponsibility.history.all()
    assert [(h.history_type, h.step, h.role, h.history_user) for h in history] == [
        ("+", "2", "leerkracht", cast.af)
    ]
    assert school_matrix(cast.school) == changed
