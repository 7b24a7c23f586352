"""Fixtures for the dossier: an open case of the cast's pupil, and a quick way to add."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases.dossier.services import entry_add
from cases.models import Entry
from cases.services import case_open
from meldcode.models import Role
from tests.factories import PupilFactory, member

Kind = Entry.Kind
TAG_BRUISES = "lichamelijk-welzijn.blauwe-plekken-brandwonden-botbreuken-snij-krab"
TAG_HUNGRY = "lichamelijk-welzijn.kind-is-hongerig"


@pytest.fixture
def case(cast):
    """A case of `cast.pupil` (Roos Testhuis), opened by the leerkracht, in step 1."""
    return case_open(pupil=cast.pupil, by=cast.leerkracht)


@pytest.fixture
def classmate(cast):
    """Another pupil of the same school, whose name must not end up in the dossier."""
    return PupilFactory(school=cast.school, first_name="Jasmijn", last_name="Kortenhoeven")


@pytest.fixture
def orthopedagoog(cast):
    """An IB'er at the school who is qualified for diagnoses."""
    return member(cast.school, Role.IB, username="orthopedagoog", can_diagnose=True)


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


OBSERVATION = {
    "place": "Schoolplein",
    "situation": "Buitenspelen na de lunch",
    "others_present": "J.K., M.",
    "description": "Rode striemen op de linkerarm.",
}


@pytest.fixture
def observe(case, cast):
    """`observe(**overrides)`: the leerkracht records an observation on `case`."""

    def add(**overrides) -> Entry:
        fields = {**OBSERVATION, **overrides}
        return entry_add(case=case, author=cast.leerkracht, kind=Kind.OBSERVATION, **fields)

    return add


@pytest.fixture
def hypothesis(case, cast) -> Entry:
    return entry_add(
        case=case,
        author=cast.leerkracht,
        kind=Kind.HYPOTHESIS,
        description="Mogelijk krijgt het kind thuis te weinig eten.",
    )
