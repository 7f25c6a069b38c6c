"""The library demo: the presentation of seed 004 with its transcript, its similar documents
as library entries, and real files attached to past meetings, searchable and similar."""

import io
import time as clock
from collections import Counter
from datetime import date
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from kotoverkko.common.uploads import upload_check
from kotoverkko.events.demo import events_demo_load
from kotoverkko.library.demo import (
    BUILDERS,
    DOCUMENTS,
    MAKO,
    POMAKO,
    demo_data,
    library_demo_load,
)
from kotoverkko.library.extraction import extract_text
from kotoverkko.library.models import Document
from kotoverkko.network.demo import demo_load
from kotoverkko.network.roles import NetworkTree
from kotoverkko.search.analyser import analyser_status
from kotoverkko.search.models import Entry
from kotoverkko.search.selectors import SearchFilters, search, similar_for
from tests.components import require

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)
SEED = demo_data("presentation.json")
SIMILAR_TITLES = list(dict.fromkeys(SEED["similar"]))


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The network and events demos, then the library demo and a reindex; loaded once for the
    module (files under a folder of its own) and rolled back at its end."""
    media = tmp_path_factory.mktemp("library-demo-media")
    outer = transaction.atomic()
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock():
        outer.__enter__()
        try:
            with (
                mock.patch("kotoverkko.network.demo.events_demo_load", return_value={}),
                mock.patch("kotoverkko.network.demo.newsletter_demo_load", return_value={}),
                mock.patch("kotoverkko.network.demo.library_demo_load", return_value={}),
                mock.patch("kotoverkko.network.demo.tray_demo_load", return_value={}),
            ):
                demo_load()
            events_demo_load(today=TODAY)
            started = clock.monotonic()
            counts = library_demo_load()
            seconds = clock.monotonic() - started
            call_command("reindex", stdout=StringIO(), stderr=StringIO())
        except BaseException as exc:
            outer.__exit__(type(exc), exc, exc.__traceback__)
            raise
    yield {"counts": counts, "seconds": seconds, "media": media}
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _presentation() -> Document:
    return Document.objects.select_related("network", "organisation").get(title_fi=SEED["title"])


def _require_voikko() -> None:
    require(
        analyser_status().voikko,
        "Voikko is not installed (Debian: apt-get install libvoikko1 voikko-fi; "
        "pip install libvoikko)",
    )


# This one starts from an empty database, so it comes before any test that uses `loaded`.


def test_without_the_network_demo_nothing_is_loaded():
    # when / then
    with pytest.raises(ValueError, match="network demo"):
        library_demo_load()
    assert not Document.objects.exists()


def test_loader_reports_what_it_made_quickly(loaded):
    # then
    assert loaded["counts"] == {DOCUMENTS: Document.objects.count()}
    assert loaded["seconds"] < 10


def test_loading_twice_adds_nothing(loaded):
    # given
    before = Document.objects.count()

    # when
    second = library_demo_load()

    # then
    assert second == {}
    assert Document.objects.count() == before


def test_presentation_of_seed_004_is_a_public_mako_file_with_its_transcript(loaded):
    # when
    document = _presentation()

    # then
    assert document.network.slug == MAKO
    assert document.is_public
    assert document.speaker == "Ulla Laakso"
    assert document.organisation.name_fi.startswith("Suomen Punainen Risti")
    assert (document.kind, document.extraction) == ("pptx", Document.Extraction.DONE)
    assert document.text == "\n\n".join(SEED["slides"])
    assert "Kotoutuminen ei tapahdu virastoaikaan." in document.text
    assert "JÄRJESTÖJEN KOTOUTUMISTARJOTIN" in document.text
    # The speaker's contact details in the seed are not published.
    assert "@" not in document.text
    assert (loaded["media"] / document.file.name).is_file()


def test_every_similar_title_is_one_document(loaded):
    # given: the seed lists some documents two or three times
    assert len(SEED["similar"]) > len(SIMILAR_TITLES)

    # when
    titles = Counter(
        Document.objects.filter(title_fi__in=SIMILAR_TITLES).values_list("title_fi", flat=True)
    )

    # then
    assert set(titles) == set(SIMILAR_TITLES)
    assert set(titles.values()) == {1}
    empty = Document.objects.filter(title_fi__in=SIMILAR_TITLES, text="")
    assert not empty.exists()


def test_similar_documents_spread_over_networks_years_and_languages(loaded):
    # given
    documents = Document.objects.filter(title_fi__in=SIMILAR_TITLES).select_related("network")

    # then
    slugs = {d.network.slug for d in documents if d.network_id}
    assert {MAKO, POMAKO, "meri-lapin-mako", "rovaniemen-mako", "pakolaisten-vastaanotto"} <= slugs
    years = {d.date.year for d in documents}
    assert min(years) == 2011
    assert max(years) == 2024
    assert len(years) >= 12
    swedish = [d for d in documents if d.language == "sv"]
    assert len(swedish) >= 3
    assert all(d.network.slug == POMAKO and d.title_sv and " och " in d.text for d in swedish)


def test_similar_documents_of_the_presentation_include_titles_of_its_seed_list(loaded):
    # given
    presentation = _presentation()

    # when
    hits = similar_for(type="document", object_id=presentation.pk, user=AnonymousUser())

    # then
    assert hits
    similar = Document.objects.filter(pk__in=[hit.id for hit in hits])
    from_seed = [d for d in similar if d.title_fi in SIMILAR_TITLES]
    assert from_seed
    # They are similar for what they talk about: organisations working with the authorities.
    assert any("järjestö" in d.text.lower() for d in from_seed)


def test_materials_of_past_meetings_are_real_files_with_their_text_read(loaded):
    # given
    pages = {spec["file_name"]: spec["pages"] for spec in demo_data("materials.json")}

    # when
    materials = list(
        Document.objects.filter(event__isnull=False).select_related("event", "item", "network")
    )

    # then
    assert len(materials) >= 8
    assert {m.kind for m in materials} == set(BUILDERS)
    tree = NetworkTree.load()
    mako = Document.objects.get(title_fi=SEED["title"]).network_id
    assert any(m.event.network_id in tree.descendants(mako) for m in materials)
    assert any(m.event.network.slug == POMAKO for m in materials)
    assert any(m.language == "sv" for m in materials)
    for material in materials:
        assert material.event.starts_at.date() < TODAY
        assert material.item is None or material.item.event_id == material.event_id
        assert material.extraction == Document.Extraction.DONE
        words = " ".join(" ".join(page) for page in pages[material.original_name]).split()
        assert material.text.split() == words
        with (loaded["media"] / material.file.name).open("rb") as stored:
            assert upload_check(io.BytesIO(stored.read()), name=material.original_name).kind == (
                material.kind
            )


def test_material_of_a_members_only_team_meeting_is_for_members(loaded):
    # when
    material = Document.objects.get(event__visibility="members")

    # then
    assert material.visibility == Document.Visibility.MEMBERS
    assert material.network_id == material.event.network_id


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_built_file_reads_back_as_its_pages(tmp_path, kind):
    # given
    pages = [["Otsikko (ÅÄÖ) – 1/2", "Kotoutumiskoulutuksen polut"], ["Språkbad", "På svenska"]]
    path = tmp_path / f"slides.{kind}"
    path.write_bytes(BUILDERS[kind](pages, title="Testi", day=date(2024, 5, 3)))

    # when
    text = extract_text(path, kind)

    # then
    assert text.split() == " ".join(" ".join(page) for page in pages).split()
    assert BUILDERS[kind](pages, title="Testi", day=date(2024, 5, 3)) == path.read_bytes()


def test_search_for_koulutus_finds_an_inflected_compound_in_a_material(loaded):
    # given
    _require_voikko()
    compound = Document.objects.filter(event__isnull=False, text__contains="kotoutumiskoulutuksen")
    assert compound.exists()

    # when
    results = search(
        "koulutus", user=AnonymousUser(), filters=SearchFilters(type="document"), per_page=100
    )

    # then
    found = {hit.id for hit in results.hits}
    assert found & set(compound.filter(visibility="public").values_list("pk", flat=True))


def test_search_for_kotoutumislaki_finds_the_documents_saying_kotoutumislain(loaded):
    # given
    _require_voikko()
    expected = set(
        Document.objects.filter(text__contains="kotoutumislain", visibility="public").values_list(
            "pk", flat=True
        )
    )
    assert len(expected) >= 5
    assert Entry.objects.filter(type="document").count() == Document.objects.count()

    # when
    results = search(
        "kotoutumislaki", user=AnonymousUser(), filters=SearchFilters(type="document"), per_page=100
    )

    # then
    assert expected <= {hit.id for hit in results.hits}
