"""API addresses for networks, teams, organisations, people and memberships."""

from django.urls import path

from . import api

urlpatterns = [
    path("networks/", api.NetworkListApi.as_view(), name="api-network-list"),
    path("networks/<slug:slug>/", api.NetworkDetailApi.as_view(), name="api-network-detail"),
    path("teams/", api.TeamListApi.as_view(), name="api-team-list"),
    path("teams/<slug:slug>/", api.TeamDetailApi.as_view(), name="api-team-detail"),
    path("organisations/", api.OrganisationListApi.as_view(), name="api-organisation-list"),
    path(
        "organisations/<int:pk>/",
        api.OrganisationDetailApi.as_view(),
        name="api-organisation-detail",
    ),
    path("people/", api.PersonListApi.as_view(), name="api-person-list"),
    path("people/<int:pk>/", api.PersonDetailApi.as_view(), name="api-person-detail"),
    path("memberships/", api.MembershipListApi.as_view(), name="api-membership-list"),
    path("memberships/<int:pk>/end/", api.MembershipEndApi.as_view(), name="api-membership-end"),
]
