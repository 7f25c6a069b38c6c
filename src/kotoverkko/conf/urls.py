"""Top-level URLs: language-prefixed pages, the API, health."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from kotoverkko.common import views as common_views

urlpatterns = [
    path("healthz", common_views.healthz, name="healthz"),
    path("api/v1/", include("kotoverkko.api.urls")),
    path("_bench/trivial", common_views.trivial, name="trivial"),
    path("mail/", include("kotoverkko.mailing.urls_mail")),
    path("mail/inbound/", include("kotoverkko.mailing.urls_inbound")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("kotoverkko.accounts.urls")),
    path("outbox/", include("kotoverkko.mailing.urls")),
    path("lists/", include("kotoverkko.mailing.urls_lists")),
    path("search/", include("kotoverkko.search.urls")),
    path("library/", include("kotoverkko.library.urls")),
    path("tray/", include("kotoverkko.tray.urls")),
    path("", include("kotoverkko.newsletter.urls")),
    path("", include("kotoverkko.events.urls")),
    path("", include("kotoverkko.network.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
