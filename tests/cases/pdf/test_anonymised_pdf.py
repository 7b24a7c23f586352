"""The anonymised dossier PDF: no one can be recognised, also not by combining details
(AVG recital 26). Read back with pdftotext and pdfinfo."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.dossier.services import entry_add
from cases.models import Case
from cases.pdf.services import pdf_context, pdf_render
from meldcode.demo import REGENBOOG
from meldcode.models import Pupil, School, User
from socialmap.models import Organisation
from socialmap.national import NATIONAL_ENTRIES
from tests.cases.factories import make_case
from tests.cases.pdf.conftest import pdf_info, pdf_text
from tests.factories import PupilFactory

MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
EXACT_DATE = re.compile(rf"\b\d{{1,2}} (?:{MONTHS}) \d{{4}}\b|\b\d{{1,2}}-\d{{1,2}}-\d{{4}}\b")


def known_names(school: School) -> set[str]:
    """Every name the school knows: its pupils, its staff, itself."""
    names = {school.name}
    for pupil in Pupil.objects.filter(school=school):
        names |= {pupil.first_name, pupil.last_name, pupil.full_name}
    for user in User.objects.filter(memberships__school=school):
        names |= {user.first_name, user.last_name, user.get_full_name()}
    return {name for name in names if name}


def named(names: set[str], text: str) -> list[str]:
    return sorted(n for n in names if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text))


@pytest.fixture
def demo_world(db):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return School.objects.get(name=REGENBOOG)


def render(case, version, by, tmp_path) -> str:
    return pdf_text(pdf_render(case=case, version=version, by=by), tmp_path)


def test_no_anonymised_demo_dossier_names_anyone_the_school_knows(demo_world, tmp_path):
    """Nor its sociale kaart (an organisation's name often holds its town), nor a date."""
    af = User.objects.get(username="af")
    national = {entry["name"] for entry in NATIONAL_ENTRIES}
    names = (
        known_names(demo_world)
        | {org.name for org in Organisation.objects.filter(school=demo_world)} - national
    )
    cases = Case.objects.filter(school=demo_world)
    assert cases.count() >= 8
    for case in cases:
        pdf = pdf_render(case=case, version="anoniem", by=af)
        text, info = pdf_text(pdf, tmp_path), pdf_info(pdf, tmp_path)
        assert named(names, text) == [], f"case {case.pk}"
        assert named(names, info) == [], f"case {case.pk}"
        assert not EXACT_DATE.search(text), f"case {case.pk}"


def test_anonymised_days_count_from_the_day_the_case_was_opened(cast, full_case, tmp_path):
    text = render(full_case, "anoniem", cast.af, tmp_path)
    assert "Waarneming dag 10" in text  # opened 30 days ago, observed 20 days ago
    assert not EXACT_DATE.search(text)
    assert str(timezone.localdate().year) not in text


def test_anonymised_entries_are_numbered_within_the_pdf_not_by_database_id(cast, full_case):
    elsewhere = make_case(opened_by=cast.leerkracht, pupil=PupilFactory(school=cast.school))
    today = timezone.localdate()
    entry_add(case=elsewhere, author=cast.af, kind="observation", occurred_on=today,
              description="Een andere casus.", place="Klas", situation="Les")  # fmt: skip
    last = entry_add(case=full_case, author=cast.af, kind="observation", occurred_on=today,
                     description="Vandaag weer stil.", place="Klas", situation="Kring")  # fmt: skip

    def numbers(version: str) -> dict[str, object]:
        rows = pdf_context(case=full_case, version=version, by=cast.af)["entries"]
        flat = [row for top in rows for row in (top, *top["linked"])]
        return {row["description"]: row for row in flat}

    anonymous = numbers("anoniem")
    assert sorted(row["number"] for row in anonymous.values()) == [1, 2, 3, 4, 5]
    assert anonymous["Vandaag weer stil."]["number"] == 5 != last.pk
    correction = anonymous["Op de rechterarm, niet beide armen."]
    observation = next(r for r in anonymous.values() if r["kind"] == "observation")
    assert correction["target"]["number"] == observation["number"]
    assert numbers("inspectie")["Vandaag weer stil."]["number"] == last.pk


def test_anonymised_leaves_out_household_carers_contact_decisions_and_places(
    cast, full_case, tmp_path
):
    day = timezone.localdate() - dt.timedelta(days=2)
    entry_add(case=full_case, author=cast.af, kind="kindcheck", occurred_on=day,
              household="Twee zusjes van 4 en 6 jaar.", carers="Oma, drie middagen per week.",
              description="Nagevraagd bij de tweeling thuis.")  # fmt: skip
    entry_add(case=full_case, author=cast.af, kind="contact", occurred_on=day,
              contact_with="Moeder bij de poort", description="Kort gesproken.")  # fmt: skip
    entry_add(case=full_case, author=cast.af, kind="decision", occurred_on=day,
              decided_by="Het zorgoverleg van dinsdag", description="Bellen met VT.")  # fmt: skip
    text = render(full_case, "anoniem", cast.af, tmp_path)
    for detail in ("Twee zusjes", "Oma, drie", "tweeling", "Moeder bij de poort",
                   "zorgoverleg", "Gymzaal"):  # fmt: skip
        assert detail not in text
    assert "Kort gesproken." in text and "Bellen met VT." in text  # what happened stays


def test_anonymised_names_places_and_numbers_in_free_text_become_placeholders(
    cast, full_case, tmp_path
):
    entry_add(
        case=full_case, author=cast.af, kind="observation",
        occurred_on=timezone.localdate() - dt.timedelta(days=1),
        description="Buurvrouw Jolanda Pietersen (Lindelaan 12 in Goes, 06-12345678) zag "
        "Zoë op 3 maart huilen bij juf Lotte.",
        place="Schoolplein", situation="Ophalen",
    )  # fmt: skip
    text = render(full_case, "anoniem", cast.af, tmp_path)
    for gone in ("Jolanda", "Pietersen", "Lindelaan", "Goes", "06-12345678", "3 maart", "Lotte"):
        assert gone not in text
    assert "Buurvrouw [naam] ([adres] in [plaats], [telefoon]) zag de leerling op [datum]" in (
        " ".join(text.split())
    )
    assert "juf [naam]" in text


def test_the_inspectie_version_keeps_the_pupils_name_and_exact_dates(cast, full_case, tmp_path):
    text = render(full_case, "inspectie", cast.af, tmp_path)
    observed = timezone.localdate() - dt.timedelta(days=20)
    assert "Zoë Ëlstrand" in text
    assert "Blauwe plekken op de bovenarmen; Zoë trok snel haar trui aan." in text
    assert f"{observed.day} {MONTHS.split('|')[observed.month - 1]} {observed.year}" in text
    assert "Gymzaal" in text
    assert "dag " not in text
