"""The site's addresses with the bulletin API under /api/v1/, as api/urls.py includes it
(added here for as long as api/urls.py does not)."""

from django.urls import include, path

from kotoverkko.api import urls as api
from kotoverkko.conf.urls import urlpatterns as site
from kotoverkko.newsletter import api_urls

_wired = any(getattr(pattern, "urlconf_module", None) is api_urls for pattern in api.urlpatterns)

urlpatterns = site if _wired else [path("api/v1/", include(api_urls)), *site]
