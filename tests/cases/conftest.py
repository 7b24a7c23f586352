import pytest

from cases.workflow import Step
from tests.cases.factories import make_case

# Someone of the cast who may act in each step under the default matrix.
ACTOR_FOR_STEP = {
    Step.SIGNALS: "leerkracht",
    Step.CONSULT: "ib",
    Step.TALK: "ib",
    Step.WEIGH: "af",
    Step.HELP: "af",
    Step.REPORT: "af",
    Step.CLOSED: "af",
}


@pytest.fixture
def case_at(cast):
    """`case_at(step)`: a case of `cast.pupil`, opened by `cast.leerkracht`, in `step`."""

    def build(step: Step = Step.SIGNALS, **extra):
        extra.setdefault("opened_by", cast.leerkracht)
        extra.setdefault("pupil", cast.pupil)
        return make_case(step=step, **extra)

    return build


@pytest.fixture
def case(case_at):
    return case_at(Step.SIGNALS)
