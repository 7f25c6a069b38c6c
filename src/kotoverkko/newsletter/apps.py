from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# A scheduled issue goes out within a minute of its time; drafts are a matter of the day.
SEND_CHECK_SECONDS = 60
COMPILE_CHECK_SECONDS = 60 * 60


class NewsletterConfig(AppConfig):
    name = "kotoverkko.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self) -> None:
        from kotoverkko.common.scheduler import schedule

        from . import rules  # noqa: F401 - registers the permission rules
        from .tasks import newsletter_compile_due, newsletter_send_due

        schedule("newsletter-send", every_seconds=SEND_CHECK_SECONDS, task=newsletter_send_due)
        schedule(
            "newsletter-compile", every_seconds=COMPILE_CHECK_SECONDS, task=newsletter_compile_due
        )
