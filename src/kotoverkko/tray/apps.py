from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Follow-up actions are reminded at most once a day; checking every hour sends them early in
# the day. Stale offerings are reminded at most every thirty days per offering.
FOLLOW_UP_CHECK_SECONDS = 60 * 60
STALE_CHECK_SECONDS = 6 * 60 * 60


class TrayConfig(AppConfig):
    name = "kotoverkko.tray"
    label = "tray"
    verbose_name = _("Offering tray")

    def ready(self) -> None:
        from kotoverkko.common.scheduler import schedule

        from . import rules  # noqa: F401 - registers the permission rules
        from .analysis import stale_reminders_send
        from .search import register
        from .workshop import follow_up_reminders_send

        register()
        schedule(
            "tray-follow-up-reminders",
            every_seconds=FOLLOW_UP_CHECK_SECONDS,
            task=follow_up_reminders_send,
        )
        schedule(
            "tray-stale-reminders", every_seconds=STALE_CHECK_SECONDS, task=stale_reminders_send
        )
