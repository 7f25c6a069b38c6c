"""The demo tray: Juva's tray of seed 004, Lapland's and Ostrobothnia's offerings with their
overlaps, gaps and stale entries, the seed's wishes, expectations and the Starttipaja workshops."""

import time as clock
from collections import Counter
from datetime import date, timedelta
from itertools import combinations
from unittest import mock

import pytest
from django.db import transaction
from django.db.models import Q

from kotoverkko.common.models import AuditEntry
from kotoverkko.network.demo import demo_load
from kotoverkko.network.models import Network, Organisation
from kotoverkko.tray.demo import (
    EXPECTATIONS,
    FOLLOW_UPS,
    INVITATIONS,
    OFFERINGS,
    ORGANISATIONS,
    WISHES,
    WORKSHOPS,
    demo_offerings,
    tray_demo_load,
)
from kotoverkko.tray.languages import LANGUAGES
from kotoverkko.tray.models import (
    Category,
    ClientGroup,
    Expectation,
    FollowUp,
    Offering,
    PathStage,
    TimeOfDay,
    Wish,
    WishResponse,
    Workshop,
    WorkshopInvitation,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)
JUVA, KEMI, TORNIO, NARPES = "178", "240", "851", "545"
LAPLAND, OSTROBOTHNIA = "19", "15"


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The network demo without its other loaders, then the tray demo, timed; loaded once for
    the module and rolled back at its end."""
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            with (
                mock.patch("kotoverkko.network.demo.events_demo_load", return_value={}),
                mock.patch("kotoverkko.network.demo.newsletter_demo_load", return_value={}),
                mock.patch("kotoverkko.network.demo.library_demo_load", return_value={}),
                mock.patch("kotoverkko.network.demo.tray_demo_load", return_value={}),
            ):
                demo_load()
            started = clock.monotonic()
            counts = tray_demo_load(today=TODAY)
            seconds = clock.monotonic() - started
        except BaseException as exc:
            outer.__exit__(type(exc), exc, exc.__traceback__)
            raise
    yield {"counts": counts, "seconds": seconds}
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _in(code: str, region: str):
    """Offerings available in a municipality: named there, or for its whole region."""
    return Offering.objects.filter(Q(municipalities__code=code) | Q(regions__code=region))


def _offering(organisation: str, title: str) -> Offering:
    return Offering.objects.select_related("category").get(
        organisation__name_fi=organisation, title_fi=title
    )


def _workshop(title: str) -> Workshop:
    return Workshop.objects.get(title=title)


# This one starts from an empty database, so it comes before any test that uses `loaded`.


def test_without_the_network_demo_nothing_is_loaded():
    # when / then
    with pytest.raises(ValueError, match="network demo"):
        tray_demo_load(today=TODAY)
    assert not Offering.objects.exists()


def test_loader_reports_what_it_made_quickly(loaded):
    # given
    counts = loaded["counts"]

    # then
    assert loaded["seconds"] < 2
    assert counts[OFFERINGS] == Offering.objects.count() == len(demo_offerings())
    assert 60 <= counts[OFFERINGS] <= 90
    assert counts[WISHES] == Wish.objects.count() >= 15
    assert counts[WORKSHOPS] == Workshop.objects.count() == 2
    assert counts[INVITATIONS] == WorkshopInvitation.objects.count()
    assert counts[FOLLOW_UPS] == FollowUp.objects.count() >= 4
    assert counts[EXPECTATIONS] == Expectation.objects.count()
    assert counts[ORGANISATIONS] == Organisation.objects.filter(municipality__code=JUVA).count()


def test_loading_twice_adds_nothing(loaded):
    # given
    before = (
        Offering.objects.count(),
        Wish.objects.count(),
        WishResponse.objects.count(),
        WorkshopInvitation.objects.count(),
        FollowUp.objects.count(),
        Expectation.objects.count(),
        Organisation.objects.count(),
    )

    # when
    second = tray_demo_load(today=TODAY + timedelta(days=3))

    # then
    assert second == {}
    assert before == (
        Offering.objects.count(),
        Wish.objects.count(),
        WishResponse.objects.count(),
        WorkshopInvitation.objects.count(),
        FollowUp.objects.count(),
        Expectation.objects.count(),
        Organisation.objects.count(),
    )


def test_offerings_are_in_the_audit_log_by_the_system(loaded):
    # when
    entries = AuditEntry.objects.filter(model="tray.offering", action="create")

    # then
    assert entries.count() == Offering.objects.count()
    assert not entries.filter(actor__isnull=False).exists()


def test_juva_tray_of_the_seed_has_its_examples_in_the_right_categories(loaded):
    # given
    expected = {
        ("Juvan kansalaisopisto", "Suomea arkeen"): "early-phase",
        ("Juvan kansalaisopisto", "Kulttuurit tutuksi"): "early-phase",
        ("Juvan kirjasto", "Kirjaston asiakkuus kaikille"): "open-to-all",
        ("Juvan kirjasto", "Kielenopiskelun aineistoa"): "open-to-all",
        ("Juvan kirjasto", "Selkokirjat ja diplomikirjat"): "open-to-all",
        ("Juvan kirjasto", "Vieraskielistä aineistoa"): "open-to-all",
        ("Juvan kirjasto", "Venäjänkielinen kirjasto"): "open-to-all",
        ("Juvan kirjasto", "Kielikahvila"): "open-to-all",
        ("Suomen Punainen Risti, Juvan osasto", "Arjen apu"): "early-phase",
        ("Suomen Punainen Risti, Juvan osasto", "Kotiseutukummi"): "early-phase",
    }

    # when
    found = {key: _offering(*key) for key in expected}

    # then
    assert {key: o.category.code for key, o in found.items()} == expected
    for offering in found.values():
        assert [m.code for m in offering.municipalities.all()] == [JUVA]
        assert offering.title_en
    assert found[("Juvan kirjasto", "Venäjänkielinen kirjasto")].languages == ["ru"]
    assert found[("Juvan kansalaisopisto", "Suomea arkeen")].times == [TimeOfDay.EVENINGS]


def test_red_cross_early_phase_models_are_offered_in_both_regions(loaded):
    # when
    models = Offering.objects.filter(
        organisation__name_fi__startswith="Suomen Punainen Risti",
        title_en__in=["Everyday help", "Hometown friend"],
        category__code="early-phase",
    )

    # then
    regions = {m.region.code for o in models for m in o.municipalities.all()}
    assert {LAPLAND, OSTROBOTHNIA} <= regions
    assert models.filter(title_sv="Vardagshjälp").count() == 3


def test_two_language_cafes_in_kemi_overlap(loaded):
    # given
    cafes = list(
        Offering.objects.filter(
            municipalities__code=KEMI, category__code="early-phase", title_fi__icontains="kahvila"
        ).prefetch_related("groups")
    )

    # when
    overlapping = [
        (a, b)
        for a, b in combinations(cafes, 2)
        if a.organisation_id != b.organisation_id
        and set(a.languages) & set(b.languages)
        and {g.code for g in a.groups.all()} & {g.code for g in b.groups.all()}
    ]

    # then
    assert len(overlapping) == 1
    first, second = overlapping[0]
    assert {first.organisation.name_fi, second.organisation.name_fi} == {
        "Kemin kaupunki",
        "Kulttuurisilta Meri-Lappi ry",
    }
    assert set(first.times) & set(second.times) == {TimeOfDay.EVENINGS}


def test_early_phase_in_arabic_is_missing_in_tornio_and_narpes_but_not_in_kemi(loaded):
    # given
    def arabic_early_phase(code: str, region: str) -> int:
        early = _in(code, region).filter(category__code="early-phase").distinct()
        return sum("ar" in offering.languages for offering in early)

    # then
    assert _in(TORNIO, LAPLAND).filter(category__code="early-phase").exists()
    assert arabic_early_phase(TORNIO, LAPLAND) == 0
    assert _in(NARPES, OSTROBOTHNIA).filter(category__code="early-phase").exists()
    assert arabic_early_phase(NARPES, OSTROBOTHNIA) == 0
    assert arabic_early_phase(KEMI, LAPLAND) >= 2


def test_a_few_offerings_are_stale_and_most_are_fresh(loaded):
    # given
    year_ago = TODAY - timedelta(days=365)

    # when
    stale = Offering.objects.filter(confirmed_on__lt=year_ago)

    # then
    assert 3 <= stale.count() <= Offering.objects.count() // 5
    assert not Offering.objects.filter(confirmed_on__gt=TODAY).exists()
    # An organisation that closed when the ELY centres ended left its offering unconfirmed.
    assert stale.filter(organisation__valid_until__lt=TODAY).exists()


def test_offerings_cover_every_category_language_group_stage_and_time(loaded):
    # given
    offerings = list(Offering.objects.prefetch_related("groups").select_related("category"))

    # when
    categories = {o.category.code for o in offerings}
    languages = Counter(code for o in offerings for code in o.languages)
    groups = {g.code for o in offerings for g in o.groups.all()}

    # then
    assert categories == set(Category.objects.values_list("code", flat=True))
    assert set(languages) <= set(LANGUAGES)
    assert {"fi", "sv", "en", "ar", "ru", "so", "uk", "fa"} <= set(languages)
    assert groups == set(ClientGroup.objects.values_list("code", flat=True))
    assert {s for o in offerings for s in o.path_stages} == set(PathStage.values)
    assert {t for o in offerings for t in o.times} == set(TimeOfDay.values)
    assert {o.cost for o in offerings} == set(Offering.Cost.values)


def test_swedish_speaking_actors_of_ostrobothnia_write_in_swedish(loaded):
    # given
    swedish = Offering.objects.filter(
        organisation__language_status__in=[
            Organisation.LanguageStatus.SWEDISH,
            Organisation.LanguageStatus.BILINGUAL_SV,
        ]
    )

    # then
    assert swedish.count() >= 8
    missing_swedish = Q(title_sv__isnull=True) | Q(title_sv="") | Q(description_sv="")
    assert not swedish.filter(missing_swedish | Q(description_sv__isnull=True)).exists()
    # Some write only in Swedish and English.
    assert swedish.filter(Q(description_fi__isnull=True) | Q(description_fi="")).exists()


def test_authorities_offer_region_wide(loaded):
    # when
    region_wide = Offering.objects.filter(
        regions__code=LAPLAND, category__kind=Category.Kind.AUTHORITY
    )

    # then
    types = set(region_wide.values_list("organisation__type", flat=True))
    assert {
        Organisation.Type.ELINVOIMAKESKUS,
        Organisation.Type.KEHA,
        Organisation.Type.KELA,
        Organisation.Type.MIGRI,
    } <= types
    kela = region_wide.get(organisation__type=Organisation.Type.KELA)
    assert {r.code for r in kela.regions.all()} >= {LAPLAND, OSTROBOTHNIA}
    assert (
        Offering.objects.filter(
            organisation__type=Organisation.Type.EMPLOYMENT_AREA, category__code="employment"
        ).count()
        >= 3
    )


def test_wishes_of_the_seed_are_open_taken_or_done(loaded):
    # given
    titles = set(Wish.objects.values_list("title_en", flat=True))

    # when
    statuses = Counter(Wish.objects.values_list("status", flat=True))

    # then
    for title in (
        "Ski course",
        "Sports pass",
        "Cooking together",
        "Language café",
        "Crafts together with locals",
        "Wild herb courses, mushrooms and berries from the forest",
        "Fishing",
        "Families getting to know each other",
        "A shared meal open to everyone",
    ):
        assert title in titles
    assert statuses[Wish.Status.OPEN] >= 5
    assert statuses[Wish.Status.TAKEN] >= 5
    assert statuses[Wish.Status.DONE] == 1
    for wish in Wish.objects.filter(status=Wish.Status.TAKEN):
        assert wish.responses.exclude(organisation=wish.organisation).exists()


def test_juva_language_cafe_wish_became_the_library_offering(loaded):
    # when
    wish = Wish.objects.get(status=Wish.Status.DONE)

    # then
    assert wish.offering == _offering("Juvan kirjasto", "Kielikahvila")
    assert wish.municipality.code == JUVA
    assert wish.responses.get().organisation.name_fi == "Juvan kirjasto"


def test_closed_starttipaja_has_used_invitations_filled_trays_wishes_and_follow_ups(loaded):
    # given
    workshop = _workshop("Starttipaja Tornio")
    invitations = list(workshop.invitations.select_related("organisation"))

    # then
    assert workshop.status == Workshop.Status.CLOSED
    assert workshop.date < TODAY
    assert workshop.closed_at.date() == workshop.date
    assert workshop.municipality.code == TORNIO
    assert workshop.network.slug == "meri-lapin-mako"
    assert len(invitations) >= 6
    for invitation in invitations:
        assert invitation.sent_at.date() < workshop.date
        assert invitation.first_used_at.date() == workshop.date
        assert invitation.organisation.people.filter(email=invitation.email).exists()
    filled = Offering.objects.filter(
        organisation__in=[i.organisation for i in invitations], confirmed_on=workshop.date
    )
    assert filled.count() >= 8
    assert workshop.wishes.count() >= 4


def test_closed_starttipaja_follow_ups_are_done_open_and_one_overdue(loaded):
    # given
    follow_ups = list(_workshop("Starttipaja Tornio").follow_ups.all())

    # when
    done = [f for f in follow_ups if f.done_at]
    overdue = [f for f in follow_ups if not f.done_at and f.due_on < TODAY]
    ahead = [f for f in follow_ups if not f.done_at and f.due_on >= TODAY]

    # then
    assert len(done) >= 2
    assert len(overdue) == 1
    assert ahead
    for follow_up in follow_ups:
        assert follow_up.who
        assert follow_up.who_email.endswith(".example")
        assert follow_up.organisation is not None


def test_planned_workshop_is_ahead_with_invitations_not_sent(loaded):
    # when
    workshop = _workshop("Starttipaja Kemijärvi")

    # then
    assert workshop.status == Workshop.Status.PLANNED
    assert workshop.date > TODAY
    assert workshop.closed_at is None
    assert workshop.invitations.exists()
    assert not workshop.invitations.filter(sent_at__isnull=False).exists()
    assert not workshop.follow_ups.exists()


def test_mako_and_pomako_expect_every_municipality_to_have_the_basics(loaded):
    # given
    networks = Network.objects.filter(slug__in=["lapin-mako", "pomako"])

    # then
    for network in networks:
        expectations = {
            (e.category.code, e.language, e.group.code if e.group else "")
            for e in Expectation.objects.filter(network=network).select_related("category", "group")
        }
        assert {
            ("information", "", ""),
            ("integration-training", "", ""),
            ("early-phase", "", ""),
            ("early-phase", "ar", ""),
            ("early-phase", "ru", ""),
            ("early-phase", "uk", ""),
            ("open-to-all", "", "young-people"),
        } <= expectations
