"""The public calendar, event pages and registration."""

from django.urls import path

from . import views

urlpatterns = [
    path("events/", views.calendar, name="calendar"),
    path("events/<int:year>/<int:month>/", views.calendar_month, name="calendar_month"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/register/", views.register, name="register"),
    path(
        "events/registrations/<str:token>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
]
