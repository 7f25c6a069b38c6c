"""Subscriptions: double opt-in, consent records, leaving one list or every list, memberships,
coordinators' additions and the links of list messages."""

import re
import time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kotoverkko.mailing import consent, subscriptions, tokens
from kotoverkko.mailing.models import ConsentRecord, OutboxMessage, Subscriber, Subscription
from kotoverkko.network.models import Membership
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
)
from tests.mailing.factories import (
    MailingListFactory,
    SubscriberFactory,
    SubscriptionFactory,
    subscribed,
)

pytestmark = pytest.mark.django_db

Basis = ConsentRecord.Basis
Action = ConsentRecord.Action
Status = Subscription.Status


def request_subscription(mailing_list, email="Aino.Korhonen@Example.fi ", language="sv"):
    return subscriptions.subscribe_request(
        mailing_list=mailing_list,
        email=email,
        language=language,
        ip_address="192.0.2.10",
        consent_version=consent.CURRENT_VERSION,
    )


def confirm_link_token(message: OutboxMessage) -> str:
    match = re.search(r"/lists/confirm/([^/\s]+)/", message.body_text)
    assert match, message.body_text
    return match.group(1)


# Double opt-in -------------------------------------------------------------------------------


def test_subscribe_request_makes_pending_subscription_and_sends_only_a_confirmation_link():
    # given
    mailing_list = MailingListFactory()

    # when
    subscription = request_subscription(mailing_list)

    # then the address is stored lower-case and stripped, pending, and gets no list mail yet
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "aino.korhonen@example.fi"
    assert subscriber.language == "sv"
    assert subscription.status == Status.PENDING
    assert subscription.source == Subscription.Source.FORM
    assert list(subscriptions.list_recipients(mailing_list)) == []
    # and the only message is the confirmation, in the chosen language, with a signed link
    message = OutboxMessage.objects.get()
    assert message.to_email == "aino.korhonen@example.fi"
    assert message.language == "sv"
    assert "/sv/lists/confirm/" in message.body_text
    assert tokens.confirm_token_read(confirm_link_token(message)) == subscription.pk


def test_subscribe_request_records_what_was_asked_with_the_consent_version():
    # given
    mailing_list = MailingListFactory()

    # when
    request_subscription(mailing_list)

    # then
    record = ConsentRecord.objects.get()
    assert record.action == Action.REQUESTED
    assert record.basis == Basis.FORM
    assert record.consent_version == consent.CURRENT_VERSION
    assert record.language == "sv"
    assert record.ip_address == "192.0.2.10"
    assert record.mailing_list == mailing_list
    assert record.list_name == mailing_list.network.name_sv


def test_confirming_makes_the_subscription_active_and_records_consent_given():
    # given
    mailing_list = MailingListFactory()
    request_subscription(mailing_list)
    token = confirm_link_token(OutboxMessage.objects.get())

    # when
    subscription = subscriptions.subscribe_confirm(token, ip_address="198.51.100.7")

    # then
    assert subscription.status == Status.ACTIVE
    assert subscription.confirmed_at is not None
    assert [s.email for s in subscriptions.list_recipients(mailing_list)] == [
        "aino.korhonen@example.fi"
    ]
    given = ConsentRecord.objects.get(action=Action.GIVEN)
    assert given.basis == Basis.FORM
    assert given.consent_version == consent.CURRENT_VERSION
    assert given.ip_address == "198.51.100.7"
    assert given.language == "sv"


def test_confirming_twice_changes_nothing_the_second_time():
    # given
    mailing_list = MailingListFactory()
    subscription = request_subscription(mailing_list)
    token = tokens.confirm_token(subscription.pk)
    subscriptions.subscribe_confirm(token)
    confirmed_at = Subscription.objects.get().confirmed_at

    # when
    again = subscriptions.subscribe_confirm(token)

    # then
    assert again.status == Status.ACTIVE
    assert again.confirmed_at == confirmed_at
    assert ConsentRecord.objects.filter(action=Action.GIVEN).count() == 1


def test_expired_confirmation_link_is_refused_with_its_own_message():
    # given
    subscription = request_subscription(MailingListFactory())
    eight_days_ago = time.time() - 8 * 24 * 3600
    token = tokens.confirm_token(subscription.pk, now=eight_days_ago)

    # when
    with pytest.raises(ValidationError) as raised:
        subscriptions.subscribe_confirm(token)

    # then
    assert raised.value.code == "expired"
    assert "expired" in raised.value.messages[0]
    assert Subscription.objects.get().status == Status.PENDING


def test_forged_confirmation_link_is_refused():
    # given
    subscription = request_subscription(MailingListFactory())
    token = tokens.confirm_token(subscription.pk)
    forged = token[:-1] + ("0" if token[-1] != "0" else "1")

    # when
    with pytest.raises(ValidationError) as raised:
        subscriptions.subscribe_confirm(forged)

    # then
    assert raised.value.code == "invalid_token"
    assert Subscription.objects.get().status == Status.PENDING


def test_known_active_address_gets_a_notice_instead_of_a_second_opt_in():
    # given
    mailing_list = MailingListFactory()
    subscriber = subscribed(mailing_list, email="leila@example.fi")

    # when
    subscription = request_subscription(mailing_list, email="LEILA@example.fi")

    # then nothing changes and the notice carries the preferences link, not a confirmation
    assert subscription.status == Status.ACTIVE
    assert Subscriber.objects.count() == 1
    message = OutboxMessage.objects.get()
    assert message.to_email == subscriber.email
    assert "/lists/confirm/" not in message.body_text
    assert "/lists/preferences/" in message.body_text
    assert not ConsentRecord.objects.filter(action=Action.REQUESTED).exists()


def test_repeated_requests_send_one_confirmation_per_hour():
    # given
    mailing_list = MailingListFactory()

    # when
    for _attempt in range(3):
        request_subscription(mailing_list)

    # then
    assert OutboxMessage.objects.count() == 1
    assert ConsentRecord.objects.filter(action=Action.REQUESTED).count() == 3


def test_closed_list_takes_no_requests():
    # given
    mailing_list = MailingListFactory(is_open=False)

    # when / then
    with pytest.raises(ValidationError):
        request_subscription(mailing_list)
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("email", ["", "not-an-address", "a@b", "x" * 250 + "@example.fi"])
def test_invalid_address_is_refused_on_the_email_field(email):
    # when
    with pytest.raises(ValidationError) as raised:
        request_subscription(MailingListFactory(), email=email)

    # then
    assert "email" in raised.value.message_dict
    assert not Subscriber.objects.exists()


def test_unknown_consent_version_is_refused():
    # when / then
    with pytest.raises(ValidationError):
        subscriptions.subscribe_request(
            mailing_list=MailingListFactory(),
            email="a@example.fi",
            language="fi",
            ip_address=None,
            consent_version="1999-1",
        )


def test_confirmation_undoes_leaving_every_list_and_a_bounce_suppression():
    # given an address that left everything and was suppressed after bounces
    mailing_list = MailingListFactory()
    subscriber = SubscriberFactory(
        email="palaaja@example.fi",
        left_all_at=timezone.now(),
        suppressed_at=timezone.now(),
        suppression_reason=Subscriber.Suppression.BOUNCES,
        hard_bounces=3,
    )
    subscription = request_subscription(mailing_list, email=subscriber.email)

    # when its owner confirms
    subscriptions.subscribe_confirm(tokens.confirm_token(subscription.pk))

    # then
    subscriber.refresh_from_db()
    assert subscriber.left_all_at is None
    assert subscriber.suppressed_at is None
    assert subscriber.hard_bounces == 0
    assert list(subscriptions.list_recipients(mailing_list)) == [subscriber]


def test_address_stopped_by_an_administrator_gets_no_confirmation():
    # given
    subscriber = SubscriberFactory(
        suppressed_at=timezone.now(), suppression_reason=Subscriber.Suppression.ADMINISTRATOR
    )

    # when
    request_subscription(MailingListFactory(), email=subscriber.email)

    # then
    assert not OutboxMessage.objects.exists()


def test_confirmation_link_of_a_list_left_afterwards_no_longer_subscribes():
    # given
    mailing_list = MailingListFactory()
    subscription = request_subscription(mailing_list)
    token = tokens.confirm_token(subscription.pk)
    subscriptions.subscribe_confirm(token)
    subscriptions.unsubscribe(
        subscriber=subscription.subscriber, mailing_list=mailing_list, basis=Basis.ONE_CLICK
    )

    # when / then
    with pytest.raises(ValidationError) as raised:
        subscriptions.subscribe_confirm(token)
    assert raised.value.code == "left"
    assert list(subscriptions.list_recipients(mailing_list)) == []


# Leaving -----------------------------------------------------------------------------------------


def test_unsubscribe_is_idempotent_and_records_one_withdrawal():
    # given
    mailing_list = MailingListFactory()
    subscriber = subscribed(mailing_list)

    # when
    first = subscriptions.unsubscribe(
        subscriber=subscriber, mailing_list=mailing_list, basis=Basis.ONE_CLICK, ip_address="::1"
    )
    second = subscriptions.unsubscribe(
        subscriber=subscriber, mailing_list=mailing_list, basis=Basis.ONE_CLICK
    )

    # then
    assert (first, second) == (True, False)
    withdrawn = ConsentRecord.objects.get(action=Action.WITHDRAWN)
    assert withdrawn.basis == Basis.ONE_CLICK
    assert withdrawn.ip_address == "::1"
    assert Subscription.objects.get().unsubscribed_at is not None
    assert list(subscriptions.list_recipients(mailing_list)) == []


def test_unsubscribe_by_token_leaves_the_list_named_by_the_token_only():
    # given
    first, second = MailingListFactory(), MailingListFactory()
    subscriber = subscribed(first)
    SubscriptionFactory(mailing_list=second, subscriber=subscriber)
    token = tokens.unsubscribe_token(subscriber.pk, first.pk)

    # when
    changed = subscriptions.unsubscribe_by_token(token, Basis.ONE_CLICK)

    # then
    assert changed is True
    assert list(subscriptions.list_recipients(first)) == []
    assert list(subscriptions.list_recipients(second)) == [subscriber]


@pytest.mark.parametrize("token", ["", "1.2.abc", "99999.1.0123456789abcdef01234567"])
def test_unsubscribe_by_token_refuses_tokens_not_made_here(token):
    # when / then
    with pytest.raises(ValidationError) as raised:
        subscriptions.unsubscribe_by_token(token, Basis.ONE_CLICK)
    assert raised.value.code == "invalid_token"


def test_leave_all_ends_every_subscription_with_one_record_for_every_list():
    # given
    first, second = MailingListFactory(), MailingListFactory()
    subscriber = subscribed(first)
    SubscriptionFactory(mailing_list=second, subscriber=subscriber)

    # when
    changed = subscriptions.leave_all(
        subscriber=subscriber, basis=Basis.PREFERENCES, ip_address="192.0.2.1"
    )

    # then
    subscriber.refresh_from_db()
    assert changed is True
    assert subscriber.left_all_at is not None
    assert set(Subscription.objects.values_list("status", flat=True)) == {Status.UNSUBSCRIBED}
    record = ConsentRecord.objects.get(action=Action.WITHDRAWN)
    assert record.mailing_list is None
    assert record.basis == Basis.PREFERENCES
    assert first.network.name_fi in record.detail
    assert second.network.name_fi in record.detail
    assert subscriptions.leave_all(subscriber=subscriber, basis=Basis.PREFERENCES) is False


def test_rejoining_one_list_after_leaving_all_brings_back_that_list_only():
    # given
    first, second = MailingListFactory(), MailingListFactory()
    subscriber = subscribed(first)
    SubscriptionFactory(mailing_list=second, subscriber=subscriber)
    subscriptions.leave_all(subscriber=subscriber, basis=Basis.PREFERENCES)

    # when
    subscriptions.rejoin(subscriber=subscriber, mailing_list=first)

    # then
    assert list(subscriptions.list_recipients(first)) == [subscriber]
    assert list(subscriptions.list_recipients(second)) == []
    given = ConsentRecord.objects.filter(action=Action.GIVEN).last()
    assert (given.basis, given.consent_version) == (Basis.PREFERENCES, consent.CURRENT_VERSION)


def test_rejoin_needs_an_earlier_subscription():
    # when / then
    with pytest.raises(ValidationError):
        subscriptions.rejoin(subscriber=SubscriberFactory(), mailing_list=MailingListFactory())


def test_suppressed_and_left_addresses_are_not_recipients():
    # given
    mailing_list = MailingListFactory()
    reachable = subscribed(mailing_list)
    subscribed(mailing_list, suppressed_at=timezone.now())
    subscribed(mailing_list, left_all_at=timezone.now())
    SubscriptionFactory(mailing_list=mailing_list, status=Status.PENDING)

    # then
    assert list(subscriptions.list_recipients(mailing_list)) == [reachable]


# Memberships -------------------------------------------------------------------------------------


def test_membership_puts_the_person_on_the_lists_of_the_network_and_those_above():
    # given a team of a network, both with lists that take members
    team = TeamFactory()
    person = PersonFactory(email="Hassan.Ali@Example.fi", language="en")

    # when
    added = subscriptions.subscription_membership_add(person, team)

    # then
    assert added == 2
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.person, subscriber.language) == (
        "hassan.ali@example.fi",
        person,
        "en",
    )
    for network in (team, team.parent):
        mailing_list = subscriptions.mailing_list_for(network)
        assert list(subscriptions.list_recipients(mailing_list)) == [subscriber]
    records = ConsentRecord.objects.filter(action=Action.GIVEN, basis=Basis.MEMBERSHIP)
    assert records.count() == 2
    assert not OutboxMessage.objects.exists()


def test_membership_does_not_subscribe_where_the_list_does_not_take_members():
    # given
    network = NetworkFactory()
    MailingListFactory(network=network, members_subscribed=False)

    # when
    added = subscriptions.subscription_membership_add(PersonFactory(), network)

    # then
    assert added == 0
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("basis", [Basis.ONE_CLICK, Basis.PREFERENCES, Basis.COORDINATOR])
def test_membership_does_not_put_back_someone_taken_off_the_list(basis):
    # given a member who left the list
    network = NetworkFactory()
    person = PersonFactory()
    subscriptions.subscription_membership_add(person, network)
    mailing_list = subscriptions.mailing_list_for(network)
    subscriber = Subscriber.objects.get()
    subscriptions.unsubscribe(subscriber=subscriber, mailing_list=mailing_list, basis=basis)

    # when the membership is made active again
    added = subscriptions.subscription_membership_add(person, network)

    # then
    assert added == 0
    assert list(subscriptions.list_recipients(mailing_list)) == []


def test_membership_does_not_put_back_someone_who_left_every_list():
    # given
    network = NetworkFactory()
    person = PersonFactory()
    subscriber = SubscriberFactory(email=person.email)
    subscriptions.leave_all(subscriber=subscriber, basis=Basis.PREFERENCES)

    # when
    added = subscriptions.subscription_membership_add(person, network)

    # then
    assert added == 0
    assert not Subscription.objects.exists()


def test_membership_end_takes_off_the_subscription_it_made_and_a_new_one_brings_it_back():
    # given
    network = NetworkFactory()
    membership = MembershipFactory(network=network)
    person = membership.person
    subscriptions.subscription_membership_add(person, network)
    mailing_list = subscriptions.mailing_list_for(network)

    # when the membership ends
    membership.status = Membership.Status.ENDED
    membership.save(update_fields=["status"])
    ended = subscriptions.subscription_membership_end(person, network)

    # then
    assert ended == 1
    assert list(subscriptions.list_recipients(mailing_list)) == []
    withdrawn = ConsentRecord.objects.get(action=Action.WITHDRAWN)
    assert withdrawn.basis == Basis.MEMBERSHIP

    # when a new membership starts
    MembershipFactory(network=network, person=person)
    added = subscriptions.subscription_membership_add(person, network)

    # then
    assert added == 1
    assert [s.email for s in subscriptions.list_recipients(mailing_list)] == [person.email]


def test_membership_end_keeps_a_subscription_made_through_the_form():
    # given
    network = NetworkFactory()
    person = PersonFactory()
    mailing_list = subscriptions.mailing_list_for(network)
    subscriber = subscribed(mailing_list, email=person.email)

    # when
    ended = subscriptions.subscription_membership_end(person, network)

    # then
    assert ended == 0
    assert list(subscriptions.list_recipients(mailing_list)) == [subscriber]


def test_membership_end_keeps_the_parent_list_while_another_membership_below_it_lasts():
    # given a member of a network's team and of one of its regional networks
    team = TeamFactory()
    regional = NetworkFactory(parent=team.parent)
    person = PersonFactory()
    MembershipFactory(person=person, network=regional)
    subscriptions.subscription_membership_add(person, team)
    subscriptions.subscription_membership_add(person, regional)

    # when the team membership ends (none was stored for it: it counts as ended)
    subscriptions.subscription_membership_end(person, team)

    # then the team's list ends, the parent's stays
    subscriber = Subscriber.objects.get()
    team_list = subscriptions.mailing_list_for(team)
    parent_list = subscriptions.mailing_list_for(team.parent)
    assert list(subscriptions.list_recipients(team_list)) == []
    assert list(subscriptions.list_recipients(parent_list)) == [subscriber]


def test_many_members_are_subscribed_in_few_queries(django_assert_max_num_queries):
    # given
    network = NetworkFactory()
    people = PersonFactory.create_batch(60)
    subscribed(subscriptions.mailing_list_for(network), email=people[0].email)

    # when
    with django_assert_max_num_queries(16):
        added = subscriptions.subscription_membership_add_many(people=people, network=network)

    # then
    assert added == 59
    assert Subscriber.objects.count() == 60
    assert Subscriber.objects.filter(person__isnull=False).count() == 60


def test_turning_members_subscribed_on_puts_current_members_on_the_list():
    # given
    network = NetworkFactory()
    mailing_list = MailingListFactory(network=network, members_subscribed=False)
    member = MembershipFactory(network=network).person
    MembershipFactory(network=network, status=Membership.Status.ENDED)

    # when
    subscriptions.mailing_list_update(
        actor=UserFactory(), mailing_list=mailing_list, is_open=True, members_subscribed=True
    )

    # then
    assert [s.email for s in subscriptions.list_recipients(mailing_list)] == [member.email]


# Coordinators ------------------------------------------------------------------------------------


def test_coordinator_adds_an_address_that_consented_as_active_without_mail():
    # given
    mailing_list = MailingListFactory()

    # when
    subscription = subscriptions.subscription_add_by_coordinator(
        actor=UserFactory(email="koordinaattori@example.fi"),
        mailing_list=mailing_list,
        email="Uusi@Example.fi",
        language="fi",
        consented=True,
    )

    # then
    assert (subscription.status, subscription.source) == (
        Status.ACTIVE,
        Subscription.Source.COORDINATOR,
    )
    record = ConsentRecord.objects.get()
    assert (record.action, record.basis) == (Action.GIVEN, Basis.COORDINATOR)
    assert record.detail == "koordinaattori@example.fi"
    assert not OutboxMessage.objects.exists()


def test_coordinator_addition_without_stated_consent_sends_a_confirmation_link():
    # given
    mailing_list = MailingListFactory()

    # when
    subscription = subscriptions.subscription_add_by_coordinator(
        actor=UserFactory(),
        mailing_list=mailing_list,
        email="uusi@example.fi",
        language="sv",
        consented=False,
    )

    # then
    assert subscription.status == Status.PENDING
    assert "/sv/lists/confirm/" in OutboxMessage.objects.get().body_text
    assert list(subscriptions.list_recipients(mailing_list)) == []

    # when its owner confirms, the consent is recorded with the coordinator as its basis
    subscriptions.subscribe_confirm(tokens.confirm_token(subscription.pk))
    given = ConsentRecord.objects.get(action=Action.GIVEN)
    assert given.basis == Basis.COORDINATOR


def test_coordinator_cannot_activate_someone_who_left_the_list_themselves():
    # given
    mailing_list = MailingListFactory()
    subscriber = subscribed(mailing_list)
    subscriptions.unsubscribe(
        subscriber=subscriber, mailing_list=mailing_list, basis=Basis.ONE_CLICK
    )

    # when / then
    with pytest.raises(ValidationError) as raised:
        subscriptions.subscription_add_by_coordinator(
            actor=UserFactory(),
            mailing_list=mailing_list,
            email=subscriber.email,
            language="fi",
            consented=True,
        )
    assert "consented" in raised.value.message_dict
    assert Subscription.objects.get().status == Status.UNSUBSCRIBED


def test_coordinator_cannot_add_someone_who_left_every_list():
    # given
    subscriber = SubscriberFactory(left_all_at=timezone.now())

    # when / then
    with pytest.raises(ValidationError) as raised:
        subscriptions.subscription_add_by_coordinator(
            actor=UserFactory(),
            mailing_list=MailingListFactory(),
            email=subscriber.email,
            language="fi",
            consented=False,
        )
    assert "email" in raised.value.message_dict
    assert not OutboxMessage.objects.exists()


def test_coordinator_cannot_add_an_address_already_on_the_list():
    # given
    mailing_list = MailingListFactory()
    subscriber = subscribed(mailing_list)

    # when / then
    with pytest.raises(ValidationError):
        subscriptions.subscription_add_by_coordinator(
            actor=UserFactory(),
            mailing_list=mailing_list,
            email=subscriber.email,
            language="fi",
            consented=True,
        )


# Links and exports -------------------------------------------------------------------------------


def test_links_of_list_messages(settings):
    # given
    settings.SITE_URL = "https://kotoverkko.example.fi"
    settings.MAIL_DOMAIN = "lists.example.fi"

    # when
    link = subscriptions.unsubscribe_url(12, 3)
    mailto = subscriptions.unsubscribe_mailto(12, 3)
    preferences = subscriptions.preferences_url(12, "sv")

    # then
    assert link == "https://kotoverkko.example.fi/mail/unsubscribe/" + tokens.unsubscribe_token(
        12, 3
    )
    assert mailto == (
        f"mailto:unsubscribe+{tokens.unsubscribe_token(12, 3)}@lists.example.fi?subject=unsubscribe"
    )
    assert preferences == (
        f"https://kotoverkko.example.fi/sv/lists/preferences/{tokens.preferences_token(12)}/"
    )


def test_consent_export_holds_every_record_with_the_text_agreed_to():
    # given
    mailing_list = MailingListFactory()
    subscription = request_subscription(mailing_list, language="fi")
    subscriptions.subscribe_confirm(tokens.confirm_token(subscription.pk), ip_address="192.0.2.5")
    subscriptions.unsubscribe(
        subscriber=subscription.subscriber, mailing_list=mailing_list, basis=Basis.PREFERENCES
    )

    # when
    data = subscriptions.consent_export(Subscriber.objects.get())

    # then
    assert data["email"] == "aino.korhonen@example.fi"
    assert [r["action"] for r in data["consent_records"]] == ["requested", "given", "withdrawn"]
    given = data["consent_records"][1]
    assert given["consent_version"] == consent.CURRENT_VERSION
    assert given["ip_address"] == "192.0.2.5"
    assert mailing_list.network.name_fi in given["consent_text"]
    assert given["consent_text"].startswith("Haluan vastaanottaa")  # shown in Finnish
    assert data["subscriptions"][0]["status"] == "unsubscribed"


def test_every_consent_version_has_a_text_naming_the_list():
    for version in consent.TEXTS:
        assert "Lapin MAKO" in consent.consent_text(version, list_name="Lapin MAKO")
    assert consent.CURRENT_VERSION in consent.TEXTS


def test_list_is_open_reads_without_making_a_list():
    # given
    network = NetworkFactory()
    closed = MailingListFactory(is_open=False)

    # then
    assert subscriptions.list_is_open(network) is True
    assert subscriptions.list_is_open(closed.network) is False
    assert not Subscription.objects.exists()
    assert not type(closed).objects.filter(network=network).exists()
