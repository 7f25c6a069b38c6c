"""Similar documents: the cosine of tf-idf vectors of analysed terms, recomputed in full and
when one document changes."""

import pytest

from kotoverkko.search import similar
from kotoverkko.search.index import bulk_indexing, index_entry_delete, index_entry_save
from kotoverkko.search.models import Entry, SimilarEntry, SimilarityVector
from kotoverkko.search.selectors import similar_for
from kotoverkko.search.similar import similar_recompute, similar_recompute_all
from tests.factories import NetworkFactory, member_of
from tests.search.conftest import DOCUMENT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("voikko", "documents")]

# Three topics; "verkosto" is in every document and tells nothing apart.
TOPICS = {
    "law": [
        "Kotoutumislain toimeenpano kunnissa ja kuntien velvoitteet verkostossa",
        "Uusi kotoutumislaki velvoittaa kunnat; toimeenpano alkaa, verkosto seuraa",
        "Kuntien kotoutumisohjelma ja lain toimeenpanon velvoitteet verkoston kokouksessa",
        "Kotoutumislaki, kunnan velvoite ja toimeenpanon aikataulu verkostolle",
    ],
    "language": [
        "Kielikahvila kirjastossa: suomen kielen harjoittelua verkostossa",
        "Kirjaston kielikahvilat ja lukupiirit suomen oppijoille, verkosto mukana",
        "Suomen kielen opetus ja kielikahvila kirjastoissa verkoston tukena",
        "Lukupiiri ja kielikahvila: kirjasto tukee kielen oppimista verkostossa",
    ],
    "reindeer": [
        "Poronhoito tunturissa ja saamelaiset elinkeinot verkostossa",
        "Tunturikylän poronhoitajat ja saamen kieli, verkosto vierailee",
        "Poronhoidon vuosi tunturissa: saamelaisten elinkeino ja verkosto",
        "Saamelaiset poronhoitajat tunturikylässä verkoston kokouksessa",
    ],
}


def save(object_id: int, text: str, **kwargs) -> Entry:
    return index_entry_save(
        type=DOCUMENT,
        object_id=object_id,
        title=text.split(":")[0][:60],
        body=text,
        language="fi",
        url=f"/fi/library/{object_id}/",
        **kwargs,
    )


@pytest.fixture
def corpus() -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {}
    object_id = 0
    for topic, texts in TOPICS.items():
        for text in texts:
            object_id += 1
            save(object_id, text)
            ids.setdefault(topic, []).append(object_id)
    return ids


def similar_ids(object_id: int) -> list[int]:
    return list(
        SimilarEntry.objects.filter(entry__type=DOCUMENT, entry__object_id=object_id)
        .order_by("-score", "other__object_id")
        .values_list("other__object_id", flat=True)
    )


def test_full_recompute_puts_documents_of_the_same_topic_first(corpus):
    # when
    count = similar_recompute_all(DOCUMENT)

    # then
    assert count == 12
    for topic, members in corpus.items():
        for object_id in members:
            listed = similar_ids(object_id)
            assert object_id not in listed
            assert len(listed) <= 10
            assert set(listed[:3]) == set(members) - {object_id}, (topic, object_id, listed)


def test_scores_are_cosines_best_first(corpus):
    similar_recompute_all(DOCUMENT)
    scores = list(
        SimilarEntry.objects.filter(entry__object_id=1, entry__type=DOCUMENT)
        .order_by("-score")
        .values_list("score", flat=True)
    )
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1.000001 for score in scores)


def test_terms_in_more_than_half_of_the_documents_are_left_out(corpus):
    similar_recompute_all(DOCUMENT)
    weights = SimilarityVector.objects.get(entry__object_id=1, entry__type=DOCUMENT).weights
    assert "verkosto" not in weights
    assert "toimeenpano" in weights


@pytest.mark.parametrize("whole", [True, False], ids=["small collection", "large collection"])
def test_a_new_document_gets_its_list_and_enters_the_lists_of_its_topic(corpus, whole, monkeypatch):
    # given a collection recomputed whole on a change, or one where only the change is
    monkeypatch.setattr(similar, "FULL_RECOMPUTE_UP_TO", 1000 if whole else 0)
    similar_recompute_all(DOCUMENT)

    # when
    save(13, "Kotoutumislain toimeenpano ja kunnan velvoitteet: kotoutumisohjelma")
    similar_recompute(DOCUMENT, 13)

    # then
    assert set(similar_ids(13)[:4]) == set(corpus["law"])
    for object_id in corpus["law"]:
        assert 13 in similar_ids(object_id)
    for object_id in corpus["reindeer"]:
        assert 13 not in similar_ids(object_id)


def test_saving_a_document_recomputes_after_the_commit(corpus, django_capture_on_commit_callbacks):
    # given
    similar_recompute_all(DOCUMENT)

    # when (the immediate task backend of the tests runs the queued task at once)
    with django_capture_on_commit_callbacks(execute=True):
        save(13, "Poronhoito ja saamelaiset tunturikylässä")

    # then
    assert set(similar_ids(13)[:4]) == set(corpus["reindeer"])


def test_deleting_a_document_recomputes_the_lists_it_was_on(
    corpus, django_capture_on_commit_callbacks
):
    # given
    similar_recompute_all(DOCUMENT)
    assert 2 in similar_ids(1)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        index_entry_delete(DOCUMENT, 2)

    # then
    assert 2 not in similar_ids(1)
    assert not SimilarEntry.objects.filter(other__object_id=2, other__type=DOCUMENT).exists()
    assert set(similar_ids(1)[:2]) == {3, 4}


def test_many_documents_saved_at_once_are_recomputed_once(django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks, bulk_indexing():
        object_id = 0
        for texts in TOPICS.values():
            for text in texts:
                object_id += 1
                save(object_id, text)

    # then one full recompute was queued, and it ran
    assert len(callbacks) == 1
    assert set(similar_ids(5)[:3]) == {6, 7, 8}


def test_similar_documents_shown_are_those_the_user_may_see(corpus):
    # given a members-only document of the law topic
    network = NetworkFactory()
    save(
        13,
        "Kotoutumislain toimeenpano kunnissa: velvoitteet",
        network=network,
        visibility="members",
    )
    similar_recompute_all(DOCUMENT)
    assert 13 in similar_ids(1)

    # then
    assert 13 not in [hit.id for hit in similar_for(type=DOCUMENT, object_id=1, user=None)]
    member = member_of(network)
    shown = similar_for(type=DOCUMENT, object_id=1, user=member.user)
    assert 13 in [hit.id for hit in shown]
    assert all(hit.url.startswith("/en/library/") for hit in shown)


def test_types_without_similar_entries_queue_no_recompute(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        index_entry_save(type="event", object_id=1, title="Kunta", body="", language="fi", url="/")
    assert callbacks == []
