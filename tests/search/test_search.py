"""Search on the database the suite runs on (SQLite FTS5, or PostgreSQL with DATABASE_URL):
the same cases, the same expected results on both."""

import pytest
from django.core.exceptions import ValidationError

from kotoverkko.search.index import (
    EntryData,
    index_entries_replace,
    index_entry_delete,
    index_entry_save,
)
from kotoverkko.search.models import Entry, IndexedTerm
from kotoverkko.search.selectors import SearchFilters, search, suggestions
from tests.factories import (
    NetworkFactory,
    OrganisationFactory,
    TeamFactory,
    UserFactory,
    coordinator_of,
    member_of,
)
from tests.search.conftest import DOCUMENT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("voikko", "documents")]


def doc(object_id: int, title: str, body: str = "", **kwargs) -> Entry:
    kwargs.setdefault("language", "fi")
    return index_entry_save(
        type=DOCUMENT,
        object_id=object_id,
        title=title,
        body=body,
        url=f"/fi/library/{object_id}/",
        **kwargs,
    )


def found(query: str, user=None, **filters) -> list[int]:
    return [hit.id for hit in search(query, user=user, filters=SearchFilters(**filters)).hits]


def test_a_word_is_found_inflected_and_inside_compounds():
    # given
    doc(1, "Aikuisten maahanmuuttajien kotoutumiskoulutuksen näkymiä")
    doc(2, "Uusi kotoutumislaki", "Kotoutumislain toimeenpano Lapissa ja kunnissa.")
    doc(3, "Kielikahvila kirjastossa", "Tervetuloa harjoittelemaan suomea.")

    # then
    assert found("koulutus") == [1]
    assert found("kotoutumiskoulutus") == [1]
    assert sorted(found("kotoutuminen")) == [1, 2]
    assert found("laki") == [2]
    assert found("kotoutumislakiin") == [2]
    assert found("Lappi") == [2]
    assert found("kunta") == [2]
    assert found("maahanmuuttaja") == [1]
    assert found("kirjasto") == [3]
    assert found("tarjotin") == []


def test_a_compound_query_finds_its_parts_written_apart_below_the_compound_itself():
    # given
    doc(1, "Nuorten maahanmuuttajien harrastukset", "Liikuntaa ja kerhoja.")
    doc(2, "Maahanmuuttajanuorten harrastukset", "Liikuntaa ja kerhoja.")
    doc(3, "Nuorten kesätyöt", "Maahanmuuttovirasto ei ole mukana.")

    # then
    assert found("maahanmuuttajanuoret") == [2, 1]


def test_every_word_of_the_query_must_be_found():
    doc(1, "Kotoutumislaki ja kunnat")
    doc(2, "Kotoutumislaki ja järjestöt")
    assert found("kotoutumislaki kunta") == [1]
    assert sorted(found("kotoutumislaki")) == [1, 2]


def test_a_title_match_ranks_above_a_body_match():
    # given the word in the body of the newer entry and in the title of the older one
    doc(1, "Kotoutumistarjotin Kemissä", "Järjestöjen toiminta kokoontui.")
    doc(2, "Verkostotapaaminen", "Puhuttiin kotoutumistarjottimesta ja muusta.")

    # when
    results = search("tarjotin", user=None)

    # then
    assert [hit.id for hit in results.hits] == [1, 2]
    assert results.hits[0].score > results.hits[1].score


def test_swedish_and_english_entries_are_found_by_their_stems():
    doc(1, "Kommunerna i Österbotten", "Integration i kommunen.", language="sv")
    doc(2, "Services for newcomers", "The service guide.", language="en")
    assert found("kommun") == [1]
    assert found("kommunernas") == [1]
    assert found("service") == [2]


def test_titles_in_other_languages_are_searched_too():
    doc(
        1,
        "Pakolaisten vastaanotto",
        titles_by_language={"fi": "Pakolaisten vastaanotto", "sv": "Flyktingmottagning"},
    )
    assert found("flyktingmottagningen") == [1]


def test_terms_with_digits_and_other_alphabets_match_on_the_database():
    doc(1, "Covid19 ja laki 1386/2010", "Äidinkieli: ελληνικά, x² ja 1e5.")
    for query in ("covid19", "1386", "2010", "äidinkieli", "ελληνικά", "1e5"):
        assert found(query) == [1], query


def test_decomposed_letters_and_nul_characters_are_stored_clean():
    # given "kylässä" written with a combining diaeresis, and a NUL from a broken file
    doc(1, "Muistio", "Kyla\u0308ssa\u0308 pidettiin\x00 kokous.")

    # when
    hit = search("kylä", user=None).hits[0]

    # then
    assert "<mark>Kylässä</mark>" in hit.snippet
    assert "\x00" not in Entry.objects.get().text


# Who sees what --------------------------------------------------------------------------------


@pytest.fixture
def networks():
    mako = NetworkFactory(slug="mako")
    meri_lappi = NetworkFactory(slug="meri-lappi", parent=mako)
    team = TeamFactory(slug="vastaanotto", parent=mako)
    pomako = NetworkFactory(slug="pomako")
    doc(1, "Kotoutumislaki julkisesti")
    doc(2, "Kotoutumislaki MAKOn jäsenille", network=mako, visibility="members")
    doc(3, "Kotoutumislaki Meri-Lapin jäsenille", network=meri_lappi, visibility="members")
    doc(4, "Kotoutumislaki POMAKOn jäsenille", network=pomako, visibility="members")
    doc(5, "Kotoutumislaki tiimin jäsenille", network=team, visibility="members")
    return {"mako": mako, "meri_lappi": meri_lappi, "team": team, "pomako": pomako}


def test_visitors_find_public_entries_only(networks):
    assert found("kotoutumislaki") == [1]


def test_members_find_their_networks_entries_and_those_of_the_networks_above(networks):
    # given a member of Meri-Lappi, which is part of MAKO
    person = member_of(networks["meri_lappi"])

    # then
    assert sorted(found("kotoutumislaki", user=person.user)) == [1, 2, 3]


def test_a_member_of_one_network_never_sees_anothers(networks):
    person = member_of(networks["pomako"])
    assert sorted(found("kotoutumislaki", user=person.user)) == [1, 4]


def test_coordinators_see_their_networks_and_all_below(networks):
    person = coordinator_of(networks["mako"])
    assert sorted(found("kotoutumislaki", user=person.user)) == [1, 2, 3, 5]


def test_administrators_see_everything(networks):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert sorted(found("kotoutumislaki", user=admin)) == [1, 2, 3, 4, 5]


def test_a_login_without_a_person_sees_public_entries(networks):
    assert found("kotoutumislaki", user=UserFactory()) == [1]


# Filters and pages --------------------------------------------------------------------------


def test_filters_by_type_network_organisation_language_and_year():
    # given
    mako = NetworkFactory(slug="mako")
    meri_lappi = NetworkFactory(slug="meri-lappi", parent=mako)
    organisation = OrganisationFactory()
    doc(1, "Kunta ja kotoutuminen", network=meri_lappi, year=2024)
    doc(2, "Kunnan kotoutumisohjelma", organisation_id=organisation.pk, year=2023)
    doc(3, "Kunta och integration", language="sv", year=2024)
    index_entry_save(
        type="event", object_id=1, title="Kuntien tapaaminen", body="", language="fi", url="/x/"
    )

    # then
    assert sorted(found("kunta", type=DOCUMENT)) == [1, 2, 3]
    assert found("kunta", type="event") == [1]
    assert found("kunta", network=mako.pk) == [1]
    assert found("kunta", network=meri_lappi.pk) == [1]
    assert found("kunta", organisation=organisation.pk) == [2]
    assert found("kunta", language="sv") == [3]
    assert sorted(found("kunta", year=2024)) == [1, 3]
    assert found("kunta", year=2022) == []


def test_results_come_in_pages():
    # given 25 entries with the word
    for n in range(1, 26):
        doc(n, f"Kotoutumisohjelma {n}", "Kunnan ohjelma.")

    # when
    first = search("kotoutumisohjelma", user=None, per_page=10)
    last = search("kotoutumisohjelma", user=None, per_page=10, page=3)
    beyond = search("kotoutumisohjelma", user=None, per_page=10, page=99)

    # then
    assert (first.total, first.num_pages, len(first.hits)) == (25, 3, 10)
    assert first.has_next
    assert not first.has_previous
    assert len(last.hits) == 5
    assert not last.has_next
    assert beyond.page == 3
    pages = [search("kotoutumisohjelma", user=None, per_page=10, page=p) for p in (1, 2, 3)]
    assert {hit.id for page in pages for hit in page.hits} == set(range(1, 26))


def test_a_very_common_term_ranks_only_the_newest_candidates(settings):
    # given more entries with the word than are ranked
    settings.SEARCH_CANDIDATE_LIMIT = 5
    for n in range(1, 13):
        doc(n, "Verkostotapaaminen", f"Kotoutuminen on yhteinen asia {n}.")

    # when
    results = search("kotoutuminen", user=None)

    # then the newest five are ranked and the results say there were more
    assert results.capped
    assert results.total == 5
    assert sorted(hit.id for hit in results.hits) == [8, 9, 10, 11, 12]


def test_an_empty_or_stop_word_query_finds_nothing():
    doc(1, "Kunta ja kotoutuminen")
    assert search("", user=None).total == 0
    assert search("ja on", user=None).total == 0


# Snippets -----------------------------------------------------------------------------------


def test_snippets_mark_the_words_found_and_escape_the_rest():
    # given
    doc(1, "Muistio", 'Kotoutumislain toimeenpano <script>alert("x")</script> kunnissa & kylissä.')

    # when
    hit = search("kunta", user=None).hits[0]

    # then
    assert "<mark>kunnissa</mark>" in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "<script>" not in hit.snippet
    assert "&amp;" in hit.snippet
    assert "<mark>" not in str(hit.title_html)


def test_a_snippet_shows_the_passage_where_the_words_are():
    # given a long text with the word near its end
    filler = " ".join(["Verkosto kokoontui ja keskusteli ajankohtaisista asioista."] * 60)
    doc(1, "Muistio", filler + " Lopuksi puhuttiin tarjottimesta.")

    # when
    snippet = search("tarjotin", user=None).hits[0].snippet

    # then
    assert snippet.startswith("… ")
    assert "<mark>tarjottimesta</mark>" in snippet
    assert len(snippet) < 400


def test_titles_are_marked_and_escaped():
    doc(1, "Kotoutumislaki <b>uudistuu</b>")
    hit = search("laki", user=None).hits[0]
    assert str(hit.title_html) == "<mark>Kotoutumislaki</mark> &lt;b&gt;uudistuu&lt;/b&gt;"
    assert hit.title == "Kotoutumislaki <b>uudistuu</b>"


# Writing the index --------------------------------------------------------------------------


def test_saving_again_replaces_the_terms_and_keeps_the_counts():
    # given
    doc(1, "Kunta", "Kunnan palvelut.")
    doc(2, "Kunta", "Kaupungin palvelut.")

    # when
    doc(1, "Kaupunki", "Kaupungin palvelut.")

    # then
    assert found("kunta") == [2]
    assert sorted(found("kaupunki")) == [1, 2]
    counts = dict(IndexedTerm.objects.filter(type=DOCUMENT).values_list("term", "entries"))
    assert counts["kunta"] == 1
    assert counts["kaupunki"] == 2
    assert counts["palvelu"] == 2
    assert Entry.objects.filter(type=DOCUMENT).count() == 2


def test_deleting_takes_the_entry_out():
    doc(1, "Kunta")
    assert index_entry_delete(DOCUMENT, 1) is True
    assert found("kunta") == []
    assert index_entry_delete(DOCUMENT, 1) is False
    assert IndexedTerm.objects.get(type=DOCUMENT, term="kunta").entries == 0


def test_an_entry_that_cannot_be_indexed_is_refused_and_nothing_is_saved():
    with pytest.raises(ValidationError) as refused:
        doc(1, "Kunta", visibility="members")
    assert "network" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        doc(2, "  ", language="de")
    assert {"title", "language"} <= set(refused.value.message_dict)
    assert not Entry.objects.exists()
    assert not IndexedTerm.objects.exists()


def test_replacing_a_type_keeps_exactly_the_entries_given():
    # given
    doc(1, "Kunta")
    doc(2, "Kaupunki")
    entries = [
        EntryData(type=DOCUMENT, object_id=2, title="Kylä", body="", language="fi", url="/2/"),
        EntryData(type=DOCUMENT, object_id=3, title="Kunta", body="", language="fi", url="/3/"),
    ]

    # when
    count = index_entries_replace(DOCUMENT, entries, similar=False)

    # then
    assert count == 2
    assert found("kunta") == [3]
    assert found("kylä") == [2]
    assert found("kaupunki") == []
    counts = dict(IndexedTerm.objects.filter(type=DOCUMENT).values_list("term", "entries"))
    assert counts == {"kylä": 1, "kunta": 1}


def test_replacing_skips_an_entry_that_cannot_be_indexed_and_says_so(caplog):
    entries = [
        EntryData(type=DOCUMENT, object_id=1, title="", body="Kunta", language="fi", url="/1/"),
        EntryData(type=DOCUMENT, object_id=2, title="Kunta", body="", language="fi", url="/2/"),
    ]
    assert index_entries_replace(DOCUMENT, entries, similar=False) == 1
    assert found("kunta") == [2]
    assert "not indexed: testdoc 1" in caplog.text


# Suggestions --------------------------------------------------------------------------------


def test_a_misspelt_word_gets_a_corrected_query():
    doc(1, "Uusi kotoutumislaki")
    assert [(s.query, s.count) for s in suggestions("kotuotumislaki", None)] == [
        ("kotoutumislaki", 1)
    ]


def test_an_unknown_name_gets_the_closest_indexed_term():
    doc(1, "POMAKO-verkoston kokous")
    assert suggestions("POMAKKO", None)[0].query == "pomako"


def test_a_word_found_nowhere_is_dropped_from_the_suggestion():
    doc(1, "Kotoutumislaki ja kunnat")
    assert [s.query for s in suggestions("kotoutumislaki xyzzyq", None)] == ["kotoutumislaki"]


def test_suggestions_do_not_reveal_members_only_entries():
    network = NetworkFactory()
    doc(1, "Salainen kotoutumislaki", network=network, visibility="members")
    assert suggestions("kotuotumislaki", None) == []
    member = member_of(network)
    assert [s.query for s in suggestions("kotuotumislaki", member.user)] == ["kotoutumislaki"]
