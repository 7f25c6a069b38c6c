from modeltranslation.translator import TranslationOptions, register

from .models import Category, ClientGroup, Offering, Wish


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name", "description")


@register(ClientGroup)
class ClientGroupTranslation(TranslationOptions):
    fields = ("name",)


@register(Offering)
class OfferingTranslation(TranslationOptions):
    fields = ("title", "description", "how_to_join")


@register(Wish)
class WishTranslation(TranslationOptions):
    fields = ("title", "description")
