"""The index's commands: reindex with its progress bar, search with JSON output, and the full
recompute of similar documents."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kotoverkko.search.index import EntryData, index_entry_save, register_source
from kotoverkko.search.models import Entry, SimilarEntry
from tests.events.factories import EventFactory
from tests.factories import NetworkFactory, OrganisationFactory
from tests.search.conftest import DOCUMENT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("voikko", "documents")]

TEXTS = [
    "Kotoutumislain toimeenpano kunnissa",
    "Kotoutumislaki ja kuntien velvoitteet",
    "Kielikahvila kirjastossa",
    "Kirjaston kielikahvilat",
    "Poronhoito tunturissa",
]


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def library(documents):
    """The test documents as a registered source, as the library registers its own."""
    entries = [
        EntryData(
            type=DOCUMENT,
            object_id=n,
            title=text,
            body=text,
            language="fi",
            url=f"/fi/library/{n}/",
        )
        for n, text in enumerate(TEXTS, 1)
    ]
    register_source(
        DOCUMENT, label="Documents", entries=lambda: entries, similar=True, count=lambda: 5
    )
    return entries


def test_reindex_rebuilds_every_source_with_a_progress_bar(library):
    # given content of the other apps, a stale entry, and the documents
    EventFactory(title_fi="Verkostotapaaminen Kemissä", checklist=False)
    OrganisationFactory(name_fi="Kemin kaupunki")
    index_entry_save(
        type="organisation", object_id=999_999, title="Poistettu", body="", language="fi", url="/"
    )

    # when
    out, err = run("reindex")

    # then
    assert "Indexed" in out
    assert "Events" in err
    assert "5/5 [" in err
    assert "100%" in err
    assert "Similar: Documents" in err
    assert Entry.objects.filter(type="event").count() == 1
    assert Entry.objects.filter(type=DOCUMENT).count() == 5
    assert not Entry.objects.filter(type="organisation", object_id=999_999).exists()
    assert SimilarEntry.objects.filter(entry__object_id=1, other__object_id=2).exists()


def test_reindex_of_one_type_and_an_unknown_type(library):
    out, _err = run("reindex", "--type", DOCUMENT)
    assert Entry.objects.filter(type=DOCUMENT).count() == 5
    assert not Entry.objects.exclude(type=DOCUMENT).exists()
    with pytest.raises(CommandError, match="Unknown type: nonsense"):
        run("reindex", "--type", "nonsense")


def test_search_prints_json_in_rank_order(library):
    # given
    run("reindex", "--type", DOCUMENT)
    network = NetworkFactory()
    index_entry_save(
        type=DOCUMENT,
        object_id=6,
        title="Jäsenten kotoutumislaki",
        body="",
        language="fi",
        url="/fi/library/6/",
        network=network,
        visibility="members",
    )

    # when
    out, _err = run("search", "kotoutumislaki", "--json")
    public, _err = run("search", "kotoutumislaki", "--json", "--public-only", "--limit", "1")

    # then
    rows = json.loads(out)
    assert {row["id"] for row in rows} == {1, 2, 6}
    assert all({"id", "type", "title", "score"} <= set(row) for row in rows)
    assert [row["score"] for row in rows] == sorted((row["score"] for row in rows), reverse=True)
    assert [row["id"] for row in json.loads(public)] in ([1], [2])


def test_search_filters_by_type_and_says_when_nothing_is_found(library):
    run("reindex")
    out, _err = run("search", "kotoutumislaki", "--json", "--type", "event")
    assert json.loads(out) == []
    out, _err = run("search", "olematon")
    assert "Nothing found" in out
    with pytest.raises(CommandError):
        run("search", "kunta", "--limit", "0")


def test_similar_recompute_command(library):
    run("reindex", "--type", DOCUMENT)
    SimilarEntry.objects.all().delete()
    out, err = run("similar_recompute")
    assert "5 entries" in out
    assert "100%" in err
    assert SimilarEntry.objects.filter(entry__object_id=3, other__object_id=4).exists()
    with pytest.raises(CommandError):
        run("similar_recompute", "--type", "event")
