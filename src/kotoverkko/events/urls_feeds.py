"""Calendar files and feeds (.ics)."""

from django.urls import path

from . import views_feeds

urlpatterns = [
    path("events/<int:pk>/event.ics", views_feeds.event_ics, name="event_ics"),
    path("events/calendar.ics", views_feeds.calendar_feed, name="feed"),
    path("networks/<slug:slug>/events.ics", views_feeds.network_feed, name="network_feed"),
    path("events/my/<str:token>.ics", views_feeds.personal_feed, name="personal_feed"),
    path("my/calendar/", views_feeds.my_calendar, name="my_calendar"),
]
