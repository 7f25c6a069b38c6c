"""The tray's analysis pages and API: who may see them, what they show, the expectations page,
the matrix as a spreadsheet, the one-click confirmation from a reminder, and query counts that
do not grow with the offerings."""

import copy
import time
from datetime import timedelta

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from kotoverkko.tray import analysis
from kotoverkko.tray.models import Expectation, Offering
from tests.api.conftest import token_client
from tests.api.test_schema import _as_json_schema
from tests.factories import NetworkFactory, OrganisationFactory, coordinator_of, member_of
from tests.tray.factories import OfferingFactory, category, group

pytestmark = pytest.mark.django_db

CAFE = "Kielikahvila maahanmuuttajille. Harjoittele suomen kieltä kahvikupin äärellä."


def page(network) -> str:
    return f"/en/tray/analysis/{network.slug}/"


def api(network, what: str) -> str:
    return f"/api/v1/tray/networks/{network.slug}/{what}/"


def stale(offering: Offering, days: int = 400) -> Offering:
    Offering.objects.filter(pk=offering.pk).update(
        confirmed_on=timezone.localdate() - timedelta(days=days)
    )
    offering.refresh_from_db()
    return offering


def fill(network, organisation, count: int) -> None:
    """`count` language cafés of the organisation in Kemi and Tornio, half of them stale, and
    an expectation for the network."""
    for index in range(count):
        offering = OfferingFactory(
            organisation=organisation,
            municipalities=["240"] if index % 2 else ["240", "851"],
            description_fi=CAFE,
            languages=["fi", "ar"] if index % 3 else ["fi"],
            groups=["everyone"],
        )
        if index % 2:
            stale(offering)
    Expectation.objects.get_or_create(network=network, category=category("information"))


# Permissions --------------------------------------------------------------------------------


def test_the_analysis_is_for_the_networks_coordinators(client, network, coordinator, editor):
    # anonymous: to the login page
    response = client.get(page(network))
    assert response.status_code == 302
    assert "/login/" in response["Location"]

    # a member who does not coordinate
    client.force_login(editor.user)
    assert client.get(page(network)).status_code == 403
    assert client.get(f"{page(network)}expectations/").status_code == 403
    assert client.get(f"{page(network)}coverage.csv").status_code == 403

    # a coordinator of another network
    other = coordinator_of(NetworkFactory(), email="muu@example.fi")
    client.force_login(other.user)
    assert client.get(page(network)).status_code == 403

    # the network's coordinator, and one of a network above it
    client.force_login(coordinator.user)
    assert client.get(page(network)).status_code == 200
    parent = NetworkFactory()
    network.parent = parent
    network.save(update_fields=["parent"])
    above = coordinator_of(parent, email="yla@example.fi")
    client.force_login(above.user)
    assert client.get(page(network)).status_code == 200
    assert client.get("/en/tray/analysis/no-such-network/").status_code == 404


def test_the_api_answers_coordinators_only(network, coordinator, editor, client):
    for what in ("coverage", "overlaps", "gaps"):
        assert client.get(api(network, what)).status_code == 403
        assert token_client(editor).get(api(network, what)).status_code == 403
        assert token_client(coordinator).get(api(network, what)).status_code == 200
    assert token_client(coordinator).get("/api/v1/tray/networks/nothing/gaps/").status_code == 404
    client.force_login(coordinator.user)
    assert client.get(api(network, "coverage")).status_code == 200


# The page -----------------------------------------------------------------------------------


def test_the_page_shows_matrix_chart_overlaps_gaps_and_stale_entries(
    client, network, coordinator, organisation, editor
):
    # given
    first = OfferingFactory(organisation=organisation, municipalities=["240"], description_fi=CAFE)
    OfferingFactory(
        organisation=OrganisationFactory(name_fi="Kemin kirjasto"),
        title_fi="Kirjaston kielikahvila",
        municipalities=["240"],
        description_fi=CAFE,
    )
    stale(first)
    Expectation.objects.create(
        network=network, category=category("early-phase"), group=group("families")
    )
    client.force_login(coordinator.user)

    # when
    response = client.get(page(network))

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg role="img" aria-labelledby="coverage-chart-title coverage-chart-desc"' in html
    assert 'id="coverage-table"' in html
    assert 'id="language-table"' in html
    assert "Kemin kirjasto" in html
    assert "Kirjaston kielikahvila" in html
    assert "Families with children" in html or "families" in html.lower()
    assert "editori@example.fi" in html  # who to contact about the stale offering
    assert response.context["result"].coverage.count("240", "early-phase") == 2
    assert len(response.context["result"].overlaps) == 1
    assert {gap.municipality.code for gap in response.context["result"].gaps} == {"240", "851"}
    assert [row.pk for row in response.context["stale"]] == [first.pk]


def test_the_page_in_finnish_and_swedish(client, network, coordinator):
    client.force_login(coordinator.user)
    for language in ("fi", "sv"):
        response = client.get(f"/{language}/tray/analysis/{network.slug}/")
        assert response.status_code == 200
        assert f'lang="{language}"' in response.content.decode()


def test_page_queries_do_not_grow_with_offerings(
    client, network, coordinator, organisation, editor
):
    # given
    client.force_login(coordinator.user)
    fill(network, organisation, 3)
    client.get(page(network))
    with CaptureQueriesContext(connection) as few:
        assert client.get(page(network)).status_code == 200

    # when
    fill(network, organisation, 12)
    fill(network, OrganisationFactory(email="toimisto@example.fi"), 6)
    with CaptureQueriesContext(connection) as many:
        response = client.get(page(network))

    # then
    assert response.status_code == 200
    assert len(response.context["stale"]) > 5
    assert len(many) == len(few)


def test_api_queries_do_not_grow_with_offerings(network, coordinator, organisation):
    client = token_client(coordinator)
    fill(network, organisation, 2)
    counts = {}
    for what in ("coverage", "overlaps", "gaps"):
        with CaptureQueriesContext(connection) as captured:
            client.get(api(network, what))
        counts[what] = len(captured)
    fill(network, organisation, 10)
    for what in ("coverage", "overlaps", "gaps"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(api(network, what)).status_code == 200
        assert len(captured) == counts[what], what


def test_the_index_lists_the_networks_one_coordinates(client, network, coordinator, editor):
    client.force_login(coordinator.user)
    assert network.slug in client.get("/en/tray/analysis/").content.decode()
    client.force_login(editor.user)
    response = client.get("/en/tray/analysis/")
    assert response.status_code == 200
    assert network.slug not in response.content.decode()


# Export -------------------------------------------------------------------------------------


def test_the_matrix_downloads_as_csv_and_xlsx(client, network, coordinator):
    # given
    OfferingFactory(municipalities=["851"], languages=["so"])
    client.force_login(coordinator.user)

    # when
    csv = client.get(f"{page(network)}coverage.csv")
    by_language = client.get(f"{page(network)}coverage.csv?by=language")
    xlsx = client.get(f"{page(network)}coverage.xlsx")

    # then
    assert csv.status_code == 200
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Municipality;")
    assert any(line.startswith("Tornio;") for line in lines)
    assert "Somali" in by_language.content.decode("utf-8-sig")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"
    assert client.get(f"{page(network)}coverage.pdf").status_code == 404


# Expectations -------------------------------------------------------------------------------


def test_coordinators_add_and_remove_expectations(client, network, coordinator):
    # given
    client.force_login(coordinator.user)
    url = f"{page(network)}expectations/"
    data = {"category": category("information").pk, "language": "ar", "group": ""}

    # when
    added = client.post(url, data)
    again = client.post(url, data)
    unknown = client.post(url, {"category": "999999", "language": "", "group": ""})

    # then
    assert added.status_code == 302
    expectation = Expectation.objects.get(network=network)
    assert (expectation.language, expectation.group) == ("ar", None)
    assert again.status_code == 400
    assert "already has this expectation" in again.content.decode()
    assert unknown.status_code == 400
    listing = client.get(url).content.decode()
    assert "Arabic" in listing

    # when removed
    removed = client.post(f"{url}{expectation.pk}/remove/")

    # then
    assert removed.status_code == 302
    assert not Expectation.objects.filter(network=network).exists()
    assert client.post(f"{url}{expectation.pk}/remove/").status_code == 404
    assert client.get(f"{url}{expectation.pk}/remove/").status_code == 405


def test_another_networks_expectation_cannot_be_removed(client, network, coordinator):
    other = NetworkFactory()
    expectation = Expectation.objects.create(network=other, category=category("information"))
    client.force_login(coordinator.user)
    response = client.post(f"{page(network)}expectations/{expectation.pk}/remove/")
    assert response.status_code == 404
    assert Expectation.objects.filter(pk=expectation.pk).exists()


# The one-click confirmation -----------------------------------------------------------------


def test_the_link_shows_a_button_and_only_the_button_confirms(client, organisation, editor):
    # given
    offering = stale(OfferingFactory(organisation=organisation))
    Offering.objects.filter(pk=offering.pk).update(reminded_at=timezone.now())
    url = f"/fi/tray/analysis/confirm/{analysis.confirm_token(offering=offering, person=editor)}/"

    # when a mail scanner opens the link
    shown = client.get(url)

    # then nothing changes
    assert shown.status_code == 200
    assert '<button type="submit">' in shown.content.decode()
    offering.refresh_from_db()
    assert offering.confirmed_on < timezone.localdate()

    # when the editor presses the button
    confirmed = client.post(url)

    # then
    assert confirmed.status_code == 302
    offering.refresh_from_db()
    assert offering.confirmed_on == timezone.localdate()
    assert offering.reminded_at is None
    assert offering.confirmed_by == editor.user
    after = client.get(url).content.decode()
    assert '<button type="submit">' not in after


def test_expired_and_tampered_links_are_refused_with_a_clear_message(
    client, organisation, editor, monkeypatch
):
    # given
    offering = stale(OfferingFactory(organisation=organisation))
    token = analysis.confirm_token(offering=offering, person=editor)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 61 * 24 * 3600)
    expired = analysis.confirm_token(offering=offering, person=editor)
    monkeypatch.setattr(time, "time", real_time)

    # when
    tampered_page = client.post(f"/en/tray/analysis/confirm/{token[:-3]}xyz/")
    expired_page = client.post(f"/en/tray/analysis/confirm/{expired}/")

    # then
    assert tampered_page.status_code == 400
    assert "not valid" in tampered_page.content.decode()
    assert expired_page.status_code == 400
    assert "has expired" in expired_page.content.decode()
    offering.refresh_from_db()
    assert offering.confirmed_on < timezone.localdate()


# API ----------------------------------------------------------------------------------------


def test_api_answers_match_the_documented_shapes(network, coordinator, organisation):
    # given
    fill(network, organisation, 4)
    OfferingFactory(municipalities=["851"], languages=[], title_fi="Kerho")
    document = SchemaGenerator().get_schema(request=None, public=True)
    components = _as_json_schema(copy.deepcopy(document["components"]))
    client = token_client(coordinator)

    def check(name: str, body) -> None:
        schema = {"$ref": f"#/components/schemas/{name}", "components": components}
        jsonschema.Draft202012Validator(schema).validate(body)

    # when
    coverage = client.get(api(network, "coverage")).json()
    languages = client.get(api(network, "coverage"), {"by": "language"}).json()
    overlaps = client.get(api(network, "overlaps")).json()
    gaps = client.get(api(network, "gaps")).json()

    # then
    check("CoverageOutput", coverage)
    check("CoverageOutput", languages)
    for row in overlaps:
        check("OverlapGroupOutput", row)
    for row in gaps:
        check("GapOutput", row)
    kemi = next(row for row in coverage["rows"] if row["municipality"]["code"] == "240")
    assert kemi["counts"]["early-phase"] == 4
    assert languages["by"] == "language"
    assert languages["column_totals"]["-"] == 1
    assert len(overlaps) == 1
    assert len(overlaps[0]["offerings"]) == 4
    assert {row["municipality"]["code"] for row in gaps} == {"240", "851"}
    assert client.get(api(network, "coverage"), {"by": "colour"}).status_code == 400


def test_a_members_view_of_the_api_needs_no_coordinator_of_another_network(network):
    outsider = member_of(NetworkFactory(), email="ulko@example.fi")
    assert token_client(outsider).get(api(network, "coverage")).status_code == 403
