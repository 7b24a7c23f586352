"""Mijn acties chases an inzage request for the aandachtsfunctionaris and the directie
until it ends in a release or a refusal."""

from django.utils import timezone

from cases.actions.services import actions_for
from cases.inzage.services import inzage_extend, inzage_refuse, inzage_release
from tests.cases.inzage.reviews import review_all


def inzage_items(user):
    return [item for item in actions_for(user) if item.kind == "inzage"]


def test_an_open_request_waits_for_the_af_and_the_directie_by_its_term(cast, inzage_request):
    for user in (cast.af, cast.directie):
        (item,) = inzage_items(user)
        assert item.due == inzage_request.due_on
        assert "Moeder van Zoë" in item.what
    for user in (cast.ib, cast.leerkracht, cast.other_leerkracht, cast.bestuur):
        assert inzage_items(user) == []


def test_an_extended_request_is_chased_by_its_new_term(cast, inzage_request):
    extension = inzage_extend(request=inzage_request, by=cast.af, reason="Veel stukken.",
                              told_on=timezone.localdate())  # fmt: skip
    assert [item.due for item in inzage_items(cast.af)] == [extension.due_on]


def test_a_reviewed_request_asks_the_colleague_to_approve(cast, inzage_request):
    review_all(inzage_request, cast.af)
    assert "akkoord van een collega" in inzage_items(cast.af)[0].what
    assert "geef akkoord" in inzage_items(cast.directie)[0].what


def test_a_released_request_is_no_longer_chased(cast, inzage_request):
    review_all(inzage_request, cast.af)
    inzage_release(request=inzage_request, by=cast.directie)
    assert inzage_items(cast.af) == [] and inzage_items(cast.directie) == []


def test_a_refused_request_is_no_longer_chased(cast, inzage_request):
    inzage_refuse(request=inzage_request, by=cast.directie, reason="Geen gezag.")
    assert inzage_items(cast.af) == []
