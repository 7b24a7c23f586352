"""The advice the application derives from the afwegingsvragen, for every combination."""

import itertools

import pytest

from cases.weighing.services import derive_advice, report_required

ANSWERS = list(
    itertools.product(["yes", "no"], ["yes", "no", "doubt"], ["yes", "no"], ["yes", "no"])
)


def expected(q1, q2, q3, q4) -> tuple[bool, bool]:
    """The afwegingskader (seed 001, bijlage 4) written out as a table."""
    if q1 == "no":
        return (False, False)  # no suspicion: record and close
    help_works = q3 == "yes" and q4 == "yes"
    if q2 in ("yes", "doubt"):
        return (True, help_works)  # report at once; help may run alongside
    return (not help_works, help_works)  # report when help is impossible or refused


@pytest.mark.parametrize(("q1", "q2", "q3", "q4"), ANSWERS)
def test_the_advice_follows_the_afwegingskader_for_every_combination(q1, q2, q3, q4):
    advice = derive_advice({1: q1, 2: q2, 3: q3, 4: q4})
    assert (advice.report, advice.help) == expected(q1, q2, q3, q4)
    assert advice.close == (q1 == "no")


@pytest.mark.parametrize("q2", ["yes", "doubt"])
def test_question_2_yes_or_doubt_requires_a_report(q2):
    assert report_required({1: "yes", 2: q2})
    assert derive_advice({1: "yes", 2: q2, 3: "yes", 4: "yes"}).report


def test_question_2_no_requires_no_report_by_itself():
    assert not report_required({1: "yes", 2: "no"})


def test_no_suspicion_advises_closing_whatever_else_is_answered():
    assert derive_advice({1: "no"}).close
