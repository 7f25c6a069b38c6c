"""The tray's analysis rules: the coverage matrix (region-wide offerings count in each of their
municipalities, archived ones nowhere), overlaps, gaps against the network's expectations,
stale offerings and the reminders about them."""

import math
import random
import re
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kotoverkko.codelists.models import Region
from kotoverkko.mailing.models import OutboxMessage
from kotoverkko.tray import analysis
from kotoverkko.tray.models import Expectation, Offering
from tests.factories import NetworkFactory, OrganisationFactory, PersonFactory, municipality
from tests.tray.factories import OfferingFactory, category, group

pytestmark = pytest.mark.django_db

LANGUAGE_CAFE = "Kielikahvila maahanmuuttajille. Harjoittele suomen kieltä kahvikupin äärellä."
LANGUAGE_CAFE_TOO = "Kielikahvila: suomen kielen harjoittelua kahvikupin ääressä maahanmuuttajille."
FOOTBALL = "Jalkapallokerho nuorille pojille ja tytöille, pelataan kentällä kesäisin."


def lapland() -> Region:
    return municipality("240").region


def offer(title: str, *, description: str = "", place=("240",), code="early-phase", **kwargs):
    return OfferingFactory(
        title_fi=title,
        description_fi=description or title,
        municipalities=list(place),
        category=category(code),
        **kwargs,
    )


# Coverage -----------------------------------------------------------------------------------


def test_matrix_counts_region_wide_offerings_in_each_municipality_and_leaves_out_archived(network):
    # given Meri-Lappi's area: Kemi and Tornio
    offer("Kemin kielikahvila")
    offer("Kemin ystävätoiminta")
    offer("Tornion avoin kerho", place=["851"], code="open-to-all")
    offer("Koko Lapin neuvonta", place=[], regions=[lapland()])
    offer("Kemi ja Lappi", regions=[lapland()])  # counted once in Kemi
    offer("Arkistoitu", archived=True)
    offer("Rovaniemen kerho", place=["698"])  # outside the area
    offer("Vaasan kerho", place=[], regions=[municipality("905").region])

    # when
    matrix = analysis.coverage_matrix(network=network)

    # then
    assert [row.municipality.code for row in matrix.rows] == ["240", "851"]
    assert matrix.count("240", "early-phase") == 4
    assert matrix.count("851", "early-phase") == 2
    assert matrix.count("851", "open-to-all") == 1
    assert matrix.count("240", "open-to-all") == 0
    kemi, tornio = matrix.rows
    assert (kemi.total, tornio.total) == (4, 3)
    early = [column.key for column in matrix.columns].index("early-phase")
    assert matrix.column_totals[early] == 4
    assert matrix.total == 5


def test_matrix_by_language_counts_an_offering_in_each_of_its_languages(network):
    # given
    offer("Kielikahvila", languages=["fi", "ar"])
    offer("Neuvonta", languages=["ar"], place=["851"])
    offer("Kerho", languages=[])

    # when
    matrix = analysis.coverage_matrix(network=network, by_language=True)

    # then
    keys = [column.key for column in matrix.columns]
    assert keys == ["fi", "ar", analysis.NO_LANGUAGE]
    assert matrix.count("240", "fi") == 1
    assert matrix.count("240", "ar") == 1
    assert matrix.count("851", "ar") == 1
    assert matrix.count("240", analysis.NO_LANGUAGE) == 1
    assert matrix.rows[0].total == 2


def test_area_includes_the_municipalities_of_networks_below(network):
    # given a sub-network for Rovaniemi under Meri-Lappi
    child = NetworkFactory(parent=network)
    child.municipalities.set([municipality("698")])
    offer("Rovaniemen kerho", place=["698"])

    # when
    matrix = analysis.coverage_matrix(network=network)

    # then
    assert [row.municipality.code for row in matrix.rows] == ["240", "698", "851"]
    assert matrix.count("698", "early-phase") == 1


def test_a_network_without_an_area_has_an_empty_matrix():
    matrix = analysis.coverage_matrix(network=NetworkFactory())
    assert matrix.rows == []
    assert matrix.total == 0


# Overlaps -----------------------------------------------------------------------------------


def test_similar_offerings_in_one_place_category_groups_and_language_are_grouped(network):
    # given two organisations' language cafés in Kemi and a third, region-wide one
    red_cross = OrganisationFactory(name_fi="Kemin SPR")
    library = OrganisationFactory(name_fi="Kemin kirjasto")
    first = offer("Kielikahvila", description=LANGUAGE_CAFE, organisation=red_cross)
    second = offer(
        "Kielikahvila kirjastossa",
        description=LANGUAGE_CAFE_TOO,
        organisation=library,
        groups=["everyone"],
    )
    third = offer(
        "Lapin kielikahvila",
        description=LANGUAGE_CAFE,
        place=[],
        regions=[lapland()],
        groups=["women"],
    )
    offer("Jalkapallokerho", description=FOOTBALL)

    # when
    groups = analysis.overlaps(network=network)

    # then
    assert len(groups) == 1
    found = groups[0]
    assert {row.id for row in found.offerings} == {first.pk, second.pk, third.pk}
    assert found.category.code == "early-phase"
    assert [row.code for row in found.municipalities] == ["240"]
    assert "Kemin SPR" in found.organisations
    assert "Kemin kirjasto" in found.organisations
    assert "kielikahvila" in found.shared_terms
    assert 0.3 <= found.similarity <= 1.0


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"languages": ["ar"]}, "another language"),
        ({"description_fi": FOOTBALL, "title_fi": "Jalkapallo"}, "a different text"),
        ({"category": "open-to-all"}, "another category"),
        ({"place": ["851"]}, "another municipality"),
        ({"groups": ["young-people"]}, "other client groups"),
    ],
)
def test_offerings_that_differ_in_one_respect_do_not_overlap(network, changes, why):
    # given
    offer("Kielikahvila", description=LANGUAGE_CAFE, groups=["women"], languages=["fi"])
    other = {
        "title_fi": "Kielikahvila kirjastossa",
        "description_fi": LANGUAGE_CAFE_TOO,
        "groups": ["women"],
        "languages": ["fi"],
    }
    other.update({key: value for key, value in changes.items() if key not in ("place", "category")})
    OfferingFactory(
        municipalities=changes.get("place", ["240"]),
        category=category(changes.get("category", "early-phase")),
        **other,
    )

    # when
    groups = analysis.overlaps(network=network)

    # then
    assert groups == [], why


def test_region_wide_overlaps_are_one_group_naming_every_municipality(network):
    # given
    offer("Kielikahvila", description=LANGUAGE_CAFE, place=[], regions=[lapland()])
    offer("Kielikahvila", description=LANGUAGE_CAFE_TOO, place=[], regions=[lapland()])

    # when
    groups = analysis.overlaps(network=network)

    # then
    assert len(groups) == 1
    assert [row.code for row in groups[0].municipalities] == ["240", "851"]


# Gaps ---------------------------------------------------------------------------------------


def test_gaps_are_the_expectations_a_municipality_does_not_meet(network):
    # given: Kemi has an early-phase offering in Finnish for everyone and one for women in
    # Arabic; Tornio has nothing
    offer("Kielikahvila", languages=["fi"], groups=["everyone"])
    offer("Naisten kerho", languages=["ar"], groups=["women"], code="open-to-all")
    Expectation.objects.create(network=network, category=category("early-phase"))
    Expectation.objects.create(network=network, category=category("early-phase"), language="ar")
    Expectation.objects.create(
        network=network, category=category("early-phase"), group=group("families")
    )
    Expectation.objects.create(
        network=network, category=category("open-to-all"), group=group("young-people")
    )
    Expectation.objects.create(network=network, category=category("open-to-all"), language="ar")

    # when
    found = analysis.gaps(network=network)

    # then
    described = {
        (gap.municipality.code, gap.category.code, gap.language, gap.group and gap.group.code)
        for gap in found
    }
    assert described == {
        ("240", "early-phase", "ar", None),  # only in Finnish
        ("240", "open-to-all", "", "young-people"),  # only for women
        ("851", "early-phase", "", None),
        ("851", "early-phase", "ar", None),
        ("851", "early-phase", "", "families"),
        ("851", "open-to-all", "", "young-people"),
        ("851", "open-to-all", "ar", None),
    }
    arabic_in_kemi = next(g for g in found if g.municipality.code == "240" and g.language == "ar")
    assert arabic_in_kemi.in_category == 1


def test_expectations_are_added_once_and_removed(network, coordinator):
    # given
    expectation = analysis.expectation_add(
        actor=coordinator.user, network=network, category=category("information"), language="so"
    )

    # when / then
    with pytest.raises(ValidationError):
        analysis.expectation_add(
            actor=coordinator.user,
            network=network,
            category=category("information"),
            language="so",
        )
    with pytest.raises(ValidationError):
        analysis.expectation_add(
            actor=coordinator.user, network=network, category=category("information"), language="x"
        )
    analysis.expectation_remove(actor=coordinator.user, expectation=expectation)
    assert not Expectation.objects.filter(network=network).exists()


# Stale entries and reminders ----------------------------------------------------------------


def aged(offering: Offering, days: int) -> Offering:
    confirmed = timezone.localdate() - timedelta(days=days)
    Offering.objects.filter(pk=offering.pk).update(confirmed_on=confirmed)
    offering.refresh_from_db()
    return offering


def test_offerings_not_confirmed_for_a_year_are_stale(network):
    # given
    old = aged(offer("Vanha"), 366)
    aged(offer("Juuri vuoden"), 365)
    aged(offer("Arkistoitu", archived=True), 500)
    elsewhere = aged(offer("Rovaniemellä", place=["698"]), 400)
    regional = aged(offer("Lapissa", place=[], regions=[lapland()]), 400)

    # then
    assert set(analysis.stale_offerings(network=network)) == {old, regional}
    assert set(analysis.stale_offerings()) == {old, regional, elsewhere}
    later = timezone.localdate() + timedelta(days=1)
    assert len(analysis.stale_offerings(network=network, today=later)) == 3


@pytest.fixture
def stale_pair(organisation, editor):
    """Two stale offerings of `organisation`, which has two editors."""
    second_editor = PersonFactory(
        organisation=organisation, email="toinen.editori@example.fi", language="sv"
    )
    organisation.editors.add(second_editor)
    first = aged(offer("Kielikahvila", organisation=organisation), 400)
    second = aged(offer("Ystävätoiminta", organisation=organisation), 380)
    aged(offer("Tuore", organisation=organisation), 10)
    return first, second


def test_each_editor_is_reminded_once_with_a_link_for_each_stale_offering(stale_pair, editor):
    # when
    sent = analysis.stale_reminders_send.call()

    # then
    assert sent == 2
    messages = {m.to_email: m for m in OutboxMessage.objects.all()}
    assert set(messages) == {"editori@example.fi", "toinen.editori@example.fi"}
    body = messages["editori@example.fi"].body_text
    assert "Kielikahvila" in body
    assert "Ystävätoiminta" in body
    assert "Tuore" not in body
    # In the editor's own language (Finnish).
    assert messages["editori@example.fi"].subject == (
        "Ovatko organisaation Kemin SPR 2 palvelua yhä ajan tasalla?"
    )
    links = re.findall(r"http\S+/tray/analysis/confirm/(\S+)/", body)
    assert len(links) == 2
    assert "/sv/tray/analysis/confirm/" in messages["toinen.editori@example.fi"].body_text
    for offering in stale_pair:
        offering.refresh_from_db()
        assert offering.reminded_at is not None


def test_reminders_come_again_only_after_thirty_days(stale_pair):
    # given
    today = timezone.localdate()
    assert analysis.stale_reminders_send_due(today=today) == 2

    # when / then
    assert analysis.stale_reminders_send_due(today=today) == 0
    assert analysis.stale_reminders_send_due(today=today + timedelta(days=29)) == 0
    assert analysis.stale_reminders_send_due(today=today + timedelta(days=30)) == 2
    assert OutboxMessage.objects.count() == 4


def test_an_organisation_without_editors_is_reminded_at_its_own_address():
    # given
    organisation = OrganisationFactory(email="toimisto@example.fi")
    silent = OrganisationFactory(email="")
    aged(offer("Kerho", organisation=organisation), 400)
    aged(offer("Hiljainen", organisation=silent), 400)

    # when
    sent = analysis.stale_reminders_send_due()

    # then
    assert sent == 1
    assert OutboxMessage.objects.get().to_email == "toimisto@example.fi"


def test_a_confirmation_link_names_the_offering_and_expires(stale_pair, editor, monkeypatch):
    # given
    offering = stale_pair[0]
    token = analysis.confirm_token(offering=offering, person=editor)

    # then
    link = analysis.confirm_link_read(token)
    assert (link.offering, link.person) == (offering, editor)
    with pytest.raises(ValidationError) as tampered:
        analysis.confirm_link_read(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    assert tampered.value.code == "invalid"
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 61 * 24 * 3600)
    old = analysis.confirm_token(offering=offering, person=editor)
    monkeypatch.setattr(time, "time", real_time)
    with pytest.raises(ValidationError) as expired:
        analysis.confirm_link_read(old)
    assert expired.value.code == "expired"


def test_a_link_of_an_editor_who_left_is_refused(stale_pair, editor, organisation):
    # given
    token = analysis.confirm_token(offering=stale_pair[0], person=editor)
    organisation.editors.remove(editor)

    # then
    with pytest.raises(ValidationError):
        analysis.confirm_link_read(token)


def test_the_pair_search_finds_the_groups_that_comparing_every_pair_finds():
    # given random offerings in three places, two categories, with random groups, languages
    # and words (the search skips pairs by bit sets and by their terms' largest weights)
    rng = random.Random(7)
    words = ["kahvila", "kieli", "kerho", "perhe", "retki", "marja", "kala", "hiihto", "apu"]
    area = analysis._Area(municipalities=[], places={}, category_of={}, languages_of={})
    vectors = {}
    for pk in range(1, 121):
        area.places[pk] = set(rng.sample([1, 2, 3], rng.choice([1, 1, 3])))
        area.category_of[pk] = rng.choice([1, 2])
        area.languages_of[pk] = tuple(rng.sample(["fi", "ar", "so"], rng.choice([0, 1, 2])))
        area.groups_of[pk] = frozenset(
            rng.sample(["women", "everyone", "families"], rng.choice([0, 1, 1, 2]))
        )
        weights = {word: rng.random() for word in rng.sample(words, rng.randint(1, 6))}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        vectors[pk] = {word: w / norm for word, w in weights.items()}

    def meet(first, second) -> bool:
        groups = area.groups_of[first], area.groups_of[second]
        languages = set(area.languages_of[first]), set(area.languages_of[second])
        return (
            area.category_of[first] == area.category_of[second]
            and bool(area.places[first] & area.places[second])
            and (
                not all(groups)
                or any("everyone" in g for g in groups)
                or bool(groups[0] & groups[1])
            )
            and (not all(languages) or bool(languages[0] & languages[1]))
        )

    def components(pairs) -> list[list[int]]:
        joined = analysis._Groups()
        for first, second in pairs:
            joined.join(first, second)
        found: dict[int, set[int]] = {}
        for first, second in pairs:
            found.setdefault(joined.find(first), set()).update((first, second))
        return sorted(sorted(members) for members in found.values())

    for threshold in (0.2, 0.5, 0.8):
        # when
        fast = analysis._similar_pairs(area, vectors, threshold, analysis._Groups())
        # then
        every = [
            (first, second)
            for first in vectors
            for second in vectors
            if first < second
            and meet(first, second)
            and sum(w * vectors[second].get(t, 0.0) for t, w in vectors[first].items()) >= threshold
        ]
        assert every, threshold
        assert components([(a, b) for a, b, _score in fast]) == components(every)
