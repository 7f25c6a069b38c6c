from modeltranslation.translator import TranslationOptions, register

from .models import Issue, IssueItem, NewsItem


@register(NewsItem)
class NewsItemTranslation(TranslationOptions):
    fields = ("title", "text")


@register(Issue)
class IssueTranslation(TranslationOptions):
    fields = ("title", "introduction")


@register(IssueItem)
class IssueItemTranslation(TranslationOptions):
    fields = ("heading", "text")
