"""The library API: who sees which documents, filters, uploads checked by their content,
changes and removal by those allowed, similar documents; answers in the documented shapes."""

import copy
from datetime import date, timedelta

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from kotoverkko.library import services
from kotoverkko.library.models import Document
from tests.api.conftest import queries_for, token_client
from tests.api.test_schema import _as_json_schema
from tests.events.factories import AgendaItemFactory, EventFactory
from tests.factories import NetworkFactory, OrganisationFactory, coordinator_of, member_of

pytestmark = pytest.mark.django_db

DOCUMENTS = "/api/v1/documents/"


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    """WhiteNoise warns (an error here) when the collected static files are missing."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def networks():
    mako = NetworkFactory(slug="mako", name_fi="MAKO-verkosto")
    return {
        "mako": mako,
        "meri_lappi": NetworkFactory(slug="meri-lappi", parent=mako, name_fi="Meri-Lappi"),
        "pomako": NetworkFactory(slug="pomako", name_fi="POMAKO"),
    }


@pytest.fixture
def people(networks):
    return {
        "member": member_of(networks["mako"], email="jasen@example.fi"),
        "colleague": member_of(networks["mako"], email="kollega@example.fi"),
        "coordinator": coordinator_of(networks["mako"], email="koordinaattori@example.fi"),
        "outsider": member_of(networks["pomako"], email="pohjanmaa@example.fi"),
    }


def make(title: str, *, days_ago: int = 0, text: str = "", actor=None, **data) -> Document:
    """A document added as text (an imported transcript), uploaded `days_ago`."""
    language = data.setdefault("language", "fi")
    data.setdefault(f"title_{language}", title)
    document = services.document_create_text(actor=actor, text=text or title, data=data)
    uploaded = timezone.now() - timedelta(days=days_ago)
    Document.objects.filter(pk=document.pk).update(uploaded_at=uploaded)
    return document


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def text_file(content: str = "Kotoutumislain toimeenpano kunnissa.\n", name: str = "muistio.txt"):
    return SimpleUploadedFile(name, content.encode(), content_type="text/plain")


def stored_files(settings) -> list:
    media = settings.MEDIA_ROOT
    return [item for item in media.rglob("*") if item.is_file()] if media.exists() else []


# Reading -------------------------------------------------------------------------------------


@pytest.fixture
def library(networks):
    organisation = OrganisationFactory(name_fi="Rovaniemen kaupunki")
    return {
        "public": make(
            "Kotoutumisohjelma",
            days_ago=3,
            network=networks["mako"],
            organisation=organisation,
            speaker="Aino Korhonen",
            keywords="kotoutuminen, kunnat",
            description_fi="Ohjelman luonnos.",
            title_sv="Integrationsprogram",
        ),
        "mako": make(
            "Verkoston pöytäkirja", days_ago=2, network=networks["mako"], visibility="members"
        ),
        "pomako": make(
            "POMAKO:n pöytäkirja", days_ago=1, network=networks["pomako"], visibility="members"
        ),
    }


def test_anonymous_users_see_public_documents_and_members_those_of_their_networks_too(
    library, people
):
    # given
    anonymous = APIClient()
    member = token_client(people["member"])
    outsider = token_client(people["outsider"])

    # then
    assert titles(anonymous.get(DOCUMENTS)) == ["Kotoutumisohjelma"]
    assert titles(member.get(DOCUMENTS)) == ["Verkoston pöytäkirja", "Kotoutumisohjelma"]
    assert titles(outsider.get(DOCUMENTS)) == ["POMAKO:n pöytäkirja", "Kotoutumisohjelma"]


def test_a_list_row_has_the_documents_data_with_absolute_addresses_and_no_transcript(library):
    # given
    document = library["public"]

    # when
    row = APIClient().get(DOCUMENTS).json()["results"][0]

    # then
    assert row["id"] == document.pk
    assert row["title"] == "Kotoutumisohjelma"
    assert row["titles"] == {"fi": "Kotoutumisohjelma", "sv": "Integrationsprogram", "en": None}
    assert row["descriptions"] == {"fi": "Ohjelman luonnos.", "sv": None, "en": None}
    assert row["keywords"] == ["kotoutuminen", "kunnat"]
    assert row["speaker"] == "Aino Korhonen"
    assert row["network"] == "mako"
    assert row["organisation"] == {
        "id": document.organisation_id,
        "name": {"fi": "Rovaniemen kaupunki", "sv": None, "en": None},
    }
    assert row["visibility"] == "public"
    assert row["extraction"] == "none"
    assert row["url"] == f"http://testserver/fi/library/{document.pk}/"
    assert row["download_url"] is None
    assert "text" not in row


def test_swedish_readers_get_the_swedish_title(library):
    # when
    response = APIClient().get(DOCUMENTS, HTTP_ACCEPT_LANGUAGE="sv")

    # then
    assert titles(response) == ["Integrationsprogram"]


def test_filters_narrow_the_list_and_a_bad_filter_is_a_400(networks):
    # given
    event = EventFactory(network=networks["mako"])
    make("Lapin esitys", days_ago=1, network=networks["meri_lappi"], date=date(2024, 5, 2))
    make("Svensk presentation", days_ago=2, network=networks["pomako"], language="sv")
    make("Tapaamisen kalvot", days_ago=3, event=event, date=date(2025, 3, 1))
    client = APIClient()

    # then
    assert titles(client.get(DOCUMENTS, {"network": "mako"})) == [
        "Lapin esitys",
        "Tapaamisen kalvot",
    ]
    assert titles(client.get(DOCUMENTS, {"network": "meri-lappi"})) == ["Lapin esitys"]
    assert titles(client.get(DOCUMENTS, {"language": "sv"})) == ["Svensk presentation"]
    assert titles(client.get(DOCUMENTS, {"year": "2024"})) == ["Lapin esitys"]
    assert titles(client.get(DOCUMENTS, {"event": event.pk})) == ["Tapaamisen kalvot"]
    assert titles(client.get(DOCUMENTS, {"kind": "pdf"})) == []
    assert titles(client.get(DOCUMENTS, {"network": ""})) == [
        "Lapin esitys",
        "Svensk presentation",
        "Tapaamisen kalvot",
    ]
    for bad in ({"network": "ei-ole"}, {"kind": "exe"}, {"year": "viime"}, {"language": "de"}):
        assert client.get(DOCUMENTS, bad).status_code == 400, bad


def test_the_kind_filter_finds_uploaded_files(networks, people):
    # given
    client = token_client(people["member"])
    client.post(DOCUMENTS, {"file": text_file(), "network": "mako"}, format="multipart")
    client.post(
        DOCUMENTS,
        {"file": text_file("# Otsikko\n", name="ohje.md"), "network": "mako"},
        format="multipart",
    )

    # then
    assert titles(client.get(DOCUMENTS, {"kind": "md"})) == ["ohje"]
    assert titles(client.get(DOCUMENTS, {"kind": "txt"})) == ["muistio"]


def test_the_list_takes_as_many_queries_for_thirty_documents_as_for_three(networks, people):
    # given
    client = token_client(people["member"])
    event = EventFactory(network=networks["mako"])

    def add(count: int) -> None:
        for number in range(count):
            make(
                f"Asiakirja {number}",
                network=networks["mako"],
                visibility="members" if number % 2 else "public",
                organisation=OrganisationFactory(),
                event=event,
                item=AgendaItemFactory(event=event),
            )

    # when
    add(3)
    few, first = queries_for(client, DOCUMENTS)
    add(27)
    many, second = queries_for(client, DOCUMENTS)

    # then
    assert (first["count"], second["count"]) == (3, 30)
    assert few == many


def test_the_detail_has_the_transcript_and_hides_what_the_user_may_not_see(library, people):
    # given
    hidden = library["mako"]
    member = token_client(people["member"])
    outsider = token_client(people["outsider"])

    # when
    seen = member.get(f"{DOCUMENTS}{hidden.pk}/")
    answers = [
        APIClient().get(f"{DOCUMENTS}{hidden.pk}/"),
        outsider.get(f"{DOCUMENTS}{hidden.pk}/"),
        outsider.get(f"{DOCUMENTS}{hidden.pk + 1000}/"),
    ]

    # then
    assert seen.status_code == 200
    assert seen.json()["text"] == "Verkoston pöytäkirja"
    assert [answer.status_code for answer in answers] == [404, 404, 404]
    assert answers[1].json() == answers[2].json()


# Uploading -----------------------------------------------------------------------------------


def test_a_member_uploads_a_document_whose_text_is_read_after_the_commit(
    networks, people, settings, django_capture_on_commit_callbacks
):
    # given
    client = token_client(people["member"])
    body = {
        "file": text_file("Kotoutumislain toimeenpano kunnissa.\n\nToinen kappale.\n"),
        "title": "Lagens genomförande",
        "language": "sv",
        "title_fi": "Lain toimeenpano",
        "network": "mako",
        "visibility": "members",
        "keywords": "laki, kunnat",
        "date": "2025-04-10",
        "speaker": "Aino Korhonen",
    }

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DOCUMENTS, body, format="multipart")

    # then
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["extraction"] == "pending"
    assert created["titles"] == {
        "fi": "Lain toimeenpano",
        "sv": "Lagens genomförande",
        "en": None,
    }
    assert created["language"] == "sv"
    assert created["keywords"] == ["laki", "kunnat"]
    assert created["kind"] == "txt"
    assert created["file_name"] == "muistio.txt"
    assert created["size"] == len(body["file"])
    assert created["download_url"] == f"http://testserver/fi/library/{created['id']}/download/"
    document = Document.objects.get()
    assert document.uploaded_by == people["member"].user
    read = client.get(f"{DOCUMENTS}{document.pk}/").json()
    assert read["extraction"] == "done"
    assert read["text"] == "Kotoutumislain toimeenpano kunnissa.\n\nToinen kappale."
    assert len(stored_files(settings)) == 1


def test_a_member_uploads_slides_to_an_event_of_her_network(networks, people):
    # given
    event = EventFactory(network=networks["mako"], visibility="members")
    item = AgendaItemFactory(event=event)
    client = token_client(people["member"])

    # when
    response = client.post(
        DOCUMENTS, {"file": text_file(), "item": item.pk, "title": "Kalvot"}, format="multipart"
    )

    # then
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["event"]["id"] == event.pk
    assert created["item"] == item.pk
    assert created["network"] == "mako"
    assert created["visibility"] == "members"


def test_uploads_are_refused_to_outsiders_and_anonymous_users_and_nothing_is_kept(
    networks, people, settings
):
    # given
    event = EventFactory(network=networks["mako"])
    outsider = token_client(people["outsider"])
    member = token_client(people["member"])

    # when
    answers = {
        "anonymous": APIClient().post(
            DOCUMENTS, {"file": text_file(), "network": "mako"}, format="multipart"
        ),
        "other network": outsider.post(
            DOCUMENTS, {"file": text_file(), "network": "mako"}, format="multipart"
        ),
        "other event": outsider.post(
            DOCUMENTS, {"file": text_file(), "event": event.pk}, format="multipart"
        ),
        "nowhere": member.post(DOCUMENTS, {"file": text_file()}, format="multipart"),
        "no file": member.post(DOCUMENTS, {"network": "mako"}, format="multipart"),
    }

    # then
    statuses = {name: response.status_code for name, response in answers.items()}
    assert statuses == {
        "anonymous": 401,
        "other network": 403,
        "other event": 403,
        "nowhere": 400,
        "no file": 400,
    }
    assert "network" in answers["nowhere"].json()
    assert not Document.objects.exists()
    assert stored_files(settings) == []


def test_a_file_of_the_wrong_kind_with_a_right_name_is_refused_and_nothing_is_kept(
    networks, people, settings
):
    # given
    program = SimpleUploadedFile(
        "kalvot.pdf", b"MZ\x90\x00\x03\x00\x00\x00" * 64, content_type="application/pdf"
    )

    # when
    response = token_client(people["member"]).post(
        DOCUMENTS,
        {"file": program, "network": "mako", "title": "Kalvot"},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    # then
    assert response.status_code == 400
    assert response.json()["file"] == [
        "This kind of file cannot be uploaded. Upload a PDF, PowerPoint (PPTX), Word (DOCX), "
        "OpenDocument (ODT, ODP), plain text or Markdown file."
    ]
    assert not Document.objects.exists()
    assert stored_files(settings) == []


def test_a_file_over_the_size_limit_is_refused(networks, people, settings):
    # given
    settings.UPLOAD_MAX_BYTES = 100
    client = token_client(people["member"])

    # when
    response = client.post(
        DOCUMENTS,
        {"file": text_file("sana " * 40), "network": "mako"},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    # then
    assert response.status_code == 400
    assert "at most 100" in response.json()["file"][0]
    assert not Document.objects.exists()
    assert stored_files(settings) == []


def test_an_upload_the_service_refuses_keeps_no_file(networks, people, settings):
    # given: the same slides once among the event's materials, and an item of another event
    event = EventFactory(network=networks["mako"])
    other_item = AgendaItemFactory(event=EventFactory(network=networks["mako"]))
    client = token_client(people["member"])
    first = client.post(DOCUMENTS, {"file": text_file(), "event": event.pk}, format="multipart")

    # when
    again = client.post(DOCUMENTS, {"file": text_file(), "event": event.pk}, format="multipart")
    wrong_item = client.post(
        DOCUMENTS,
        {"file": text_file("Muu muistio.\n"), "event": event.pk, "item": other_item.pk},
        format="multipart",
    )

    # then
    assert first.status_code == 201, first.content
    assert again.status_code == 400
    assert "file" in again.json()
    assert wrong_item.status_code == 400
    assert "item" in wrong_item.json()
    assert Document.objects.count() == 1
    assert len(stored_files(settings)) == 1


def test_input_the_row_cannot_hold_is_a_400(networks, people, settings):
    # when
    response = token_client(people["member"]).post(
        DOCUMENTS,
        {"file": text_file(), "network": "mako", "speaker": "x" * 201},
        format="multipart",
    )

    # then
    assert response.status_code == 400
    assert "speaker" in response.json()
    assert not Document.objects.exists()
    assert stored_files(settings) == []


# Changing and removing ----------------------------------------------------------------------


@pytest.fixture
def uploaded(networks, people) -> Document:
    response = token_client(people["member"]).post(
        DOCUMENTS,
        {"file": text_file(), "network": "mako", "title": "Muistio", "visibility": "members"},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    return Document.objects.get(pk=response.json()["id"])


def test_those_allowed_change_a_document_and_others_are_refused(uploaded, people, networks):
    # given
    url = f"{DOCUMENTS}{uploaded.pk}/"
    public = make("Julkinen", network=networks["mako"])

    # when
    answers = {
        "anonymous": APIClient().patch(url, {"speaker": "A"}, format="json"),
        "outsider": token_client(people["outsider"]).patch(url, {"speaker": "A"}, format="json"),
        "outsider, public": token_client(people["outsider"]).patch(
            f"{DOCUMENTS}{public.pk}/", {"speaker": "A"}, format="json"
        ),
        "colleague": token_client(people["colleague"]).patch(url, {"speaker": "A"}, format="json"),
        "uploader": token_client(people["member"]).patch(
            url, {"title": "Muistio 2", "keywords": ["laki", "kunta"]}, format="json"
        ),
        "coordinator": token_client(people["coordinator"]).patch(
            url, {"title_en": "Memo", "visibility": "public"}, format="json"
        ),
        "uploader, elsewhere": token_client(people["member"]).patch(
            url, {"network": "pomako"}, format="json"
        ),
    }

    # then
    statuses = {name: response.status_code for name, response in answers.items()}
    assert statuses == {
        "anonymous": 401,
        "outsider": 404,
        "outsider, public": 403,
        "colleague": 403,
        "uploader": 200,
        "coordinator": 200,
        "uploader, elsewhere": 403,
    }
    changed = answers["coordinator"].json()
    assert changed["titles"] == {"fi": "Muistio 2", "sv": None, "en": "Memo"}
    assert changed["keywords"] == ["laki", "kunta"]
    assert changed["visibility"] == "public"
    assert changed["network"] == "mako"
    uploaded.refresh_from_db()
    assert uploaded.speaker == ""


def test_a_change_that_breaks_the_rules_is_a_400(uploaded, people):
    # when
    response = token_client(people["member"]).patch(
        f"{DOCUMENTS}{uploaded.pk}/", {"network": None}, format="json"
    )

    # then
    assert response.status_code == 400
    assert "visibility" in response.json()
    uploaded.refresh_from_db()
    assert uploaded.network.slug == "mako"


def test_the_coordinator_removes_a_document_and_its_file_goes_after_the_commit(
    uploaded, people, settings, django_capture_on_commit_callbacks
):
    # given
    url = f"{DOCUMENTS}{uploaded.pk}/"
    assert len(stored_files(settings)) == 1

    # when
    refused = token_client(people["colleague"]).delete(url)
    with django_capture_on_commit_callbacks(execute=True):
        removed = token_client(people["coordinator"]).delete(url)

    # then
    assert refused.status_code == 403
    assert removed.status_code == 204
    assert not Document.objects.exists()
    assert stored_files(settings) == []


# Similar documents ----------------------------------------------------------------------------


def test_similar_documents_share_vocabulary_and_hide_members_only_ones_from_outsiders(
    networks, people, django_capture_on_commit_callbacks
):
    # given
    def english(title: str, text: str, **data) -> Document:
        return make(title, text=text, language="en", **data)

    with django_capture_on_commit_callbacks(execute=True):
        act = english(
            "Integration act",
            "The integration act obliges municipalities; municipal integration programmes "
            "and the duties of municipalities under the act.",
            network=networks["mako"],
        )
        programme = english(
            "Municipal programmes",
            "Municipalities write integration programmes as the integration act obliges; "
            "the duties of each municipality.",
            network=networks["pomako"],
        )
        minutes = english(
            "Duties of municipalities",
            "Minutes: the integration act, municipal duties and integration programmes of "
            "municipalities.",
            network=networks["mako"],
            visibility="members",
        )
        english(
            "Reindeer herding",
            "Reindeer herding in the fells: herders, reindeer and Sámi livelihoods.",
        )
        english(
            "Herders in the fells",
            "Sámi reindeer herders and their livelihoods in the fell villages.",
        )
        english("Language café", "A language café at the library: reading circles and Finnish.")
        english("Reading circles", "Library reading circles and language cafés for learners.")
    member = token_client(people["member"])
    outsider = token_client(people["outsider"])

    # when
    for_member = member.get(f"{DOCUMENTS}{act.pk}/similar/")
    for_outsider = outsider.get(f"{DOCUMENTS}{act.pk}/similar/")

    # then
    assert for_member.status_code == 200, for_member.content
    assert {row["id"] for row in for_member.json()[:2]} == {programme.pk, minutes.pk}
    shown = [row["id"] for row in for_outsider.json()]
    assert shown[0] == programme.pk
    assert minutes.pk not in shown
    first = for_outsider.json()[0]
    assert first["title"] == "Municipal programmes"
    assert first["url"] == f"http://testserver/fi/library/{programme.pk}/"
    assert 0 < first["score"] <= 1.000001
    assert outsider.get(f"{DOCUMENTS}{minutes.pk}/similar/").status_code == 404


# Shapes --------------------------------------------------------------------------------------


def test_answers_match_the_documented_shapes(library, uploaded, people):
    # given
    document = SchemaGenerator().get_schema(request=None, public=True)
    components = _as_json_schema(copy.deepcopy(document["components"]))
    client = token_client(people["member"])

    def check(name: str, body) -> None:
        schema = {"$ref": f"#/components/schemas/{name}", "components": components}
        jsonschema.Draft202012Validator(schema).validate(body)

    # then
    check("PaginatedDocumentOutputList", client.get(DOCUMENTS).json())
    check("DocumentDetailOutput", client.get(f"{DOCUMENTS}{uploaded.pk}/").json())
    check("DocumentDetailOutput", client.get(f"{DOCUMENTS}{library['public'].pk}/").json())
    similar = client.get(f"{DOCUMENTS}{uploaded.pk}/similar/").json()
    assert isinstance(similar, list)
    for row in similar:
        check("SimilarDocumentOutput", row)
