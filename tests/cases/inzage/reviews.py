"""Going through a review of the parents' copy in tests, as the reviewer does on the page."""

WHY = "Hulp loopt; het kind vertelde dit in vertrouwen."


def span_of(text: str, words: str) -> tuple[str, int, int]:
    from cases.pdf.redaction import text_key

    start = text.index(words)
    return text_key(text), start, start + len(words)


def review_all(request, by, *, reject=(), hide=(), withhold=None):
    """Go through every part as `by`: every suggestion accepted except those that hold
    words of `reject` (as the reviewer unticks what the page shows); the words in `hide`
    marked by hand; `withhold`: {entry id: ground}."""
    from cases.inzage.services import draft_save, review_submit
    from cases.pdf.redaction import child_names, parents_suggestions, text_key
    from cases.pdf.services import review_units
    from cases.pdf.suggestions import Suggester

    suggester = Suggester.for_school(request.case.school)
    child = child_names(request.case)

    withhold = withhold or {}
    units = review_units(request.case)
    for unit in units:
        rejected, manual = {}, {}
        for text in unit["texts"]:
            for span in parents_suggestions(suggester, text, child=child):
                if any(words in span.of(text) for words in reject):
                    rejected.setdefault(text_key(text), []).append((span.start, span.end))
            for words in hide:
                if words in text:
                    key, start, end = span_of(text, words)
                    manual.setdefault(key, []).append((start, end))
        ground = withhold.get(unit["entry_id"], "")
        draft_save(
            request=request, by=by, unit=unit, rejected=rejected, manual=manual,
            ground=ground, explanation=WHY if ground else "",
        )  # fmt: skip
    return review_submit(request=request, by=by, units=units)


def review_anonymised(case, by, *, reject=(), hide=()):
    """Go through every part of the anonymised copy as `by` and submit: every suggestion
    accepted except those that hold words of `reject`; the words in `hide` marked."""
    from cases.inzage.anonymised import anonymised_draft_save, anonymised_review_submit, units_of
    from cases.pdf.redaction import text_key
    from cases.pdf.suggestions import Suggester

    suggester = Suggester.for_case(case)
    for unit in units_of(case):
        rejected, manual = {}, {}
        for text in unit["texts"]:
            for span in suggester.suggest(text):
                if any(words in span.of(text) for words in reject):
                    rejected.setdefault(text_key(text), []).append((span.start, span.end))
            for words in hide:
                if words in text:
                    key, start, end = span_of(text, words)
                    manual.setdefault(key, []).append((start, end))
        anonymised_draft_save(case=case, by=by, unit=unit, rejected=rejected, manual=manual)
    return anonymised_review_submit(case=case, by=by)
