"""The demo world of CONTRACT.md. Every name here is invented."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from meldcode.models import Board, Membership, Pupil, Role, School, User

BOARD = "Scholengroep Demo"
REGENBOOG = "De Regenboog"
VLINDER = "De Vlinder"

# username: (first name, last name, school or None for the board, roles)
PEOPLE: dict[str, tuple[str, str, str | None, tuple[str, ...]]] = {
    "leerkracht": ("Lotte", "Demo-Jansen", REGENBOOG, (Role.LEERKRACHT,)),
    "ib": ("Ilse", "Demo-Bakker", REGENBOOG, (Role.IB,)),
    "af": ("Anouk", "Demo-Visser", REGENBOOG, (Role.AANDACHTSFUNCTIONARIS,)),
    "directie": ("Dirk", "Demo-Smit", REGENBOOG, (Role.DIRECTIE,)),
    "leerkracht2": ("Tim", "Demo-Mulder", VLINDER, (Role.LEERKRACHT,)),
    "bestuur": ("Bea", "Demo-de Groot", None, (Role.BESTUUR,)),
}

PUPILS: dict[str, list[tuple[str, str, str, dt.date, str]]] = {
    REGENBOOG: [
        ("Noor", "", "Appelboom", dt.date(2017, 3, 14), "4"),
        ("Daan", "van", "Kersenlaan", dt.date(2016, 9, 2), "5"),
        ("Mila", "de", "Wilgenhof", dt.date(2018, 1, 23), "3"),
        ("Sem", "", "Populierstra", dt.date(2015, 6, 30), "6"),
        ("Yara", "", "Berkenrode", dt.date(2014, 11, 8), "7"),
        ("Finn", "van der", "Lindehout", dt.date(2013, 4, 17), "8"),
        ("Zoë", "", "Esdoornik", dt.date(2019, 2, 5), "2"),
        ("Levi", "", "Eikenburg", dt.date(2016, 12, 12), "5"),
    ],
    VLINDER: [
        ("Saar", "", "Vlierbes", dt.date(2017, 7, 7), "4"),
        ("Mees", "", "Hazelaar", dt.date(2015, 10, 21), "6"),
        ("Fenna", "ter", "Meidoorn", dt.date(2018, 5, 3), "3"),
    ],
}


# Beside the named pupils above, each demo school gets the size of a real school: some
# 25 invented pupils in each of groups 1 to 8. Invented: first names from a list of
# common Dutch first names, surnames made up from plant and landscape words.
PUPILS_PER_GROUP = 25
FIRST_NAMES = (
    "Emma", "Julia", "Tess", "Sophie", "Zoë", "Sara", "Nora", "Evi", "Anna", "Liv",
    "Noah", "Luca", "Sem", "Liam", "Lucas", "Levi", "Finn", "Daan", "Milan", "Bram",
    "Fleur", "Lotte", "Isa", "Roos", "Jesse", "Thijs", "Ruben", "Lars", "Mees", "Jip",
)  # fmt: skip
SURNAME_PARTS = (
    ("Berken", "Wilgen", "Linde", "Eiken", "Hazel", "Vlier", "Esdoorn", "Meidoorn", "Riet"),
    ("veld", "hof", "rode", "laan", "burg", "dijk", "horst", "beek", "weide", "kamp"),
)


def _invented_pupils(school_index: int) -> list[tuple[str, str, str, dt.date, str]]:
    rows = []
    for group in range(1, 9):
        born_year = 2022 - group  # group 1 is 4 or 5 years old in the school year 2026/27
        for n in range(PUPILS_PER_GROUP):
            seed = school_index * 1000 + group * 50 + n
            first = FIRST_NAMES[seed % len(FIRST_NAMES)]
            prefix = SURNAME_PARTS[0][(seed // 7) % len(SURNAME_PARTS[0])]
            suffix = SURNAME_PARTS[1][(seed // 3) % len(SURNAME_PARTS[1])]
            born = dt.date(born_year, 1 + seed % 12, 1 + (seed * 7) % 28)
            rows.append((first, "", f"{prefix}{suffix}", born, str(group)))
    return rows


@dataclass
class DemoWorld:
    board: Board
    schools: dict[str, School]
    users: dict[str, User]
    pupils: dict[str, list[Pupil]] = field(default_factory=dict)


def demo_password() -> str:
    import os

    password = os.environ.get("DEMO_PASSWORD", "")
    if password:
        return password
    if settings.DEBUG:
        return "demo"
    raise ImproperlyConfigured(
        "Set DEMO_PASSWORD: the default password 'demo' is only used with DJANGO_DEBUG=1."
    )


def build_organisation() -> DemoWorld:
    password = demo_password()
    board, _ = Board.objects.get_or_create(name=BOARD)
    schools = {
        name: School.objects.get_or_create(board=board, name=name)[0]
        for name in (REGENBOOG, VLINDER)
    }
    users: dict[str, User] = {}
    for username, (first, last, school_name, roles) in PEOPLE.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.invalid",
                "demo": True,
            },
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save()
        school = schools[school_name] if school_name else None
        for role in roles:
            Membership.objects.get_or_create(
                user=user, school=school, role=role, defaults={"board": board}
            )
        users[username] = user
    pupils: dict[str, list[Pupil]] = {}
    for school_name, rows in PUPILS.items():
        pupils[school_name] = [
            Pupil.objects.get_or_create(
                school=schools[school_name],
                first_name=first,
                infix=infix,
                last_name=last,
                date_of_birth=born,
                defaults={"group": group},
            )[0]
            for first, infix, last, born, group in rows
        ]
    for index, school_name in enumerate(PUPILS):
        # Bulk and idempotent: the unique constraint on a pupil skips those already there.
        Pupil.objects.bulk_create(
            [
                Pupil(
                    school=schools[school_name],
                    first_name=first,
                    infix=infix,
                    last_name=last,
                    date_of_birth=born,
                    group=group,
                )
                for first, infix, last, born, group in _invented_pupils(index)
            ],
            ignore_conflicts=True,
        )
    return DemoWorld(board=board, schools=schools, users=users, pupils=pupils)
