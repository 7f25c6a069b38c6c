"""Client guidance: reading a need's free text (a municipality, a language, a group and a time
in any inflection), ranking the offerings on Finnish inflection and compounds, the reasons
shown, the nearby municipalities when the municipality has nothing, picks over the text, and
the page and the API."""

import copy

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from kotoverkko.search.index import index_entries_replace, index_object_refresh
from kotoverkko.search.models import Entry
from kotoverkko.tray import guidance, services
from kotoverkko.tray import search as tray_search
from kotoverkko.tray.guidance import guidance_search, need_build, need_read
from tests.api.test_schema import _as_json_schema
from tests.factories import OrganisationFactory, municipality
from tests.search import conftest as search_fixtures
from tests.tray.factories import OfferingFactory, category

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("voikko", "offerings_indexed")]

voikko = search_fixtures.voikko

KEMI, TORNIO, ROVANIEMI, VAASA = "240", "851", "698", "905"
API = "/api/v1/tray/guidance/"


@pytest.fixture
def offerings_indexed():
    """Offerings registered with the search index, as the tray's ready() does."""
    tray_search.register()


def offering(title: str, *, places=(KEMI,), **fields):
    fields.setdefault("description_fi", "")
    fields.setdefault("how_to_join_fi", "")
    return OfferingFactory(title_fi=title, municipalities=list(places), **fields)


def titles(found) -> list[str]:
    return [result.offering.title_fi for result in found.results]


def search(text: str = "", **picks):
    return guidance_search(need_build(text=text, **picks))


# Reading the text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kemissä", KEMI),
        ("Kemiin", KEMI),
        ("Kemin", KEMI),
        ("Torniossa", TORNIO),
        ("i Vasa", VAASA),
    ],
)
def test_a_municipality_is_read_in_any_inflection(text, code):
    assert need_read(f"äiti {text}").municipality == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("arabiankielinen", "ar"),
        ("arabiaa puhuva", "ar"),
        ("venäjänkielinen", "ru"),
        ("somali", "so"),
        ("Arabic-speaking", "ar"),
        ("Russian", "ru"),
        ("arabisktalande", "ar"),
        ("suomenkielinen", "fi"),
    ],
)
def test_a_language_is_read_from_its_name_or_adjective(text, code):
    assert need_read(text).languages == (code,)


def test_finnish_as_the_subject_to_practise_stays_a_word():
    # given a need to practise Finnish, not a Finnish speaker
    read = need_read("haluaa harjoitella suomea")

    # then Finnish is what to look for in the offerings, not the client's language
    assert read.languages == ()
    assert "suomea" in read.words


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("äiti", ("women", "families")),
        ("mother", ("women", "families")),
        ("nuorille", ("young-people",)),
        ("lapsi", ("children",)),
        ("perheet", ("families",)),
        ("työnhakija", ("job-seekers",)),
        ("opiskelijoille", ("students",)),
        ("maahanmuuttajaäiti", ("women", "families")),
    ],
)
def test_a_client_group_is_read(text, groups):
    assert need_read(text).groups == groups


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("illalla", "evenings"),
        ("iltaisin", "evenings"),
        ("evenings", "evenings"),
        ("viikonloppuna", "weekends"),
        ("på kvällarna", "evenings"),
    ],
)
def test_a_time_is_read(text, time):
    assert need_read(text).times == (time,)


def test_the_whole_example_need_is_read():
    read = need_read("Arabiankielinen äiti Kemissä haluaa harjoitella suomea iltaisin")

    assert read.municipality == KEMI
    assert read.languages == ("ar",)
    assert read.groups == ("women", "families")
    assert read.times == ("evenings",)
    assert read.words == "haluaa harjoitella suomea"


# Ranking -------------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["kahvila", "kahvilaan", "kielikahvilassa", "Kielikahvila"])
def test_an_offering_is_found_by_inflected_forms_and_parts_of_its_compound(word):
    # given a language café and a sports club in Kemi
    offering("Kielikahvila")
    offering("Jalkapallokerho", description_fi="Pelataan jalkapalloa")

    # when a worker looks for a café in Kemi
    found = search(f"{word} Kemissä")

    # then the language café is found, for its word
    assert titles(found) == ["Kielikahvila"]
    assert ("words", word) in [(r.kind, r.label) for r in found.results[0].reasons]


def test_words_are_matched_through_the_search_index_entries():
    # given offerings indexed as reindex indexes them, one of them worded in its description
    cafe = offering("Olohuone", description_fi="Kielikahvila maahanmuuttajille keskiviikkoisin")
    offering("Neuvontapiste")
    index_entries_replace(tray_search.OFFERING, tray_search._offering_entries())
    assert Entry.objects.filter(type="offering").count() == 2

    # when the need mentions the café in an inflected form
    found = search("kahvilaan", municipality=municipality(KEMI))

    # then the offering whose entry holds the word is found
    assert [r.offering.pk for r in found.results] == [cafe.pk]


def test_the_offerings_matching_more_of_the_need_rank_first_with_their_reasons():
    # given three offerings in Kemi
    best = offering(
        "Naisten kielikahvila",
        languages=["ar", "fi"],
        times=["evenings"],
        groups=["women"],
    )
    middle = offering("Kielikahvila", languages=["fi"], times=["daytime"], groups=["everyone"])
    offering("Työnhakuklinikka", languages=["fi"], times=["daytime"], groups=["job-seekers"])

    # when a worker describes an Arabic-speaking mother wanting a café in the evenings
    found = search("Arabiankielinen äiti Kemissä etsii kielikahvilaa iltaisin")

    # then the offering that fits in place, language, group, time and words comes first, the
    # one that fits in words only next, and the job club not at all
    assert [r.offering for r in found.results] == [best, middle]
    reasons = {r.kind: r.label for r in found.results[0].reasons}
    assert reasons == {
        "place": "Kemi",
        "language": "Arabic",
        "group": "Women",
        "time": "evenings",
        "words": "kielikahvilaa",
    }
    assert {r.kind: r.label for r in found.results[1].reasons}["group"] == "open to everyone"


def test_an_offering_for_the_whole_region_is_found_after_the_municipalitys_own():
    own = offering("Kielikahvila Kemi")
    regional = OfferingFactory(
        title_fi="Kielikahvila verkossa", municipalities=[], regions=[municipality(KEMI).region]
    )

    found = search("kielikahvila Kemissä")

    assert [r.offering for r in found.results] == [own, regional]
    assert found.results[1].reasons[0].label == "everywhere in Lapland"


def test_archived_offerings_are_not_found():
    offering("Kielikahvila", archived=True)

    assert search("kielikahvila Kemissä").results == []


def test_nearby_municipalities_follow_when_the_municipality_has_none():
    # given a café in Tornio (Lapland, like Kemi), one in Vaasa, and only a sports club in Kemi
    tornio = offering("Kielikahvila Torniossa", places=[TORNIO])
    offering("Kielikahvila Vaasassa", places=[VAASA])
    offering("Jalkapallokerho")

    # when a worker looks for a café in Kemi
    found = search("kielikahvila Kemissä")

    # then Tornio's café follows, marked nearby; Vaasa's, in another region, does not
    assert found.nearby is True
    assert [r.offering for r in found.results] == [tornio]
    assert found.results[0].nearby is True
    assert found.results[0].reasons[0].label == "nearby: Tornio"


def test_nothing_nearby_is_shown_when_the_municipality_has_something():
    offering("Kielikahvila")
    offering("Kielikahvila Torniossa", places=[TORNIO])

    found = search("kielikahvila Kemissä")

    assert found.nearby is False
    assert titles(found) == ["Kielikahvila"]


def test_picks_override_what_the_text_says():
    # given an Arabic café in Kemi and a Russian one in Tornio
    offering("Kielikahvila", languages=["ar"], groups=["women"])
    tornio = offering("Kielikahvila", places=[TORNIO], languages=["ru"], groups=["young-people"])

    # when the text says Kemi, Arabic and a mother but the picks say Tornio, Russian, young
    need = need_build(
        text="arabiankielinen äiti Kemissä kielikahvila",
        municipality=municipality(TORNIO),
        language="ru",
        group="young-people",
    )
    found = guidance_search(need)

    # then the picks count
    assert need.municipality.code == TORNIO
    assert need.languages == ("ru",)
    assert need.groups == ("young-people",)
    assert [r.offering for r in found.results] == [tornio]
    kinds = {r.kind: r.label for r in found.results[0].reasons}
    assert kinds["language"] == "Russian"
    assert kinds["group"] == "Young people"


def test_a_stage_pick_ranks_the_offerings_of_that_stage_first():
    training = offering("Kotoutumiskoulutus", path_stages=["training"])
    offering("Kielikahvila", path_stages=["outside"])

    found = search(municipality=municipality(KEMI), stage="training")

    assert [r.offering for r in found.results] == [training]


def test_without_a_municipality_the_words_find_offerings_anywhere():
    cafe = offering("Kielikahvila", places=[VAASA])
    offering("Jalkapallokerho", places=[ROVANIEMI])
    index_entries_replace(tray_search.OFFERING, tray_search._offering_entries())

    found = search("kahvilaan")

    assert [r.offering for r in found.results] == [cafe]


def test_a_changed_offering_is_found_by_its_new_words_at_once(
    django_capture_on_commit_callbacks,
):
    # given a search that keeps Kemi's candidates
    cafe = offering("Kielikahvila")
    assert titles(search("kahvila Kemissä")) == ["Kielikahvila"]

    # when the offering's organisation renames it
    with django_capture_on_commit_callbacks(execute=True):
        services.offering_update(actor=None, offering=cafe, data={"title_fi": "Lukupiiri"})

    # then
    assert titles(search("lukupiiri Kemissä")) == ["Lukupiiri"]
    assert titles(search("kahvila Kemissä")) == []


def test_the_number_of_queries_does_not_grow_with_the_offerings():
    def count() -> int:
        # Each municipality's candidates are kept between searches: measure a first search.
        guidance.known_candidates_forget()
        with CaptureQueriesContext(connection) as queries:
            found = search("arabiankielinen äiti Kemissä kielikahvila iltaisin")
            for result in found.results:
                [m.name for m in result.municipalities]
                [g.name for g in result.groups]
                result.offering.organisation.name  # noqa: B018
        return len(queries)

    offering("Kielikahvila 1", groups=["women"])
    few = count()
    organisation = OrganisationFactory()
    for n in range(2, 12):
        offering(f"Kielikahvila {n}", groups=["women", "families"], organisation=organisation)
    assert count() == few


# Search index entries ------------------------------------------------------------------------


def test_an_offering_entry_is_public_with_its_page_and_words_of_its_category():
    cafe = offering("Kielikahvila", category=category("open-to-all"))

    assert index_object_refresh(tray_search.OFFERING, cafe.pk) is True

    entry = Entry.objects.get(type="offering", object_id=cafe.pk)
    assert entry.visibility == "public"
    assert entry.url == f"/fi/tray/offerings/{cafe.pk}/"
    assert entry.organisation_id == cafe.organisation_id
    assert entry.year == cafe.confirmed_on.year
    assert "kahvila" in entry.title_terms.split()
    assert "avoin" in entry.body_terms.split()


def test_an_archived_offering_leaves_the_index():
    cafe = offering("Kielikahvila")
    index_object_refresh(tray_search.OFFERING, cafe.pk)
    cafe.archived = True
    cafe.save()

    assert index_object_refresh(tray_search.OFFERING, cafe.pk) is False
    assert not Entry.objects.filter(type="offering", object_id=cafe.pk).exists()


# The page ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_page_shows_results_with_why_contact_and_how_to_take_part(client, language):
    cafe = offering(
        "Kielikahvila",
        how_to_join_fi="Tule paikalle keskiviikkona.",
        contact_name="Aino Korhonen",
        contact_phone="040 123 4567",
    )

    response = client.get(f"/{language}/tray/guidance/", {"q": "kahvilaan Kemissä"})

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/{language}/tray/offerings/{cafe.pk}/"' in html
    assert "Tule paikalle keskiviikkona." in html
    assert "Aino Korhonen" in html
    assert 'href="tel:0401234567"' in html
    assert "kahvilaan" in html


def test_the_page_without_a_need_shows_the_form_only(client):
    response = client.get("/en/tray/guidance/")

    assert response.status_code == 200
    assert b'<textarea id="id_q"' in response.content
    assert b"results-heading" not in response.content


def test_the_page_says_when_the_results_are_nearby(client):
    offering("Kielikahvila", places=[TORNIO])

    response = client.get("/en/tray/guidance/", {"q": "kielikahvila iltaisin Kemissä"})

    assert response.status_code == 200
    assert b"Nothing in Kemi fits this need" in response.content
    # what the text was read to say is shown for the worker to check
    html = " ".join(response.content.decode().split())
    assert (
        'Read from the text: <span class="badge">Kemi</span> <span class="badge">evenings' in html
    )


def test_the_page_answers_an_unknown_pick_with_a_message(client):
    response = client.get("/en/tray/guidance/", {"municipality": "999", "group": "nobody"})

    assert response.status_code == 400
    assert b"There is no such choice" in response.content


# The API -------------------------------------------------------------------------------------


def _schema_check(data: dict) -> None:
    document = SchemaGenerator().get_schema(request=None, public=True)
    operation = document["paths"][API]["get"]
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]
    components = _as_json_schema(copy.deepcopy(document["components"]))
    jsonschema.Draft202012Validator({**response, "components": components}).validate(data)


def test_the_api_returns_ranked_offerings_with_reasons():
    cafe = offering("Kielikahvila", languages=["ar"], contact_email="kahvila@example.fi")

    response = APIClient().get(
        API,
        {"q": "arabiankielinen äiti kahvilaan", "municipality": KEMI},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    data = response.json()
    _schema_check(data)
    assert data["need"]["municipality"] == {"code": KEMI, "name": "Kemi"}
    assert data["need"]["languages"] == ["ar"]
    assert data["need"]["words"] == ["kahvilaan"]
    assert data["nearby"] is False
    [result] = data["results"]
    assert result["id"] == cafe.pk
    assert result["page"] == f"/fi/tray/offerings/{cafe.pk}/"
    assert result["contact"]["email"] == "kahvila@example.fi"
    assert {"kind": "language", "label": "Arabic"} in result["reasons"]
    assert {"kind": "words", "label": "kahvilaan"} in result["reasons"]


def test_the_api_picks_override_the_text():
    offering("Kielikahvila", places=[TORNIO], languages=["ru"])

    response = APIClient().get(
        API, {"q": "arabiankielinen Kemissä kielikahvila", "municipality": TORNIO, "language": "ru"}
    )

    data = response.json()
    assert data["need"]["municipality"]["code"] == TORNIO
    assert data["need"]["languages"] == ["ru"]
    assert len(data["results"]) == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"municipality": "999"}, "municipality"),
        ({"group": "nobody"}, "group"),
        ({"language": "xx"}, "language"),
        ({"stage": "later"}, "stage"),
        ({"q": "x" * 501}, "q"),
    ],
)
def test_the_api_refuses_unknown_picks(params, field):
    response = APIClient().get(API, params)

    assert response.status_code == 400
    assert field in str(response.json())
