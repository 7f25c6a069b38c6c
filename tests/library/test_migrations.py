"""The events' own materials become library documents when the database is migrated: the same
numbers (bulletins point at them), the same stored files, members-only for events that are not
public."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("events", "0003_registration_notice_pending"),
    ("library", "0001_initial"),
    ("newsletter", "0001_initial"),
]
AFTER = [("events", "0004_materials_to_library"), ("library", "0002_event_materials")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_materials_become_documents_with_their_numbers_and_files():
    # given the database as it was before the library, with two events' materials
    old = _migrate(BEFORE)
    Network = old.get_model("network", "Network")
    Event = old.get_model("events", "Event")
    Material = old.get_model("events", "Material")
    network = Network.objects.create(slug="lapin-mako", name="Lapin MAKO", name_fi="Lapin MAKO")
    start = datetime(2024, 3, 14, 10, tzinfo=UTC)

    def event(visibility: str, languages: list[str]):
        return Event.objects.create(
            network=network,
            title="Kokous",
            title_fi="Kokous",
            starts_at=start,
            ends_at=start,
            visibility=visibility,
            languages=languages,
        )

    public = Material.objects.create(
        pk=7,
        event=event("public", ["sv", "fi"]),
        title="Kalvot",
        file="events/1/abc",
        original_name="kalvot.pptx",
        content_type="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        size=1234,
    )
    Material.objects.create(
        pk=9,
        event=event("members", []),
        title="Sisäinen",
        file="events/2/def",
        original_name="muistio.zip",
        content_type="application/zip",
        size=10,
    )

    # when
    new = _migrate(AFTER)

    # then
    Document = new.get_model("library", "Document")
    slides, internal = Document.objects.order_by("pk")
    assert (slides.pk, internal.pk) == (7, 9)
    assert (slides.title_fi, slides.file.name, slides.original_name) == (
        "Kalvot",
        "events/1/abc",
        "kalvot.pptx",
    )
    assert (slides.kind, slides.language, slides.visibility) == ("pptx", "sv", "public")
    assert (slides.extraction, slides.event_id, slides.network_id) == (
        "pending",
        public.event_id,
        network.pk,
    )
    assert (internal.visibility, internal.language) == ("members", "fi")
    assert (internal.extraction, internal.extraction_reason) == ("failed", "unreadable")
    # New documents are numbered after the copied ones.
    added = Document.objects.create(title="Uusi", title_fi="Uusi")
    assert added.pk > 9
