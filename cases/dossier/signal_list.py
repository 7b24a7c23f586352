"""The signalenlijst of seed 001 (bijlage 1), shipped as data in dossier/data/signalenlijst.json.

The list is read from the file, not from a table: it is the same for every school, it
changes only with a release, and entries refer to its stable codes. So there is
nothing to seed, nothing a flushed test database can lose, and no admin screen that
could drift from the source.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "signalenlijst.json"


@dataclass(frozen=True)
class Signal:
    code: str
    label: str
    category: str
    group: str
    # Signals of VGV and eergerelateerd geweld call for contact with Veilig Thuis at once.
    urgent: bool = False

    @property
    def display(self) -> str:
        """The label with its group where the bare label is ambiguous ("agressief")."""
        return f"{self.group}: {self.label}" if self.group else self.label


@dataclass(frozen=True)
class SignalGroup:
    name: str
    signals: tuple[Signal, ...]


@dataclass(frozen=True)
class SignalCategory:
    code: str
    name: str
    groups: tuple[SignalGroup, ...]
    urgent: bool = False
    source: str = ""

    @property
    def signals(self) -> tuple[Signal, ...]:
        return tuple(signal for group in self.groups for signal in group.signals)


@cache
def categories() -> tuple[SignalCategory, ...]:
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    result = []
    for category in raw["categories"]:
        groups = tuple(
            SignalGroup(
                name=group["name"],
                signals=tuple(
                    Signal(
                        code=item["code"],
                        label=item["label"],
                        category=category["name"],
                        group=group["name"],
                        urgent=category.get("urgent", False),
                    )
                    for item in group["signals"]
                ),
            )
            for group in category["groups"]
        )
        result.append(
            SignalCategory(
                code=category["code"],
                name=category["name"],
                groups=groups,
                urgent=category.get("urgent", False),
                source=category.get("source", ""),
            )
        )
    return tuple(result)


def bijlage_1() -> tuple[SignalCategory, ...]:
    """The categories of seed 001, bijlage 1 (those without a source of their own)."""
    return tuple(category for category in categories() if not category.source)


@cache
def by_code() -> dict[str, Signal]:
    return {signal.code: signal for category in categories() for signal in category.signals}


def get(code: str) -> Signal:
    """The signal for `code`; an unknown code (never expected) still shows as itself."""
    return by_code().get(code) or Signal(code=code, label=code, category="", group="")


def choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a form field: one group per category."""
    return [
        (category.name, [(signal.code, signal.display) for signal in category.signals])
        for category in categories()
    ]
