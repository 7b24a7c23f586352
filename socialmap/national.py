"""The national entries every school starts with.

These are public numbers, stored as data in Dutch (they are content the school may
edit, like any other entry), not interface text.
"""

from socialmap.models import Category

NATIONAL_ENTRIES: list[dict[str, str]] = [
    {
        "name": "Politie alarmnummer",
        "category": Category.EMERGENCY,
        "phone": "112",
        "notes": "Bij acuut gevaar.",
    },
    {
        "name": "Politie",
        "category": Category.POLICE,
        "phone": "0900-8844",
        "website": "https://www.politie.nl",
        "notes": "Geen spoed.",
    },
    {
        "name": "Veilig Thuis",
        "category": Category.VEILIG_THUIS,
        "phone": "0800-2000",
        "website": "https://veiligthuis.nl",
        "notes": "Advies of melding, gratis en dag en nacht bereikbaar. Advies vragen mag anoniem.",
    },
    {
        "name": "Vertrouwensinspecteurs",
        "category": Category.OTHER,
        "phone": "0900-111 3 111",
        "website": "https://www.onderwijsinspectie.nl",
        "notes": (
            "Meldpunt vertrouwensinspecteurs: bij signalen van seksueel misbruik, seksuele "
            "intimidatie, discriminatie of geweld door iemand die op school werkt. Het "
            "bevoegd gezag overlegt onverwijld (WPO art. 4a)."
        ),
    },
    {
        "name": "Kindertelefoon",
        "category": Category.OTHER,
        "phone": "0800-0432",
        "website": "https://www.kindertelefoon.nl",
        "notes": "Voor kinderen zelf: gratis en anoniem.",
    },
]
