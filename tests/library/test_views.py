"""The library's pages: adding, reading, changing and removing documents, with their checks and
permissions."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kotoverkko.events.models import Event
from kotoverkko.library import services
from kotoverkko.library.models import Document
from tests.events.factories import AgendaItemFactory, EventFactory
from tests.factories import NetworkFactory, OrganisationFactory, coordinator_of, member_of
from tests.library.files import pdf_bytes, pptx_bytes, zip_bomb_bytes

pytestmark = pytest.mark.django_db

SLIDES = pdf_bytes("Kotoutumiskoulutuksen tilannekatsaus", "Lapin kunnissa 2024")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


@pytest.fixture
def network():
    return NetworkFactory(slug="lapin-mako", name_fi="Lapin MAKO", name_en="Lapland MAKO")


@pytest.fixture
def member(network):
    return member_of(network, organisation=OrganisationFactory(name_fi="Rovaniemen kaupunki"))


@pytest.fixture
def member_client(client, member):
    client.force_login(member.user)
    return client


def add(client, *, file, network=None, event=None, **fields):
    data = {"language": "fi", "visibility": "public", "file": file, **fields}
    if network is not None:
        data["network"] = network.pk
    address = "/en/library/add/" + (f"?event={event.pk}" if event is not None else "")
    return client.post(address, data)


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT / "library"
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# Adding -----------------------------------------------------------------------------------


def test_a_member_adds_slides_and_their_text_is_read_and_shown(
    member_client, network, member, django_capture_on_commit_callbacks
):
    # given
    file = SimpleUploadedFile("Esitys äö.pdf", SLIDES, content_type="application/octet-stream")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = add(
            member_client,
            file=file,
            network=network,
            title_fi="Kotoutumiskoulutus Lapissa",
            speaker="Anne-Mari Suopajärvi",
            keywords="koulutus, Lappi, koulutus",
            organisation=member.organisation_id,
        )

    # then
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/library/{document.pk}/"
    assert (document.title_fi, document.network, document.uploaded_by) == (
        "Kotoutumiskoulutus Lapissa",
        network,
        member.user,
    )
    assert (document.kind, document.content_type) == ("pdf", "application/pdf")
    assert document.original_name == "Esitys äö.pdf"
    assert "Esitys" not in document.file.name
    assert document.keywords == "koulutus, Lappi"
    assert document.organisation == member.organisation
    assert document.extraction == Document.Extraction.DONE
    assert "Kotoutumiskoulutuksen tilannekatsaus" in document.text
    page = page_text(member_client.get(f"/en/library/{document.pk}/"))
    assert "Kotoutumiskoulutuksen tilannekatsaus" in page
    assert "Anne-Mari Suopajärvi" in page
    assert "Rovaniemen kaupunki" in page


def test_without_a_title_the_file_name_is_the_title(member_client, network):
    # when
    add(member_client, file=SimpleUploadedFile("Muistio 3-2024.pdf", SLIDES), network=network)

    # then
    assert Document.objects.get().title_fi == "Muistio 3-2024"


def test_a_program_with_a_document_name_is_refused_and_nothing_is_stored(
    member_client, network, settings
):
    # given
    for name, data in (
        ("slides.pdf", PNG),
        ("notes.docx", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100),
    ):
        # when
        response = add(member_client, file=SimpleUploadedFile(name, data), network=network)

        # then
        assert response.status_code == 400
        assert "This kind of file cannot be uploaded." in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(settings) == []


def test_an_oversized_file_is_refused_with_the_limit(member_client, network, settings):
    # given
    settings.UPLOAD_MAX_BYTES = 1000

    # when
    response = add(
        member_client, file=SimpleUploadedFile("big.pdf", SLIDES + b"%" * 2000), network=network
    )

    # then
    assert response.status_code == 400
    assert "at most 1000" in response.content.decode()
    assert not Document.objects.exists()


def test_an_archive_bomb_is_refused_before_it_is_unpacked(member_client, network, settings):
    # given
    bomb = zip_bomb_bytes(300)
    assert len(bomb) < 2 * 1024 * 1024

    # when
    response = add(member_client, file=SimpleUploadedFile("slides.docx", bomb), network=network)

    # then
    assert response.status_code == 400
    assert "unpacks to too large a size" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(settings) == []


def test_a_corrupt_pdf_is_kept_with_the_reason_its_text_could_not_be_read(
    member_client, network, django_capture_on_commit_callbacks
):
    # given
    broken = SLIDES[: len(SLIDES) // 2]

    # when
    with django_capture_on_commit_callbacks(execute=True):
        add(member_client, file=SimpleUploadedFile("broken.pdf", broken), network=network)

    # then
    document = Document.objects.get()
    assert document.extraction == Document.Extraction.FAILED
    assert document.extraction_reason == "unreadable"
    with document.file.open("rb") as stored:
        assert stored.read() == broken
    page = page_text(member_client.get(f"/en/library/{document.pk}/"))
    assert "The text of the file could not be read:" in page
    assert "Read the file again" in page


def test_a_file_that_takes_too_long_to_read_is_marked_timed_out(
    member_client, network, settings, django_capture_on_commit_callbacks
):
    # given a limit no reader can meet
    settings.LIBRARY_EXTRACTION_SECONDS = 0.001

    # when
    with django_capture_on_commit_callbacks(execute=True):
        add(member_client, file=SimpleUploadedFile("slides.pdf", SLIDES), network=network)

    # then
    document = Document.objects.get()
    assert (document.extraction, document.extraction_reason) == ("failed", "timed_out")
    assert "took too long" in page_text(member_client.get(f"/en/library/{document.pk}/"))


def test_reading_again_after_the_limit_was_raised(
    member_client, network, settings, django_capture_on_commit_callbacks
):
    # given
    settings.LIBRARY_EXTRACTION_SECONDS = 0.001
    with django_capture_on_commit_callbacks(execute=True):
        add(member_client, file=SimpleUploadedFile("slides.pdf", SLIDES), network=network)
    document = Document.objects.get()
    settings.LIBRARY_EXTRACTION_SECONDS = 30

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(f"/en/library/{document.pk}/read-again/")

    # then
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.extraction == Document.Extraction.DONE
    assert "Lapin kunnissa 2024" in document.text


def test_people_outside_the_network_cannot_add_to_it(client, network):
    # given
    outsider = member_of(NetworkFactory())
    file = SimpleUploadedFile("slides.pdf", SLIDES)

    # when
    anonymous = client.get("/en/library/add/")
    client.force_login(outsider.user)
    foreign = add(client, file=file, network=network)

    # then
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/en/accounts/login/")
    assert foreign.status_code == 400
    assert "Select a valid choice." in foreign.content.decode()
    assert not Document.objects.exists()


def test_someone_in_no_network_is_not_offered_the_form(client):
    # given
    client.force_login(member_of(NetworkFactory()).user)
    client.logout()
    from tests.factories import person_with_login

    client.force_login(person_with_login().user)

    # when
    response = client.get("/en/library/add/")

    # then
    assert response.status_code == 403


# Event materials --------------------------------------------------------------------------


def test_a_member_adds_slides_to_an_agenda_item_of_an_event(
    member_client, network, django_capture_on_commit_callbacks
):
    # given
    event = EventFactory(network=network, title_en="Spring meeting", languages=["fi"])
    item = AgendaItemFactory(event=event, title_en="Current affairs")
    event_page = page_text(member_client.get(f"/en/events/{event.pk}/"))
    assert f'href="/en/library/add/?event={event.pk}"' in event_page

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = add(
            member_client,
            file=SimpleUploadedFile("kalvot.pptx", pptx_bytes(["Kotoutumislain uudistus"])),
            event=event,
            title_fi="Ajankohtaiskatsaus",
            item=item.pk,
        )

    # then
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.event, document.item, document.network) == (event, item, network)
    assert document.kind == "pptx"
    assert "Kotoutumislain uudistus" in document.text
    page = page_text(member_client.get(f"/en/events/{event.pk}/"))
    assert f'href="/en/library/{document.pk}/"' in page
    detail = page_text(member_client.get(f"/en/library/{document.pk}/"))
    assert f'href="/en/events/{event.pk}/"' in detail


def test_slides_of_a_members_only_event_are_for_members_only(member_client, network, client):
    # given
    event = EventFactory(network=network, visibility=Event.Visibility.MEMBERS)

    # when
    add(
        member_client,
        file=SimpleUploadedFile("kalvot.pdf", SLIDES),
        event=event,
        visibility="public",
    )

    # then
    document = Document.objects.get()
    assert document.visibility == Document.Visibility.MEMBERS
    client.logout()
    assert client.get(f"/en/library/{document.pk}/").status_code == 302


def test_members_of_other_networks_cannot_add_to_an_event(client, network):
    # given
    event = EventFactory(network=network)
    client.force_login(member_of(NetworkFactory()).user)

    # when
    page = client.get(f"/en/library/add/?event={event.pk}")
    posted = add(client, file=SimpleUploadedFile("kalvot.pdf", SLIDES), event=event)

    # then
    assert (page.status_code, posted.status_code) == (403, 403)
    assert not Document.objects.exists()


# Reading -----------------------------------------------------------------------------------


def _document(network, *, title="Asiakirja", visibility="public", text="", **kwargs) -> Document:
    return Document.objects.create(
        network=network,
        title_fi=title,
        visibility=visibility,
        text=text,
        extraction=Document.Extraction.NONE,
        **kwargs,
    )


def test_members_only_documents_are_hidden_from_everyone_else(client, network, member):
    # given
    private = _document(network, title="Sisäinen muistio", visibility="members")
    public = _document(network, title="Julkinen esitys")

    # when
    anonymous_list = page_text(client.get("/en/library/"))
    anonymous_page = client.get(f"/en/library/{private.pk}/")
    client.force_login(member_of(NetworkFactory()).user)
    outsider_page = client.get(f"/en/library/{private.pk}/")
    outsider_download = client.get(f"/en/library/{private.pk}/download/")
    client.force_login(member.user)
    member_list = page_text(client.get("/en/library/"))
    member_page = client.get(f"/en/library/{private.pk}/")

    # then
    assert "Julkinen esitys" in anonymous_list
    assert "Sisäinen muistio" not in anonymous_list
    assert anonymous_page.status_code == 302
    assert (outsider_page.status_code, outsider_download.status_code) == (404, 404)
    assert "Sisäinen muistio" in member_list
    assert member_page.status_code == 200
    assert (
        member_page["Cache-Control"].startswith("private")
        or "private" in member_page["Cache-Control"]
    )
    assert public.pk


def test_the_download_is_an_attachment_with_the_original_name(client, network):
    # given
    document = _document(
        network, original_name="Esitys äö.pdf", kind="pdf", content_type="application/pdf"
    )
    document.file.save("x", ContentFile(SLIDES))

    # when
    response = client.get(f"/en/library/{document.pk}/download/")

    # then
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SLIDES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("attachment; ")
    assert "filename*=UTF-8''Esitys%20%C3%A4%C3%B6.pdf" in response["Content-Disposition"]


def test_a_document_without_a_file_has_no_download(client, network):
    # given
    document = _document(network, text="Pelkkä teksti.")

    # when
    page = page_text(client.get(f"/en/library/{document.pk}/"))
    download = client.get(f"/en/library/{document.pk}/download/")

    # then
    assert "Pelkkä teksti." in page
    assert "/download/" not in page
    assert download.status_code == 404


def test_the_list_filters_by_language_and_year_and_its_queries_do_not_grow(client, network):
    # given
    from datetime import date

    def fill(count: int) -> None:
        other = NetworkFactory()
        for number in range(count):
            _document(
                network if number % 2 else other,
                title=f"Asiakirja {number}",
                language="sv" if number % 3 == 0 else "fi",
                date=date(2019 + number % 4, 5, 1),
                event=EventFactory(network=network) if number % 5 == 0 else None,
                organisation=OrganisationFactory(),
            )

    fill(3)
    with CaptureQueriesContext(connection) as few:
        client.get("/en/library/")
    fill(17)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/en/library/")
    filtered = page_text(client.get("/en/library/?language=sv&year=2019"))

    # then
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "20 documents" in page_text(response)
    titles = re.findall(r"Asiakirja \d+", filtered)
    assert titles
    for title in titles:
        number = int(title.split()[1])
        assert number % 3 == 0, title
        assert number % 4 == 0, title


def test_a_bad_filter_is_a_clear_400(client):
    # when
    response = client.get("/en/library/?language=xx&page=0")

    # then
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def test_pages_exist_in_finnish_and_swedish(client, network):
    # given
    document = _document(network, title="Esitys")

    # when
    finnish = page_text(client.get(f"/fi/library/{document.pk}/"))
    swedish = page_text(client.get("/sv/library/"))

    # then
    assert "Samankaltaiset asiakirjat" in finnish
    assert "Bibliotek" in swedish


# Changing and removing ----------------------------------------------------------------------


def test_the_uploader_edits_the_details_and_others_may_not(client, network, member):
    # given
    document = _document(network, title="Vanha", uploaded_by=member.user)
    client.force_login(member_of(network).user)
    assert client.get(f"/en/library/{document.pk}/edit/").status_code == 403

    # when
    client.force_login(member.user)
    response = client.post(
        f"/en/library/{document.pk}/edit/",
        {
            "title_fi": "Uusi",
            "title_sv": "Ny",
            "language": "fi",
            "network": network.pk,
            "visibility": "members",
        },
    )

    # then
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title_fi, document.title_sv, document.visibility) == ("Uusi", "Ny", "members")


def test_an_edit_without_any_title_is_refused(client, network, member):
    # given
    document = _document(network, title="Vanha", uploaded_by=member.user)
    client.force_login(member.user)

    # when
    response = client.post(
        f"/en/library/{document.pk}/edit/",
        {"language": "fi", "network": network.pk, "visibility": "public"},
    )

    # then
    assert response.status_code == 400
    assert "Give the document a title in at least one language." in response.content.decode()
    document.refresh_from_db()
    assert document.title_fi == "Vanha"


def test_a_coordinator_removes_a_document_and_its_file(
    client, network, django_capture_on_commit_callbacks
):
    # given
    document = _document(network, kind="pdf", content_type="application/pdf")
    document.file.save("x", ContentFile(SLIDES))
    storage, name = document.file.storage, document.file.name
    client.force_login(coordinator_of(network).user)
    confirmation = client.get(f"/en/library/{document.pk}/delete/").content.decode()
    assert "Remove “Asiakirja”?" in confirmation

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/library/{document.pk}/delete/")

    # then
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert not storage.exists(name)


# Services ----------------------------------------------------------------------------------


def test_reading_twice_changes_nothing_the_second_time(network, member):
    # given
    document = services.document_upload(
        actor=member.user,
        upload=ContentFile(SLIDES, name="a.pdf"),
        checked=services.uploads.upload_check(ContentFile(SLIDES), name="a.pdf"),
        data={"network": network, "title_fi": "Esitys"},
    )

    # when
    first = services.document_extract(document.pk)
    second = services.document_extract(document.pk)

    # then
    assert (first, second) == ("done", "skipped")


def test_lost_readings_are_queued_again(network, member):
    # given a document whose reading was queued by a worker that stopped, and one just queued
    from datetime import timedelta

    from django.utils import timezone

    lost = _document(network)
    Document.objects.filter(pk=lost.pk).update(
        extraction=Document.Extraction.PENDING,
        updated_at=timezone.now() - services.STALE_AFTER - timedelta(minutes=1),
    )
    fresh = _document(network)
    Document.objects.filter(pk=fresh.pk).update(extraction=Document.Extraction.PENDING)

    # when (tasks run at once in tests: a document without a file is settled as such)
    first = services.documents_pending_requeue()
    second = services.documents_pending_requeue()

    # then
    assert (first, second) == (1, 0)
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert (lost.extraction, fresh.extraction) == ("none", "pending")


def test_a_members_only_document_needs_its_network():
    # when / then
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.document_create_text(
            actor=None, text="x", data={"title_fi": "Muistio", "visibility": "members"}
        )
    assert "visibility" in error.value.message_dict
    assert not Document.objects.exists()
