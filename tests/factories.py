"""factory_boy factories for the foundation's models, shared by every test package."""

import factory
from factory.django import DjangoModelFactory

from kotoverkko.accounts.models import User
from kotoverkko.codelists.models import Municipality
from kotoverkko.network.models import JoinRequest, Membership, Network, Organisation, Person


def municipality(code: str = "698") -> Municipality:
    """A real municipality from the loaded code list (698 is Rovaniemi)."""
    return Municipality.objects.get(code=code)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.fi")
    password = factory.django.Password("salasana-123")


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network

    slug = factory.Sequence(lambda n: f"verkosto-{n}")
    name_fi = factory.Sequence(lambda n: f"Verkosto {n}")
    name_sv = factory.Sequence(lambda n: f"Nätverk {n}")
    name_en = factory.Sequence(lambda n: f"Network {n}")
    description_fi = "Maahanmuutto- ja kotouttamistoimijoiden verkosto."
    description_sv = "Nätverket för invandrings- och integrationsärenden."
    languages = factory.LazyFunction(lambda: ["fi"])


class TeamFactory(NetworkFactory):
    kind = Network.Kind.TEAM
    parent = factory.SubFactory(NetworkFactory)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name_fi = factory.Sequence(lambda n: f"Järjestö {n} ry")
    type = Organisation.Type.NGO
    municipality = factory.LazyFunction(municipality)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Iterator(["Aino", "Mikko", "Leila", "Hassan", "Sanna", "Erik"])
    last_name = factory.Iterator(["Korhonen", "Virtanen", "Nieminen", "Ali", "Lindqvist"])
    email = factory.Sequence(lambda n: f"person{n}@example.fi")
    organisation = factory.SubFactory(OrganisationFactory)
    language = "fi"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    network = factory.SubFactory(NetworkFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE
    started_on = factory.Faker("date_this_decade")


class JoinRequestFactory(DjangoModelFactory):
    class Meta:
        model = JoinRequest

    network = factory.SubFactory(NetworkFactory)
    first_name = "Noora"
    last_name = "Hakala"
    email = factory.Sequence(lambda n: f"applicant{n}@example.fi")
    organisation_name = "Kemin kaupunki"
    language = "fi"


def person_with_login(**kwargs) -> Person:
    """A person who can log in (password 'salasana-123')."""
    person = PersonFactory(**kwargs)
    person.user = UserFactory(email=person.email)
    person.save(update_fields=["user"])
    return person


def coordinator_of(network: Network, **kwargs) -> Person:
    person = person_with_login(**kwargs)
    MembershipFactory(person=person, network=network, role=Membership.Role.COORDINATOR)
    return person


def member_of(network: Network, **kwargs) -> Person:
    person = person_with_login(**kwargs)
    MembershipFactory(person=person, network=network)
    return person
