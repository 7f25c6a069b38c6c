from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingConfig(AppConfig):
    name = "kotoverkko.mailing"
    label = "mailing"
    verbose_name = _("Mailing")

    def ready(self) -> None:
        from kotoverkko.common.scheduler import schedule

        from .tasks import outbox_deliver_due

        # A sweep for retries that have come due and for anything a lost task left behind.
        schedule("outbox-sweep", every_seconds=60, task=outbox_deliver_due)
