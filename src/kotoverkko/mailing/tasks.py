"""Background delivery of the outbox."""

from django_tasks import task

from . import services


@task()
def outbox_deliver_due() -> dict[str, int]:
    """Deliver every due message, chunk after chunk; safe to run twice at once."""
    counts = services.outbox_deliver_all()
    return {name: count for name, count in counts.items() if name != "due"}
