"""factory_boy factories for mailing lists, subscribers, subscriptions and consent records."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from kotoverkko.mailing.models import ConsentRecord, MailingList, Subscriber, Subscription
from tests.factories import NetworkFactory


class MailingListFactory(DjangoModelFactory):
    class Meta:
        model = MailingList
        django_get_or_create = ("network",)

    network = factory.SubFactory(NetworkFactory)


class SubscriberFactory(DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"tilaaja{n}@example.fi")
    language = "fi"


class SubscriptionFactory(DjangoModelFactory):
    class Meta:
        model = Subscription

    mailing_list = factory.SubFactory(MailingListFactory)
    subscriber = factory.SubFactory(SubscriberFactory)
    status = Subscription.Status.ACTIVE
    source = Subscription.Source.FORM
    confirmed_at = factory.LazyFunction(timezone.now)


class ConsentRecordFactory(DjangoModelFactory):
    class Meta:
        model = ConsentRecord

    subscriber = factory.SubFactory(SubscriberFactory)
    mailing_list = factory.SubFactory(MailingListFactory)
    list_name = factory.LazyAttribute(lambda o: o.mailing_list.network.name_fi)
    action = ConsentRecord.Action.GIVEN
    basis = ConsentRecord.Basis.FORM
    consent_version = "2025-1"
    language = "fi"


def subscribed(mailing_list: MailingList, **kwargs) -> Subscriber:
    """An address on the list, active, with the consent record a confirmed form leaves."""
    subscriber = SubscriberFactory(**kwargs)
    SubscriptionFactory(mailing_list=mailing_list, subscriber=subscriber)
    ConsentRecordFactory(subscriber=subscriber, mailing_list=mailing_list)
    return subscriber
