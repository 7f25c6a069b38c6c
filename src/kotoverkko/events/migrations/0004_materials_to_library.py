"""The events' materials are library documents now (library 0002 copied them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_registration_notice_pending"),
        ("library", "0002_event_materials"),
        ("newsletter", "0002_alter_issueitem_material"),
    ]

    operations = [
        migrations.DeleteModel(name="Material"),
    ]
