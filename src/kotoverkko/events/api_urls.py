"""API addresses for events, series, agendas, registrations and the Linked Events export."""

from django.urls import path

from . import api

urlpatterns = [
    path("events/", api.EventListApi.as_view(), name="api-event-list"),
    path("events/<int:pk>/", api.EventDetailApi.as_view(), name="api-event-detail"),
    path("events/<int:pk>/cancel/", api.EventCancelApi.as_view(), name="api-event-cancel"),
    path("events/<int:pk>/agenda/", api.AgendaApi.as_view(), name="api-event-agenda"),
    path(
        "events/<int:pk>/registrations/",
        api.EventRegistrationsApi.as_view(),
        name="api-event-registrations",
    ),
    path("events/series/<int:pk>/", api.SeriesDetailApi.as_view(), name="api-series-detail"),
    path("registrations/", api.OwnRegistrationListApi.as_view(), name="api-registration-list"),
    path(
        "registrations/<int:pk>/",
        api.OwnRegistrationDetailApi.as_view(),
        name="api-registration-detail",
    ),
    path("linked-events/event/", api.LinkedEventListApi.as_view(), name="api-linked-event-list"),
    path(
        "linked-events/event/<str:id>/",
        api.LinkedEventDetailApi.as_view(),
        name="api-linked-event-detail",
    ),
    path(
        "linked-events/keyword/<str:id>/",
        api.LinkedKeywordDetailApi.as_view(),
        name="api-linked-keyword-detail",
    ),
    path(
        "linked-events/place/<str:id>/",
        api.LinkedPlaceDetailApi.as_view(),
        name="api-linked-place-detail",
    ),
]
