"""The versioned API: /api/v1/ and its OpenAPI document."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include("kotoverkko.network.api_urls")),
    path("", include("kotoverkko.events.api_urls")),
    path("", include("kotoverkko.mailing.api_urls")),
    path("", include("kotoverkko.newsletter.api_urls")),
    path("", include("kotoverkko.search.api_urls")),
    path("", include("kotoverkko.library.api_urls")),
    path("", include("kotoverkko.tray.api_urls")),
]
