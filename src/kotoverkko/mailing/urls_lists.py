"""Mailing list pages under /<language>/lists/: subscribing, confirming and preferences (no
login: signed links), and the coordinators' pages under manage/."""

from django.urls import path, re_path

from . import views_lists

app_name = "mailing_lists"

urlpatterns = [
    path("manage/", views_lists.manage_index, name="manage_index"),
    path("manage/<slug:slug>/", views_lists.manage, name="manage"),
    path("manage/<slug:slug>/add/", views_lists.manage_add, name="manage_add"),
    path(
        "manage/<slug:slug>/subscriptions/<int:pk>/remove/",
        views_lists.manage_remove,
        name="manage_remove",
    ),
    path("manage/<slug:slug>/settings/", views_lists.manage_settings, name="manage_settings"),
    path("manage/<slug:slug>/import/", views_lists.manage_import, name="manage_import"),
    re_path(
        r"^manage/(?P<slug>[-a-zA-Z0-9_]+)/subscribers\.(?P<fmt>csv|xlsx)$",
        views_lists.manage_export,
        name="manage_export",
    ),
    re_path(
        r"^manage/(?P<slug>[-a-zA-Z0-9_]+)/consents\.(?P<fmt>csv|xlsx)$",
        views_lists.manage_consents_export,
        name="manage_consents_export",
    ),
    path("confirm/<str:token>/", views_lists.confirm, name="confirm"),
    path("preferences/<str:token>/", views_lists.preferences, name="preferences"),
    re_path(
        r"^preferences/(?P<token>[^/]+)/consents\.(?P<fmt>csv|json)$",
        views_lists.consent_download,
        name="consent_download",
    ),
    path("<slug:slug>/subscribe/", views_lists.subscribe, name="subscribe"),
    path("<slug:slug>/subscribe/sent/", views_lists.subscribe_sent, name="subscribe_sent"),
]
