"""Background delivery of the outbox."""

from django.conf import settings
from django_tasks import task

from . import services


@task()
def outbox_deliver_due() -> dict[str, int]:
    """Deliver every due message, batch after batch; safe to run twice at once."""
    total = {"sent": 0, "retry": 0, "failed": 0, "deferred": 0}
    while True:
        counts = services.outbox_deliver()
        for name in total:
            total[name] += counts[name]
        # A short batch means nothing more was due; a batch that sent nothing (the server is
        # unreachable, or other workers took the messages) ends the run too.
        processed = counts["sent"] + counts["retry"] + counts["failed"]
        if counts["due"] < settings.OUTBOX_BATCH_SIZE or processed == 0:
            return total
