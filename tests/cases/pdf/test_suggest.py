"""What `suggest` proposes to redact before a copy leaves the school."""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pytest

from cases.pdf.redaction import suggest
from cases.pdf.suggestions import KnownNames, Span, Suggester, deduce_instance, merge
from meldcode.models import Membership, Role
from tests.cases.pdf.corpus import CORPUS, KNOWN
from tests.factories import PupilFactory, SchoolFactory, UserFactory
from tests.socialmap.factories import OrganisationFactory

MUST_FIND = {"person": 0.95, "address": 0.95, "phone": 0.95}


@pytest.fixture
def known_school(db):
    """A school whose pupils, staff and sociale kaart hold some of the corpus's names."""
    school = SchoolFactory(name=KNOWN["school"])
    for first, infix, last in KNOWN["pupils"]:
        PupilFactory(school=school, first_name=first, infix=infix, last_name=last)
    for n, (first, last) in enumerate(KNOWN["staff"]):
        user = UserFactory(username=f"staff{n}", first_name=first, last_name=last)
        Membership.objects.create(user=user, school=school, role=Role.LEERKRACHT)
    for name in KNOWN["socialmap"]:
        OrganisationFactory(school=school, name=name, address="")
    return school


def expected_spans(sentence: str, expected: list[tuple[str, str]]) -> list[Span]:
    spans = []
    for text, kind in expected:
        match = re.search(rf"(?<!\w){re.escape(text)}(?!\w)", sentence)
        assert match, f"{text!r} is not in {sentence!r}"
        spans.append(Span(match.start(), match.end(), kind))
    return spans


def covered(span: Span, found: list[Span]) -> bool:
    """Every character of `span` lies in a suggestion (of whatever kind)."""
    return all(any(f.start <= i < f.end for f in found) for i in range(span.start, span.end))


def test_the_corpus_holds_at_least_40_sentences_with_every_kind():
    assert len(CORPUS) >= 40
    kinds = {kind for _sentence, spans in CORPUS for _text, kind in spans}
    assert {"person", "place", "address", "phone", "email", "institution", "date"} <= kinds


def test_suggest_finds_names_addresses_and_phone_numbers_with_95_percent_recall(known_school):
    """Recall: an expected span counts when suggestions cover all of it. Precision: a
    suggestion counts when it overlaps an expected span. Both per kind, printed."""
    suggester = Suggester.for_school(known_school)
    wanted, hit, offered, right, missed = Counter(), Counter(), Counter(), Counter(), []
    for sentence, expected in CORPUS:
        truth = expected_spans(sentence, expected)
        found = suggester.suggest(sentence)
        for span in truth:
            wanted[span.kind] += 1
            if covered(span, found):
                hit[span.kind] += 1
            else:
                missed.append((span.kind, span.of(sentence), sentence))
        for span in found:
            offered[span.kind] += 1
            if any(span.start < t.end and t.start < span.end for t in truth):
                right[span.kind] += 1
            else:
                missed.append((f"extra {span.kind}", span.of(sentence), sentence))
    print(f"\n{'kind':<12} {'recall':>14} {'precision':>14}")
    for kind in sorted(wanted | offered):
        recall = f"{hit[kind]}/{wanted[kind]}" if wanted[kind] else "-"
        precision = f"{right[kind]}/{offered[kind]}" if offered[kind] else "-"
        print(f"{kind:<12} {recall:>14} {precision:>14}")
    for what, text, sentence in missed:
        print(f"  {what}: {text!r} in {sentence!r}")
    for kind, floor in MUST_FIND.items():
        assert hit[kind] / wanted[kind] >= floor, f"recall on {kind} below {floor:.0%}"


def test_known_names_are_found_where_deduce_alone_misses_them(known_school):
    text = "Wirre vertelde aan Lauw dat Stichting Kwetternest en De Boomhut langskwamen."
    alone = deduce_instance().deidentify(text).annotations
    found_alone = {annotation.text for annotation in alone}
    for name in ("Wirre", "Lauw", "Stichting Kwetternest", "De Boomhut"):
        assert name not in found_alone  # what this test shows: deduce needs the school
    found = [(span.of(text), span.kind) for span in suggest(text, school=known_school)]
    assert ("Wirre", "person") in found
    assert ("Lauw", "person") in found
    assert ("Stichting Kwetternest", "institution") in found
    assert ("De Boomhut", "institution") in found


def test_a_title_stays_and_only_the_name_is_suggested(known_school):
    text = "De buurvrouw, mevrouw Okonkwo-Tjin, en juf Lauw praatten."
    found = [span.of(text) for span in suggest(text, school=known_school)]
    assert "Okonkwo-Tjin" in found
    assert "Lauw" in found


def test_a_pupils_name_written_as_a_common_word_is_left_alone(db):
    known = KnownNames.build([("Roos", "person"), ("Storm", "person")])
    assert [span.of("Roos bracht een roos.") for span in known.spans("Roos bracht een roos.")] == [
        "Roos"
    ]
    assert list(known.spans("Er was storm.")) == []


def test_a_full_known_name_is_one_span_before_its_parts(db):
    known = KnownNames.build([("Noor", "person"), ("Noor Appelboom", "person")])
    assert [span.of("Noor Appelboom kwam.") for span in known.spans("Noor Appelboom kwam.")] == [
        "Noor Appelboom"
    ]


def test_overlapping_spans_are_merged_with_the_kind_of_the_longest():
    spans = [Span(0, 5, "person"), Span(3, 12, "address"), Span(20, 25, "date")]
    assert merge(spans) == [Span(0, 12, "address"), Span(20, 25, "date")]


def test_spans_side_by_side_stay_apart():
    assert merge([Span(0, 5, "person"), Span(5, 9, "address")]) == [
        Span(0, 5, "person"),
        Span(5, 9, "address"),
    ]


def test_suggestions_are_offsets_into_the_text_in_order_without_overlap(known_school):
    text = "Noor Appelboom (9 jaar) woont aan de Lindelaan 12 in Utrecht, tel. 06-12345678."
    spans = suggest(text, school=known_school)
    assert [s.start for s in spans] == sorted(s.start for s in spans)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    assert all(s.of(text) == s.of(text).strip() != "" for s in spans)
    assert {s.kind for s in spans} >= {"person", "age", "address", "place", "phone"}


def test_an_empty_text_has_nothing_to_suggest(known_school):
    assert suggest("", school=known_school) == []
    assert suggest("   \n", school=known_school) == []


def test_the_process_keeps_one_deduce():
    assert deduce_instance() is deduce_instance()
