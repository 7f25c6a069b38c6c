"""Django admin for administrators: the audience vocabulary and a read-only look at events.
Coordinators plan events on their own pages, where the services send the invitations."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import Audience, Event


@admin.register(Audience)
class AudienceAdmin(TranslationAdmin):
    list_display = ["name", "code", "yso_id", "position"]
    search_fields = ["code", "name_fi", "name_sv", "name_en"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "type", "starts_at", "status", "visibility"]
    list_filter = ["type", "status", "visibility", "format"]
    search_fields = ["title_fi", "title_sv", "title_en", "uid"]
    date_hierarchy = "starts_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
