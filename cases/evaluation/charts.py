"""The layout of the evaluation's bar charts, worked out here so that the SVG is drawn at
its own size: its width and height are its viewBox, one unit one CSS pixel, in the page
and in the PDF alike. Nothing scales the chart, so its text stays at FONT_SIZE.

A label that does not fit its column is wrapped over at most two lines; what is still too
long is cut with "…" and the whole label goes into a <title> (and is always in the table
under the chart, which carries the same numbers for everyone who does not see it).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

FONT_SIZE = 12
LINE_HEIGHT = 15
# DejaVu Sans (the PDF) averages about 0.55 em per character, the browsers' sans-serif
# fonts less: the label column fits this many characters at FONT_SIZE.
LABEL_CHARS = 28
LABEL_WIDTH = 200
LABEL_LINES = 2
GAP = 8
BAR_MAX = 96
BAR_HEIGHT = 16
# After the longest bar is room for "123,5", and where there is no bar for a note such as
# "minder dan 5 casussen". A column narrower than this (a phone's) scrolls the chart.
WIDTH = 360
ROW_PADDING = 9


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # what is written after the bar (or alone, when there is no bar)
    has_bar: bool = True


@dataclass(frozen=True)
class ChartRow:
    label: str
    lines: tuple[tuple[str, int], ...]  # each line of the label with its baseline
    cut: bool
    y: int
    height: int
    bar_y: int
    bar_length: int
    has_bar: bool
    text: str
    text_x: int
    text_y: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    rows: tuple[ChartRow, ...]
    font_size: int = FONT_SIZE
    bar_x: int = LABEL_WIDTH + GAP


def label_lines(label: str) -> tuple[list[str], bool]:
    """The label over at most LABEL_LINES lines, and whether it had to be cut."""
    lines = textwrap.wrap(label, LABEL_CHARS, break_long_words=True) or [""]
    if len(lines) <= LABEL_LINES:
        return lines, False
    kept = lines[:LABEL_LINES]
    last = " ".join([kept[-1], *lines[LABEL_LINES:]])
    kept[-1] = last[: LABEL_CHARS - 1].rstrip() + "…"
    return kept, True


def bar_chart(bars: Iterable[Bar]) -> BarChart:
    bars = list(bars)
    top = max((bar.value for bar in bars if bar.has_bar), default=0) or 1
    rows, y = [], 0
    for bar in bars:
        lines, cut = label_lines(bar.label)
        height = len(lines) * LINE_HEIGHT + ROW_PADDING
        first_baseline = (height - len(lines) * LINE_HEIGHT) // 2 + FONT_SIZE
        length = round(bar.value / top * BAR_MAX) if bar.has_bar else 0
        bar_y = (height - BAR_HEIGHT) // 2
        rows.append(
            ChartRow(
                label=bar.label,
                lines=tuple(
                    (line, first_baseline + i * LINE_HEIGHT) for i, line in enumerate(lines)
                ),
                cut=cut,
                y=y,
                height=height,
                bar_y=bar_y,
                bar_length=length,
                has_bar=bar.has_bar,
                text=bar.text,
                text_x=LABEL_WIDTH + GAP + length + (5 if bar.has_bar else 0),
                text_y=bar_y + BAR_HEIGHT - 4,
            )
        )
        y += height
    return BarChart(width=WIDTH, height=y, rows=tuple(rows))
