"""Every case URL, requested by every member of the cast, answers exactly as need to know
says: 200 or a redirect after success, 403 when they may see but not do, 404 when they
may not see, and the login page for visitors.

The case is in step 2 (consultation), opened by `leerkracht`; the IB'er is responsible.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from cases.services import case_grant
from cases.workflow import Step
from meldcode.models import Role
from tests.conftest import pass_second_factor
from tests.factories import member

CAST = [
    "leerkracht",
    "leerkracht_b",
    "ib",
    "af",
    "directie",
    "other_leerkracht",
    "bestuur",
    "outsider",
    "anonymous",
]
OK, DONE, LOGIN = 200, 302, "login"


def row(leerkracht, leerkracht_b, ib, af, directie, other, bestuur, outsider, anonymous=LOGIN):
    answers = [leerkracht, leerkracht_b, ib, af, directie, other, bestuur, outsider, anonymous]
    return dict(zip(CAST, answers, strict=True))


EXPECTED = {
    # name: (method, expected per member of the cast)
    "list": ("get", row(OK, OK, OK, OK, OK, OK, 403, 403)),
    "new": ("get", row(OK, OK, OK, OK, OK, OK, 403, 403)),
    "detail": ("get", row(OK, 404, OK, OK, OK, 404, 404, 404)),
    "move": ("post", row(403, 404, DONE, 403, 403, 404, 404, 404)),
    "emergency": ("post", row(403, 404, DONE, DONE, DONE, 404, 404, 404)),
    "responsible": ("post", row(403, 404, 403, DONE, DONE, 404, 404, 404)),
    "grant": ("post", row(403, 404, DONE, DONE, DONE, 404, 404, 404)),
    "revoke": ("post", row(403, 404, DONE, DONE, DONE, 404, 404, 404)),
    "matrix": ("get", row(403, 403, 403, OK, OK, 403, 403, 403)),
}


@pytest.fixture
def setup(cast, case_at):
    case = case_at(Step.CONSULT, responsible=cast.ib)
    colleague = member(cast.school, Role.LEERKRACHT, username="leerkracht_c")
    case_grant(case=case, person=colleague, level="read", by=cast.ib)
    return case, colleague


def request_for(name, case, colleague, cast):
    pk = case.pk
    urls = {
        "list": (reverse("cases:list"), {}),
        "new": (reverse("cases:new"), {}),
        "detail": (reverse("cases:detail", args=[pk]), {}),
        "move": (reverse("cases:move", args=[pk, "3"]), {"seen_step": "2", "move-3-to": "3"}),
        "emergency": (
            reverse("cases:emergency", args=[pk]),
            {
                "emergency-police_called": "on",
                "emergency-police_at": f"{timezone.localtime():%Y-%m-%dT%H:%M}",
                "emergency-called_by": cast.ib.pk,
                "emergency-summary": "Kind durfde niet naar huis; politie gebeld.",
            },
        ),
        "responsible": (
            reverse("cases:responsible", args=[pk]),
            {"responsible-person": cast.ib.pk},
        ),
        "grant": (
            reverse("cases:grant", args=[pk]),
            {"grant-person": cast.leerkracht_b.pk, "grant-level": "read"},
        ),
        "revoke": (reverse("cases:revoke", args=[pk]), {"person": colleague.pk}),
        "matrix": (reverse("cases:matrix"), {}),
    }
    return urls[name]


@pytest.mark.parametrize("who", CAST)
@pytest.mark.parametrize("name", list(EXPECTED))
def test_every_case_url_answers_each_member_of_the_cast_as_need_to_know_says(
    cast, client, setup, name, who
):
    case, colleague = setup
    method, per_member = EXPECTED[name]
    expected = per_member[who]
    url, data = request_for(name, case, colleague, cast)
    if who != "anonymous":
        client.force_login(getattr(cast, who))
        pass_second_factor(client, getattr(cast, who))
    response = getattr(client, method)(url, data)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected, response.content[:500]
        if expected == DONE:
            assert response["Location"] == case.get_absolute_url()
            levels = [m.level_tag for m in get_messages(response.wsgi_request)]
            assert levels == ["success"]


@pytest.mark.parametrize("name", ["move", "emergency", "responsible", "grant", "revoke"])
def test_actions_refuse_get(cast, client_for, setup, name):
    case, colleague = setup
    url, _ = request_for(name, case, colleague, cast)
    assert client_for(cast.af).get(url).status_code == 405


@pytest.mark.parametrize("name", ["list", "detail", "matrix"])
def test_pages_refuse_other_methods(cast, client_for, setup, name):
    case, colleague = setup
    url, _ = request_for(name, case, colleague, cast)
    assert client_for(cast.af).delete(url).status_code == 405


def test_an_unknown_case_is_a_404_even_for_the_directie(cast, client_for, setup):
    assert client_for(cast.directie).get(reverse("cases:detail", args=[999999])).status_code == 404
