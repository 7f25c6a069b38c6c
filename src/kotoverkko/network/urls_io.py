"""Import and export pages (URL names are in the network namespace, under coordination/)."""

from django.urls import path, re_path

from . import views_io

urlpatterns = [
    path("networks/<slug:slug>/import/", views_io.member_import, name="member_import"),
    path(
        "networks/<slug:slug>/import/confirm/",
        views_io.member_import_confirm,
        name="member_import_confirm",
    ),
    re_path(
        r"^networks/(?P<slug>[-a-zA-Z0-9_]+)/members\.(?P<fmt>csv|xlsx)$",
        views_io.member_export,
        name="member_export",
    ),
    re_path(
        r"^organisations\.(?P<fmt>csv|xlsx)$",
        views_io.organisation_export,
        name="organisation_export",
    ),
]
