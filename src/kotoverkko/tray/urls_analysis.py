"""Addresses of the tray's analysis (under /<lang>/tray/analysis/, names in the tray namespace)."""

from django.urls import path, re_path

from . import views_analysis

urlpatterns = [
    path("", views_analysis.analysis_index, name="analysis_index"),
    path("confirm/<str:token>/", views_analysis.offering_confirm, name="analysis_confirm"),
    path("<slug:slug>/", views_analysis.network_analysis, name="analysis_network"),
    path(
        "<slug:slug>/expectations/",
        views_analysis.expectations,
        name="analysis_expectations",
    ),
    path(
        "<slug:slug>/expectations/<int:pk>/remove/",
        views_analysis.expectation_remove,
        name="analysis_expectation_remove",
    ),
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+)/coverage\.(?P<fmt>csv|xlsx)$",
        views_analysis.coverage_export,
        name="analysis_coverage_export",
    ),
]
