"""Timed jobs: a registry of tasks to enqueue every so often, run by the worker.

Several workers may run the scheduler; a conditional update on the job's row makes sure each
job is enqueued once per interval. A job whose task cannot be enqueued is released again, so
the next tick tries it instead of waiting a whole interval.
"""

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import close_old_connections, connections
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger("kotoverkko.scheduler")


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    task: Any


_jobs: dict[str, Job] = {}


def schedule(name: str, *, every_seconds: int, task: Any) -> None:
    """Enqueue `task` (with no arguments) every `every_seconds`; registering a name again
    replaces the job."""
    if every_seconds <= 0:
        raise ValueError("A scheduled job needs a positive interval.")
    _jobs[name] = Job(name=name, every=timedelta(seconds=every_seconds), task=task)


def scheduled_jobs() -> list[Job]:
    return list(_jobs.values())


def scheduler_tick(now: datetime | None = None) -> list[str]:
    """Enqueue every job whose interval has passed; returns the names enqueued."""
    from .models import ScheduledJobRun

    now = now or timezone.now()
    started = []
    for job in scheduled_jobs():
        try:
            run, _created = ScheduledJobRun.objects.get_or_create(name=job.name)
            claimed = ScheduledJobRun.objects.filter(
                Q(last_run_at__isnull=True) | Q(last_run_at__lte=now - job.every),
                pk=run.pk,
            ).update(last_run_at=now)
            if not claimed:
                continue
            try:
                job.task.enqueue()
            except Exception:
                ScheduledJobRun.objects.filter(pk=run.pk, last_run_at=now).update(
                    last_run_at=run.last_run_at
                )
                raise
        except Exception:
            logger.exception("scheduled job could not be enqueued", extra={"job": job.name})
        else:
            started.append(job.name)
    return started


class SchedulerThread(threading.Thread):
    """Ticks the scheduler every `interval` seconds until stopped."""

    def __init__(self, interval: float = 15.0):
        super().__init__(name="kotoverkko-scheduler", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.is_set():
                try:
                    close_old_connections()
                    names = scheduler_tick()
                    if names:
                        logger.info("scheduled jobs enqueued", extra={"jobs": names})
                except Exception:
                    logger.exception("scheduler tick failed")
                self.stopped.wait(self.interval)
        finally:
            # Database connections belong to this thread; nobody else will close them.
            connections.close_all()

    def stop(self) -> None:
        self.stopped.set()
