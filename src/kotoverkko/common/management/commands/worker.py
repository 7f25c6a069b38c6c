"""The background worker: runs queued tasks and the scheduler for timed jobs."""

import signal
import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from kotoverkko.common.scheduler import SchedulerThread, scheduler_tick


def _queue_kind() -> str:
    """The kind of task queue to work on: the database's, RQ's, or none ("inline") when tasks
    run as they are enqueued (the immediate and dummy backends)."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend.startswith("django_tasks_db."):
        return "database"
    if backend.startswith("django_tasks_rq."):
        return "rq"
    return "inline"


@contextmanager
def _signal_handlers_restored():
    """The database worker installs its own handlers for a graceful stop; put ours back after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = [signal.SIGINT, signal.SIGTERM]
    if hasattr(signal, "SIGQUIT"):
        names.append(signal.SIGQUIT)
    saved = {signum: signal.getsignal(signum) for signum in names}
    try:
        yield
    finally:
        for signum, handler in saved.items():
            if handler is not None:
                signal.signal(signum, handler)


class Command(BaseCommand):
    help = "Run the background worker (tasks and timed jobs)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Run tasks only; another worker runs the timed jobs.",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Enqueue the timed jobs that are due, run what is queued, then exit.",
        )

    def handle(self, *args, no_scheduler: bool, batch: bool, verbosity: int, **options):
        kind = _queue_kind()
        if batch:
            if not no_scheduler:
                scheduler_tick()
            self._work(kind, batch=True, verbosity=verbosity)
            return
        scheduler = None
        if not no_scheduler:
            scheduler = SchedulerThread()
            scheduler.start()
        try:
            if kind == "inline":
                if scheduler is None:
                    self.stdout.write("Tasks run as they are enqueued; nothing to do.")
                    return
                self.stdout.write("Tasks run as they are enqueued; running the timed jobs.")
                scheduler.join()
            else:
                self._work(kind, batch=False, verbosity=verbosity)
        except KeyboardInterrupt:
            pass
        finally:
            if scheduler is not None:
                scheduler.stop()
                scheduler.join(timeout=5)

    def _work(self, kind: str, *, batch: bool, verbosity: int) -> None:
        if kind == "rq":
            call_command("rqworker", "default", burst=batch, verbosity=verbosity)
        elif kind == "database":
            args = ["--queue-name", "*", "--no-startup-delay", "--no-reload"]
            if batch:
                args.append("--batch")
            with _signal_handlers_restored():
                call_command("db_worker", *args, verbosity=verbosity)
