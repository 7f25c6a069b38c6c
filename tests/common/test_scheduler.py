"""Timed jobs run once per interval however many workers tick, and the worker command."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kotoverkko.common import scheduler
from kotoverkko.common.models import ScheduledJobRun
from kotoverkko.mailing.apps import OUTBOX_SWEEP_SECONDS
from kotoverkko.mailing.models import OutboxMessage
from kotoverkko.mailing.services import message_queue
from kotoverkko.mailing.tasks import outbox_deliver_due


class CountingTask:
    """Stands in for a task: counts how often it was enqueued."""

    def __init__(self, fails: bool = False):
        self.enqueued = 0
        self.fails = fails

    def enqueue(self):
        if self.fails:
            raise ConnectionError("queue unavailable")
        self.enqueued += 1


@pytest.fixture
def jobs(monkeypatch):
    """An empty job registry for the test, so the app's own jobs stay out of it."""
    registry: dict[str, scheduler.Job] = {}
    monkeypatch.setattr(scheduler, "_jobs", registry)
    return registry


@pytest.mark.django_db
def test_job_is_enqueued_once_per_interval_when_two_workers_tick(jobs):
    # given
    task = CountingTask()
    scheduler.schedule("digest", every_seconds=60, task=task)
    now = timezone.now()

    # when two workers tick at (nearly) the same moment
    first = scheduler.scheduler_tick(now)
    second = scheduler.scheduler_tick(now + timedelta(seconds=1))

    # then
    assert first == ["digest"]
    assert second == []
    assert task.enqueued == 1
    assert ScheduledJobRun.objects.get(name="digest").last_run_at == now


@pytest.mark.django_db
def test_job_is_enqueued_again_after_its_interval(jobs):
    # given
    task = CountingTask()
    scheduler.schedule("digest", every_seconds=60, task=task)
    now = timezone.now()
    scheduler.scheduler_tick(now)

    # when
    too_early = scheduler.scheduler_tick(now + timedelta(seconds=59))
    after_interval = scheduler.scheduler_tick(now + timedelta(seconds=60))
    same_again = scheduler.scheduler_tick(now + timedelta(seconds=61))

    # then
    assert too_early == []
    assert after_interval == ["digest"]
    assert same_again == []
    assert task.enqueued == 2


@pytest.mark.django_db
def test_jobs_keep_their_own_intervals(jobs):
    # given
    often, seldom = CountingTask(), CountingTask()
    scheduler.schedule("often", every_seconds=60, task=often)
    scheduler.schedule("seldom", every_seconds=3600, task=seldom)
    now = timezone.now()

    # when
    for minute in range(5):
        scheduler.scheduler_tick(now + timedelta(minutes=minute))

    # then
    assert often.enqueued == 5
    assert seldom.enqueued == 1


@pytest.mark.django_db
def test_job_that_cannot_be_enqueued_is_tried_on_the_next_tick(jobs):
    # given
    broken, healthy = CountingTask(fails=True), CountingTask()
    scheduler.schedule("broken", every_seconds=60, task=broken)
    scheduler.schedule("healthy", every_seconds=60, task=healthy)
    now = timezone.now()

    # when
    first = scheduler.scheduler_tick(now)
    broken.fails = False
    second = scheduler.scheduler_tick(now + timedelta(seconds=15))

    # then
    assert first == ["healthy"]
    assert second == ["broken"]
    assert broken.enqueued == 1
    assert healthy.enqueued == 1


def test_interval_must_be_positive(jobs):
    # when / then
    with pytest.raises(ValueError, match="positive"):
        scheduler.schedule("never", every_seconds=0, task=CountingTask())


def test_outbox_sweep_is_scheduled_by_the_mailing_app():
    # when
    jobs = {job.name: job for job in scheduler.scheduled_jobs()}

    # then
    assert jobs["outbox-sweep"].task is outbox_deliver_due
    assert jobs["outbox-sweep"].every == timedelta(seconds=OUTBOX_SWEEP_SECONDS)


@pytest.mark.django_db(transaction=True)
def test_scheduler_thread_ticks_and_stops(jobs):
    # given
    task = CountingTask()
    scheduler.schedule("digest", every_seconds=3600, task=task)
    thread = scheduler.SchedulerThread(interval=0.05)

    # when
    thread.start()
    deadline = timezone.now() + timedelta(seconds=5)
    while task.enqueued == 0 and timezone.now() < deadline:
        thread.stopped.wait(0.05)
    thread.stop()
    thread.join(timeout=5)

    # then
    assert task.enqueued == 1
    assert not thread.is_alive()


@pytest.mark.django_db(transaction=True)
def test_worker_batch_runs_queued_tasks_and_exits(settings):
    # given the database task backend and a message committed with its delivery task
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    message = message_queue(
        to="aino@example.fi",
        template="accounts/email/password_reset",
        context={"uid": "MQ", "token": "abc-123", "name": "Aino"},
        language="fi",
        key="password-reset:1:abc-123",
    )
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxMessage.Status.QUEUED
    assert DBTaskResult.objects.filter(task_path__endswith="outbox_deliver_due").count() == 1

    # when
    call_command("worker", batch=True, verbosity=0)

    # then
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert [email.to for email in mail.outbox] == [["aino@example.fi"]]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert ScheduledJobRun.objects.filter(name="outbox-sweep", last_run_at__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_worker_batch_without_scheduler_leaves_timed_jobs_alone(settings):
    # given
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    # when
    call_command("worker", batch=True, no_scheduler=True, verbosity=0)

    # then
    assert not DBTaskResult.objects.exists()
    assert not ScheduledJobRun.objects.exists()
