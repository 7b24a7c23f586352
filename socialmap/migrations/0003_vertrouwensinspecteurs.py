"""Gives every existing school the vertrouwensinspecteurs of the Inspectie (0900-111 3 111),
now a national entry (issue 25: WPO art. 4a). Frozen here on purpose, like 0002."""

from django.db import migrations

ENTRY = (
    "Vertrouwensinspecteurs",
    "overig",
    "0900-111 3 111",
    "https://www.onderwijsinspectie.nl",
    "Meldpunt vertrouwensinspecteurs: bij signalen van seksueel misbruik, seksuele "
    "intimidatie, discriminatie of geweld door iemand die op school werkt. Het bevoegd "
    "gezag overlegt onverwijld (WPO art. 4a).",
)


def seed(apps, schema_editor):
    School = apps.get_model("meldcode", "School")
    Organisation = apps.get_model("socialmap", "Organisation")
    name, category, phone, website, notes = ENTRY
    for school in School.objects.all():
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
    dependencies = [("socialmap", "0002_seed_national_entries")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
