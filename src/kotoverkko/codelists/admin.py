from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import Municipality, Region, WellbeingCounty


@admin.register(Municipality)
class MunicipalityAdmin(TranslationAdmin):
    list_display = ["code", "name", "region", "wellbeing_county"]
    list_filter = ["region"]
    search_fields = ["code", "name_fi", "name_sv", "name_en"]


@admin.register(Region, WellbeingCounty)
class CodeListAdmin(TranslationAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name_fi", "name_sv"]
