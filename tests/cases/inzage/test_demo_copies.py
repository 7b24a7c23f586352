"""Every demo case, reviewed with every suggestion accepted and released, names nobody the
school knows but the child: no other pupil, no staff member, no source, no contact person
of the sociale kaart. Read back with pdftotext and pdfinfo."""

import re

import pytest
from django.core.management import call_command

from cases.dossier.models import Entry
from cases.inzage.models import Requester
from cases.inzage.services import inzage_release, inzage_request_record
from cases.models import Case
from cases.pdf.services import pdf_render
from meldcode.demo import REGENBOOG
from meldcode.models import Pupil, School, User
from socialmap.models import Organisation
from tests.cases.inzage.reviews import review_all
from tests.cases.pdf.conftest import pdf_info, pdf_text


def names_but_the_child(case: Case) -> set[str]:
    school = case.school
    names: set[str] = set()
    for pupil in Pupil.objects.filter(school=school).exclude(pk=case.pupil_id):
        names |= {pupil.first_name, pupil.last_name, pupil.full_name}
    for user in User.objects.filter(memberships__school=school):
        names |= {user.first_name, user.last_name, user.get_full_name()}
    names |= set(Entry.objects.filter(case__school=school).values_list("source", flat=True))
    names |= set(
        Organisation.objects.filter(school=school).values_list("contact_person", flat=True)
    )
    child = case.pupil
    return {n for n in names if n and n not in (child.first_name, child.last_name)}


def named(names: set[str], text: str) -> list[str]:
    return sorted(n for n in names if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text))


@pytest.fixture
def demo_world(db, settings, tmp_path):
    settings.MELDCODE_UPLOAD_ROOT = tmp_path / "uploads"
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return School.objects.get(name=REGENBOOG)


def test_no_released_demo_copy_names_anyone_the_school_knows_but_the_child(demo_world, tmp_path):
    af = User.objects.get(username="af")
    directie = User.objects.get(username="directie")
    cases = Case.objects.filter(school=demo_world).select_related("pupil", "school")
    assert cases.count() >= 8
    for case in cases:
        request = inzage_request_record(
            case=case, by=af, requester=Requester.PARENT, requester_name="Een ouder",
            received_on=case.opened_at.date(), handled_by=af,
        )  # fmt: skip
        review_all(request, af)
        pdf = inzage_release(request=request, by=directie).path.read_bytes()
        text, info = " ".join(pdf_text(pdf, tmp_path).split()), pdf_info(pdf, tmp_path)
        names = names_but_the_child(case)
        assert named(names, text) == [], f"case {case.pk}"
        assert named(names, info) == [], f"case {case.pk}"
        assert case.pupil.full_name in text  # the child itself stays named
    # Not vacuous: unreviewed, the inspectie version of the fullest case names several.
    fullest = max(cases, key=lambda case: case.entries.count())
    inspectie = pdf_text(pdf_render(case=fullest, version="inspectie", by=af), tmp_path)
    assert len(named(names_but_the_child(fullest), " ".join(inspectie.split()))) >= 3


def test_no_reviewed_anonymised_demo_copy_names_anyone_the_school_knows(demo_world, tmp_path):
    """Every suggestion accepted: not the child either, nor the sources or contacts."""
    from cases.inzage.anonymised import anonymised_pdf
    from tests.cases.inzage.reviews import review_anonymised

    ib = User.objects.get(username="ib")
    for case in Case.objects.filter(school=demo_world).select_related("pupil", "school"):
        review_anonymised(case, ib)
        pdf, filename, _action = anonymised_pdf(case=case, by=ib)
        assert filename == "dossier-zonder-naam.pdf"
        text, info = " ".join(pdf_text(pdf, tmp_path).split()), pdf_info(pdf, tmp_path)
        child = case.pupil
        names = names_but_the_child(case) | {child.first_name, child.last_name, child.full_name}
        assert named(names, text) == [], f"case {case.pk}"
        assert named(names, info) == [], f"case {case.pk}"
