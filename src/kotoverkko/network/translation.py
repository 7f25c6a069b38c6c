from modeltranslation.translator import TranslationOptions, register

from .models import Network, Organisation


@register(Network)
class NetworkTranslation(TranslationOptions):
    fields = ("name", "description", "how_to_join", "meeting_rhythm")


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "description")
