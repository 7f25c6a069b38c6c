from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "kotoverkko.network"
    label = "network"
    verbose_name = _("Networks and members")

    def ready(self) -> None:
        from . import rules  # noqa: F401 - registers the permission rules
