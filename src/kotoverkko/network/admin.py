"""Django admin for administrators; coordinators use their own pages."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import JoinRequest, Membership, Network, Organisation, Person


@admin.register(Network)
class NetworkAdmin(TranslationAdmin):
    list_display = ["name", "kind", "parent", "is_open"]
    list_filter = ["kind", "is_open"]
    search_fields = ["name_fi", "name_sv", "name_en", "slug"]
    autocomplete_fields = ["parent", "contact_person"]
    filter_horizontal = ["municipalities"]


@admin.register(Organisation)
class OrganisationAdmin(TranslationAdmin):
    list_display = ["name", "type", "municipality", "business_id", "valid_until"]
    list_filter = ["type", "language_status"]
    search_fields = ["name_fi", "name_sv", "name_en", "business_id"]
    autocomplete_fields = ["municipality", "predecessors", "editors"]
    filter_horizontal = ["municipalities"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email", "organisation", "language"]
    search_fields = ["first_name", "last_name", "email"]
    autocomplete_fields = ["organisation", "municipality", "user"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "network", "role", "status", "started_on", "ended_on"]
    list_filter = ["role", "status", "network"]
    autocomplete_fields = ["person", "network"]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["first_name", "last_name", "email", "network", "status", "created_at"]
    list_filter = ["status", "network"]
    search_fields = ["email", "last_name"]
    readonly_fields = ["decided_by", "decided_at", "person"]
