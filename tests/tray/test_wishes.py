"""Wishes: who sees them, posting one, answering ("we can do this", "let's do it together"),
and marking one done with the offering it became; on the pages and through the API."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from kotoverkko.tray import selectors
from kotoverkko.tray.models import Wish, WishResponse
from tests.api.conftest import queries_for, token_client
from tests.factories import NetworkFactory, OrganisationFactory, member_of, municipality
from tests.tray.factories import OfferingFactory, WishFactory, WishResponseFactory

pytestmark = pytest.mark.django_db

WISHES = "/en/tray/wishes/"
API = "/api/v1/tray/wishes/"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def wish(network, other_organisation):
    """Rovaniemi's parish wishes for a ski course, in the Meri-Lappi network."""
    return WishFactory(
        organisation=other_organisation, network=network, title_en="Ski course for families"
    )


# Who sees which wishes ------------------------------------------------------------------------


def test_members_editors_and_coordinators_see_the_wishes_others_do_not(
    network, wish, editor, other_editor, coordinator, organisation
):
    # given
    elsewhere = NetworkFactory(slug="pomako")
    outsider = member_of(elsewhere, email="ulkopuolinen@example.fi")
    in_area = WishFactory(municipality=municipality("851"), title_en="Interpreting in Tornio")
    own = WishFactory(organisation=organisation, title_en="Our own wish")

    # then
    assert set(selectors.wish_list_visible(user=editor.user)) == {wish, own}
    assert set(selectors.wish_list_visible(user=other_editor.user)) == {wish}
    assert set(selectors.wish_list_visible(user=coordinator.user)) == {wish, in_area}
    assert set(selectors.wish_list_visible(user=outsider.user)) == set()


def test_anonymous_visitors_cannot_see_wishes(client, wish):
    assert client.get(WISHES).status_code == 302
    assert client.get(f"{WISHES}{wish.pk}/").status_code == 302
    assert APIClient().get(API).status_code == 401
    assert APIClient().get(f"{API}{wish.pk}/").status_code == 401


def test_a_wish_one_may_not_see_is_a_404(client, wish):
    outsider = member_of(NetworkFactory(slug="pomako"), email="ulko@example.fi")
    client.force_login(outsider.user)

    assert client.get(f"{WISHES}{wish.pk}/").status_code == 404
    assert token_client(outsider).get(f"{API}{wish.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Ski course for families", "Interpreting in Kemi", "Fishing trip"}),
        ("status=done", {"Fishing trip"}),
        ("municipality=240", {"Interpreting in Kemi"}),
        ("network=meri-lappi", {"Ski course for families", "Interpreting in Kemi"}),
    ],
)
def test_the_wish_list_filters(editor_client, network, wish, organisation, query, expected):
    # given
    WishFactory(network=network, municipality=municipality("240"), title_en="Interpreting in Kemi")
    WishFactory(organisation=organisation, title_en="Fishing trip", status=Wish.Status.DONE)

    # when
    page = text(editor_client.get(f"{WISHES}?{query}"))

    # then
    titles = {"Ski course for families", "Interpreting in Kemi", "Fishing trip"}
    assert {title for title in titles if title in page} == expected


def test_a_bad_wish_filter_is_a_400(editor_client):
    assert editor_client.get(f"{WISHES}?status=lost").status_code == 400


def test_the_wish_list_takes_the_same_number_of_queries_for_few_and_many(editor_client, network):
    # given
    def make(count):
        for _ in range(count):
            answered = WishFactory(network=network, municipality=municipality("240"))
            WishResponseFactory(wish=answered)

    make(1)
    with CaptureQueriesContext(connection) as few:
        assert editor_client.get(WISHES).status_code == 200
    make(8)

    # when
    with CaptureQueriesContext(connection) as many:
        assert editor_client.get(WISHES).status_code == 200

    # then
    assert len(many) == len(few)


def test_the_wish_api_list_takes_the_same_number_of_queries(editor, network):
    client = token_client(editor)
    WishResponseFactory(wish=WishFactory(network=network))
    few, _body = queries_for(client, API)
    for _ in range(6):
        WishResponseFactory(wish=WishFactory(network=network))

    many, body = queries_for(client, API)

    assert many == few
    assert body["count"] == 7


# Posting --------------------------------------------------------------------------------------


def test_an_editor_posts_a_wish_for_her_organisation(editor_client, editor, organisation, network):
    # when
    response = editor_client.post(
        f"{WISHES}new/",
        {
            "organisation": organisation.pk,
            "title_fi": "Kalastusretki",
            "description_fi": "Pilkkimään jäälle.",
            "network": network.pk,
            "municipality": municipality("240").pk,
        },
    )

    # then
    wish = Wish.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{wish.pk}/")
    assert wish.organisation == organisation
    assert wish.network == network
    assert wish.created_by == editor.user
    assert wish.status == Wish.Status.OPEN


def test_a_wish_for_someone_elses_organisation_is_refused(
    editor_client, other_organisation, network
):
    response = editor_client.post(
        f"{WISHES}new/", {"organisation": other_organisation.pk, "title_fi": "Tulkkaus"}
    )

    assert response.status_code == 400
    assert not Wish.objects.exists()


def test_a_wish_needs_its_text(editor_client, organisation):
    response = editor_client.post(f"{WISHES}new/", {"organisation": organisation.pk})

    assert response.status_code == 400
    assert "Write the wish in at least one language." in text(response)


def test_someone_without_an_organisation_to_edit_cannot_post(client, network):
    person = member_of(network, email="jasen@example.fi")
    client.force_login(person.user)

    assert client.get(f"{WISHES}new/").status_code == 403


def test_a_wish_is_posted_through_the_api(editor, organisation, network):
    response = token_client(editor).post(
        API,
        {"organisation": organisation.pk, "title_en": "Language café", "network": network.slug},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["network"] == "meri-lappi"
    assert response.json()["responses"] == []
    assert Wish.objects.get().organisation == organisation


def test_the_api_refuses_a_wish_for_another_organisation(editor, other_organisation):
    response = token_client(editor).post(
        API, {"organisation": other_organisation.pk, "title_en": "Interpreting"}, format="json"
    )

    assert response.status_code == 403
    assert not Wish.objects.exists()


# Answering ------------------------------------------------------------------------------------


def test_an_editor_answers_and_a_second_answer_replaces_the_first(
    editor_client, wish, organisation
):
    # when
    editor_client.post(
        f"{WISHES}{wish.pk}/respond/",
        {"organisation": organisation.pk, "kind": "can", "message": "Meillä on sukset."},
    )
    editor_client.post(
        f"{WISHES}{wish.pk}/respond/", {"organisation": organisation.pk, "kind": "together"}
    )

    # then
    response = WishResponse.objects.get()
    assert response.organisation == organisation
    assert response.kind == "together"
    wish.refresh_from_db()
    assert wish.status == Wish.Status.TAKEN
    page = text(editor_client.get(f"{WISHES}{wish.pk}/"))
    assert "let's do it together" in page.replace("&#x27;", "'")


def test_an_organisation_cannot_answer_its_own_wish(client, wish, other_editor):
    # given
    client.force_login(other_editor.user)

    # when
    page = text(client.get(f"{WISHES}{wish.pk}/"))
    posted = client.post(
        f"{WISHES}{wish.pk}/respond/",
        {"organisation": wish.organisation_id, "kind": "can"},
        follow=True,
    )
    api = token_client(other_editor).post(
        f"{API}{wish.pk}/responses/",
        {"organisation": wish.organisation_id, "kind": "can"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    # then
    assert "We can do this" not in page
    assert posted.status_code == 200
    assert api.status_code == 400
    assert "cannot answer its own wish" in api.json()["organisation"][0]
    assert not WishResponse.objects.exists()


def test_one_cannot_answer_for_an_organisation_one_does_not_edit(editor, wish):
    stranger = OrganisationFactory()

    response = token_client(editor).post(
        f"{API}{wish.pk}/responses/", {"organisation": stranger.pk, "kind": "can"}, format="json"
    )

    assert response.status_code == 403
    assert not WishResponse.objects.exists()


def test_the_api_answers_and_shows_the_answers(editor, wish, organisation):
    client = token_client(editor)

    first = client.post(
        f"{API}{wish.pk}/responses/",
        {"organisation": organisation.pk, "kind": "can", "message": "Onnistuu"},
        format="json",
    )
    second = client.post(
        f"{API}{wish.pk}/responses/",
        {"organisation": organisation.pk, "kind": "together"},
        format="json",
    )
    detail = client.get(f"{API}{wish.pk}/").json()

    assert first.status_code == 201
    assert second.status_code == 201
    assert [(row["organisation"]["id"], row["kind"]) for row in detail["responses"]] == [
        (organisation.pk, "together")
    ]
    assert detail["status"] == "taken"


# Done -----------------------------------------------------------------------------------------


def test_the_wishs_editor_marks_it_done_with_the_offering_it_became(
    client, wish, other_editor, organisation
):
    # given
    WishResponseFactory(wish=wish, organisation=organisation, kind="together")
    offering = OfferingFactory(organisation=organisation, title_en="Ski course")
    client.force_login(other_editor.user)

    # when
    response = client.post(f"{WISHES}{wish.pk}/done/", {"offering": offering.pk})

    # then
    assert response.status_code == 302
    wish.refresh_from_db()
    assert wish.status == Wish.Status.DONE
    assert wish.offering == offering
    offering_page = text(client.get(f"/en/tray/offerings/{offering.pk}/"))
    assert "Ski course for families" in offering_page
    assert "It became the offering" in text(client.get(f"{WISHES}{wish.pk}/"))


def test_a_done_wish_takes_no_more_answers(editor, wish, organisation):
    Wish.objects.filter(pk=wish.pk).update(status=Wish.Status.DONE)

    response = token_client(editor).post(
        f"{API}{wish.pk}/responses/",
        {"organisation": organisation.pk, "kind": "can"},
        format="json",
    )

    assert response.status_code == 400
    assert not WishResponse.objects.exists()


def test_only_the_wishs_editors_mark_it_done(editor_client, wish):
    offering = OfferingFactory(organisation=wish.organisation)

    response = editor_client.post(f"{WISHES}{wish.pk}/done/", {"offering": offering.pk})

    assert response.status_code == 403
    wish.refresh_from_db()
    assert wish.status == Wish.Status.OPEN
    assert wish.offering is None


def test_an_unrelated_offering_cannot_be_linked(client, wish, other_editor):
    stranger = OfferingFactory(organisation=OrganisationFactory())
    client.force_login(other_editor.user)

    client.post(f"{WISHES}{wish.pk}/done/", {"offering": stranger.pk})

    wish.refresh_from_db()
    assert wish.status == Wish.Status.OPEN
    assert wish.offering is None
