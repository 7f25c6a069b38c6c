"""Timed work of events: participation links, reminders, overdue planning tasks, and
registration notices left pending by a stopped process.

Each task only calls a service; the services mark what they sent, so a task that runs twice,
or two workers running it at once, send nothing twice.
"""

from django_tasks import task

from . import services


@task()
def event_links_send() -> int:
    return services.event_links_send_due()


@task()
def event_reminders_send() -> int:
    return services.event_reminders_send_due()


@task()
def checklist_reminders_send() -> int:
    return services.checklist_remind_overdue()


@task()
def registration_notices_send() -> int:
    return services.registration_notices_send_due()
