from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Links go out a set time before the start (one day by default): checking every five minutes
# keeps them close to that time. Reminders and overdue tasks are daily matters.
LINK_CHECK_SECONDS = 5 * 60
REMINDER_CHECK_SECONDS = 15 * 60
CHECKLIST_CHECK_SECONDS = 60 * 60
# Registration notices left unqueued by a process that stopped mid-registration.
NOTICE_CHECK_SECONDS = 60


class EventsConfig(AppConfig):
    name = "kotoverkko.events"
    label = "events"
    verbose_name = _("Meetings and events")

    def ready(self) -> None:
        from kotoverkko.common.scheduler import schedule

        from . import rules  # noqa: F401 - registers the permission rules
        from .tasks import (
            checklist_reminders_send,
            event_links_send,
            event_reminders_send,
            registration_notices_send,
        )

        schedule("event-links", every_seconds=LINK_CHECK_SECONDS, task=event_links_send)
        schedule("event-reminders", every_seconds=REMINDER_CHECK_SECONDS, task=event_reminders_send)
        schedule(
            "checklist-reminders",
            every_seconds=CHECKLIST_CHECK_SECONDS,
            task=checklist_reminders_send,
        )
        schedule(
            "registration-notices",
            every_seconds=NOTICE_CHECK_SECONDS,
            task=registration_notices_send,
        )
