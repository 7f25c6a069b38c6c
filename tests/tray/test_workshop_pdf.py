"""The workshop summary as a PDF: what it holds, in which language, who may download it, and
the core-font fallback when no Unicode font is installed."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kotoverkko.tray import pdf, services
from kotoverkko.tray import workshop as workshops
from kotoverkko.tray.models import Category
from tests.components import require
from tests.factories import NetworkFactory, OrganisationFactory, coordinator_of, municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(network, coordinator):
    return workshops.workshop_create(
        actor=coordinator.user,
        network=network,
        data={
            "title": "Kemin Starttipaja",
            "date": timezone.localdate(),
            "place": "Kemin kirjasto",
            "municipality": municipality("240"),
        },
    )


@pytest.fixture
def red_cross():
    return OrganisationFactory(name_fi="Punainen Risti Kemi", municipality=municipality("240"))


@pytest.fixture
def filled(workshop, red_cross):
    """An invited organisation with an offering, two wishes and a follow-up action."""
    workshops.invitation_add(
        actor=None,
        workshop=workshop,
        organisation=red_cross,
        name="Leila Nieminen",
        email="leila@example.fi",
    )
    _offering(red_cross, title="Äitien höpöttelykerho", languages=["fi", "ar"])
    services.wish_create(
        actor=None,
        organisation=red_cross,
        data={
            "title_fi": "Tulkkausapua iltaisin",
            "workshop": workshop,
            "category": Category.objects.get(code="early-phase"),
        },
    )
    services.wish_create(
        actor=None,
        organisation=red_cross,
        data={"title_fi": "Yhteinen ilmoitustaulu", "workshop": workshop},
    )
    workshops.follow_up_add(
        actor=None,
        workshop=workshop,
        data={
            "what": "Kielikahvila alkaa",
            "who": "Leila",
            "organisation": red_cross,
            "due_on": timezone.localdate(),
        },
    )
    return workshop


def _offering(organisation, *, title, category="early-phase", languages=()):
    return services.offering_create(
        actor=None,
        organisation=organisation,
        data={
            "title_fi": title,
            "category": Category.objects.get(code=category),
            "municipalities": [municipality("240")],
            "languages": list(languages),
        },
    )


def _url(workshop, language: str = "en") -> str:
    return f"/{language}/tray/workshops/{workshop.pk}/summary.pdf"


def _text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def _base_fonts(reader: PdfReader) -> set[str]:
    fonts = reader.pages[0]["/Resources"]["/Font"]
    return {str(font.get_object()["/BaseFont"]) for font in fonts.values()}


def test_coordinator_downloads_the_summary_as_a_pdf(client, coordinator, filled):
    # given
    client.force_login(coordinator.user)

    # when
    response = client.get(reverse("tray:workshop_summary_pdf", kwargs={"pk": filled.pk}))

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="kemin-starttipaja-')
    assert response["Content-Disposition"].endswith(".pdf")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")
    reader, text = _text(response.content)
    assert len(reader.pages) >= 1
    assert "Summary of Kemin Starttipaja" in text
    assert "Kemin kirjasto" in text
    assert "Leila Nieminen, Punainen Risti Kemi" in text
    assert "Punainen Risti Kemi: Äitien höpöttelykerho (Finnish, Arabic)" in text
    assert "Tulkkausapua iltaisin (Punainen Risti Kemi)" in text
    assert "Other wishes" in text
    assert "Wishes" in text.split("Finnish, Arabic", 1)[1]
    assert "Yhteinen ilmoitustaulu" in text
    assert "Follow-up actions" in text
    assert "Kielikahvila alkaa" in text
    assert "Leila (Punainen Risti Kemi)" in text
    today = timezone.localdate()
    assert f"Made on {today.day}.{today.month}.{today.year}" in text
    assert "Page 1 of" in text


def test_done_follow_ups_are_marked_done(client, coordinator, filled):
    follow_up = workshops.follow_up_list(workshop=filled).get()
    workshops.follow_up_done(actor=None, follow_up=follow_up)
    client.force_login(coordinator.user)

    _, text = _text(client.get(_url(filled)).content)

    assert "done" in text.split("Kielikahvila alkaa", 1)[1]


@pytest.mark.parametrize(
    ("language", "category", "languages"),
    [
        ("fi", "Varhaisen kotoutumisen toimintamuodot", "suomi, arabia"),
        ("sv", "Verksamhet för tidig integration", "finska, arabiska"),
    ],
)
def test_pdf_is_written_in_the_requests_language(
    client, coordinator, filled, language, category, languages
):
    client.force_login(coordinator.user)

    response = client.get(_url(filled, language))

    assert response.status_code == 200
    reader, text = _text(response.content)
    assert category in text
    assert f"Äitien höpöttelykerho ({languages})" in text
    assert str(reader.trailer["/Root"]["/Lang"]) == language


def test_long_summary_runs_over_pages_numbered_in_the_footer(client, coordinator, workshop):
    organisation = OrganisationFactory(name_fi="Kemin seurakunta", municipality=municipality("240"))
    for number in range(70):
        _offering(organisation, title=f"Kerho numero {number} " + "pitkä kuvaus " * 8)
    client.force_login(coordinator.user)

    reader, _ = _text(client.get(_url(workshop)).content)

    pages = len(reader.pages)
    assert pages > 1
    assert f"Page {pages} of {pages}" in reader.pages[-1].extract_text()
    assert "Kerho numero 69" in "".join(page.extract_text() for page in reader.pages)


def test_pdf_query_count_does_not_grow_with_rows(client, coordinator, filled, red_cross):
    client.force_login(coordinator.user)
    with CaptureQueriesContext(connection) as few:
        client.get(_url(filled))
    for number in range(5):
        _offering(red_cross, title=f"Lisäkerho {number}", category="open-to-all")
        workshops.follow_up_add(
            actor=None,
            workshop=filled,
            data={"what": f"Tehtävä {number}", "who": "Leila", "due_on": timezone.localdate()},
        )

    with CaptureQueriesContext(connection) as many:
        response = client.get(_url(filled))

    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_coordinator_of_another_network_cannot_download_it(client, filled):
    stranger = coordinator_of(NetworkFactory(), organisation=None)
    client.force_login(stranger.user)

    assert client.get(_url(filled)).status_code == 403
    # as the XLSX export
    xlsx = reverse("tray:workshop_summary_xlsx", kwargs={"pk": filled.pk})
    assert client.get(xlsx).status_code == 403


def test_unknown_workshop_is_not_found(client, coordinator):
    client.force_login(coordinator.user)
    assert client.get("/en/tray/workshops/99999/summary.pdf").status_code == 404


def test_anonymous_is_sent_to_log_in(client, filled):
    response = client.get(_url(filled))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_summary_page_links_to_the_pdf(client, coordinator, filled):
    client.force_login(coordinator.user)

    page = client.get(reverse("tray:workshop_summary", kwargs={"pk": filled.pk})).content.decode()

    assert f'href="/en/tray/workshops/{filled.pk}/summary.pdf"' in page
    assert "Download PDF" in page


def test_without_a_unicode_font_the_core_font_prints_latin_1(
    client, coordinator, filled, red_cross, monkeypatch, tmp_path
):
    # given no DejaVu Sans anywhere, and an offering in a script Latin-1 lacks
    monkeypatch.setattr(pdf, "FONT_DIRS", [str(tmp_path)])
    _offering(red_cross, title="Курс – языка", category="open-to-all")
    client.force_login(coordinator.user)

    # when
    response = client.get(_url(filled))

    # then a valid PDF in Helvetica: Finnish letters print, the rest becomes "?"
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    reader, text = _text(response.content)
    assert _base_fonts(reader) <= {"/Helvetica", "/Helvetica-Bold"}
    assert "Äitien höpöttelykerho" in text
    assert "Kielikahvila alkaa" in text
    assert "???? - ?????" in text


def test_with_the_unicode_font_other_scripts_print(client, coordinator, workshop, red_cross):
    require(
        pdf.font_files() is not None,
        "DejaVu Sans is not installed (Debian: apt-get install fonts-dejavu-core)",
    )
    _offering(red_cross, title="Курс русского языка")
    client.force_login(coordinator.user)

    reader, text = _text(client.get(_url(workshop)).content)

    assert any("DejaVu" in name for name in _base_fonts(reader))
    assert "Курс русского языка" in text


def test_bold_face_falls_back_to_the_regular_one(monkeypatch, tmp_path):
    (tmp_path / "DejaVuSans.ttf").write_bytes(b"")
    monkeypatch.setattr(pdf, "FONT_DIRS", [str(tmp_path / "missing"), str(tmp_path)])

    assert pdf.font_files() == (tmp_path / "DejaVuSans.ttf", tmp_path / "DejaVuSans.ttf")
