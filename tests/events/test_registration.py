"""Registration: seats, waiting list, deadlines, cancellation and promotion, and exact capacity
under real concurrent connections."""

import contextlib
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from kotoverkko.events import services
from kotoverkko.events.models import Event, Registration
from kotoverkko.mailing.models import OutboxMessage
from tests.events.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def data(n: int | str, **extra) -> services.RegistrationData:
    return services.RegistrationData(
        name=f"Osallistuja {n}", email=f"osallistuja{n}@example.fi", **extra
    )


def statuses(event: Event) -> dict[str, int]:
    counts = {"confirmed": 0, "waiting": 0, "cancelled": 0}
    for status in event.registrations.values_list("status", flat=True):
        counts[status] += 1
    return counts


def test_registration_takes_a_seat_and_sends_the_invitation():
    # given
    event = EventFactory(capacity=10)
    # when
    registration = services.registration_create(event=event, data=data(1, diet="vegaani"))
    # then
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.diet == "vegaani"
    message = OutboxMessage.objects.get(to_email="osallistuja1@example.fi")
    assert message.attachments[0]["method"] == "REQUEST"
    assert f"UID:{event.uid}" in message.attachments[0]["content"]
    assert "/cancel/" in message.body_text


def test_full_event_puts_new_registration_on_waiting_list():
    # given
    event = EventFactory(capacity=2)
    services.registration_create(event=event, data=data(1))
    services.registration_create(event=event, data=data(2))
    # when
    third = services.registration_create(event=event, data=data(3))
    # then
    assert third.status == Registration.Status.WAITING
    waiting_mail = OutboxMessage.objects.get(to_email="osallistuja3@example.fi")
    assert waiting_mail.attachments == []  # no calendar entry for a seat not held


def test_event_without_capacity_never_fills():
    event = EventFactory(capacity=None)
    for n in range(30):
        services.registration_create(event=event, data=data(n))
    assert statuses(event)["confirmed"] == 30


def test_cancelling_a_seat_promotes_the_first_on_the_waiting_list_and_tells_them():
    # given
    event = EventFactory(capacity=1)
    first = services.registration_create(event=event, data=data(1))
    second = services.registration_create(event=event, data=data(2))
    third = services.registration_create(event=event, data=data(3))
    # when
    promoted = services.registration_cancel(registration=first)
    # then
    assert promoted.pk == second.pk
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == Registration.Status.CONFIRMED
    assert third.status == Registration.Status.WAITING
    promoted_mail = OutboxMessage.objects.get(key=f"registration:{second.pk}:promoted")
    assert promoted_mail.attachments[0]["method"] == "REQUEST"
    cancel_mail = OutboxMessage.objects.get(key=f"registration:{first.pk}:cancelled")
    assert cancel_mail.attachments[0]["method"] == "CANCEL"


def test_leaving_the_waiting_list_promotes_nobody():
    event = EventFactory(capacity=1)
    services.registration_create(event=event, data=data(1))
    waiting = services.registration_create(event=event, data=data(2))
    assert services.registration_cancel(registration=waiting) is None
    assert statuses(event) == {"confirmed": 1, "waiting": 0, "cancelled": 1}


def test_cancelling_twice_is_refused():
    event = EventFactory()
    registration = services.registration_create(event=event, data=data(1))
    services.registration_cancel(registration=registration)
    with pytest.raises(ValidationError):
        services.registration_cancel(registration=registration)


def test_same_address_cannot_register_twice_but_may_again_after_cancelling():
    # given
    event = EventFactory()
    first = services.registration_create(event=event, data=data(1))
    # when / then
    with pytest.raises(ValidationError) as error:
        services.registration_create(event=event, data=data(1))
    assert "email" in error.value.message_dict
    assert event.registrations.count() == 1
    services.registration_cancel(registration=first)
    again = services.registration_create(event=event, data=data(1))
    assert again.status == Registration.Status.CONFIRMED


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": Event.Status.CANCELLED}, "cancelled"),
        ({"visibility": Event.Visibility.DRAFT}, "not opened"),
        ({"registration_open": False}, "no registration"),
    ],
)
def test_registration_is_refused_when_the_event_does_not_take_any(changes, message):
    event = EventFactory(**changes)
    with pytest.raises(ValidationError) as error:
        services.registration_create(event=event, data=data(1))
    assert message in str(error.value)
    assert not Registration.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_registration_closes_at_the_deadline():
    # given: the deadline is a week before the start
    event = EventFactory()
    event.registration_deadline = event.starts_at - timedelta(days=7)
    event.save()
    # when / then: a minute before it is fine, at it is too late
    before = event.registration_deadline - timedelta(minutes=1)
    services.registration_create(event=event, data=data(1), now=before)
    with pytest.raises(ValidationError, match="closed"):
        services.registration_create(event=event, data=data(2), now=event.registration_deadline)


def test_without_a_deadline_registration_closes_at_the_start():
    event = EventFactory()
    with pytest.raises(ValidationError, match="closed"):
        services.registration_create(event=event, data=data(1), now=event.starts_at)


def test_blank_name_is_refused_with_a_message():
    event = EventFactory()
    with pytest.raises(ValidationError) as error:
        services.registration_create(
            event=event, data=services.RegistrationData(name="  ", email="a@example.fi")
        )
    assert "name" in error.value.message_dict


def test_invalid_email_is_refused_and_nothing_is_saved():
    event = EventFactory()
    with pytest.raises(ValidationError):
        services.registration_create(
            event=event, data=services.RegistrationData(name="A", email="not-an-address")
        )
    assert not Registration.objects.exists()


def test_cancel_token_round_trip_and_forgery():
    # given
    registration = RegistrationFactory()
    token = services.registration_cancel_token(registration)
    # then
    assert services.registration_from_token(token).pk == registration.pk
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(ValidationError):
        services.registration_from_token(forged)
    with pytest.raises(ValidationError):
        services.registration_from_token(str(registration.pk))


def test_walk_in_is_recorded_present_and_an_existing_registration_is_marked_instead():
    # given
    event = EventFactory(capacity=1)
    registered = services.registration_create(event=event, data=data(1))
    # when
    walk_in = services.walk_in_add(actor=None, event=event, data=data(2))
    again = services.walk_in_add(actor=None, event=event, data=data(1))
    # then: a walk-in may exceed the seats (they are already in the room)
    assert walk_in.walk_in
    assert walk_in.attendance == Registration.Attendance.PRESENT
    assert again.pk == registered.pk
    again.refresh_from_db()
    assert again.attendance == Registration.Attendance.PRESENT


def test_attendance_accepts_only_known_values():
    registration = RegistrationFactory()
    with pytest.raises(ValidationError):
        services.registration_attendance_set(
            actor=None, registration=registration, attendance="maybe"
        )
    services.registration_attendance_set(actor=None, registration=registration, attendance="absent")
    registration.refresh_from_db()
    assert registration.attendance == "absent"


# Concurrency -------------------------------------------------------------------------------

CLIENTS = 200
SEATS = 50
# PostgreSQL allows 100 connections by default; the clients share at most this many at a time,
# as requests share a server's connections.
CONNECTIONS = 40


def _register_all(event_pk: int, clients: int, connections_at_once: int) -> list[Exception]:
    """Start `clients` registrations at the same moment from separate threads, each through its
    own database connection; return the errors they raised."""
    start = threading.Barrier(clients)
    gate = threading.Semaphore(connections_at_once)
    errors: list[Exception] = []

    def client(n: int) -> None:
        try:
            start.wait(timeout=60)
            with gate:
                event = Event(pk=event_pk)
                services.registration_create(event=event, data=data(f"c{n}"))
        except Exception as exc:  # noqa: BLE001 - every failure is a finding
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks under concurrent connections are tested on PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_without_the_row_lock_concurrent_registrations_overbook(monkeypatch):
    """Proves the concurrency test below can see overbooking: with the lock taken out and
    every client made to count the seats at the same moment, more than 50 get a seat."""
    # given
    _postgres_only()
    event = EventFactory(capacity=SEATS)
    counted = threading.Barrier(CONNECTIONS)

    def unlocked(pk):
        found = Event.objects.get(pk=pk)
        with contextlib.suppress(threading.BrokenBarrierError):
            counted.wait(timeout=5)
        return found

    monkeypatch.setattr(services, "_event_for_seats", unlocked)
    # when
    errors = _register_all(event.pk, CLIENTS, CONNECTIONS)
    # then
    assert errors == []
    assert statuses(event)["confirmed"] > SEATS


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_fill_exactly_the_seats():
    # given
    _postgres_only()
    event = EventFactory(capacity=SEATS)
    # when
    errors = _register_all(event.pk, CLIENTS, CONNECTIONS)
    # then
    assert errors == []
    assert statuses(event) == {"confirmed": SEATS, "waiting": CLIENTS - SEATS, "cancelled": 0}
    assert OutboxMessage.objects.count() == CLIENTS


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_on_sqlite_fill_exactly_the_seats():
    """SQLite serialises writers (transactions begin IMMEDIATE): the same guarantee."""
    # given
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL variant above covers this database")
    event = EventFactory(capacity=10)
    # when
    errors = _register_all(event.pk, 40, 8)
    # then
    assert errors == []
    assert statuses(event) == {"confirmed": 10, "waiting": 30, "cancelled": 0}


def test_registrations_of_a_past_deadline_are_refused_even_if_seats_are_free():
    event = EventFactory(capacity=5)
    later = timezone.now() + timedelta(days=40)
    with pytest.raises(ValidationError):
        services.registration_create(event=event, data=data(1), now=later)


@pytest.mark.django_db(transaction=True)
def test_registration_outside_a_transaction_queues_its_notice_after_the_seat_is_saved():
    # given
    event = EventFactory(capacity=1)
    # when
    first = services.registration_create(event=event, data=data(1))
    second = services.registration_create(event=event, data=data(2))
    # then
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.notice_pending, second.notice_pending) == ("", "")
    assert OutboxMessage.objects.get(key=f"registration:{first.pk}:confirmed")
    assert OutboxMessage.objects.get(key=f"registration:{second.pk}:waiting")


@pytest.mark.django_db(transaction=True)
def test_notice_lost_with_a_stopped_process_is_queued_by_the_sweep(monkeypatch):
    """The registration is committed before its notice is queued: if the process stops in
    between, the registration stays, marked, and the sweep queues its notice once."""
    # given
    event = EventFactory(capacity=5)

    def stopped(registration):
        raise SystemExit("the process stopped")

    monkeypatch.setattr(services, "_registration_notice_send", stopped)
    with pytest.raises(SystemExit):
        services.registration_create(event=event, data=data(1))
    monkeypatch.undo()
    registration = Registration.objects.get(event=event)
    assert registration.notice_pending == "confirmed"
    assert not OutboxMessage.objects.exists()
    # when: the sweep runs within the grace period, then after it (twice)
    early = services.registration_notices_send_due(now=registration.created_at)
    later = registration.created_at + services.NOTICE_GRACE + timedelta(seconds=1)
    sent = services.registration_notices_send_due(now=later)
    again = services.registration_notices_send_due(now=later)
    # then
    assert (early, sent, again) == (0, 1, 0)
    message = OutboxMessage.objects.get()
    assert message.key == f"registration:{registration.pk}:confirmed"
    assert message.attachments[0]["method"] == "REQUEST"
    registration.refresh_from_db()
    assert registration.notice_pending == ""


def test_recorded_registrations_take_the_seats_in_time_order_and_mail_nobody():
    # given
    event = EventFactory(capacity=2)
    start = timezone.now() - timedelta(days=3)
    entries = [
        (data(3), None, start + timedelta(hours=3)),
        (data(1), None, start + timedelta(hours=1)),
        (data(2), None, start + timedelta(hours=2)),
    ]
    # when
    recorded = services.registrations_record(event=event, entries=entries)
    # then
    by_email = {r.email: r for r in Registration.objects.filter(event=event)}
    assert [r.pk for r in recorded] == [by_email[r.email].pk for r in recorded]
    assert by_email["osallistuja1@example.fi"].status == Registration.Status.CONFIRMED
    assert by_email["osallistuja2@example.fi"].status == Registration.Status.CONFIRMED
    assert by_email["osallistuja3@example.fi"].status == Registration.Status.WAITING
    assert by_email["osallistuja1@example.fi"].created_at == start + timedelta(hours=1)
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        data("x", language="xx"),  # not a language of the site
        services.RegistrationData(name="Kaksi", email="osallistuja1@example.fi"),  # twice
    ],
)
def test_recorded_registrations_with_a_bad_entry_save_nothing(bad):
    event = EventFactory(capacity=5)
    moment = timezone.now() - timedelta(days=1)
    with pytest.raises(ValidationError):
        services.registrations_record(
            event=event, entries=[(data(1), None, moment), (bad, None, moment)]
        )
    assert not Registration.objects.filter(event=event).exists()
