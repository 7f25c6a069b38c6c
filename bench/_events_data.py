"""Generated events, in-process measurements and checks for the events benchmark.

Run by bench/events.py in a child process whose environment selects the database:

    python bench/_events_data.py generate --events 50000
    python bench/_events_data.py queries /fi/events/
    python bench/_events_data.py feed --events 10000 --repeat 5
    python bench/_events_data.py seats --capacity 50      # a fresh event to register to
    python bench/_events_data.py count --event 123        # its registrations by status
    python bench/_events_data.py wipe

Each command prints one line of JSON. Only rows made here are deleted: networks whose slug
starts with "bench-ev-" and their events.
"""

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _data  # noqa: E402 - the page benchmark's helpers (Django set-up, query counting)

SLUG_PREFIX = "bench-ev-"
BATCH_SIZE = 2000
TYPES = ["network_meeting", "team_meeting", "info_session", "training", "seminar", "other"]
THEMES = [
    ("Kotoutumislaki ja kuntien uudet tehtävät", "Integrationslagen och kommunernas uppgifter"),
    ("Pakolaisten vastaanotto ja kuntapaikat", "Flyktingmottagning och kommunplatser"),
    ("Työllisyys ja kielitaito", "Sysselsättning och språkkunskaper"),
    ("Järjestöjen kotouttava työ", "Organisationernas integrationsarbete"),
    ("Mielenterveyden tukeminen", "Stöd för psykisk hälsa"),
    ("Koulutuspolut ja ohjaus", "Utbildningsstigar och vägledning"),
]


def _wipe() -> None:
    from kotoverkko.events.models import Event, EventSeries, Registration
    from kotoverkko.network.models import Network

    networks = Network.objects.filter(slug__startswith=SLUG_PREFIX)
    Registration.objects.filter(event__network__in=networks).delete()
    Event.objects.filter(network__in=networks).delete()
    EventSeries.objects.filter(network__in=networks).delete()
    while networks.exists():
        networks.filter(children__isnull=True).delete()


def _networks() -> list:
    from kotoverkko.codelists.models import Municipality
    from kotoverkko.network.models import Network

    top = Network.objects.create(
        slug=f"{SLUG_PREFIX}verkosto",
        name="Tapahtumaverkosto",
        name_fi="Tapahtumaverkosto",
        name_sv="Evenemangsnätverket",
        languages=["fi", "sv"],
        contact_email="tapahtumat@bench.invalid",
    )
    top.municipalities.set(Municipality.objects.filter(region__code="19"))
    networks = [top]
    for number in range(1, 6):
        networks.append(
            Network.objects.create(
                slug=f"{SLUG_PREFIX}alue-{number}",
                parent=top,
                name=f"Alueverkosto {number}",
                name_fi=f"Alueverkosto {number}",
                languages=["fi"],
            )
        )
    return networks


def generate(*, events: int, seed: int) -> dict:
    """`events` public events spread over eight years around today: about a quarter upcoming."""
    from django.db import connection, transaction

    from kotoverkko.codelists.models import Municipality
    from kotoverkko.events.models import Audience, Event, new_uid

    rng = random.Random(seed)
    started = time.perf_counter()
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        _wipe()
        networks = _networks()
        municipalities = list(Municipality.objects.filter(region__code="19"))
        audiences = list(Audience.objects.all())
        rows = []
        for number in range(events):
            starts = now + timedelta(hours=rng.randint(-6 * 365 * 24, 2 * 365 * 24))
            theme_fi, theme_sv = rng.choice(THEMES)
            format_ = rng.choice(["in_person", "in_person", "online", "hybrid"])
            rows.append(
                Event(
                    uid=new_uid(),
                    network=rng.choice(networks),
                    type=rng.choice(TYPES),
                    title=f"{theme_fi} {number}",
                    title_fi=f"{theme_fi} {number}",
                    title_sv=f"{theme_sv} {number}",
                    theme_fi=theme_fi,
                    description_fi="Ajankohtaiskierros, teemaesitys ja keskustelu.",
                    languages=["fi", "sv"] if rng.random() < 0.3 else ["fi"],
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=rng.choice([1, 2, 3, 6])),
                    visibility="public" if rng.random() < 0.9 else "members",
                    status="cancelled" if rng.random() < 0.03 else "scheduled",
                    format=format_,
                    venue_name="Kaupungintalo" if format_ != "online" else "",
                    street_address="Hallituskatu 7" if format_ != "online" else "",
                    municipality=rng.choice(municipalities) if format_ != "online" else None,
                    online_platform="Teams" if format_ != "in_person" else "",
                    capacity=rng.choice([None, 30, 50, 100]),
                )
            )
        Event.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        through = Event.audiences.through
        ids = list(
            Event.objects.filter(network__in=networks).order_by("pk").values_list("pk", flat=True)
        )
        links = [
            through(event_id=event_id, audience_id=audience.pk)
            for event_id in ids
            for audience in rng.sample(audiences, 2)
        ]
        through.objects.bulk_create(links, batch_size=BATCH_SIZE)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "events": len(ids),
        "upcoming": Event.objects.filter(network__in=networks, ends_at__gte=now).count(),
        "seconds": round(time.perf_counter() - started, 1),
        "network": networks[0].slug,
    }


def feed(*, events: int, repeat: int) -> dict:
    """Seconds to render a feed of `events` events with the site's writer, against a minimal
    writer (below) that emits the same properties with no care for anything else, and the
    time of a conditional request answered 304."""
    from django.db.models import Max
    from django.test import Client
    from django.utils import translation

    from kotoverkko.events import ical
    from kotoverkko.events.models import Event

    chosen = list(
        Event.objects.filter(network__slug__startswith=SLUG_PREFIX, visibility="public")
        .select_related("network", "municipality")
        .only(*ical.FEED_FIELDS)
        .order_by("-starts_at")[:events]
    )
    if not chosen:
        raise SystemExit("No public events; generate some first.")

    def site() -> bytes:
        return ical.feed(chosen, name="Bench", language="fi")

    def minimal() -> bytes:
        return minimal_feed(chosen)

    with translation.override("fi"):
        site_times = _times(site, repeat)
        minimal_times = _times(minimal, repeat)
        size = len(site())

    client = Client(HTTP_HOST="127.0.0.1")
    path = f"/fi/networks/{SLUG_PREFIX}verkosto/events.ics"
    first = client.get(path)
    if first.status_code != 200:
        raise SystemExit(f"{path} answered {first.status_code}")
    etag = first.headers.get("ETag", "")
    full_times = _times(lambda: client.get(path), repeat)
    not_modified = []
    for _ in range(repeat * 20):
        started = time.perf_counter()
        response = client.get(path, HTTP_IF_NONE_MATCH=etag)
        not_modified.append(time.perf_counter() - started)
        if response.status_code != 304:
            raise SystemExit(f"The conditional request answered {response.status_code}")
    newest = Event.objects.aggregate(Max("updated_at"))["updated_at__max"]
    return {
        "events": len(chosen),
        "bytes": size,
        "site_s": statistics.median(site_times),
        "minimal_s": statistics.median(minimal_times),
        "feed_request_s": statistics.median(full_times),
        "feed_events": first.content.count(b"BEGIN:VEVENT"),
        "not_modified_ms": statistics.median(not_modified) * 1000,
        "newest_change": newest.isoformat() if newest else None,
    }


def _times(function, repeat: int) -> list[float]:
    function()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def minimal_feed(events) -> bytes:
    """The baseline: the same VEVENT properties, written with no escaping, no folding and no
    time zone block — the least work any writer must do for this output."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN"]
    for event in events:
        starts = event.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        ends = event.ends_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"SEQUENCE:{event.sequence}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{starts}",
            f"DTEND:{ends}",
            f"SUMMARY:{event.title}",
            f"DESCRIPTION:{event.description}",
            f"LOCATION:{event.venue_name}",
            f"URL:https://example.invalid/fi/events/{event.pk}/",
            f"STATUS:{'CANCELLED' if event.status == 'cancelled' else 'CONFIRMED'}",
            f"ORGANIZER:mailto:{event.network.contact_email or 'noreply@example.invalid'}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def seats(*, capacity: int) -> dict:
    """A fresh public event with `capacity` seats, open for registration, far in the future."""
    from kotoverkko.events.models import Event
    from kotoverkko.network.models import Network

    network = Network.objects.get(slug=f"{SLUG_PREFIX}verkosto")
    starts = datetime.now(UTC) + timedelta(days=60)
    event = Event.objects.create(
        network=network,
        type="seminar",
        title="Kuormitustesti",
        title_fi="Kuormitustesti",
        title_sv="Belastningstest",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        visibility="public",
        format="online",
        online_platform="Teams",
        capacity=capacity,
    )
    return {"event": event.pk, "path": f"/fi/events/{event.pk}/register/"}


def count(*, event: int) -> dict:
    from django.db.models import Count

    from kotoverkko.events.models import Registration
    from kotoverkko.mailing.models import OutboxMessage

    rows = (
        Registration.objects.filter(event_id=event)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result = {row["status"]: row["n"] for row in rows}
    result["outbox"] = OutboxMessage.objects.filter(key__startswith="registration:").count()
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench/_events_data.py")
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate")
    gen.add_argument("--events", type=int, default=50_000)
    gen.add_argument("--seed", type=int, default=2024)
    queries = commands.add_parser("queries")
    queries.add_argument("paths", nargs="+")
    queries.add_argument("--repeat", type=int, default=15)
    feed_ = commands.add_parser("feed")
    feed_.add_argument("--events", type=int, default=10_000)
    feed_.add_argument("--repeat", type=int, default=5)
    seats_ = commands.add_parser("seats")
    seats_.add_argument("--capacity", type=int, default=50)
    count_ = commands.add_parser("count")
    count_.add_argument("--event", type=int, required=True)
    commands.add_parser("wipe")
    options = parser.parse_args(argv)

    _data._setup_django()
    if options.command == "generate":
        result = generate(events=options.events, seed=options.seed)
    elif options.command == "queries":
        result = _data.queries(paths=options.paths, repeat=options.repeat)
    elif options.command == "feed":
        result = feed(events=options.events, repeat=options.repeat)
    elif options.command == "seats":
        result = seats(capacity=options.capacity)
    elif options.command == "count":
        result = count(event=options.event)
    else:
        from django.db import transaction

        with transaction.atomic():
            _wipe()
        result = {"wiped": True}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
