"""Dossier entries for the demo world, so a newcomer sees a real dossier. All invented.

Entries are added through `entry_add`, so every rule (permissions, initials, the
privacy guard) holds for the demo too. A case that already has entries is left alone.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.dossier.models import BodyMark, Entry
from cases.dossier.services import entry_add, kinds_for
from cases.models import Case
from cases.services import case_advance, case_open
from cases.workflow import Step
from meldcode.demo import REGENBOOG, DemoWorld
from meldcode.models import User

Kind = Entry.Kind


def _author(world: DemoWorld, case: Case, kind: Kind, preferred: tuple[str, ...]) -> User | None:
    """The first demo user, in order of preference, who may add this kind in the case's step."""
    for username in preferred:
        user = world.users[username]
        if kind in kinds_for(user, case):
            return user
    return None


def _ensure_cases(world: DemoWorld) -> tuple[list[Case], bool]:
    """The Regenboog cases, and whether they were opened here.

    Without the demo cases of issue 3 (cases/demo.py), two cases are opened here.
    """
    school = world.schools[REGENBOOG]
    cases = list(Case.objects.filter(school=school).order_by("pk"))
    if cases:
        return cases, False
    leerkracht = world.users["leerkracht"]
    noor, daan = world.pupils[REGENBOOG][0], world.pupils[REGENBOOG][1]
    return [case_open(pupil=noor, by=leerkracht), case_open(pupil=daan, by=leerkracht)], True


# The injury of the first observation, on the body map: described, never photographed.
BODY_MAP = [
    {
        "region": "back.upper_arm.left",
        "kind": BodyMark.Kind.BRUISE,
        "size_cm": "4",
        "colour": "blauwpaars",
        "shape": BodyMark.Shape.FINGER,
        "said": "Het kind zei: 'Dat is van het spelen.' Keek daarbij weg.",
    },
    {
        "region": "front.upper_arm.right",
        "kind": BodyMark.Kind.BRUISE,
        "size_cm": "3.5",
        "colour": "geelgroen",
        "shape": BodyMark.Shape.FINGER,
        "said": "",
    },
]


def _story(today: dt.date) -> list[tuple[Kind, tuple[str, ...], dict]]:
    """One plausible dossier, oldest first. Others present as initials only."""
    day = dt.timedelta(days=1)
    return [
        (
            Kind.OBSERVATION,
            ("leerkracht", "ib", "af"),
            {
                "occurred_on": today - 12 * day,
                "place": "Gymzaal",
                "situation": "Omkleden na de gymles",
                "others_present": "juf M., J.K.",
                "description": "Blauwe plekken op beide bovenarmen, in de vorm van vingers. "
                "Het kind trok snel de trui aan toen ik keek.",
                "signals": [
                    "lichamelijk-welzijn.blauwe-plekken-brandwonden-botbreuken-snij-krab",
                    "gedrag-kind.tegenover-andere-volwassenen.angst-om-zich-uit-te-kleden",
                ],
                "marks": BODY_MAP,
            },
        ),
        (
            Kind.HYPOTHESIS,
            ("leerkracht", "ib", "af"),
            {
                "occurred_on": today - 5 * day,
                "description": "Mogelijk wordt het kind thuis hardhandig vastgepakt.",
            },
        ),
        (
            Kind.CONTACT,
            ("leerkracht", "ib", "af"),
            {
                "occurred_on": today - 4 * day,
                "contact_with": "Moeder, bij het ophalen aan de deur",
                "description": "Moeder vertelde dat het kind thuis van de trap is gevallen. "
                "Ze leek gehaast en wilde niet verder praten.",
                "signals": ["gedrag-ouder.onverschillig-over-het-welzijn-van-het-kind"],
            },
        ),
        (
            Kind.THIRD_PARTY,
            ("ib", "af", "leerkracht"),
            {
                "occurred_on": today - 3 * day,
                "source": "De buurtcoach",
                "source_role": "Wijkteam",
                "source_consent": True,
                "description": "Het gezin is vorige maand verhuisd en staat er volgens de "
                "buurtcoach alleen voor.",
                "signals": [
                    "gezinssituatie.sociaal-isolement",
                    "gezinssituatie.gezin-verhuist-regelmatig",
                ],
            },
        ),
        (
            Kind.KINDCHECK,
            ("ib", "af", "leerkracht"),
            {
                "occurred_on": today - 2 * day,
                "household": "Een broertje van 3 jaar.",
                "carers": "Moeder; het broertje gaat drie dagen per week naar de opvang.",
                "description": "Nagevraagd in het gesprek met moeder.",
            },
        ),
        (
            Kind.PARENTS_VIEW,
            ("ib", "af"),
            {
                "occurred_on": today - 1 * day,
                "description": "Wij herkennen ons niet in het beeld van school. Ons kind is "
                "een wildebras en valt vaak.",
            },
        ),
        (
            Kind.DECISION,
            ("af", "ib", "directie", "leerkracht"),
            {
                "occurred_on": today - 1 * day,
                "decided_by": "Aandachtsfunctionaris en IB'er",
                "description": "Advies vragen bij Veilig Thuis, anoniem.",
            },
        ),
    ]


def _add_story(world: DemoWorld, case: Case, today: dt.date) -> int:
    added: dict[Kind, Entry] = {}
    for kind, preferred, fields in _story(today):
        author = _author(world, case, kind, preferred)
        if author is not None:
            added[kind] = entry_add(case=case, author=author, kind=kind, **fields)
    hypothesis = added.get(Kind.HYPOTHESIS)
    author = _author(world, case, Kind.FOLLOW_UP, ("ib", "af", "leerkracht"))
    if hypothesis is not None and author is not None:
        added[Kind.FOLLOW_UP] = entry_add(
            case=case,
            author=author,
            kind=Kind.FOLLOW_UP,
            occurred_on=today,
            links_to=hypothesis,
            outcome=Entry.Outcome.CONFIRMED,
            description="Het kind vertelde zelf in de kring dat papa soms heel hard knijpt.",
        )
    return len(added)


def populate(world: DemoWorld) -> int:
    """Add the demo story to each Regenboog case without entries. Returns entries added."""
    today = timezone.localdate()
    cases, opened_here = _ensure_cases(world)
    total = 0
    for case in cases:
        # A talk report may already be there (a contact entry); the story starts with
        # an observation, so that marks a case that has its story.
        if not case.entries.filter(kind=Kind.OBSERVATION).exists():
            total += _add_story(world, case, today)
    if opened_here:
        # Show a dossier that went on to step 2, as a real one would.
        case_advance(case=cases[1], to=Step.CONSULT, by=world.users["leerkracht"])
    total += _ensure_body_map(world, cases, today)
    return total


def _ensure_body_map(world: DemoWorld, cases: list[Case], today: dt.date) -> int:
    """A demo world made before the body map existed gets one observation with it (its
    entries are never changed, so the marks come with a new observation)."""
    if BodyMark.objects.filter(entry__case__in=cases).exists():
        return 0
    for case in cases:
        author = _author(world, case, Kind.OBSERVATION, ("leerkracht", "ib", "af"))
        if author is None:
            continue
        entry_add(
            case=case,
            author=author,
            kind=Kind.OBSERVATION,
            occurred_on=today,
            place="Gymzaal",
            situation="Omkleden na de gymles",
            others_present="juf M.",
            description="Opnieuw blauwe plekken op beide bovenarmen, in de vorm van vingers.",
            marks=BODY_MAP,
        )
        return 1
    return 0
