"""The background worker: runs queued tasks and the scheduler for timed jobs."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from kotoverkko.common.scheduler import SchedulerThread


class Command(BaseCommand):
    help = "Run the background worker (tasks and timed jobs)."

    def add_arguments(self, parser):
        parser.add_argument("--no-scheduler", action="store_true",
                            help="Run tasks only; another worker runs the timed jobs.")
        parser.add_argument("--batch", action="store_true",
                            help="Run what is queued now, then exit.")

    def handle(self, *args, no_scheduler: bool, batch: bool, verbosity: int, **options):
        scheduler = None
        if not no_scheduler and not batch:
            scheduler = SchedulerThread()
            scheduler.start()
        try:
            if settings.TASKS_BACKEND == "rq":
                call_command("rqworker", "default", verbosity=verbosity)
            else:
                args = ["--queue-name", "*", "--no-startup-delay", "--no-reload"]
                if batch:
                    args.append("--batch")
                call_command("db_worker", *args, verbosity=verbosity)
        finally:
            if scheduler is not None:
                scheduler.stop()
