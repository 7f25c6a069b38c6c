"""The coordinators' list pages: subscribers, adding and removing, settings, import and export."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from kotoverkko.mailing import subscriptions
from kotoverkko.mailing.models import ConsentRecord, OutboxMessage, Subscriber, Subscription
from tests.factories import NetworkFactory, UserFactory, coordinator_of
from tests.mailing.factories import SubscriberFactory, SubscriptionFactory, subscribed

pytestmark = pytest.mark.django_db

Status = Subscription.Status


@pytest.fixture
def mako():
    return NetworkFactory(slug="mako", name_fi="Lapin MAKO", name_en="Lapland MAKO")


@pytest.fixture
def mailing_list(mako):
    return subscriptions.mailing_list_for(mako)


@pytest.fixture
def coordinator_client(client, mako):
    client.force_login(coordinator_of(mako).user)
    return client


def url(name, network, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"mailing_lists:{name}", kwargs={"slug": network.slug, **kwargs})


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def xlsx(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


# Permissions -------------------------------------------------------------------------------------


def all_urls(network, subscription_pk=1):
    return [
        ("get", url("manage", network)),
        ("post", url("manage_add", network)),
        ("post", url("manage_remove", network, pk=subscription_pk)),
        ("get", url("manage_settings", network)),
        ("post", url("manage_settings", network)),
        ("get", url("manage_import", network)),
        ("get", url("manage_export", network, fmt="csv")),
        ("get", url("manage_consents_export", network, fmt="xlsx")),
    ]


def test_coordinator_of_another_network_is_refused_everywhere(client, mako, mailing_list):
    # given
    subscription = SubscriptionFactory(mailing_list=mailing_list)
    client.force_login(coordinator_of(NetworkFactory(slug="pomako")).user)

    # when
    statuses = {
        (method, address): getattr(client, method)(address).status_code
        for method, address in all_urls(mako, subscription.pk)
    }

    # then
    assert set(statuses.values()) == {403}, statuses
    assert Subscription.objects.get().status == Status.ACTIVE


def test_anonymous_visitor_is_sent_to_log_in(client, mako):
    for method, address in all_urls(mako):
        response = getattr(client, method)(address)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_unknown_network_is_404(coordinator_client):
    response = coordinator_client.get(url("manage", NetworkFactory.build(slug="ei-ole")))
    assert response.status_code == 404


def test_index_lists_only_the_networks_one_manages(coordinator_client, mailing_list):
    # given
    NetworkFactory(name_en="POMAKO")
    subscribed(mailing_list)

    # when
    with translation.override("en"):
        response = coordinator_client.get(reverse("mailing_lists:manage_index"))

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lapland MAKO" in html
    assert "POMAKO" not in html


def test_administrator_manages_every_list(client, mako):
    # given
    client.force_login(UserFactory(is_superuser=True))

    # then
    assert client.get(url("manage", mako)).status_code == 200


# The subscriber list -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_subscriber_list_renders_in_each_language(coordinator_client, mako, mailing_list, language):
    # given
    subscribed(mailing_list, email="aino@example.fi")

    # when
    response = coordinator_client.get(url("manage", mako, language))

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert "aino@example.fi" in html
    assert '<label for="id_q">' in html


def test_subscriber_list_query_count_does_not_grow_with_rows(
    coordinator_client, mako, mailing_list
):
    # given
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert coordinator_client.get(url("manage", mako)).status_code == 200
        return len(captured)

    for _n in range(3):
        subscribed(mailing_list)
    few = count()
    for _n in range(40):
        subscribed(mailing_list, left_all_at=None)

    # then
    assert count() == few


def test_subscriber_list_searches_filters_and_paginates(coordinator_client, mako, mailing_list):
    # given
    subscribed(mailing_list, email="aino.korhonen@example.fi")
    SubscriptionFactory(
        mailing_list=mailing_list,
        subscriber=SubscriberFactory(email="odottaa@example.fi"),
        status=Status.PENDING,
    )
    for n in range(55):
        subscribed(mailing_list, email=f"massa{n:02d}@example.fi")

    # when
    searched = coordinator_client.get(url("manage", mako), {"q": "KORHONEN"}).content.decode()
    pending = coordinator_client.get(url("manage", mako), {"status": "pending"}).content.decode()
    second = coordinator_client.get(url("manage", mako), {"page": "2"}).content.decode()
    bad = coordinator_client.get(url("manage", mako), {"status": "kaikki"})

    # then
    assert "aino.korhonen@example.fi" in searched
    assert "massa00@example.fi" not in searched
    assert "odottaa@example.fi" in pending
    assert "aino.korhonen@example.fi" not in pending
    assert "massa54@example.fi" in second
    assert "aino.korhonen@example.fi" not in second
    assert bad.status_code == 400


def test_coordinator_adds_an_address_with_stated_consent(coordinator_client, mako, mailing_list):
    # when
    response = coordinator_client.post(
        url("manage_add", mako),
        {"email": "uusi@example.fi", "language": "fi", "consented": "on"},
    )

    # then
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert (subscription.status, subscription.source) == (Status.ACTIVE, "coordinator")
    assert not OutboxMessage.objects.exists()


def test_coordinator_adds_an_address_without_consent_as_pending(coordinator_client, mako):
    # when
    response = coordinator_client.post(
        url("manage_add", mako), {"email": "uusi@example.fi", "language": "sv"}
    )

    # then
    assert response.status_code == 302
    assert Subscription.objects.get().status == Status.PENDING
    assert "/sv/lists/confirm/" in OutboxMessage.objects.get().body_text


def test_adding_a_bad_or_present_address_shows_the_error(coordinator_client, mako, mailing_list):
    # given
    subscribed(mailing_list, email="jo@example.fi")

    # when
    bad = coordinator_client.post(url("manage_add", mako), {"email": "x", "language": "fi"})
    present = coordinator_client.post(
        url("manage_add", mako), {"email": "jo@example.fi", "language": "fi", "consented": "on"}
    )

    # then
    assert bad.status_code == 400
    assert present.status_code == 400
    assert "This address is already on the list." in present.content.decode()


def test_coordinator_removes_an_address(coordinator_client, mako, mailing_list):
    # given
    subscriber = subscribed(mailing_list)
    subscription = Subscription.objects.get()

    # when
    response = coordinator_client.post(url("manage_remove", mako, pk=subscription.pk))

    # then
    assert response.status_code == 302
    assert list(subscriptions.list_recipients(mailing_list)) == []
    record = ConsentRecord.objects.get(action=ConsentRecord.Action.WITHDRAWN)
    assert record.subscriber == subscriber
    assert record.basis == ConsentRecord.Basis.COORDINATOR


def test_subscription_of_another_list_cannot_be_removed_through_ones_own(coordinator_client, mako):
    # given
    other = SubscriptionFactory()

    # when
    response = coordinator_client.post(url("manage_remove", mako, pk=other.pk))

    # then
    assert response.status_code == 404
    assert Subscription.objects.get().status == Status.ACTIVE


def test_settings_are_saved(coordinator_client, mako, mailing_list):
    # when
    response = coordinator_client.post(url("manage_settings", mako), {"is_open": "on"})

    # then
    assert response.status_code == 302
    mailing_list.refresh_from_db()
    assert (mailing_list.is_open, mailing_list.members_subscribed) == (True, False)


# Import -----------------------------------------------------------------------------------------


def post_import(client, network, name: str, content: bytes, consent: bool = True):
    data = {"file": upload(name, content)}
    if consent:
        data["consent_confirmed"] = "on"
    return client.post(url("manage_import", network), data)


def test_import_adds_addresses_as_active_with_the_file_as_consent_basis(
    coordinator_client, mako, mailing_list
):
    # given one address confirmed on another list, one already here, one that left every list
    confirmed_elsewhere = subscribed(subscriptions.mailing_list_for(NetworkFactory()))
    subscribed(mailing_list, email="jo@example.fi")
    SubscriberFactory(email="lahti@example.fi", left_all_at="2024-01-01T00:00:00Z")
    content = (
        "Sähköposti;Kieli;Nimi\n"
        "Uusi@Example.fi;sv;Uusi Henkilö\n"
        f"{confirmed_elsewhere.email};;\n"
        "jo@example.fi;fi;\n"
        "lahti@example.fi;;\n"
    ).encode()

    # when
    response = post_import(coordinator_client, mako, "jäsenet.csv", content)

    # then
    assert response.status_code == 302
    recipients = {s.email for s in subscriptions.list_recipients(mailing_list)}
    assert recipients == {"uusi@example.fi", confirmed_elsewhere.email, "jo@example.fi"}
    assert Subscriber.objects.get(email="uusi@example.fi").language == "sv"
    records = ConsentRecord.objects.filter(basis=ConsentRecord.Basis.IMPORT)
    assert records.count() == 2
    assert set(records.values_list("detail", flat=True)) == {"jäsenet.csv"}
    assert not OutboxMessage.objects.exists()
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "Import done: 2 addresses added (1 of them confirmed on another list before)" in page


def test_import_with_bad_rows_saves_nothing_and_names_the_rows(coordinator_client, mako):
    # given
    content = (
        b"email,language\n"
        b"hyva@example.fi,fi\n"
        b"ei-osoite,fi\n"
        b"\n"
        b"toinen@example.fi,klingon\n"
        b"HYVA@example.fi,sv\n"
    )

    # when
    response = post_import(coordinator_client, mako, "lista.csv", content)

    # then
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved: 3 rows have errors." in html
    for row in ('<th scope="row">3</th>', '<th scope="row">5</th>', '<th scope="row">6</th>'):
        assert row in html
    assert "is already on row 2 of the file" in html
    assert not Subscriber.objects.exists()
    assert not ConsentRecord.objects.exists()


def test_import_reads_xlsx(coordinator_client, mako, mailing_list):
    # given
    content = xlsx([["E-mail", "Language"], ["excel@example.fi", "en"], [None, None]])

    # when
    response = post_import(coordinator_client, mako, "lista.xlsx", content)

    # then
    assert response.status_code == 302
    assert [s.email for s in subscriptions.list_recipients(mailing_list)] == ["excel@example.fi"]


@pytest.mark.parametrize(
    ("name", "content", "consent", "message"),
    [
        ("a.csv", b"email\nx@example.fi\n", False, "An import needs the consent"),
        ("a.csv", b"nimi\nAino\n", True, "The file has no e-mail column."),
        ("a.pdf", b"%PDF-1.7\n", True, "The file is neither CSV nor XLSX."),
        ("a.xlsx", b"PK\x03\x04broken", True, "The XLSX file cannot be read."),
    ],
)
def test_import_refuses_unusable_files(coordinator_client, mako, name, content, consent, message):
    # when
    response = post_import(coordinator_client, mako, name, content, consent=consent)

    # then
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Subscriber.objects.exists()


def test_import_refuses_a_file_over_the_size_limit(coordinator_client, mako, settings):
    # given
    settings.IMPORT_MAX_BYTES = 100

    # when
    response = post_import(coordinator_client, mako, "a.csv", b"email\n" + b"a@example.fi\n" * 20)

    # then
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


def test_import_does_not_put_back_someone_who_left_the_list(coordinator_client, mako, mailing_list):
    # given
    subscriber = subscribed(mailing_list, email="lahti@example.fi")
    subscriptions.unsubscribe(
        subscriber=subscriber, mailing_list=mailing_list, basis=ConsentRecord.Basis.ONE_CLICK
    )

    # when
    response = post_import(coordinator_client, mako, "a.csv", b"email\nlahti@example.fi\n")

    # then
    assert response.status_code == 302
    assert list(subscriptions.list_recipients(mailing_list)) == []


def test_large_import_runs_in_few_queries(coordinator_client, mako, mailing_list):
    # given
    content = ("email\n" + "".join(f"osoite{n}@example.fi\n" for n in range(1200))).encode()

    # when
    with CaptureQueriesContext(connection) as captured:
        response = post_import(coordinator_client, mako, "iso.csv", content)

    # then
    assert response.status_code == 302
    assert subscriptions.list_recipients(mailing_list).count() == 1200
    # A few queries per batch of rows (the batch size is set by the database's limit on
    # parameters), never one per row.
    assert len(captured) < 1200 / 10


# Export ------------------------------------------------------------------------------------------


def test_exports_neutralise_cells_that_look_like_formulas(coordinator_client, mako, mailing_list):
    # given an address and a file name that a spreadsheet would run as formulas
    coordinator_client.post(
        url("manage_import", mako),
        {
            "file": upload("=HYPERLINK(1).csv", b"email\n=1+2@example.fi\n"),
            "consent_confirmed": "on",
        },
    )
    assert subscriptions.list_recipients(mailing_list).count() == 1

    # when
    subscribers_csv = coordinator_client.get(url("manage_export", mako, fmt="csv"))
    consents_csv = coordinator_client.get(url("manage_consents_export", mako, fmt="csv"))
    subscribers_xlsx = coordinator_client.get(url("manage_export", mako, fmt="xlsx"))

    # then
    assert subscribers_csv.status_code == 200
    assert "no-store" in subscribers_csv["Cache-Control"]
    rows = csv_rows(subscribers_csv.content)
    assert rows[0][:3] == ["E-mail", "Language", "Status"]
    assert rows[1][0] == "'=1+2@example.fi"
    consent_rows = csv_rows(consents_csv.content)
    assert consent_rows[1][1] == "'=1+2@example.fi"
    assert consent_rows[1][7] == "'=HYPERLINK(1).csv"
    sheet = load_workbook(io.BytesIO(subscribers_xlsx.content)).active
    assert sheet["A2"].value == "'=1+2@example.fi"
    assert sheet["A2"].data_type == "s"


def test_consent_export_includes_leaving_every_list(coordinator_client, mako, mailing_list):
    # given
    subscriber = subscribed(mailing_list, email="pois@example.fi")
    subscriptions.leave_all(subscriber=subscriber, basis=ConsentRecord.Basis.PREFERENCES)
    subscribed(subscriptions.mailing_list_for(NetworkFactory()), email="muu@example.fi")

    # when
    rows = csv_rows(coordinator_client.get(url("manage_consents_export", mako, fmt="csv")).content)

    # then
    assert [(row[1], row[2], row[3]) for row in rows[1:]] == [
        ("pois@example.fi", "Lapin MAKO", "consent given"),
        ("pois@example.fi", "every list", "consent withdrawn"),
    ]


def test_unknown_export_format_is_404(coordinator_client, mako):
    with translation.override("en"):
        response = coordinator_client.get(f"/en/lists/manage/{mako.slug}/subscribers.pdf")
    assert response.status_code == 404
