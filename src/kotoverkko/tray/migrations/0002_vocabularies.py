"""The default categories of the tray and its client groups (editable afterwards)."""

from django.db import migrations

# The lists as they were when this migration was written.
from kotoverkko.tray.vocabulary import CATEGORIES, CLIENT_GROUPS


def vocabularies_load(apps, schema_editor):
    Category = apps.get_model("tray", "Category")
    ClientGroup = apps.get_model("tray", "ClientGroup")
    for code, kind, position, (fi, sv, en) in CATEGORIES:
        Category.objects.get_or_create(
            code=code,
            defaults={
                "kind": kind,
                "position": position,
                "name": fi,
                "name_fi": fi,
                "name_sv": sv,
                "name_en": en,
            },
        )
    for code, position, (fi, sv, en) in CLIENT_GROUPS:
        ClientGroup.objects.get_or_create(
            code=code,
            defaults={
                "position": position,
                "name": fi,
                "name_fi": fi,
                "name_sv": sv,
                "name_en": en,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("tray", "0001_initial")]

    operations = [migrations.RunPython(vocabularies_load, migrations.RunPython.noop)]
