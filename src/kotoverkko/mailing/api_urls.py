"""API addresses for mailing lists and their subscriptions."""

from django.urls import path

from . import api, api_me

urlpatterns = [
    path("me/subscriptions/", api_me.OwnSubscriptionsApi.as_view(), name="api-own-subscriptions"),
    path(
        "me/subscriptions/<slug:slug>/",
        api_me.OwnSubscriptionDetailApi.as_view(),
        name="api-own-subscription-detail",
    ),
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
