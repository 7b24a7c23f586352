"""Project hygiene that a fresh clone and CI rely on."""

from io import StringIO
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.core.management import call_command

CATALOGUE = Path(__file__).resolve().parents[2] / "meldcode/locale/nl/LC_MESSAGES/django.po"


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_dutch_catalogue_has_no_untranslated_or_fuzzy_string():
    with CATALOGUE.open("rb") as fh:
        catalogue = read_po(fh)
    untranslated = [
        message.id
        for message in catalogue
        if message.id
        and (not message.string or (isinstance(message.string, tuple) and not all(message.string)))
    ]
    fuzzy = [message.id for message in catalogue if message.id and message.fuzzy]
    assert untranslated == []
    assert fuzzy == []
