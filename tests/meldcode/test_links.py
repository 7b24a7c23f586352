"""`reverse_ids` gives the address `reverse` gives, also under a script prefix, for routes
with one id or more."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from meldcode.links import reverse_ids

ROUTES = [
    ("cases:detail", (7,)),
    ("cases:detail", (918273645,)),  # the stand-in itself is an ordinary id
    ("cases:meeting_detail", (12, 3)),
    ("cases:report_response", (1, 1)),
    ("cases:inzage_request", (40, 41)),
    ("cases:leaving", (123456789012,)),
]


@pytest.mark.parametrize(("name", "ids"), ROUTES)
def test_reverse_ids_gives_the_address_reverse_gives(name, ids):
    assert reverse_ids(name, *ids) == reverse(name, args=ids)


@pytest.mark.parametrize(("name", "ids"), ROUTES)
def test_reverse_ids_follows_the_script_prefix(name, ids):
    set_script_prefix("/meldcode/")
    try:
        assert reverse_ids(name, *ids).startswith("/meldcode/")
        assert reverse_ids(name, *ids) == reverse(name, args=ids)
    finally:
        clear_script_prefix()
    assert reverse_ids(name, *ids) == reverse(name, args=ids)


def test_a_case_links_to_its_page():
    from cases.models import Case

    assert Case(pk=5).get_absolute_url() == reverse("cases:detail", args=[5])
