"""Pages of the offering tray."""

from django.urls import include, path

app_name = "tray"

urlpatterns = [
    path("", include("kotoverkko.tray.urls_offerings")),
    path("workshops/", include("kotoverkko.tray.urls_workshop")),
    path("analysis/", include("kotoverkko.tray.urls_analysis")),
    path("guidance/", include("kotoverkko.tray.urls_guidance")),
]
