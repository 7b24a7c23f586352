"""The redaction rules of the dossier PDF, one test per rule."""

from django.utils import timezone

from cases.pdf.redaction import Redactor, left_out


def test_inspectie_keeps_every_name(cast, full_case):
    r = Redactor.for_case(full_case, "inspectie")
    assert r.person(cast.af) == cast.af.get_full_name()
    assert r.source("Kees Kleinjan", "buurman") == "Kees Kleinjan (buurman)"
    assert r.others_present("J.K.") == "J.K."
    assert r.text(f"Gesproken met {cast.ib.get_full_name()}.").endswith(
        f"{cast.ib.get_full_name()}."
    )


def test_for_the_parents_staff_are_named_by_their_role(cast, full_case):
    r = Redactor.for_case(full_case, "ouders")
    assert r.person(cast.af) == "de aandachtsfunctionaris"
    assert r.person(cast.ib) == "de intern begeleider"
    assert (
        r.text(f"Gesproken met {cast.ib.get_full_name()}.") == "Gesproken met de intern begeleider."
    )


def test_for_the_parents_a_third_party_source_is_not_identified(full_case):
    assert "Kleinjan" not in Redactor.for_case(full_case, "ouders").source(
        "Kees Kleinjan", "buurman"
    )


def test_for_the_parents_others_present_are_left_out(full_case):
    assert Redactor.for_case(full_case, "ouders").others_present("J.K.") == "(weggelaten)"


def test_for_the_parents_the_pupil_keeps_name_and_birth_date(full_case):
    pupil = Redactor.for_case(full_case, "ouders").pupil(timezone.localdate())
    assert pupil["name"] == full_case.pupil.full_name


def test_anonymised_the_pupil_is_an_age_band_only(full_case):
    today = timezone.localdate()
    r = Redactor.for_case(full_case, "anoniem")
    assert r.pupil(today) == {"name": "8\u201310 jaar", "born": ""}
    assert r.text("Zoë zei niets.") == "de leerling zei niets."
    assert r.school() == ""
    assert not r.shows_case_number


def test_the_parents_version_says_what_it_leaves_out():
    """Three lines since issue 22: the third says names, addresses and the like of other
    people are left out of the texts (AVG art. 15(4))."""
    assert len(left_out("ouders")) == 3
    assert left_out("inspectie") == []


def test_a_name_inside_another_word_is_left_alone(full_case):
    r = Redactor.for_case(full_case, "anoniem")
    assert r.text("Zoëlle") == "Zoëlle"
