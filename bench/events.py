"""Events benchmark: the public calendar's requests/s against a trivial view, the time to render
a 10,000-event calendar feed against a minimal writer, the 304 path, and registrations per
second on one event under 200 concurrent clients with the overbooking count.

    python bench/events.py                                # 50,000 events, SQLite
    python bench/events.py --database-url "$DATABASE_URL" # PostgreSQL (and the registration run)
    python bench/events.py --quick                        # 5,000 events, shorter runs

The registration run needs PostgreSQL (many connections writing at once is what it measures);
on SQLite it is reported as not run. Targets (reported, not asserted): calendar >= 0.25 of
trivial with a query count independent of the number of events (the month grid, cached for
anonymous visitors, >= 0.9); feed <= 2x the minimal writer;
registrations >= 50/s with 0 overbooked. The exit code is 0 unless the benchmark itself broke.
"""

import argparse
import http.client
import json
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import date
from html import unescape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402 - the page benchmark's server, load generators and measurements
from pages import HOST, BenchmarkBroke, Page, Result, Server, bench_env, free_port  # noqa: E402

HERE = Path(__file__).resolve().parent
SMALL_EVENTS = 1_000
NETWORK = "bench-ev-verkosto"
CLIENTS = 200
SEATS = 50
REGISTRATION_WORKERS = 4


def calendar_pages() -> list[Page]:
    this_month = date.today()  # noqa: DTZ011 - any current month will do
    return [
        Page("trivial view", "/_bench/trivial", None),
        # Cached for anonymous visitors, as it is served; the uncached cost shows as CPU time in
        # the in-process figures below the table.
        Page("calendar (cached)", "/fi/events/", 0.25, cached=True),
        Page(
            "calendar ?format=online&page=3", "/fi/events/?format=online&page=3", 0.25, cached=True
        ),
        # The month grid is cached for anonymous visitors like the network home.
        Page(
            "month view (cached)",
            f"/fi/events/{this_month.year}/{this_month.month}/",
            0.9,
            cached=True,
        ),
    ]


def uncached_pages() -> list[Page]:
    return [
        Page("trivial view", "/_bench/trivial", None),
        Page("calendar", "/fi/events/", 0.25),
        Page("calendar ?format=online&page=3", "/fi/events/?format=online&page=3", 0.25),
    ]


def data(args: list[str], env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, str(HERE / "_events_data.py"), *args],
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def step(message: str) -> None:
    print("· " + message, flush=True)


# Registrations under concurrency ------------------------------------------------------------


_HIDDEN = re.compile(r"<input[^>]*type=\"hidden\"[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"(name|value)=\"([^\"]*)\"")


def _form_fields(html: str) -> dict[str, str]:
    fields = {}
    for tag in _HIDDEN.findall(html):
        attrs = dict(_ATTR.findall(tag))
        if "name" in attrs:
            fields[attrs["name"]] = unescape(attrs.get("value", ""))
    return fields


def _register(port: int, path: str, n: int, start: threading.Barrier, out: list) -> None:
    """One client: load the form (CSRF cookie and token), wait for the others, then post."""
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        html = response.read().decode()
        cookies = "; ".join(
            value.split(";", 1)[0]
            for name, value in response.getheaders()
            if name.lower() == "set-cookie"
        )
        connection.close()
        fields = _form_fields(html)
        fields.update(
            {
                "name": f"Kuormitus {n}",
                "email": f"kuormitus{n}@bench.invalid",
                "organisation_name": f"Organisaatio {n % 37}",
                "language": "fi",
            }
        )
        body = urllib.parse.urlencode(fields)
        start.wait(timeout=120)
        began = time.perf_counter()
        connection = http.client.HTTPConnection(HOST, port, timeout=120)
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookies,
                "Referer": f"http://{HOST}:{port}{path}",
            },
        )
        reply = connection.getresponse()
        reply.read()
        out.append((reply.status, began, time.perf_counter()))
    except Exception as error:  # noqa: BLE001 - every failure is a finding
        out.append((repr(error), 0.0, 0.0))
    finally:
        connection.close()


def registrations(env: dict[str, str], data_dir: Path, servers: list[Server]) -> dict:
    made = data(["seats", "--capacity", str(SEATS)], env)
    # Every client here comes from one address: the per-address limit would stop them.
    env = {**env, "EVENT_REGISTRATION_LIMIT": "0"}
    pages.WORKERS = REGISTRATION_WORKERS  # more writers than the page runs: the lock is tested
    server = Server(env, free_port(), data_dir / "server-registrations.log")
    servers.append(server)
    server.start()
    try:
        start = threading.Barrier(CLIENTS)
        results: list = []
        threads = [
            threading.Thread(target=_register, args=(server.port, made["path"], n, start, results))
            for n in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    finally:
        server.stop()
    ok = [r for r in results if r[0] in (302, 303)]
    failed = [r for r in results if r not in ok]
    elapsed = max(r[2] for r in ok) - min(r[1] for r in ok) if ok else float("nan")
    counts = data(["count", "--event", str(made["event"])], env)
    return {
        "answered": len(ok),
        "failed": len(failed),
        "failures": sorted({str(r[0]) for r in failed})[:5],
        "seconds": elapsed,
        "per_second": len(ok) / elapsed if ok else 0.0,
        "confirmed": counts.get("confirmed", 0),
        "waiting": counts.get("waiting", 0),
        "overbooked": max(0, counts.get("confirmed", 0) - SEATS),
    }


# Main ---------------------------------------------------------------------------------------


def parse_args(argv: list[str]):
    parser = argparse.ArgumentParser(prog="bench/events.py", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="5,000 events, shorter runs")
    parser.add_argument("--events", type=int, default=None)
    parser.add_argument("--feed-events", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--generator", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--registrations-only",
        action="store_true",
        help="measure only the concurrent registrations (needs --database-url)",
    )
    options = parser.parse_args(argv)
    options.events = options.events or (5_000 if options.quick else 50_000)
    options.feed_events = min(options.feed_events, options.events)
    options.seconds = options.seconds or (3.0 if options.quick else 8.0)
    options.rounds = options.rounds or (1 if options.quick else 3)
    if options.generator == "auto":
        options.generator = "wrk" if shutil.which("wrk") else "python"
    options.database_label = "PostgreSQL" if options.database_url else "SQLite"
    return options


def run(options, data_dir: Path, servers: list[Server]) -> None:
    env = bench_env(data_dir, options.database_url)
    step(f"Preparing the database and static files in {data_dir}")
    pages.kotoverkko(["migrate", "--noinput", "-v", "0"], env)
    pages.kotoverkko(["collectstatic", "--noinput", "-v", "0"], env)
    if options.registrations_only:
        data(["generate", "--events", str(SMALL_EVENTS)], env)
        step(f"Registrations: {CLIENTS} clients at once on one event with {SEATS} seats")
        registration = registrations(env, data_dir, servers)
        report_registrations(registration)
        return
    paths = [page.path for page in calendar_pages()]
    queries = {}
    for size, count in (("small", SMALL_EVENTS), ("full", options.events)):
        made = data(["generate", "--events", str(count)], env)
        step(
            f"Generated {made['events']:,} events ({made['upcoming']:,} upcoming) "
            f"in {made['seconds']} s; counting queries"
        )
        queries[size] = data(["queries", *paths], env)
        for path, info in queries[size].items():
            if info["status"] != 200:
                raise BenchmarkBroke(f"{path} answered {info['status']} in-process.")

    step(f"Feed of {options.feed_events:,} events: rendering in-process")
    feed = data(["feed", "--events", str(options.feed_events)], env)

    result = Result()
    server = Server(env, free_port(), data_dir / "server.log")
    servers.append(server)
    step(f"Starting the server on port {server.port} ({pages.WORKERS} workers)")
    server.start()
    for page in calendar_pages():
        step(f"{page.path}: 200, {pages.check_page(server.port, page)}")
    order = [(r, page) for r in range(options.rounds) for page in calendar_pages()]
    order.append((options.rounds, calendar_pages()[0]))
    for round_, page in order:
        measured = pages.measure(server, page, round_, options)
        step(f"{page.path}: {measured.rps:,.0f} req/s")
        result.runs.append(measured)
    server.stop()

    # The same pages for a visitor the page cache does not serve (a member who has logged in
    # sees them so): a server with the cache turned off, against its own trivial view.
    uncached = Result()
    server = Server({**env, "PAGE_CACHE_SECONDS": "0"}, free_port(), data_dir / "uncached.log")
    servers.append(server)
    step(f"Starting a server without the page cache on port {server.port}")
    server.start()
    order = [(r, page) for r in range(options.rounds) for page in uncached_pages()]
    order.append((options.rounds, uncached_pages()[0]))
    for round_, page in order:
        measured = pages.measure(server, page, round_, options)
        step(f"{page.path} (uncached): {measured.rps:,.0f} req/s")
        uncached.runs.append(measured)
    server.stop()
    result.uncached = uncached

    options.page_workers = pages.WORKERS
    registration = None
    if options.database_url:
        step(f"Registrations: {CLIENTS} clients at once on one event with {SEATS} seats")
        registration = registrations(env, data_dir, servers)

    report(options, result, queries, feed, registration)


def report(options, result: Result, queries: dict, feed: dict, registration: dict | None):
    trivial = [run for run in result.runs if run.page.target is None]
    trivial_rps = statistics.mean(run.rps for run in trivial)
    print()
    print(
        f"Load: {options.generator}, {options.connections} connections, {options.rounds} "
        f"round(s) of {options.seconds:g} s. Server: {options.page_workers} gunicorn workers "
        f"({REGISTRATION_WORKERS} for the registrations), {options.database_label}."
    )
    small, full = f"queries {SMALL_EVENTS:,}", f"queries {options.events:,}"
    print(
        f"{'page':<32} {'req/s':>7} {'ratio':>6} {'target':>7} {'result':>6} {small:>15} {full:>16}"
    )
    for page in calendar_pages():
        runs = [run for run in result.runs if run.page == page]
        q_small = queries["small"][page.path]["queries"]
        q_full = queries["full"][page.path]["queries"]
        same = "" if q_small == q_full else "  (grows!)"
        if page.target is None:
            print(f"{page.name:<32} {trivial_rps:>7,.0f} {1.0:>6.2f}")
            continue
        ratio = statistics.median(pages.page_ratios(result, page))
        verdict = "PASS" if ratio >= page.target and q_small == q_full else "FAIL"
        print(
            f"{page.name:<32} {statistics.median(r.rps for r in runs):>7,.0f} {ratio:>6.2f} "
            f"{'>=' + format(page.target, 'g'):>7} {verdict:>6} {q_small:>15} {q_full:>16}{same}"
        )
    uncached = result.uncached
    trivial_rps = statistics.mean(run.rps for run in uncached.runs if run.page.target is None)
    print("Without the page cache (each request computed):")
    print(f"{'trivial view':<32} {trivial_rps:>7,.0f} {1.0:>6.2f}")
    for page in uncached_pages()[1:]:
        runs = [run for run in uncached.runs if run.page == page]
        ratio = statistics.median(pages.page_ratios(uncached, page))
        verdict = "PASS" if ratio >= page.target else "FAIL"
        print(
            f"{page.name:<32} {statistics.median(r.rps for r in runs):>7,.0f} {ratio:>6.2f} "
            f"{'>=' + format(page.target, 'g'):>7} {verdict:>6}"
        )
    print()
    full = queries["full"]
    trivial_ms = full[calendar_pages()[0].path]["request_cpu_ms"]
    print(f"Uncached, one anonymous request in-process ({options.events:,} events):")
    for page in calendar_pages():
        info = full[page.path]
        print(
            f"  {page.name:<32} {info['request_cpu_ms']:6.2f} ms CPU "
            f"(trivial/page {trivial_ms / info['request_cpu_ms']:.2f}), "
            f"{info['queries']} queries in {info['sql_ms']:.2f} ms"
        )
    print()
    ratio = feed["site_s"] / feed["minimal_s"]
    print(
        f"Feed of {feed['events']:,} events ({feed['bytes'] / 1e6:.1f} MB): site writer "
        f"{feed['site_s'] * 1000:.0f} ms, minimal writer {feed['minimal_s'] * 1000:.0f} ms, "
        f"ratio {ratio:.2f} (target <= 2): {'PASS' if ratio <= 2 else 'FAIL'}"
    )
    print(
        f"Network feed request ({feed['feed_events']:,} events): "
        f"{feed['feed_request_s'] * 1000:.0f} ms; answered 304 to If-None-Match in "
        f"{feed['not_modified_ms']:.2f} ms"
    )
    report_registrations(registration)


def report_registrations(registration: dict | None) -> None:
    if registration is None:
        print("Registrations: not run (needs --database-url of a PostgreSQL database)")
        return
    verdict = (
        "PASS"
        if registration["per_second"] >= 50
        and not (registration["overbooked"] or registration["failed"])
        else "FAIL"
    )
    print(
        f"Registrations: {registration['answered']} of {CLIENTS} answered in "
        f"{registration['seconds']:.2f} s = {registration['per_second']:.0f}/s (target >= 50); "
        f"{registration['confirmed']} confirmed, {registration['waiting']} waiting, "
        f"{registration['overbooked']} overbooked, {registration['failed']} failed "
        f"{registration['failures']}: {verdict}"
    )


def main(argv: list[str] | None = None) -> int:
    options = parse_args(sys.argv[1:] if argv is None else argv)
    return pages.run_benchmark(
        options, run, data_script="_events_data.py", prefix="kotoverkko-bench-events-"
    )


if __name__ == "__main__":
    sys.exit(main())
