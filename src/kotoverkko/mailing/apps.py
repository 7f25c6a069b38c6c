from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# How often the worker sweeps the outbox for retries that have come due and for messages whose
# delivery task was lost.
OUTBOX_SWEEP_SECONDS = 60


class MailingConfig(AppConfig):
    name = "kotoverkko.mailing"
    label = "mailing"
    verbose_name = _("Mailing")

    def ready(self) -> None:
        from kotoverkko.common.scheduler import schedule

        from . import rules, rules_batches  # noqa: F401 - register the permission rules
        from .tasks import outbox_deliver_due

        schedule("outbox-sweep", every_seconds=OUTBOX_SWEEP_SECONDS, task=outbox_deliver_due)
