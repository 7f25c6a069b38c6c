"""The bulletin API: news (public reading, coordinators writing), issues (sent ones for all,
drafts for their coordinators) and the delivery of an issue's editions; the OpenAPI document
and real answers against it."""

import copy
from datetime import date, timedelta

import jsonschema
import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from kotoverkko.newsletter import services
from kotoverkko.newsletter.models import NewsItem
from tests.api.conftest import token_client
from tests.api.test_schema import _as_json_schema
from tests.newsletter.conftest import subscribe
from tests.newsletter.factories import IssueFactory, IssueItemFactory, NewsItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.newsletter.urls")]

NEWS = "/api/v1/newsletter/news/"
ISSUES = "/api/v1/newsletter/issues/"


@pytest.fixture
def news(mako, pomako):
    today = timezone.localdate()
    return {
        "published": NewsItemFactory(network=mako, title_fi="Julkaistu", publish_on=today),
        "waiting": NewsItemFactory(
            network=mako, title_fi="Odottaa", publish_on=today + timedelta(days=5)
        ),
        "pomako": NewsItemFactory(
            network=pomako, title_fi="Uutinen", title_sv="Nyhet", publish_on=today
        ),
    }


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["title"]["fi"] for row in response.json()["results"]]


# News ---------------------------------------------------------------------------------------


def test_everyone_reads_published_news_and_coordinators_their_own_waiting_ones(news, coordinators):
    # given
    public = APIClient()
    mako = token_client(coordinators["mako"])
    pomako = token_client(coordinators["pomako"])

    # then
    assert titles(public.get(NEWS)) == ["Uutinen", "Julkaistu"]
    assert titles(public.get(NEWS, {"network": "lapin-mako"})) == ["Julkaistu"]
    assert titles(mako.get(NEWS)) == ["Odottaa", "Uutinen", "Julkaistu"]
    assert titles(pomako.get(NEWS)) == ["Uutinen", "Julkaistu"]
    assert public.get(f"{NEWS}{news['waiting'].pk}/").status_code == 404
    assert mako.get(f"{NEWS}{news['waiting'].pk}/").status_code == 200
    assert public.get(NEWS, {"network": "ei-ole"}).status_code == 400
    row = public.get(f"{NEWS}{news['pomako'].pk}/").json()
    assert row["title"] == {"fi": "Uutinen", "sv": "Nyhet", "en": None}
    assert row["url"] == f"http://testserver/fi/networks/pomako/news/{news['pomako'].pk}/"


def test_coordinators_write_their_networks_news(news, coordinators):
    # given
    client = token_client(coordinators["pomako"])
    body = {
        "network": "pomako",
        "scope": "national",
        "title": {"fi": "Laki uudistuu", "sv": "Lagen förnyas"},
        "text": {"fi": "Teksti."},
        "link": "https://tem.fi/laki",
        "publish_on": "2026-12-01",
    }

    # when
    created = client.post(NEWS, body, format="json")
    pk = created.json()["id"]
    changed = client.patch(f"{NEWS}{pk}/", {"title": {"sv": "Lagen ändras"}}, format="json")
    deleted = client.delete(f"{NEWS}{news['pomako'].pk}/")

    # then
    assert created.status_code == 201, created.content
    assert created.json()["scope"] == "national"
    assert changed.status_code == 200
    assert changed.json()["title"] == {"fi": "Laki uudistuu", "sv": "Lagen ändras", "en": None}
    assert deleted.status_code == 204
    assert set(NewsItem.objects.values_list("title_fi", flat=True)) == {
        "Julkaistu",
        "Odottaa",
        "Laki uudistuu",
    }


def test_news_writing_is_refused_to_others_and_bad_input_is_a_400(news, coordinators):
    # given
    anonymous = APIClient()
    other = token_client(coordinators["pomako"])
    own = token_client(coordinators["mako"])
    body = {"network": "lapin-mako", "title": {"fi": "Uutinen"}, "publish_on": "2026-12-01"}
    published = news["published"].pk

    # when
    answers = {
        "anonymous": anonymous.post(NEWS, body, format="json"),
        "other network": other.post(NEWS, body, format="json"),
        "other change": other.patch(f"{NEWS}{published}/", {"link": ""}, format="json"),
        "other delete": other.delete(f"{NEWS}{published}/"),
        "hidden": other.patch(f"{NEWS}{news['waiting'].pk}/", {"link": ""}, format="json"),
        "no title": own.post(NEWS, {**body, "title": {"sv": "Nyhet"}}, format="json"),
        "bad date": own.post(NEWS, {**body, "publish_on": "huomenna"}, format="json"),
        "bad link": own.post(NEWS, {**body, "link": "ftp://x"}, format="json"),
        "long title": own.post(NEWS, {**body, "title": {"fi": "x" * 201}}, format="json"),
        "nul": own.post(NEWS, {**body, "network": "a\x00b"}, format="json"),
    }

    # then
    statuses = {name: response.status_code for name, response in answers.items()}
    assert statuses == {
        "anonymous": 401,
        "other network": 403,
        "other change": 403,
        "other delete": 403,
        "hidden": 404,
        "no title": 400,
        "bad date": 400,
        "bad link": 400,
        "long title": 400,
        "nul": 400,
    }
    assert "title_fi" in answers["no title"].json()
    assert NewsItem.objects.count() == 3


# Issues -------------------------------------------------------------------------------------


@pytest.fixture
def issues(mako, pomako):
    sent = IssueFactory(network=mako, month=date(2026, 10, 1), status="sent")
    IssueItemFactory(issue=sent, heading_fi="Lokakuu")
    draft = IssueFactory(network=mako, month=date(2026, 11, 1))
    IssueItemFactory(issue=draft)
    pomako_draft = IssueFactory(network=pomako, month=date(2026, 11, 1))
    return {"sent": sent, "draft": draft, "pomako_draft": pomako_draft}


def test_issues_sent_are_public_and_drafts_only_for_their_coordinators(issues, coordinators):
    # given
    public = APIClient()
    mako = token_client(coordinators["mako"])

    # when
    seen_by_public = public.get(ISSUES).json()["results"]
    seen_by_mako = mako.get(ISSUES).json()["results"]
    detail = public.get(f"{ISSUES}{issues['sent'].pk}/").json()

    # then
    assert [row["id"] for row in seen_by_public] == [issues["sent"].pk]
    assert [(row["id"], row["status"]) for row in seen_by_mako] == [
        (issues["draft"].pk, "draft"),
        (issues["sent"].pk, "sent"),
    ]
    assert seen_by_mako[0]["url"] is None
    assert detail["url"].endswith(f"/networks/lapin-mako/newsletter/{issues['sent'].pk}/")
    assert detail["items"][0]["heading"]["fi"] == "Lokakuu"
    assert public.get(f"{ISSUES}{issues['draft'].pk}/").status_code == 404
    assert mako.get(f"{ISSUES}{issues['pomako_draft'].pk}/").status_code == 404
    assert mako.get(f"{ISSUES}{issues['draft'].pk}/").status_code == 200


def test_delivery_status_per_edition_for_the_coordinator(pomako, coordinators):
    # given
    issue = IssueFactory(network=pomako)
    IssueItemFactory(issue=issue)
    subscribe(pomako, "a@example.fi", "fi")
    subscribe(pomako, "b@example.fi", "sv")
    subscribe(pomako, "c@example.fi", "sv")
    services.issue_send(issue=issue, actor=None, now=timezone.now())
    address = f"{ISSUES}{issue.pk}/delivery/"

    # when
    own = token_client(coordinators["pomako"]).get(address)
    other = token_client(coordinators["mako"]).get(address)
    anonymous = APIClient().get(address)

    # then
    assert own.status_code == 200
    body = own.json()
    assert body["status"] == "sending"
    progress = {e["language"]: e["progress"] for e in body["editions"]}
    assert progress["fi"]["total"] == 1
    assert progress["sv"]["total"] == 2
    assert progress["sv"]["remaining"] == 2
    assert other.status_code == 403
    assert anonymous.status_code == 401


# The OpenAPI document -----------------------------------------------------------------------


def test_schema_validates_without_warnings_and_documents_the_bulletin_api(tmp_path):
    # given
    target = tmp_path / "schema.yaml"

    # when
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--urlconf",
        "tests.newsletter.urls",
        "--file",
        str(target),
    )

    # then
    paths = yaml.safe_load(target.read_text())["paths"]
    assert {
        "/api/v1/newsletter/news/",
        "/api/v1/newsletter/news/{id}/",
        "/api/v1/newsletter/issues/",
        "/api/v1/newsletter/issues/{id}/",
        "/api/v1/newsletter/issues/{id}/delivery/",
    } <= set(paths)


def test_real_answers_match_the_documented_shapes(news, issues, pomako, coordinators):
    # given
    document = SchemaGenerator(urlconf="tests.newsletter.urls").get_schema(
        request=None, public=True
    )
    components = _as_json_schema(copy.deepcopy(document["components"]))
    subscribe(pomako, "a@example.fi", "sv")
    IssueItemFactory(issue=issues["pomako_draft"])
    services.issue_send(issue=issues["pomako_draft"], actor=None, now=timezone.now())
    client = token_client(coordinators["pomako"])

    # when
    answers = {
        "PaginatedNewsOutputList": client.get(NEWS),
        "NewsOutput": client.get(f"{NEWS}{news['pomako'].pk}/"),
        "PaginatedIssueOutputList": client.get(ISSUES),
        "IssueDetailOutput": client.get(f"{ISSUES}{issues['sent'].pk}/"),
        "IssueDeliveryOutput": client.get(f"{ISSUES}{issues['pomako_draft'].pk}/delivery/"),
    }

    # then
    for name, response in answers.items():
        assert response.status_code == 200, (name, response.content)
        schema = {"$ref": f"#/components/schemas/{name}", "components": components}
        jsonschema.Draft202012Validator(schema).validate(response.json())
