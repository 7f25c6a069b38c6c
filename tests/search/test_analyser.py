"""The analyser: Finnish inflection, compounds and consonant gradation with Voikko, Swedish and
English with Snowball, unknown words, and the fallback when Voikko is missing."""

import logging

import pytest

from kotoverkko.search import analyser
from kotoverkko.search.analyser import analyse, analyse_query, analyser_status
from kotoverkko.search.checks import voikko_check


def terms(word: str, language: str = "fi") -> set[str]:
    return set(analyse(word, language))


def query_alternatives(text: str, language: str | None = "fi") -> list[set[str]]:
    return [
        {t for alt in word.alternatives for t in alt}
        for word in analyse_query(text, language).words
    ]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("kotoutumislain", {"kotoutumislaki", "kotoutua", "laki"}),
        ("kotoutumiskoulutuksen", {"kotoutumiskoulutus", "kotoutua", "koulutus"}),
        ("maahanmuuttajalasten", {"maahanmuuttajalapsi", "maahanmuuttaja", "lapsi"}),
        ("työllisyyspalvelut", {"työllisyyspalvelu", "työllisyys", "palvelu"}),
        ("turvapaikanhakijoiden", {"turvapaikanhakija", "turvapaikka", "hakija"}),
        # A compound of three parts also holds the compound of its first two.
        ("vastaanottokeskustilanne", {"vastaanottokeskus", "vastaanotto", "keskus", "tilanne"}),
        ("kotoutumistarjottimen", {"kotoutumistarjotin", "tarjotin"}),
        # The last part takes the base form of the whole, not its plural surface.
        ("maahanmuuttajanuoret", {"maahanmuuttajanuori", "maahanmuuttaja", "nuori"}),
    ],
)
def test_finnish_compounds_give_base_form_and_parts(voikko, word, expected):
    assert expected <= terms(word)


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("Lapissa", "lappi"),
        ("kunnissa", "kunta"),
        ("kadulla", "katu"),
        ("pankissa", "pankki"),
        ("Oulussa", "oulu"),
        ("tarjottimella", "tarjotin"),
        ("lasten", "lapsi"),
        ("Rovaniemellä", "rovaniemi"),
        ("hyvinvointialueella", "hyvinvointialue"),
    ],
)
def test_finnish_inflection_and_consonant_gradation_give_the_base_form(voikko, word, base):
    assert base in terms(word)
    # The query finds the same base form from any form of the word.
    assert base in query_alternatives(word)[0]


def test_a_compound_in_a_query_also_looks_for_its_parts_written_apart(voikko):
    (word,) = analyse_query("maahanmuuttajaperheiden", "fi").words
    assert word.alternatives == (("maahanmuuttajaperhe",), ("maahanmuuttaja", "perhe"))
    (simple,) = analyse_query("perheiden", "fi").words
    assert simple.alternatives == (("perhe",),)


def test_lower_case_place_names_are_recognised(voikko):
    assert "oulu" in terms("oulussa")


def test_unknown_words_and_acronyms_are_kept_as_they_are_in_lower_case(voikko):
    assert analyse("POMAKO", "fi") == ["pomako"]
    assert analyse("Qwertyn", "fi") == ["qwertyn"]


def test_case_endings_after_a_colon_and_hyphenated_words_are_split(voikko):
    assert analyse("POMAKO:n", "fi") == ["pomako"]
    assert {"mako", "verkosto"} <= terms("MAKO-verkoston")
    assert {"ely", "keskus"} <= terms("ELY-keskuksen")


def test_nordic_letters_stay_distinct_from_a_and_o(voikko):
    assert analyse("Åbo", "fi") == ["åbo"]
    assert "äiti" in terms("äidit")
    assert "aiti" not in terms("äidit")
    assert "säätiö" in terms("säätiön")


def test_ambiguous_words_give_every_base_form(voikko):
    assert {"tulla", "tuli"} <= terms("tuli")
    assert {"alku", "alus"} <= terms("alusta")


def test_stop_words_are_left_out_in_every_form(voikko):
    assert analyse("on ja ovat sekä että ei", "fi") == []
    assert analyse_query("kunta ja lappi", "fi").text == "kunta lappi"


def test_terms_keep_the_order_and_repetitions_of_the_text(voikko):
    assert analyse("Kunta, kunnan ja kuntien palvelut", "fi") == [
        "kunta",
        "kunta",
        "kunta",
        "palvelu",
    ]


def test_numbers_are_terms(voikko):
    assert {"1386", "2010"} <= terms("laki 1386/2010")


def test_swedish_is_stemmed_with_snowball():
    assert analyse("kommunerna", "sv") == ["kommun"]
    assert analyse("kommunen och kommuner", "sv") == ["kommun", "kommun"]


def test_english_is_stemmed_with_snowball():
    assert analyse("services", "en") == ["servic"]
    assert analyse("the service and its services", "en") == ["servic", "servic"]


def test_a_query_without_language_looks_for_every_languages_forms(voikko):
    alternatives = query_alternatives("kommunerna kunnissa", language=None)
    assert "kommun" in alternatives[0]
    assert "kunta" in alternatives[1]


def test_a_query_word_that_is_a_stop_word_in_any_language_is_left_out(voikko):
    assert analyse_query("kunta och region", language=None).text == "kunta region"


def test_query_words_are_capped():
    query = analyse_query(" ".join(f"sana{n}" for n in range(40)), "en")
    assert len(query.words) == analyser.MAX_QUERY_WORDS


def test_status_and_check_report_voikko(voikko):
    assert analyser_status().voikko
    assert voikko_check(None) == []


def test_spelling_suggestions_come_from_voikko(voikko):
    assert "kotoutumislaki" in analyser.spelling_suggestions("kotuotumislaki")
    assert analyser.spelling_suggestions("kotoutumislaki") == []


# Without Voikko ----------------------------------------------------------------------------


def test_without_voikko_finnish_falls_back_to_snowball(without_voikko):
    # when
    found = analyse("kunnissa kotoutumislain", "fi")

    # then: Snowball's Finnish stems, and no compound parts
    assert found == ["kun", "kotoutumisl"]
    assert not analyser_status().voikko
    assert "could not be loaded" in analyser_status().detail


def test_without_voikko_queries_use_the_same_stems(without_voikko):
    assert query_alternatives("kunnissa") == [{"kun"}]
    assert analyser.spelling_suggestions("kotuotumislaki") == []


def test_without_voikko_the_log_says_so_once(without_voikko, caplog):
    # when
    with caplog.at_level(logging.WARNING, logger="kotoverkko.search"):
        analyse("kunnissa", "fi")
        analyse("kaupungeissa", "fi")
        analyse_query("kylissä")

    # then
    warnings = [r for r in caplog.records if "Voikko is not available" in r.getMessage()]
    assert len(warnings) == 1


def test_without_voikko_the_system_check_warns(without_voikko):
    # when
    messages = voikko_check(None)

    # then
    assert [message.id for message in messages] == ["search.W001"]
    assert messages[0].level == logging.WARNING
    assert "reindex" in messages[0].hint
