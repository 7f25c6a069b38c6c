"""Events, organisations and news in the index: what each puts there, and the index following
their changes after each commit."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from kotoverkko.events.models import Event
from kotoverkko.network.models import Organisation
from kotoverkko.search.index import index_object_refresh, registered_sources
from kotoverkko.search.models import Entry
from kotoverkko.search.selectors import SearchFilters, search
from kotoverkko.search.sources import (
    event_entry,
    news_entry,
    news_index_published,
    organisation_entry,
)
from tests.events.factories import EventFactory
from tests.factories import NetworkFactory, OrganisationFactory, member_of
from tests.newsletter.factories import NewsItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("voikko")]


def found(query: str, user=None, type: str = "") -> list[int]:
    return [h.id for h in search(query, user=user, filters=SearchFilters(type=type)).hits]


def test_events_organisations_and_news_are_registered():
    assert {"event", "organisation", "news"} <= {s.type for s in registered_sources()}


def test_a_public_event_is_indexed_with_its_theme_description_and_translations():
    # given
    network = NetworkFactory(languages=["fi", "sv"])
    organiser = OrganisationFactory()
    event = EventFactory(
        network=network,
        organiser=organiser,
        title_fi="Verkostotapaaminen Kemissä",
        title_sv="Nätverksmöte i Kemi",
        theme_fi="Kotoutumistarjotin",
        description_fi="Käydään läpi kuntien palvelut.",
        description_sv="Vi går igenom kommunernas tjänster.",
        languages=["fi", "sv"],
        checklist=False,
    )

    # when
    data = event_entry(event)

    # then
    assert data.title == "Verkostotapaaminen Kemissä"
    assert data.language == "fi"
    assert data.visibility == "public"
    assert data.network == network.pk
    assert data.organisation_id == organiser.pk
    assert data.year == timezone.localtime(event.starts_at).year
    assert data.url == f"/fi/events/{event.pk}/"
    assert "Kotoutumistarjotin" in data.body
    assert "kuntien palvelut" in data.body
    assert data.bodies_by_language == {"sv": "Vi går igenom kommunernas tjänster."}
    assert data.titles_by_language["sv"] == "Nätverksmöte i Kemi"


def test_draft_events_are_not_searchable_and_members_events_are_for_members():
    # given
    network = NetworkFactory()
    draft = EventFactory(
        network=network, title_fi="Luonnos", visibility=Event.Visibility.DRAFT, checklist=False
    )
    members = EventFactory(
        network=network,
        title_fi="Jäsenten kielikahvila",
        visibility=Event.Visibility.MEMBERS,
        checklist=False,
    )

    # then
    assert event_entry(draft) is None
    assert event_entry(members).visibility == "members"

    # when indexed
    index_object_refresh("event", draft.pk)
    index_object_refresh("event", members.pk)

    # then
    assert not Entry.objects.filter(type="event", object_id=draft.pk).exists()
    assert found("kielikahvila") == []
    assert found("kielikahvila", user=member_of(network).user) == [members.pk]


def test_an_organisation_is_indexed_by_name_and_description_in_its_language():
    # given
    organisation = OrganisationFactory(
        name_fi="Vaasan kaupunki",
        name_sv="Vasa stad",
        description_fi="Kotoutumispalvelut ja maahanmuuttajapalvelut.",
        language_status=Organisation.LanguageStatus.BILINGUAL_SV,
    )

    # when
    data = organisation_entry(organisation)
    index_object_refresh("organisation", organisation.pk)

    # then
    assert data.language == "sv"
    assert data.title == "Vasa stad"
    assert data.organisation_id == organisation.pk
    assert found("maahanmuuttajapalvelu") == [organisation.pk]
    assert found("Vaasa") == [organisation.pk]
    assert found("staden") == [organisation.pk]


def test_news_become_searchable_on_their_publish_date():
    # given
    today = timezone.localdate()
    published = NewsItemFactory(title_fi="Kotoutumislaki voimaan", publish_on=today)
    coming = NewsItemFactory(
        title_fi="Tuleva kotoutumisohjelma", publish_on=today + timedelta(days=3)
    )

    # then
    assert news_entry(published).url == (
        f"/fi/networks/{published.network.slug}/news/{published.pk}/"
    )
    assert news_entry(coming) is None
    assert news_entry(coming, today=today + timedelta(days=3)) is not None

    # when the daily job runs
    assert news_index_published() == 1
    assert news_index_published() == 0

    # then
    assert found("kotoutumislaki", type="news") == [published.pk]
    assert found("kotoutumisohjelma") == []


def test_saving_and_deleting_follow_into_the_index_after_the_commit(
    django_capture_on_commit_callbacks,
):
    # when an organisation is created (the immediate task backend runs the queued task)
    with django_capture_on_commit_callbacks(execute=True):
        organisation = OrganisationFactory(name_fi="Kemin kielikoulu")

    # then it is searchable
    assert found("kielikoulu") == [organisation.pk]

    # when renamed
    with django_capture_on_commit_callbacks(execute=True):
        organisation.name_fi = "Tornion kansalaisopisto"
        organisation.save()

    # then
    assert found("kielikoulu") == []
    assert found("kansalaisopisto") == [organisation.pk]

    # when deleted
    pk = organisation.pk
    with django_capture_on_commit_callbacks(execute=True):
        organisation.delete()

    # then
    assert found("kansalaisopisto") == []
    assert not Entry.objects.filter(type="organisation", object_id=pk).exists()


def test_an_event_made_a_draft_again_leaves_the_index(django_capture_on_commit_callbacks):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        event = EventFactory(title_fi="Pilkkikilpailu", checklist=False)
    assert found("pilkkikilpailu") == [event.pk]

    # when
    with django_capture_on_commit_callbacks(execute=True):
        event.visibility = Event.Visibility.DRAFT
        event.save()

    # then
    assert found("pilkkikilpailu") == []


def test_news_of_a_past_year_carry_their_year():
    news = NewsItemFactory(title_fi="Vanha uutinen", publish_on=date(2019, 5, 1))
    assert news_entry(news).year == 2019
