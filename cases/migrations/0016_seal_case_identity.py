from django.db import migrations, models


def seal_case_identities(apps, schema_editor):
    # Uses the live models on purpose (as 0011 does): sealing must compute exactly what
    # verification recomputes. Seals the identity (pupil, school, opener, opening time)
    # of every case opened before identities were sealed, at the end of its chain.
    from cases.models import Case
    from cases.seal import Seal, seal_records

    sealed = set(Seal.objects.filter(record="cases.Case").values_list("record_id", flat=True))
    pks = [
        pk for pk in Case.objects.order_by("pk").values_list("pk", flat=True) if pk not in sealed
    ]
    for start in range(0, len(pks), 1000):
        seal_records(Case, pks[start : start + 1000])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_entry_signal_code"),
    ]

    operations = [
        migrations.AlterField(
            model_name="accesslog",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "viewed the dossier"),
                    ("chronology", "viewed the pupil's chronology"),
                    ("export", "exported the dossier"),
                    ("download", "downloaded a document"),
                    ("denied", "was refused access"),
                    ("admin", "viewed a record in the admin"),
                    ("file_refused", "was refused a document that does not match its seal"),
                ],
                max_length=16,
                verbose_name="action",
            ),
        ),
        migrations.RunPython(seal_case_identities, migrations.RunPython.noop),
    ]
