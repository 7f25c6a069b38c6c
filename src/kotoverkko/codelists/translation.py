from modeltranslation.translator import TranslationOptions, register

from .models import Municipality, Region, ServiceClass, TargetGroup, WellbeingCounty


@register([Region, WellbeingCounty, Municipality, ServiceClass, TargetGroup])
class NameTranslation(TranslationOptions):
    fields = ("name",)
