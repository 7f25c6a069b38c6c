"""Background delivery of the outbox."""

from django_tasks import task

from . import services


@task()
def outbox_deliver_due() -> dict[str, int]:
    total = {"sent": 0, "retry": 0, "failed": 0}
    while True:
        counts = services.outbox_deliver()
        for name, value in counts.items():
            total[name] += value
        if not any(counts.values()):
            return total
