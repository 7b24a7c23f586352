"""The review page of a copy that leaves the school, shared by the parents' copy and the
anonymised copy: the parts of the copy, a page of them at a time, each text with its
suggestions marked (a checkbox each) and its spans marked by hand.

Bounded per load: one page holds at most `UNITS_PER_PAGE` parts, and the detection runs
once per text of a case (`Suggester.for_case` keeps what it found): a second load of a
page detects nothing."""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Page, Paginator

from cases.inzage.forms import UnitForm, parse_span, span_value
from cases.pdf.redaction import PLACEHOLDERS, text_key
from cases.pdf.suggestions import Span

UNITS_PER_PAGE = 50

Suggest = Callable[[str], list[Span]]


def never(words: str) -> bool:
    return False


def unit_rows(unit: dict, suggest: Suggest, draft, always=never) -> tuple[list, list, list]:
    """Each text of a part as segments to show (plain text, or a marked span with its
    checkbox), and the values of its suggestions and of its spans marked by hand. A span
    `always` holds (a name the school knows, in the anonymised copy) has no checkbox."""
    kinds = {kind: str(label) for kind, label in PLACEHOLDERS.items()}
    rejected = {k: {tuple(s) for s in v} for k, v in (draft.rejected if draft else {}).items()}
    manual = {k: [tuple(s) for s in v] for k, v in (draft.manual if draft else {}).items()}
    rows, suggestions, marked = [], [], []
    for text in unit["texts"]:
        key = text_key(text)
        marks = []
        for span in suggest(text):
            value = span_value(key, span.start, span.end)
            if always(span.of(text)):
                marks.append((span.start, span.end, "", value, True, kinds[span.kind]))
                continue
            suggestions.append(value)
            checked = (span.start, span.end) not in rejected.get(key, set())
            marks.append((span.start, span.end, "accept", value, checked, kinds[span.kind]))
        for start, end in manual.get(key, []):
            value = span_value(key, start, end)
            marked.append(value)
            marks.append((start, end, "keep", value, True, kinds["manual"]))
        segments, extra, at = [], [], 0
        for start, end, name, value, checked, kind in sorted(marks):
            mark = {"name": name, "value": value, "checked": checked, "kind": kind,
                    "text": text[start:end]}  # fmt: skip
            if start < at:  # overlaps the mark before it: listed under the text
                extra.append(mark)
                continue
            segments += [{"text": text[at:start]}, {**mark, "mark": True}]
            at = end
        segments.append({"text": text[at:]})
        rows.append({"segments": segments, "extra": extra})
    return rows, suggestions, marked


def page_of(units: list[dict], number) -> Page:
    return Paginator(units, UNITS_PER_PAGE, allow_empty_first_page=True).get_page(number)


def page_number_of(units: list[dict], key: str) -> int:
    for index, unit in enumerate(units):
        if unit["key"] == key:
            return index // UNITS_PER_PAGE + 1
    return max(1, (len(units) + UNITS_PER_PAGE - 1) // UNITS_PER_PAGE)


def shown_units(
    page: Page,
    units: list[dict],
    *,
    suggest: Suggest,
    drafts: dict,
    saved: Callable[[dict], bool],
    bound: dict | None = None,
    always=never,
    withhold: bool = True,
) -> list[dict]:
    """The parts of one page, each with its rows, its draft, its form and the part after
    it (`next`: where saving it goes on)."""
    shown = []
    start = page.start_index() - 1 if units else 0
    for offset, unit in enumerate(page.object_list):
        index = start + offset
        draft = drafts.get(unit["key"])
        rows, suggestions, marked = unit_rows(unit, suggest, draft, always)
        initial = {}
        if draft is not None and withhold:
            initial = {"ground": draft.ground, "explanation": draft.explanation}
        form = (bound or {}).get(unit["key"]) or UnitForm(
            unit=unit, suggestions=suggestions, marked=marked, initial=initial, withhold=withhold
        )
        shown.append(
            {
                **unit,
                "rows": rows,
                "draft": draft,
                "saved": saved(unit),
                "form": form,
                "next": units[index + 1]["key"] if index + 1 < len(units) else "submit",
            }
        )
    return shown


def posted_decisions(form: UnitForm, suggestions: list[str]) -> tuple[dict, dict]:
    """From a valid form: the suggestions rejected (unticked) and the spans marked by hand
    (kept ticked, or the words given), per text key."""
    accepted = set(form.cleaned_data["accept"])
    rejected: dict[str, list[tuple[int, int]]] = {}
    for value in suggestions:
        if value not in accepted:
            key, start, end = parse_span(value)
            rejected.setdefault(key, []).append((start, end))
    manual: dict[str, list[tuple[int, int]]] = {}
    for value in form.cleaned_data["keep"]:
        key, start, end = parse_span(value)
        manual.setdefault(key, []).append((start, end))
    for key, start, end in form.cleaned_data["hide"]:
        manual.setdefault(key, []).append((start, end))
    return rejected, manual
