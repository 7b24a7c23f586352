"""The demo sociale kaart: De Regenboog carries the organisations of seed 003, De Vlinder
only the national entries.

Only organisations and their public numbers and addresses; no personal names. The AMK
and Steunpunt Huiselijk Geweld of the seed are Veilig Thuis now (a national entry).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from meldcode.demo import REGENBOOG, DemoWorld
from socialmap.models import Category, Organisation
from socialmap.services import organisation_save, school_seed_socialmap

# (name, category, address, phone, e-mail, website, months since last checked)
REGENBOOG_ENTRIES: list[tuple[str, str, str, str, str, str, int]] = [
    (
        "Intervence, crisisdienst",
        Category.EMERGENCY,
        "Roozenburglaan 89, 4337 JB Middelburg",
        "0118-677600",
        "",
        "https://www.intervence.nl",
        2,
    ),
    (
        "Politie Middelburg",
        Category.POLICE,
        "Achter de Houttuinen 10, 4331 NJ Middelburg",
        "0900-8844",
        "",
        "",
        3,
    ),
    (
        "Politie Vlissingen",
        Category.POLICE,
        "Breestraat 15, 4381 HZ Vlissingen",
        "0900-8844",
        "",
        "",
        3,
    ),
    (
        "Jeugdgezondheidszorg GGD Zeeland",
        Category.YOUTH_HEALTH,
        "Westwal 37, 4461 CM Goes",
        "0113-249400",
        "",
        "",
        5,
    ),
    (
        "Maatschappelijk Werk Walcheren, Middelburg",
        Category.SCHOOL_SOCIAL_WORK,
        "Sint Sebastiaanstraat 12, 4331 PL Middelburg",
        "0118-751400",
        "",
        "",
        6,
    ),
    (
        "Maatschappelijk Werk Walcheren, Vlissingen",
        Category.SCHOOL_SOCIAL_WORK,
        "Pablo Picassoplein 126, 4382 KB Vlissingen",
        "0118-448844",
        "",
        "",
        6,
    ),
    (
        "Centrum voor Jeugd en Gezin (Porthos) Middelburg",
        Category.CJG,
        "Sint Sebastiaanstraat 12, 4331 PL Middelburg",
        "0118-751400",
        "",
        "https://www.porthos.nl",
        4,
    ),
    (
        "Centrum voor Jeugd en Gezin (Porthos) Vlissingen",
        Category.CJG,
        "Pablo Picassoplein 126, 4382 KB Vlissingen",
        "0118-448844",
        "",
        "https://www.porthos.nl",
        4,
    ),
    # Checked longer than a year ago: the demo shows the review warning.
    (
        "GGZ Emergis",
        Category.GGZ,
        "Oostmolenweg 101, 4481 PM Kloetinge",
        "0113-267000",
        "",
        "https://www.emergis.nl",
        14,
    ),
    (
        "MEE Zeeland",
        Category.MEE,
        "Buitenruststraat 8, 4337 EH Middelburg",
        "0118-432000",
        "info@meezeeland.nl",
        "",
        15,
    ),
]


def _months_ago(months: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=round(months * 30.5))


def populate(world: DemoWorld) -> None:
    """Idempotent: entries already there (also archived ones) are left as they are."""
    for school in world.schools.values():
        school_seed_socialmap(school=school)
    regenboog = world.schools[REGENBOOG]
    for name, category, address, phone, email, website, months in REGENBOOG_ENTRIES:
        if Organisation.objects.filter(school=regenboog, name=name, category=category).exists():
            continue
        organisation = Organisation(
            school=regenboog,
            name=name,
            category=category,
            address=address,
            phone=phone,
            email=email,
            website=website,
            last_checked=_months_ago(months),
        )
        organisation.full_clean()
        organisation_save(organisation=organisation, by=None)
