"""The tray's offering pages: the public tray and its filters, an offering's page, an
organisation's tray kept by its editors, and a network's area for its coordinators."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from kotoverkko.codelists.models import Region, ServiceClass
from kotoverkko.tray import selectors
from kotoverkko.tray.models import Offering
from tests.factories import OrganisationFactory, municipality
from tests.tray.factories import OfferingFactory, WishFactory, category, group

pytestmark = pytest.mark.django_db

TRAY = "/en/tray/"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def lapland() -> Region:
    return municipality("240").region


def form_data(**fields) -> dict:
    data = {
        "title_fi": "Kielikahvila Kemissä",
        "category": category("early-phase").pk,
        "municipalities": [municipality("240").pk],
        "languages": ["fi", "ar"],
        "groups": [group("families").pk],
        "path_stages": ["outside"],
        "times": ["evenings"],
        "cost": "free",
        "contact_email": "kahvila@example.fi",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


# The public tray ----------------------------------------------------------------------------


def test_the_tray_shows_offerings_by_category_with_their_details(client):
    # given
    OfferingFactory(
        title_fi="Kielikahvila",
        title_en="Language café",
        languages=["fi", "ar"],
        groups=["families"],
        municipalities=["240"],
        category=category("open-to-all"),
    )
    OfferingFactory(title_en="Hometown friend", category=category("early-phase"))

    # when
    response = client.get(TRAY)

    # then
    assert response.status_code == 200
    page = text(response)
    assert "Language café" in page
    assert "Hometown friend" in page
    assert "Finnish, Arabic" in page
    assert "Kemi" in page
    assert page.index("Early-phase integration activities") < page.index(
        "Activities open to everyone on equal terms"
    )


def test_archived_offerings_leave_the_public_tray_and_their_page(client):
    # given
    kept = OfferingFactory(title_en="Kept")
    archived = OfferingFactory(title_en="Archived", archived=True)

    # when
    page = text(client.get(TRAY))

    # then
    assert "Kept" in page
    assert "Archived" not in page
    assert client.get(f"{TRAY}offerings/{archived.pk}/").status_code == 404
    assert client.get(f"{TRAY}offerings/{kept.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("municipality=240", {"Kemi café", "Lapland-wide"}),
        ("municipality=905", {"Vaasa club"}),
        ("category=open-to-all", {"Vaasa club"}),
        ("language=ar", {"Kemi café"}),
        ("group=women", {"Lapland-wide"}),
        ("stage=training", {"Vaasa club"}),
        ("municipality=240&language=ru", {"Lapland-wide"}),
    ],
)
def test_the_filters_narrow_the_tray(client, query, expected):
    # given
    OfferingFactory(title_en="Kemi café", municipalities=["240"], languages=["fi", "ar"])
    OfferingFactory(
        title_en="Lapland-wide",
        regions=[lapland()],
        languages=["ru"],
        groups=["women"],
    )
    OfferingFactory(
        title_en="Vaasa club",
        municipalities=["905"],
        category=category("open-to-all"),
        path_stages=["training"],
    )

    # when
    page = text(client.get(f"{TRAY}?{query}"))

    # then
    shown = {title for title in ("Kemi café", "Lapland-wide", "Vaasa club") if title in page}
    assert shown == expected


@pytest.mark.parametrize("query", ["municipality=nowhere", "language=xx", "page=0", "stage=x"])
def test_bad_filters_are_a_clear_400(client, query):
    response = client.get(f"{TRAY}?{query}")

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_a_page_past_the_end_is_a_404(client):
    OfferingFactory()

    assert client.get(f"{TRAY}?page=5").status_code == 404


def test_the_tray_takes_the_same_number_of_queries_for_few_and_many_offerings(client):
    # given
    def make(count):
        for _ in range(count):
            OfferingFactory(
                groups=["families", "women"], regions=[lapland()], municipalities=["240", "851"]
            )

    make(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(TRAY).status_code == 200
    make(12)

    # when
    with CaptureQueriesContext(connection) as many:
        assert client.get(TRAY).status_code == 200

    # then
    assert len(many) == len(few)


def test_the_tray_is_in_each_language(client):
    OfferingFactory(title_fi="Kielikahvila", title_sv="Språkcafé")

    finnish = text(client.get("/fi/tray/"))
    swedish = text(client.get("/sv/tray/"))

    assert "Kielikahvila" in finnish
    assert "Varhaisen kotoutumisen" in finnish
    assert "Språkcafé" in swedish
    assert "Verksamhet för tidig integration" in swedish


# An offering's page -------------------------------------------------------------------------


def test_an_offering_page_shows_how_to_take_part_contact_class_and_wishes(client):
    # given
    service_class = ServiceClass.objects.filter(parent__isnull=False).first()
    offering = OfferingFactory(
        title_en="Ski course",
        how_to_join_en="Sign up at the library.",
        contact_name="Leila Ali",
        contact_phone="040 123 4567",
        service_class=service_class,
    )
    WishFactory(title_en="A ski course for families", offering=offering, status="done")

    # when
    page = text(client.get(f"{TRAY}offerings/{offering.pk}/"))

    # then
    assert "Sign up at the library." in page
    assert "Leila Ali" in page
    assert "tel:0401234567" in page
    assert service_class.code in page
    assert "A ski course for families" in page


def test_a_missing_offering_is_a_404(client):
    assert client.get(f"{TRAY}offerings/999999/").status_code == 404


# An organisation's tray ---------------------------------------------------------------------


def test_an_editor_adds_an_offering_confirmed_today(editor_client, organisation, editor):
    # when
    response = editor_client.post(
        f"{TRAY}organisations/{organisation.pk}/add/",
        form_data(title_sv="Språkcafé", regions=[lapland().pk]),
    )

    # then
    assert response.status_code == 302
    offering = Offering.objects.get()
    assert offering.organisation == organisation
    assert offering.title_fi == "Kielikahvila Kemissä"
    assert offering.title_sv == "Språkcafé"
    assert offering.languages == ["fi", "ar"]
    assert list(offering.regions.all()) == [lapland()]
    assert [g.code for g in offering.groups.all()] == ["families"]
    assert offering.confirmed_on == timezone.localdate()
    assert offering.confirmed_by == editor.user


def test_an_offering_without_a_place_is_refused_with_a_message(editor_client, organisation):
    # when
    response = editor_client.post(
        f"{TRAY}organisations/{organisation.pk}/add/", form_data(municipalities=None)
    )

    # then
    assert response.status_code == 400
    assert "Say where it is offered" in text(response)
    assert not Offering.objects.exists()


def test_an_offering_without_a_title_is_refused(editor_client, organisation):
    response = editor_client.post(
        f"{TRAY}organisations/{organisation.pk}/add/", form_data(title_fi="")
    )

    assert response.status_code == 400
    assert "title in at least one language" in text(response)


def test_the_add_form_shows_every_field(editor_client, organisation):
    # when
    response = editor_client.get(f"{TRAY}organisations/{organisation.pk}/add/")

    # then
    page = response.content.decode()
    assert response.status_code == 200
    for name in ("title_sv", "how_to_join_en", "regions", "service_class", "cost_note"):
        assert f'name="{name}"' in page
    assert "<optgroup" in page
    assert 'value="ar"' in page


def test_an_editor_of_one_organisation_cannot_change_anothers_offerings(
    client, other_editor, organisation
):
    # given
    offering = OfferingFactory(organisation=organisation, title_en="Not yours")
    client.force_login(other_editor.user)

    # when
    answers = [
        client.get(f"{TRAY}organisations/{organisation.pk}/add/"),
        client.post(f"{TRAY}organisations/{organisation.pk}/add/", form_data()),
        client.get(f"{TRAY}offerings/{offering.pk}/edit/"),
        client.post(f"{TRAY}offerings/{offering.pk}/edit/", form_data(title_fi="Mine")),
        client.post(f"{TRAY}offerings/{offering.pk}/confirm/"),
        client.post(f"{TRAY}offerings/{offering.pk}/archive/"),
    ]

    # then
    assert [answer.status_code for answer in answers] == [403] * 6
    offering.refresh_from_db()
    assert offering.title_en == "Not yours"
    assert not offering.archived
    assert Offering.objects.count() == 1
    page = text(client.get(f"{TRAY}organisations/{organisation.pk}/"))
    assert "Not yours" in page
    assert "Archive" not in page


def test_anonymous_visitors_are_sent_to_log_in_to_edit(client, organisation):
    offering = OfferingFactory(organisation=organisation)

    response = client.get(f"{TRAY}offerings/{offering.pk}/edit/")

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_an_editor_changes_an_offering(editor_client, organisation):
    # given
    offering = OfferingFactory(organisation=organisation, title_fi="Vanha")

    # when
    response = editor_client.post(
        f"{TRAY}offerings/{offering.pk}/edit/",
        form_data(title_fi="Uusi", municipalities=[municipality("851").pk], languages=["so"]),
    )

    # then
    assert response.status_code == 302
    offering.refresh_from_db()
    assert offering.title_fi == "Uusi"
    assert offering.languages == ["so"]
    assert [m.code for m in offering.municipalities.all()] == ["851"]


def test_the_edit_form_starts_from_the_offering(editor_client, organisation):
    offering = OfferingFactory(organisation=organisation, title_fi="Nykyinen", languages=["ru"])

    page = editor_client.get(f"{TRAY}offerings/{offering.pk}/edit/").content.decode()

    assert 'value="Nykyinen"' in page
    assert re.search(r'value="ru"[^>]*checked', page)


def test_still_valid_confirms_with_one_post(editor_client, organisation, editor):
    # given
    offering = OfferingFactory(organisation=organisation)
    Offering.objects.filter(pk=offering.pk).update(confirmed_on="2023-01-02")

    # when
    response = editor_client.post(f"{TRAY}offerings/{offering.pk}/confirm/")

    # then
    assert response.status_code == 302
    offering.refresh_from_db()
    assert offering.confirmed_on == timezone.localdate()
    assert editor_client.get(f"{TRAY}offerings/{offering.pk}/confirm/").status_code == 405


def test_an_editor_archives_and_restores_an_offering(editor_client, organisation, client):
    # given
    offering = OfferingFactory(organisation=organisation, title_en="Seasonal")

    # when
    editor_client.post(f"{TRAY}offerings/{offering.pk}/archive/")

    # then
    offering.refresh_from_db()
    assert offering.archived
    assert "Seasonal" in text(editor_client.get(f"{TRAY}organisations/{organisation.pk}/"))
    assert editor_client.get(f"{TRAY}offerings/{offering.pk}/").status_code == 200

    # when
    editor_client.post(f"{TRAY}offerings/{offering.pk}/restore/")

    # then
    offering.refresh_from_db()
    assert not offering.archived


def test_an_organisations_tray_hides_archived_offerings_from_others(client, organisation):
    OfferingFactory(organisation=organisation, title_en="Current")
    OfferingFactory(organisation=organisation, title_en="Old one", archived=True)

    page = text(client.get(f"{TRAY}organisations/{organisation.pk}/"))

    assert "Current" in page
    assert "Old one" not in page


# A network's area ---------------------------------------------------------------------------


@pytest.fixture
def area_offerings(network):
    return {
        "kemi": OfferingFactory(title_en="Kemi café", municipalities=["240"]),
        "region": OfferingFactory(title_en="Lapland-wide", regions=[lapland()]),
        "vaasa": OfferingFactory(title_en="Vaasa club", municipalities=["905"]),
        "rovaniemi": OfferingFactory(title_en="Rovaniemi club", municipalities=["698"]),
    }


def test_the_area_selector_includes_region_wide_offerings(network, area_offerings):
    offerings = set(selectors.offering_list_for_area(network=network))

    assert offerings == {area_offerings["kemi"], area_offerings["region"]}


def test_a_coordinator_sees_the_area_and_exports_it(client, coordinator, network, area_offerings):
    # given
    client.force_login(coordinator.user)

    # when
    page = text(client.get(f"{TRAY}networks/{network.slug}/"))
    csv = client.get(f"{TRAY}networks/{network.slug}/export/csv/?language=fi")
    xlsx = client.get(f"{TRAY}networks/{network.slug}/export/xlsx/")

    # then
    assert "Kemi café" in page
    assert "Lapland-wide" in page
    assert "Vaasa club" not in page
    assert "Rovaniemi club" not in page
    body = csv.content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("Organisation;Category;Title")
    assert "Kemi café" in body
    assert "Vaasa club" not in body
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    titles = {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert titles == {"Kemi café", "Lapland-wide"}


def test_the_area_is_for_the_networks_coordinators(client, editor, network):
    client.force_login(editor.user)

    assert client.get(f"{TRAY}networks/{network.slug}/").status_code == 403
    assert client.get(f"{TRAY}networks/{network.slug}/export/csv/").status_code == 403
    assert client.get(f"{TRAY}networks/nowhere/").status_code == 404


def test_an_unknown_export_format_is_a_404(client, coordinator, network):
    client.force_login(coordinator.user)

    assert client.get(f"{TRAY}networks/{network.slug}/export/pdf/").status_code == 404


def test_the_area_takes_the_same_number_of_queries_for_few_and_many(client, coordinator, network):
    # given
    client.force_login(coordinator.user)
    address = f"{TRAY}networks/{network.slug}/"
    OfferingFactory(municipalities=["240"], groups=["women"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(address).status_code == 200
    for _ in range(10):
        OfferingFactory(
            organisation=OrganisationFactory(), municipalities=["851"], groups=["families"]
        )

    # when
    with CaptureQueriesContext(connection) as many:
        assert client.get(address).status_code == 200

    # then
    assert len(many) == len(few)


def test_the_tray_links_a_coordinator_to_her_networks_area(client, coordinator, network):
    client.force_login(coordinator.user)

    page = client.get(TRAY).content.decode()

    assert f'href="/en/tray/networks/{network.slug}/"' in page
