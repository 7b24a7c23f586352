"""PostgreSQL: trigram indexes for the name search (Django's icontains is
UPPER(column) LIKE UPPER('%word%'), so the index is on UPPER(column)). pg_trgm is a
trusted extension: the database owner may create it. SQLite has none and needs none."""

from django.db import migrations

NAMES = ("first_name", "last_name")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in NAMES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS pupil_{column}_trgm ON meldcode_pupil "
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in NAMES:
        schema_editor.execute(f"DROP INDEX IF EXISTS pupil_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("meldcode", "0006_membership_history")]
    operations = [migrations.RunPython(forwards, backwards)]
