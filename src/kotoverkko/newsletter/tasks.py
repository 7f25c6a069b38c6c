"""Timed work of the bulletin: the monthly drafts, scheduled sending, and marking issues sent
once delivered.

Each task only calls services. Compiling is idempotent per network and month, and a scheduled
issue is sent under a lock on its row, so a task that runs twice, or on two workers at once,
makes and sends nothing twice.
"""

from django.utils import timezone
from django_tasks import task

from . import services


@task()
def newsletter_compile_due() -> int:
    return len(services.issues_compile_due(now=timezone.now()))


@task()
def newsletter_send_due() -> dict[str, int]:
    now = timezone.now()
    sent = services.issues_send_due(now=now)
    delivered = services.issues_delivery_check()
    return {"sent": sent, "delivered": delivered}
