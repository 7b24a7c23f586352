"""Gives schools that existed before the sociale kaart its national entries.

The entries are frozen here on purpose: later changes to socialmap.national must not
change what this migration did.
"""

from django.db import migrations

NATIONAL_ENTRIES = [
    ("Politie alarmnummer", "spoed", "112", "", "Bij acuut gevaar."),
    ("Politie", "politie", "0900-8844", "https://www.politie.nl", "Geen spoed."),
    (
        "Veilig Thuis",
        "veilig_thuis",
        "0800-2000",
        "https://veiligthuis.nl",
        "Advies of melding, gratis en dag en nacht bereikbaar. Advies vragen mag anoniem.",
    ),
    (
        "Kindertelefoon",
        "overig",
        "0800-0432",
        "https://www.kindertelefoon.nl",
        "Voor kinderen zelf: gratis en anoniem.",
    ),
]


def seed(apps, schema_editor):
    School = apps.get_model("meldcode", "School")
    Organisation = apps.get_model("socialmap", "Organisation")
    for school in School.objects.all():
        for name, category, phone, website, notes in NATIONAL_ENTRIES:
            if not Organisation.objects.filter(
                school=school, name__iexact=name, category=category
            ).exists():
                Organisation.objects.create(
                    school=school,
                    name=name,
                    category=category,
                    phone=phone,
                    website=website,
                    notes=notes,
                )


class Migration(migrations.Migration):
    dependencies = [
        ("meldcode", "0001_initial"),
        ("socialmap", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
