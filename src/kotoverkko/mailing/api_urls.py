"""API addresses for mailing lists and their subscriptions."""

from django.urls import path

from . import api

urlpatterns = [
    path(
        "lists/<slug:slug>/subscriptions/",
        api.ListSubscriptionsApi.as_view(),
        name="api-list-subscriptions",
    ),
    path(
        "lists/<slug:slug>/subscriptions/<int:pk>/",
        api.ListSubscriptionDetailApi.as_view(),
        name="api-list-subscription-detail",
    ),
]
