"""The tray's writing services: what an offering must say, confirmation, archiving, and the
rules of wishes and their answers."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kotoverkko.codelists.models import Region
from kotoverkko.common.models import AuditEntry
from kotoverkko.tray import services
from kotoverkko.tray.models import Category, ClientGroup, Offering, Wish, WishResponse
from tests.factories import OrganisationFactory, municipality, person_with_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return person_with_login().user


@pytest.fixture
def organisation():
    return OrganisationFactory(name_fi="Kemin kaupunki")


def offering(organisation, actor=None, **data) -> Offering:
    fields = {
        "title_fi": "Kielikahvila",
        "category": Category.objects.get(code="open-to-all"),
        "municipalities": [municipality("240")],
        "languages": ["fi", "ar"],
        "times": ["evenings"],
        **data,
    }
    return services.offering_create(actor=actor, organisation=organisation, data=fields)


def test_the_default_vocabularies_are_there_in_three_languages():
    early = Category.objects.get(code="early-phase")
    assert (early.kind, early.name_fi, early.name_sv) == (
        "community",
        "Varhaisen kotoutumisen toimintamuodot",
        "Verksamhet för tidig integration",
    )
    assert Category.objects.filter(kind="authority").count() == 8
    assert ClientGroup.objects.get(code="job-seekers").name_en == "Job seekers"


def test_a_new_offering_is_confirmed_today_and_audited(organisation, editor):
    # when
    created = offering(organisation, editor, groups=[ClientGroup.objects.get(code="women")])

    # then
    assert created.confirmed_on == timezone.localdate()
    assert created.confirmed_by == editor
    assert created.languages == ["fi", "ar"]
    assert [g.code for g in created.groups.all()] == ["women"]
    assert AuditEntry.objects.filter(action="create", object_id=str(created.pk)).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title_fi": ""}, "title_fi"),
        ({"municipalities": []}, "municipalities"),
        ({"languages": ["fi", "klingon"]}, "languages"),
        ({"path_stages": ["somewhere"]}, "path_stages"),
        ({"times": ["midnight"]}, "times"),
        ({"category": None}, "category"),
    ],
)
def test_an_offering_must_say_what_where_and_in_known_codes(organisation, data, field):
    # when
    with pytest.raises(ValidationError) as error:
        offering(organisation, **data)

    # then
    assert field in error.value.message_dict
    assert not Offering.objects.exists()


def test_a_whole_region_is_enough_as_the_place(organisation):
    created = offering(organisation, municipalities=[], regions=[Region.objects.get(code="19")])
    assert list(created.regions.values_list("code", flat=True)) == ["19"]


def test_codes_are_kept_once_in_their_order(organisation):
    created = offering(organisation, languages=["AR", "fi", "ar"], times=["evenings", "evenings"])
    assert (created.languages, created.times) == (["ar", "fi"], ["evenings"])


def test_changing_an_offering_confirms_it_and_records_the_change(organisation, editor):
    # given an offering last confirmed long ago
    created = offering(organisation)
    Offering.objects.filter(pk=created.pk).update(confirmed_on=date(2023, 1, 1))

    # when
    changed = services.offering_update(
        actor=editor, offering=created, data={"title_fi": "Kielikahvila Kemissä"}
    )

    # then
    assert changed.confirmed_on == timezone.localdate()
    entry = AuditEntry.objects.filter(action="update", object_id=str(created.pk)).get()
    assert entry.changes["title_fi"] == ["Kielikahvila", "Kielikahvila Kemissä"]


def test_removing_every_place_is_refused(organisation):
    created = offering(organisation)
    with pytest.raises(ValidationError) as error:
        services.offering_update(actor=None, offering=created, data={"municipalities": []})
    assert "municipalities" in error.value.message_dict
    assert created.municipalities.count() == 1


def test_confirming_clears_the_reminder(organisation, editor):
    # given
    created = offering(organisation)
    Offering.objects.filter(pk=created.pk).update(
        confirmed_on=timezone.localdate() - timedelta(days=400), reminded_at=timezone.now()
    )

    # when
    services.offering_confirm(actor=editor, offering=created)

    # then
    created.refresh_from_db()
    assert (created.confirmed_on, created.reminded_at) == (timezone.localdate(), None)


def test_archiving_and_back(organisation):
    created = offering(organisation)
    services.offering_archive(actor=None, offering=created)
    assert Offering.objects.get(pk=created.pk).archived
    services.offering_archive(actor=None, offering=created, archived=False)
    assert not Offering.objects.get(pk=created.pk).archived


# Wishes --------------------------------------------------------------------------------------


def test_a_wish_is_answered_and_a_second_answer_replaces_the_first(organisation, editor):
    # given
    wish = services.wish_create(
        actor=editor, organisation=organisation, data={"title_fi": "Hiihtokurssi"}
    )
    other = OrganisationFactory(name_fi="Kemin Latu")

    # when
    services.wish_respond(actor=editor, wish=wish, organisation=other, kind="can")
    services.wish_respond(
        actor=editor, wish=wish, organisation=other, kind="together", message="Tammikuussa"
    )

    # then
    response = WishResponse.objects.get()
    assert (response.kind, response.message) == ("together", "Tammikuussa")
    wish.refresh_from_db()
    assert wish.status == Wish.Status.TAKEN


def test_an_organisation_does_not_answer_its_own_wish_nor_a_fulfilled_one(organisation):
    # given
    wish = services.wish_create(
        actor=None, organisation=organisation, data={"title_fi": "Tulkkaus"}
    )

    # when / then
    with pytest.raises(ValidationError):
        services.wish_respond(actor=None, wish=wish, organisation=organisation, kind="can")
    services.wish_status_set(actor=None, wish=wish, status="done")
    with pytest.raises(ValidationError):
        services.wish_respond(actor=None, wish=wish, organisation=OrganisationFactory(), kind="can")
    with pytest.raises(ValidationError):
        services.wish_respond(actor=None, wish=wish, organisation=OrganisationFactory(), kind="x")
    assert not WishResponse.objects.exists()


def test_a_wish_that_came_true_links_to_its_offering(organisation):
    # given
    wish = services.wish_create(
        actor=None, organisation=organisation, data={"title_fi": "Kielikahvila"}
    )
    made = offering(organisation)

    # when
    services.wish_status_set(actor=None, wish=wish, status="done", offering=made)

    # then
    wish.refresh_from_db()
    assert (wish.status, wish.offering) == ("done", made)


def test_a_wish_needs_words():
    with pytest.raises(ValidationError) as error:
        services.wish_create(actor=None, organisation=OrganisationFactory(), data={})
    assert "title_fi" in error.value.message_dict
