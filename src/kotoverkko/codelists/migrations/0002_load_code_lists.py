"""Load the shipped snapshots of the Finnish code lists."""

from django.db import migrations


def load(apps, schema_editor):
    from kotoverkko.codelists.loader import load_code_lists

    load_code_lists(apps)


def unload(apps, schema_editor):
    for name in ["Municipality", "Region", "WellbeingCounty", "ServiceClass", "TargetGroup"]:
        apps.get_model("codelists", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("codelists", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
