"""factory_boy factories for the tray: offerings and wishes."""

import factory
from factory.django import DjangoModelFactory

from kotoverkko.tray.models import Category, ClientGroup, Offering, Wish, WishResponse
from tests.factories import OrganisationFactory, municipality


def category(code: str = "early-phase") -> Category:
    """A default category from the vocabulary migration ("early-phase", "open-to-all",
    "integration-training", "information", …)."""
    return Category.objects.get(code=code)


def group(code: str = "everyone") -> ClientGroup:
    """A default client group ("families", "young-people", "women", "job-seekers", …)."""
    return ClientGroup.objects.get(code=code)


class OfferingFactory(DjangoModelFactory):
    """An offering in Rovaniemi unless `municipalities` or `regions` say otherwise; pass
    instances (or codes for municipalities and groups) as lists."""

    class Meta:
        model = Offering
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    category = factory.LazyFunction(category)
    title_fi = factory.Sequence(lambda n: f"Kielikahvila {n}")
    description_fi = "Suomen kielen harjoittelua rennosti kahvin äärellä."
    how_to_join_fi = "Tule paikalle, ilmoittautumista ei tarvita."
    languages = factory.LazyFunction(lambda: ["fi"])
    path_stages = factory.LazyFunction(lambda: ["outside"])
    times = factory.LazyFunction(lambda: ["evenings"])
    contact_email = "tarjotin@example.fi"

    # Regions first: an offering given whole regions gets no municipality by default.
    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [] if self.regions.exists() else ["698"]
        self.municipalities.set(
            [municipality(item) if isinstance(item, str) else item for item in extracted]
        )

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set([group(item) if isinstance(item, str) else item for item in extracted])


class WishFactory(DjangoModelFactory):
    class Meta:
        model = Wish

    organisation = factory.SubFactory(OrganisationFactory)
    title_fi = factory.Sequence(lambda n: f"Hiihtokurssi {n}")
    description_fi = "Toivomme hiihtokurssia perheille talvella."


class WishResponseFactory(DjangoModelFactory):
    class Meta:
        model = WishResponse

    wish = factory.SubFactory(WishFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = WishResponse.Kind.CAN_DO
