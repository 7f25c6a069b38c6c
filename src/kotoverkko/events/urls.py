"""Event pages: the public calendar and event pages, feeds, and the planning pages."""

from django.urls import include, path

app_name = "events"

urlpatterns = [
    path("", include("kotoverkko.events.urls_public")),
    path("", include("kotoverkko.events.urls_feeds")),
    path("coordination/events/", include("kotoverkko.events.urls_manage")),
    path("coordination/events/", include("kotoverkko.events.urls_meeting")),
]
