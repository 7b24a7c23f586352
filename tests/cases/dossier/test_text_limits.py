"""Free text fits a real dossier: a length limit and no control characters, with a Dutch
message next to the field and nothing saved."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.dossier.services import entry_add
from cases.models import Entry
from meldcode.text_guard import LONG_TEXT


def post_hypothesis(client, case, description: str):
    return client.post(
        reverse("cases:entry_new", args=[case.pk, "hypothesis"]),
        {"occurred_on": case.opened_at.date().isoformat(), "description": description},
    )


def test_an_entry_over_the_limit_gets_a_message_at_the_field(cast, case, client_for):
    response = post_hypothesis(client_for(cast.leerkracht), case, "x" * (LONG_TEXT + 1))
    assert response.status_code == 200
    errors = response.context["form"].errors["description"]
    assert any("te lang" in error and "10000" in error.replace(".", "") for error in errors)
    assert not Entry.objects.filter(case=case).exists()


def test_an_entry_at_the_limit_is_kept(cast, case, client_for):
    response = post_hypothesis(client_for(cast.leerkracht), case, "x" * LONG_TEXT)
    assert response.status_code == 302
    assert Entry.objects.filter(case=case).count() == 1


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\u202e", "\u2066"])
def test_a_control_character_is_refused_at_the_field(cast, case, client_for, char):
    response = post_hypothesis(client_for(cast.leerkracht), case, f"Geen{char}ontbijt gehad.")
    assert response.status_code == 200
    errors = response.context["form"].errors["description"]
    assert any("stuurteken" in error and f"U+{ord(char):04X}" in error for error in errors)
    assert not Entry.objects.filter(case=case).exists()


def test_tabs_and_line_breaks_are_ordinary_text(cast, case, client_for):
    response = post_hypothesis(client_for(cast.leerkracht), case, "Eerste regel.\r\n\tTweede.")
    assert response.status_code == 302


def test_the_service_refuses_a_megabyte_entry_without_saving(cast, case):
    with pytest.raises(ValidationError) as refused:
        entry_add(
            case=case,
            author=cast.leerkracht,
            kind=Entry.Kind.HYPOTHESIS,
            occurred_on=case.opened_at.date(),
            description="x" * 1_000_000,
        )
    assert "description" in refused.value.message_dict
    assert not Entry.objects.filter(case=case).exists()


def test_the_service_refuses_a_nul_byte(cast, case):
    with pytest.raises(ValidationError):
        entry_add(
            case=case,
            author=cast.leerkracht,
            kind=Entry.Kind.HYPOTHESIS,
            occurred_on=case.opened_at.date(),
            description="Geen\x00ontbijt.",
        )
    assert not Entry.objects.filter(case=case).exists()
