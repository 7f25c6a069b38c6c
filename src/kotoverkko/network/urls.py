from django.urls import include, path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.home, name="home"),
    path("networks/<slug:slug>/", views.network_home, name="network_home"),
    path("networks/<slug:slug>/join/", views.join, name="join"),
    path("networks/<slug:slug>/join/sent/", views.join_sent, name="join_sent"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("my/", views.dashboard, name="dashboard"),
    path("coordination/requests/", views.join_request_list, name="join_requests"),
    path(
        "coordination/requests/<int:pk>/accept/",
        views.join_request_accept,
        name="join_request_accept",
    ),
    path(
        "coordination/requests/<int:pk>/decline/",
        views.join_request_decline,
        name="join_request_decline",
    ),
    path("coordination/networks/<slug:slug>/", views.network_edit, name="network_edit"),
    path(
        "coordination/networks/<slug:slug>/new/<str:kind>/",
        views.network_create,
        name="network_create",
    ),
    path(
        "coordination/networks/<slug:slug>/members/", views.network_members, name="network_members"
    ),
    path("coordination/memberships/<int:pk>/role/", views.membership_role, name="membership_role"),
    path("coordination/memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("coordination/people/", views.person_list, name="person_list"),
    path("coordination/people/new/", views.person_create, name="person_create"),
    path("coordination/people/<int:pk>/", views.person_edit, name="person_edit"),
    path("coordination/organisations/new/", views.organisation_create, name="organisation_create"),
    path("coordination/organisations/<int:pk>/", views.organisation_edit, name="organisation_edit"),
    path("coordination/audit/", views.audit_log, name="audit_log"),
    path("coordination/", include("kotoverkko.network.urls_io")),
]
