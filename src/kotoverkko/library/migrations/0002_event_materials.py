"""The events' materials become library documents, keeping their ids (a bulletin's items point
at them by id) and their stored files."""

from django.core.management.color import no_style
from django.db import migrations

KIND_BY_TYPE = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "text/plain": "txt",
    "text/markdown": "md",
}


def materials_to_documents(apps, schema_editor):
    Material = apps.get_model("events", "Material")
    Document = apps.get_model("library", "Document")
    documents = []
    for material in Material.objects.select_related("event").order_by("pk").iterator():
        event = material.event
        public = event.visibility == "public"
        kind = KIND_BY_TYPE.get(material.content_type.split(";")[0], "")
        documents.append(
            Document(
                pk=material.pk,
                network_id=event.network_id,
                organisation_id=event.organiser_id,
                event_id=event.pk,
                item_id=material.item_id,
                title=material.title,
                title_fi=material.title,
                language=(event.languages or ["fi"])[0],
                date=event.starts_at.date(),
                visibility="public" if public else "members",
                file=material.file.name,
                original_name=material.original_name,
                kind=kind,
                content_type=material.content_type,
                size=material.size,
                extraction="pending" if kind else "failed",
                extraction_reason="" if kind else "unreadable",
                uploaded_by_id=material.uploaded_by_id,
                uploaded_at=material.uploaded_at,
            )
        )
    Document.objects.bulk_create(documents, batch_size=500)
    if documents:
        connection = schema_editor.connection
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Document]):
                cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_initial"),
        ("events", "0003_registration_notice_pending"),
    ]

    operations = [
        migrations.RunPython(materials_to_documents, migrations.RunPython.noop),
    ]
