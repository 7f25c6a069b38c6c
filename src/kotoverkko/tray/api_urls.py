"""API addresses of the offering tray."""

from django.urls import include, path

urlpatterns = [
    path("", include("kotoverkko.tray.api_offerings")),
    path("", include("kotoverkko.tray.api_analysis")),
    path("", include("kotoverkko.tray.api_guidance")),
]
