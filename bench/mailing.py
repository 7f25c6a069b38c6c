"""Mailing benchmark: a mass sending to 10,000 subscribers through the whole path (outbox rows
created, claimed, built, sent over SMTP and recorded) against a raw smtplib loop sending one
pre-serialised message to the same SMTP sink in the same run.

    python bench/mailing.py                                # 10,000 subscribers, SQLite
    python bench/mailing.py --quick                        # 2,000 subscribers
    python bench/mailing.py --database-url "$DATABASE_URL" # PostgreSQL (a throw-away database)

The sink is aiosmtpd in a process of its own, so that it does not share the interpreter lock
with the sender; it accepts every message and counts them. The raw loop runs before and after
the sending, and the ratio compares the sending with their mean. Targets (reported, not
asserted): whole path >= 0.6 of the raw loop and above 667 messages/s. The exit code is 0
unless the benchmark itself broke.
"""

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402 - the shared runner, environment and process helpers
from pages import HOST, BenchmarkBroke, bench_env, free_port  # noqa: E402

HERE = Path(__file__).resolve().parent
SLUG = "bench-ml-verkosto"
EMAIL_DOMAIN = "bench.invalid"
TARGET_RATIO = 0.6
TARGET_RATE = 667
CHUNK = 2000


def step(message: str) -> None:
    print("· " + message, flush=True)


# The SMTP sink ------------------------------------------------------------------------------


def _sink_main(port: int, received, ready) -> None:
    import asyncio

    from aiosmtpd.controller import Controller

    class Counter:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            with received.get_lock():
                received.value += 1
            return "250 Message accepted"

    controller = Controller(Counter(), hostname=HOST, port=port)
    controller.start()
    ready.set()
    try:
        asyncio.run(asyncio.Event().wait())
    finally:
        controller.stop()


class Sink:
    """aiosmtpd in its own process, counting the messages it accepts."""

    def __init__(self, port: int):
        context = multiprocessing.get_context("spawn")
        self.port = port
        self.received = context.Value("l", 0)
        self.ready = context.Event()
        self.process = context.Process(
            target=_sink_main, args=(port, self.received, self.ready), daemon=True
        )

    def start(self) -> None:
        self.process.start()
        if not self.ready.wait(timeout=30):
            raise BenchmarkBroke("The SMTP sink did not start.")

    @property
    def count(self) -> int:
        return self.received.value

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=10)

    def log_tail(self) -> str:
        return ""


# In the child process (Django set up) ---------------------------------------------------------


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotoverkko.conf.settings")
    import django

    django.setup()


def _wipe() -> None:
    from kotoverkko.mailing.models import MailBatch, MailingList, OutboxMessage, Subscriber
    from kotoverkko.network.models import Network

    lists = MailingList.objects.filter(network__slug=SLUG)
    batches = MailBatch.objects.filter(mailing_list__in=lists)
    OutboxMessage.objects.filter(batch__in=batches).delete()
    batches.delete()
    Subscriber.objects.filter(email__endswith="@" + EMAIL_DOMAIN).delete()
    Network.objects.filter(slug=SLUG).delete()


def _generate(subscribers: int):
    """A network, its list and `subscribers` confirmed subscribers, in bulk."""
    from django.db import transaction
    from django.utils import timezone

    from kotoverkko.mailing.models import MailingList, Subscriber, Subscription
    from kotoverkko.network.models import Network

    with transaction.atomic():
        _wipe()
        network = Network.objects.create(
            slug=SLUG,
            kind=Network.Kind.NETWORK,
            name="Lapin MAKO-verkosto",
            name_fi="Lapin MAKO-verkosto",
            name_sv="Lapplands MAKO-nätverk",
            languages=["fi", "sv"],
        )
        mailing_list = MailingList.objects.create(network=network)
        Subscriber.objects.bulk_create(
            [
                Subscriber(email=f"tilaaja{number}@{EMAIL_DOMAIN}", language="fi")
                for number in range(subscribers)
            ],
            batch_size=CHUNK,
        )
        now = timezone.now()
        ids = Subscriber.objects.filter(email__endswith="@" + EMAIL_DOMAIN).values_list(
            "pk", flat=True
        )
        Subscription.objects.bulk_create(
            [
                Subscription(
                    mailing_list=mailing_list,
                    subscriber_id=pk,
                    status=Subscription.Status.ACTIVE,
                    source=Subscription.Source.IMPORT,
                    confirmed_at=now,
                )
                for pk in ids
            ],
            batch_size=CHUNK,
        )
    return mailing_list


def _bulletin() -> tuple[str, str, str]:
    """A monthly bulletin of realistic size: subject, text and HTML with the footer links."""
    from kotoverkko.mailing import batches

    items = [
        ("Kotoutumislaki ja kuntien uudet tehtävät", "Kuntien kotoutumisohjelmat päivitetään."),
        ("Koulutuspolut Meri-Lapissa", "Uusi koulutus alkaa syyskuussa Kemissä ja Torniossa."),
        ("Pakolaisten vastaanotto", "Kuntapaikkoja tarvitaan lisää; webinaari 12.9."),
        ("Järjestöjen kotouttava työ", "Avustushaku on auki lokakuun loppuun."),
    ]
    text = "Lapin MAKO-verkoston kuukausitiedote\n\n" + "\n\n".join(
        f"{title}\n{body} " * 3 for title, body in items
    )
    text += (
        f"\n\nAsetukset: {batches.PREFERENCES_URL}\n"
        f"Peru tilaus: {batches.UNSUBSCRIBE_URL}\nOsoite: {batches.RECIPIENT_EMAIL}\n"
    )
    cells = "".join(
        f'<tr><td style="padding:12px;font-family:Arial,sans-serif;color:#1b1f24">'
        f'<h2 style="font-size:18px;margin:0 0 8px">{title}</h2><p>{body * 3}</p></td></tr>'
        for title, body in items
    )
    html = (
        '<!DOCTYPE html><html lang="fi"><body style="margin:0;background:#f2f5f8">'
        f'<table role="presentation" width="100%">{cells * 3}</table>'
        f'<p><a href="{batches.PREFERENCES_URL}">Asetukset</a> · '
        f'<a href="{batches.UNSUBSCRIBE_URL}">Peru tilaus</a></p></body></html>'
    )
    return "Lapin MAKO-tiedote: syyskuu – kotoutuminen ja koulutus", text, html


def _raw_loop(port: int, message: bytes, count: int) -> dict:
    """One pre-serialised message sent `count` times over one connection."""
    import smtplib

    started, cpu = time.perf_counter(), time.process_time()
    with smtplib.SMTP(HOST, port) as smtp:
        for number in range(count):
            smtp.sendmail(
                f"bounce+{number}@{EMAIL_DOMAIN}", [f"tilaaja{number}@{EMAIL_DOMAIN}"], message
            )
    seconds = time.perf_counter() - started
    return {
        "messages": count,
        "seconds": seconds,
        "cpu_us": (time.process_time() - cpu) / count * 1e6,
    }


def _whole_path(mailing_list, subject: str, text: str, html: str) -> dict:
    """batch_create, then delivery until the batch is done."""
    from kotoverkko.mailing import batches, services
    from kotoverkko.mailing.models import MailBatch
    from kotoverkko.mailing.subscriptions import list_recipients

    started, cpu = time.perf_counter(), time.process_time()
    batch = batches.batch_create(
        title="Syyskuun tiedote",
        mailing_list=mailing_list,
        language="fi",
        subject=subject,
        body_text=text,
        body_html=html,
        recipients=list_recipients(mailing_list),
        key_prefix=f"bench:{time.time_ns()}",
    )
    created = time.perf_counter()
    while True:
        counts = services.outbox_deliver_all()
        if counts["due"] == 0:
            break
    seconds = time.perf_counter() - started
    batch.refresh_from_db()
    progress = batches.batch_progress(batch)
    if batch.status != MailBatch.Status.DONE or progress["sent"] != batch.total:
        raise BenchmarkBroke(f"The batch did not finish: {batch.status}, {progress}.")
    return {
        "messages": batch.total,
        "seconds": seconds,
        "create_seconds": created - started,
        "cpu_us": (time.process_time() - cpu) / batch.total * 1e6,
        "batch": batch.pk,
    }


def _sample(mailing_list, subject: str, text: str, html: str) -> bytes:
    """One copy as delivery writes it, for the raw loop to send over and over."""
    from email.utils import format_datetime

    from django.utils import timezone

    from kotoverkko.mailing import batches, services, tokens
    from kotoverkko.mailing.models import MailBatch, OutboxMessage

    subscriber = mailing_list.subscriptions.order_by("subscriber_id").first().subscriber
    batch = MailBatch(
        title="sample",
        mailing_list=mailing_list,
        language="fi",
        subject=subject,
        body_text=text,
        body_html=html,
        headers=batches.list_headers(mailing_list, "fi"),
    )
    message = OutboxMessage(pk=1, to_email=subscriber.email, subscriber=subscriber)
    return services._MassSending(batch).render(
        message, tokens.bounce_token(1), format_datetime(timezone.now())
    )


def measure(options) -> dict:
    _setup_django()
    from django.db import connection

    generated = time.perf_counter()
    mailing_list = _generate(options.subscribers)
    generated = time.perf_counter() - generated
    subject, text, html = _bulletin()
    sample = _sample(mailing_list, subject, text, html)
    raw_before = _raw_loop(options.port, sample, options.raw_messages)
    whole = _whole_path(mailing_list, subject, text, html)
    raw_after = _raw_loop(options.port, sample, options.raw_messages)
    return {
        "database": connection.vendor,
        "generate_seconds": generated,
        "message_bytes": len(sample),
        "raw": [raw_before, raw_after],
        "whole": whole,
    }


# The parent process ---------------------------------------------------------------------------


def child(args: list[str], env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(options, data_dir: Path, servers: list) -> None:
    sink = Sink(free_port())
    servers.append(sink)
    env = bench_env(data_dir, options.database_url)
    env.update(
        {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": HOST,
            "EMAIL_PORT": str(sink.port),
            "TASKS_BACKEND": "dummy",  # this process delivers; no worker is running
            "OUTBOX_BATCH_SIZE": str(options.chunk),
            "MAIL_DOMAIN": "kotoverkko.bench.invalid",
            "SITE_URL": "https://kotoverkko.bench.invalid",
        }
    )
    step(f"Preparing the database in {data_dir}")
    pages.kotoverkko(["migrate", "--noinput", "-v", "0"], env)
    step(f"Starting the SMTP sink on port {sink.port}")
    sink.start()
    step(
        f"{options.subscribers:,} subscribers; raw loop of {options.raw_messages:,} messages, "
        "the whole path, the raw loop again"
    )
    result = child(
        [
            "measure",
            *("--subscribers", str(options.subscribers)),
            *("--port", str(sink.port)),
            *("--raw-messages", str(options.raw_messages)),
        ],
        env,
    )
    expected = sum(run["messages"] for run in result["raw"]) + result["whole"]["messages"]
    deadline = time.monotonic() + 10
    while sink.count < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    result["sink_received"] = sink.count
    result["sink_expected"] = expected
    sink.stop()
    report(options, result)


def report(options, result: dict) -> None:
    raw_rates = [run["messages"] / run["seconds"] for run in result["raw"]]
    raw_rate = sum(raw_rates) / len(raw_rates)
    raw_cpu = sum(run["cpu_us"] for run in result["raw"]) / len(result["raw"])
    whole = result["whole"]
    rate = whole["messages"] / whole["seconds"]
    ratio = rate / raw_rate
    verdict = "PASS" if ratio >= TARGET_RATIO and rate > TARGET_RATE else "FAIL"
    print()
    print(
        f"Database: {result['database']}. Message: {result['message_bytes']:,} bytes "
        f"(multipart/alternative, quoted-printable). Outbox chunk: {options.chunk}. "
        f"Subscribers generated in {result['generate_seconds']:.1f} s."
    )
    print(
        f"Raw smtplib loop:  {raw_rate:8,.0f} messages/s "
        f"(runs: {', '.join(f'{r:,.0f}' for r in raw_rates)}), sender CPU {raw_cpu:,.0f} µs/message"
    )
    print(
        f"Whole path:        {rate:8,.0f} messages/s ({whole['messages']:,} messages in "
        f"{whole['seconds']:.2f} s, of which batch_create {whole['create_seconds']:.2f} s), "
        f"sender CPU {whole['cpu_us']:,.0f} µs/message"
    )
    print(
        f"Ratio whole/raw:   {ratio:8.2f} (target >= {TARGET_RATIO}, and > {TARGET_RATE} "
        f"messages/s): {verdict}"
    )
    lost = result["sink_expected"] - result["sink_received"]
    print(
        f"Sink received {result['sink_received']:,} of {result['sink_expected']:,} messages"
        + (f": {lost:,} MISSING" if lost else "")
    )


def parse_args(argv: list[str]):
    parser = argparse.ArgumentParser(prog="bench/mailing.py", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 subscribers")
    parser.add_argument("--subscribers", type=int, default=None)
    parser.add_argument("--raw-messages", type=int, default=None)
    parser.add_argument("--chunk", type=int, default=500, help="OUTBOX_BATCH_SIZE")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args(argv)
    options.subscribers = options.subscribers or (2_000 if options.quick else 10_000)
    options.raw_messages = options.raw_messages or min(options.subscribers, 5_000)
    return options


def child_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench/mailing.py")
    commands = parser.add_subparsers(dest="command", required=True)
    measuring = commands.add_parser("measure")
    measuring.add_argument("--subscribers", type=int, required=True)
    measuring.add_argument("--port", type=int, required=True)
    measuring.add_argument("--raw-messages", type=int, required=True)
    commands.add_parser("wipe")
    options = parser.parse_args(argv)
    if options.command == "wipe":
        _setup_django()
        from django.db import transaction

        with transaction.atomic():
            _wipe()
        result = {"wiped": True}
    else:
        result = measure(options)
    print(json.dumps(result))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("measure", "wipe"):
        return child_main(argv)
    options = parse_args(argv)
    return pages.run_benchmark(
        options, run, data_script="mailing.py", prefix="kotoverkko-bench-ml-"
    )


if __name__ == "__main__":
    sys.exit(main())
