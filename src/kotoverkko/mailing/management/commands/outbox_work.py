"""Deliver the outbox in this process, without the task queue."""

import time

from django.core.management.base import BaseCommand

from kotoverkko.mailing import services


class Command(BaseCommand):
    help = (
        "Deliver the messages that are due. With --until-empty, keep going until no message is "
        "due or being sent, taking over messages left by a worker that died (after "
        "OUTBOX_CLAIM_TIMEOUT_SECONDS) and waiting for an unreachable server; messages waiting "
        "to retry later stay queued."
    )

    def add_arguments(self, parser):
        parser.add_argument("--until-empty", action="store_true")
        parser.add_argument(
            "--max-seconds",
            type=float,
            default=None,
            help="Stop after this long even if messages remain.",
        )

    def handle(self, *args, until_empty: bool, max_seconds: float | None, **options):
        started = time.monotonic()
        total: dict[str, int] = {}
        while True:
            remaining = None if max_seconds is None else max_seconds - (time.monotonic() - started)
            if remaining is not None and remaining <= 0:
                break
            counts = services.outbox_deliver_all(max_seconds=remaining)
            for name, count in counts.items():
                total[name] = total.get(name, 0) + count
            if not until_empty:
                break
            if counts["sent"] + counts["retry"] + counts["failed"] + counts["skipped"]:
                continue
            if not counts["due"] and not services.outbox_unfinished():
                break
            # Messages a dead worker left are taken over once their claim has timed out; an
            # unreachable server is tried again.
            time.sleep(min(1.0, services.claim_timeout().total_seconds() / 4))
        total.pop("due", None)
        self.stdout.write(", ".join(f"{name} {count}" for name, count in total.items()))
