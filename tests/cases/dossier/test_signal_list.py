"""The signalenlijst of seed 001, bijlage 1, ships with the app as data."""

from cases.dossier import signal_list


def test_every_category_of_bijlage_1_is_there_in_order():
    assert [category.name for category in signal_list.bijlage_1()] == [
        "Lichamelijk welzijn",
        "Gedrag van het kind",
        "Overig",
        "Gedrag van de ouder",
        "Gezinssituatie",
        "Signalen specifiek voor seksueel misbruik",
    ]


def test_the_whole_list_is_there_with_unique_codes():
    codes = [s.code for c in signal_list.bijlage_1() for s in c.signals]
    assert len(codes) == len(set(codes)) == 77
    every_code = [s.code for c in signal_list.categories() for s in c.signals]
    assert len(every_code) == len(set(every_code))


def test_the_behaviour_of_the_child_keeps_its_groups():
    behaviour = signal_list.categories()[1]
    assert [group.name for group in behaviour.groups] == [
        "",
        "Tegenover andere kinderen",
        "Tegenover ouders",
        "Tegenover andere volwassenen",
    ]


def test_a_signal_is_found_by_its_code_and_shows_its_group():
    signal = signal_list.get("gedrag-kind.tegenover-andere-kinderen.agressief")
    assert signal.display == "Tegenover andere kinderen: agressief"
    assert signal.category == "Gedrag van het kind"


def test_sexual_abuse_signals_are_split_into_body_and_behaviour():
    category = signal_list.bijlage_1()[-1]
    assert [group.name for group in category.groups] == [
        "Lichamelijk welzijn",
        "Gedrag van het kind",
    ]
    assert "zoekt seksuele toenadering tot volwassenen" in [s.label for s in category.signals]
