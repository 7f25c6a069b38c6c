from modeltranslation.translator import TranslationOptions, register

from .models import AgendaItem, Audience, Event


@register(Audience)
class AudienceTranslation(TranslationOptions):
    fields = ("name",)


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "theme", "description", "accessibility", "funding_note")


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("title", "description")
