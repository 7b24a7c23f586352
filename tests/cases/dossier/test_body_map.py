"""The body map: an observation of an injury carries marks on a body outline, each one
data (place, kind, size, colour, shape, what was said), written once with its entry and
never changed; no other kind of entry carries them."""

import datetime as dt
import decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from cases.append_only import AppendOnlyError
from cases.dossier import body_map
from cases.dossier.services import MAX_MARKS, entry_add
from cases.models import BodyMark, Entry, Seal
from cases.seal import dossier_verify
from tests.cases.dossier.conftest import OBSERVATION
from tests.tamper import as_owner, tamper

Kind = Entry.Kind
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database triggers exist on PostgreSQL only"
)

GRIP = {
    "region": "back.upper_arm.left",
    "kind": "bruise",
    "size_cm": "4",
    "colour": "blauwpaars",
    "shape": "finger",
    "said": "Het kind zei dat het van het spelen kwam.",
}
BURN = {
    "region": "front.hand.right",
    "kind": "burn",
    "size_cm": 1.5,
    "colour": "rood",
    "shape": "round",
}


# --- saved with the entry ---------------------------------------------------------------


def test_marks_are_saved_with_their_observation_numbered_in_order(observe):
    entry = observe(marks=[GRIP, BURN])
    marks = list(entry.marks.order_by("number"))
    assert [(m.number, m.region, m.kind, m.shape) for m in marks] == [
        (1, "back.upper_arm.left", "bruise", "finger"),
        (2, "front.hand.right", "burn", "round"),
    ]
    assert [m.size_cm for m in marks] == [decimal.Decimal("4.0"), decimal.Decimal("1.5")]
    assert marks[0].said == GRIP["said"] and marks[1].said == ""
    assert marks[0].region_label == "linker bovenarm, achterkant"


def test_marks_are_sealed_in_the_cases_chain(case, observe):
    entry = observe(marks=[GRIP, BURN])
    sealed = Seal.objects.filter(chain=f"case:{case.pk}", record="cases.BodyMark")
    assert sorted(sealed.values_list("record_id", flat=True)) == sorted(
        entry.marks.values_list("pk", flat=True)
    )
    assert dossier_verify().holds


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        (Kind.HYPOTHESIS, {}),
        (Kind.CONTACT, {"contact_with": "Moeder, aan de deur"}),
        (Kind.DECISION, {"decided_by": "Aandachtsfunctionaris"}),
    ],
)
def test_marks_on_any_other_kind_of_entry_are_refused_with_a_dutch_message(
    cast, case, kind, fields
):
    with pytest.raises(ValidationError) as refused:
        entry_add(
            case=case,
            author=cast.ib,
            kind=kind,
            description="Het kind heeft een blauwe plek.",
            marks=[GRIP],
            **fields,
        )
    assert refused.value.message_dict["marks"] == [
        "Alleen een waarneming kan een lichaamskaart hebben. Beschrijf het letsel in een "
        "nieuwe waarneming."
    ]
    assert not Entry.objects.exists() and not BodyMark.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"region": "front.tail"}, "kies een plek op het lichaam uit de lijst."),
        ({"kind": "tattoo"}, "kies de soort letsel."),
        ({"size_cm": "0"}, "geef de grootte in centimeters, meer dan 0 en hoogstens 100."),
        ({"size_cm": "250"}, "geef de grootte in centimeters, meer dan 0 en hoogstens 100."),
        ({"size_cm": "NaN"}, "geef de grootte in centimeters, meer dan 0 en hoogstens 100."),
        ({"colour": "  "}, "beschrijf de kleur."),
        ({"shape": "star"}, "kies de vorm."),
    ],
)
def test_an_incomplete_mark_is_refused_by_number_and_nothing_is_saved(observe, change, message):
    with pytest.raises(ValidationError) as refused:
        observe(marks=[BURN, {**GRIP, **change}])
    assert refused.value.message_dict["marks"] == [f"Letsel 2: {message}"]
    assert not Entry.objects.exists() and not BodyMark.objects.exists()


def test_at_most_eight_marks_per_observation(observe):
    with pytest.raises(ValidationError) as refused:
        observe(marks=[BURN] * (MAX_MARKS + 1))
    assert "Hoogstens 8 letsels per waarneming" in refused.value.message_dict["marks"][0]


def test_what_was_said_is_read_for_names_of_other_children(observe, classmate):
    said = {**GRIP, "said": "Jasmijn heeft geduwd, zei het kind."}
    with pytest.raises(ValidationError) as refused:
        observe(marks=[said])
    assert "Jasmijn" in refused.value.message_dict["marks"][0]
    entry = observe(marks=[said], names_confirmed=True)
    assert entry.names_confirmed and entry.marks.count() == 1


# --- never changed ------------------------------------------------------------------------


@pytest.fixture
def mark(observe) -> BodyMark:
    return observe(marks=[GRIP]).marks.get()


def test_a_mark_cannot_be_changed_or_deleted(mark):
    mark.colour = "geel"
    with pytest.raises(AppendOnlyError):
        mark.save()
    with pytest.raises(AppendOnlyError):
        mark.delete()
    with pytest.raises(AppendOnlyError):
        BodyMark.objects.filter(pk=mark.pk).update(colour="geel")
    with pytest.raises(AppendOnlyError):
        BodyMark.objects.all().delete()
    mark.refresh_from_db()
    assert mark.colour == "blauwpaars"


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "sql", ["UPDATE cases_bodymark SET colour = 'geel'", "DELETE FROM cases_bodymark"]
)
def test_raw_sql_cannot_change_a_mark_on_postgresql(mark, sql):
    """The trigger refuses even the owner role (the application role has no UPDATE or
    DELETE right on the table at all: tests/meldcode/test_db_roles.py)."""
    with (
        as_owner(),
        pytest.raises(DatabaseError, match="pgtrigger"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert BodyMark.objects.get(pk=mark.pk).colour == "blauwpaars"


@pytest.mark.django_db(transaction=True)
def test_a_mark_rewritten_behind_the_applications_back_is_named(mark):
    tamper("UPDATE cases_bodymark SET size_cm = %s WHERE id = %s", ["1.0", mark.pk])
    problems = [(p.record, p.record_id, p.what) for p in dossier_verify().problems]
    assert problems == [("cases.BodyMark", mark.pk, "it was rewritten")]


# --- the outline --------------------------------------------------------------------------


def test_every_place_has_a_unique_code_and_lies_inside_the_drawing():
    assert len(body_map.BY_CODE) == len(body_map.REGIONS)
    for region in body_map.REGIONS:
        x, y = region.centre
        assert 0 < x < body_map.WIDTH and 0 < y < body_map.HEIGHT, region.code


def test_the_childs_left_is_on_the_pictures_right_from_the_front_and_left_from_the_back():
    front, back = body_map.VIEW_X[body_map.FRONT], body_map.VIEW_X[body_map.BACK]
    assert body_map.BY_CODE["front.upper_arm.left"].centre[0] > front
    assert body_map.BY_CODE["front.upper_arm.right"].centre[0] < front
    assert body_map.BY_CODE["back.upper_arm.left"].centre[0] < back
    assert body_map.BY_CODE["back.upper_arm.right"].centre[0] > back


def test_two_marks_on_one_place_are_drawn_side_by_side():
    drawing = body_map.drawing([(1, "back.upper_arm.left"), (2, "back.upper_arm.left")])
    first, second = drawing["marks"]
    assert (first.x, first.y) != (second.x, second.y)


# --- the pages ----------------------------------------------------------------------------


def form_data(case, **marks) -> dict:
    """The observation form as a browser posts it, with 8 mark slots."""
    data = {
        "occurred_on": case.opened_at.date().isoformat(),
        **{k: v for k, v in OBSERVATION.items()},
        "marks-TOTAL_FORMS": str(MAX_MARKS),
        "marks-INITIAL_FORMS": "0",
        "marks-MIN_NUM_FORMS": "0",
        "marks-MAX_NUM_FORMS": str(MAX_MARKS),
    }
    for key, value in marks.items():
        data[key.replace("__", "-")] = value
    return data


def mark_fields(index: int, mark: dict) -> dict:
    return {f"marks__{index}__{name}": value for name, value in mark.items()}


def test_the_observation_form_saves_the_marks_filled_in_and_skips_empty_slots(
    cast, case, client_for
):
    url = reverse("cases:entry_new", args=[case.pk, "observation"])
    data = form_data(case, **mark_fields(0, GRIP), **mark_fields(3, BURN))
    response = client_for(cast.leerkracht).post(url, data)
    assert response.status_code == 302
    entry = Entry.objects.get(case=case)
    assert list(entry.marks.values_list("number", "region")) == [
        (1, "back.upper_arm.left"),
        (2, "front.hand.right"),
    ]


def test_a_half_filled_mark_gets_dutch_messages_at_its_fields(cast, case, client_for):
    url = reverse("cases:entry_new", args=[case.pk, "observation"])
    data = form_data(case, **mark_fields(0, {"region": "front.chest", "colour": "rood"}))
    response = client_for(cast.leerkracht).post(url, data)
    assert response.status_code == 200
    errors = response.context["marks"].forms[0].errors
    assert errors["kind"] == ["Dit veld is verplicht."]
    assert errors["size_cm"] == ["Dit veld is verplicht."]
    assert not Entry.objects.exists()
    # The form comes back open, with the place chosen on the outline.
    assert 'class="region chosen" data-region="front.chest"' in response.text


def test_the_quick_form_without_the_body_map_still_adds_an_observation(cast, case, client_for):
    url = reverse("cases:entry_new", args=[case.pk, "observation"])
    data = {"occurred_on": case.opened_at.date().isoformat(), **OBSERVATION}
    assert client_for(cast.leerkracht).post(url, data).status_code == 302
    assert Entry.objects.get(case=case).marks.count() == 0


def test_the_form_says_plainly_to_describe_and_never_photograph(cast, case, client_for):
    url = reverse("cases:entry_new", args=[case.pk, "observation"])
    text = client_for(cast.leerkracht).get(url).text
    assert "Maak nooit een foto van het lichaam van een kind." in text
    assert text.count('name="marks-0-region"') == 1
    assert "linker bovenarm, achterkant" in text
    # Only an observation offers the body map.
    url = reverse("cases:entry_new", args=[case.pk, "hypothesis"])
    assert "Lichaamskaart" not in client_for(cast.leerkracht).get(url).text


def test_the_case_page_and_the_chronology_show_the_outline_and_the_table(
    cast, case, client_for, observe
):
    observe(marks=[GRIP, BURN], occurred_on=case.opened_at.date() - dt.timedelta(days=1))
    client = client_for(cast.ib)
    for url in (case.get_absolute_url(), reverse("cases:pupil_chronology", args=[cast.pupil.pk])):
        text = client.get(url).text
        assert "<h3" in text and "Lichaamskaart</h3>" in text
        assert "<svg" in text and text.count('<circle cx="') == 2
        assert "linker bovenarm, achterkant" in text and "rechterhand, handpalm" in text
        assert "blauwpaars" in text and "vingervormig" in text and "brandwond" in text
        assert "Het kind zei dat het van het spelen kwam." in text
