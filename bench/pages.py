"""Page benchmark: requests/s of the organisation directory and the cached network home against
a trivial view served by the same server in the same run, and the query count of each page.

With 10,000 organisations and 100,000 people generated into a fresh data directory, the site is
served by `kotoverkko serve` with two worker processes. Each page is loaded for a fixed time
(after a warm-up) by wrk, or by a Python load generator in separate processes when wrk is not
installed. Rounds of trivial view, network home, directory run one after the other, and one
more trivial run closes them; each page is compared with the trivial runs before and after it.

    python bench/pages.py            # full size, 3 rounds of 8 s per page
    python bench/pages.py --quick    # smaller data, 1 round of 3 s per page
    python bench/pages.py --keep     # keep the data directory afterwards

Targets (reported, not asserted): cached page >= 0.9 of trivial, directory >= 0.25 of trivial,
query count independent of data size. The exit code is 0 unless the benchmark itself broke.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"
WORKERS = 2
TOP_SLUG = "bench-verkosto"  # the top network that bench/_data.py generates
SMALL_ORGANISATIONS, SMALL_PEOPLE = 100, 1_000

# Settings the benchmark decides itself; values from the caller's shell would skew it.
CLEARED_ENV = (
    "DEBUG",
    "DATABASE_URL",
    "REDIS_URL",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "HTTPS",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "TASKS_BACKEND",
    "CONN_MAX_AGE",
    "WEB_WORKERS",
    "DJANGO_SETTINGS_MODULE",
    "LOG_FORMAT",
    "EMAIL_HOST",
    "SECRET_KEY",
)


class BenchmarkBroke(Exception):
    """The measurement itself failed (server did not start, a page answered with an error)."""


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    target: float | None  # minimum ratio to the trivial view's requests/s; None: the baseline
    cached: bool = False


@dataclass
class Run:
    page: Page
    round: int
    requests: int
    rps: float
    errors: int
    server_cpu_ms: float | None  # server CPU time per request (all server processes)


@dataclass
class Result:
    runs: list[Run] = field(default_factory=list)
    queries: dict[str, dict[str, dict]] = field(default_factory=dict)  # "small"/"full" -> path


def pages() -> list[Page]:
    return [
        Page("trivial view", "/_bench/trivial", None),
        Page("network home (cached)", f"/fi/networks/{TOP_SLUG}/", 0.9, cached=True),
        Page("organisation directory", "/fi/organisations/", 0.25),
        Page("directory ?type=ngo&page=3", "/fi/organisations/?type=ngo&page=3", 0.25),
    ]


# Environment and child processes ------------------------------------------------------------


def bench_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED_ENV}
    env.update(
        {
            "DATA_DIR": str(data_dir),
            "KOTOVERKKO_PROFILE": "development",
            "PAGE_CACHE_SECONDS": "300",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def kotoverkko(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "kotoverkko", *args], env=env, check=True, stdout=subprocess.DEVNULL
    )


def data_command(args: list[str], env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, str(HERE / "_data.py"), *args],
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """`kotoverkko serve` in its own process group, so that it and its workers stop together."""

    def __init__(self, env: dict[str, str], port: int, log: Path):
        self.env, self.port, self.log_path = env, port, log
        self.process: subprocess.Popen | None = None
        self.log = None

    def start(self, timeout: float = 90) -> None:
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "kotoverkko", "serve", "--host", HOST),
                *("--port", str(self.port), "--workers", str(WORKERS)),
                *("--no-worker", "--no-migrate"),
            ],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchmarkBroke("The server stopped while starting:\n" + self.log_tail())
            try:
                status, _headers, _body = fetch(self.port, "/healthz")
            except OSError:
                status = None
            if status == 200:
                return
            time.sleep(0.2)
        raise BenchmarkBroke("The server did not answer /healthz in time:\n" + self.log_tail())

    def cpu_seconds(self) -> float | None:
        """User and system time of every process in the server's group (Linux /proc)."""
        if self.process is None or not Path("/proc/self/stat").exists():
            return None
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # the process ended meanwhile
            # After the command name: state, ppid, pgrp, ..., utime (12th), stime (13th).
            if int(fields[2]) == self.process.pid:
                total += int(fields[11]) + int(fields[12])
        return total / ticks

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=20)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.log is not None:
            self.log.close()
        self.process = self.log = None


def fetch(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def check_page(port: int, page: Page) -> str:
    """Fail early on an error page; for a cached page, see that the cache answers."""
    status, headers, body = fetch(port, page.path)
    if status != 200:
        raise BenchmarkBroke(f"{page.path} answered {status}: {body[:300]!r}")
    note = f"{len(body):,} bytes"
    if page.cached:
        # The per-process cache fills once in each worker; ask until some answer is a hit.
        hits = 0
        for _ in range(WORKERS * 4):
            _status, headers, _body = fetch(port, page.path)
            hits += headers.get("X-Page-Cache") == "hit"
        if not hits:
            raise BenchmarkBroke(f"{page.path} is never answered from the page cache.")
        note += ", answered from the page cache"
    return note


# Load generators: each returns (requests answered, requests/s, failures) --------------------


def wrk_run(port: int, path: str, seconds: float, connections: int) -> tuple[int, float, int]:
    url = f"http://{HOST}:{port}{path}"
    done = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", url],
        check=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = done.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    if not rps or not total:
        raise BenchmarkBroke("Could not read wrk's output:\n" + output)
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        # Read errors are left out: wrk counts a connection the server closed after answering
        # (sync workers do not keep connections alive) and reconnects.
        errors += int(match.group(1)) + int(match.group(3)) + int(match.group(4))
    return int(total.group(1)), float(rps.group(1)), errors


def _client_init() -> None:
    # Load processes stop quietly on Ctrl+C or when the pool ends them; the parent cleans up.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _client(port: int, path: str, begin: float, end: float) -> tuple[int, int]:
    """One load process: requests back to back from `begin` until `end` (wall-clock times)."""
    time.sleep(max(0.0, begin - time.time()))
    done = errors = 0
    connection = None
    while time.time() < end:
        try:
            if connection is None:
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
            connection.request("GET", path, headers={"Connection": "keep-alive"})
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                done += 1
            else:
                errors += 1
            if response.will_close:  # gunicorn's sync workers close after each response
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException):
            errors += 1
            if connection is not None:
                connection.close()
            connection = None
    if connection is not None:
        connection.close()
    return done, errors


def python_run(port: int, path: str, seconds: float, clients: int) -> tuple[int, float, int]:
    begin = time.time() + 0.5  # every process has started by then
    context = multiprocessing.get_context("fork")
    pool = context.Pool(clients, initializer=_client_init)
    try:
        results = pool.starmap(_client, [(port, path, begin, begin + seconds)] * clients)
        pool.close()
    finally:
        pool.terminate()
        pool.join()
    done = sum(r[0] for r in results)
    return done, done / seconds, sum(r[1] for r in results)


def load(server: Server, page: Page, seconds: float, options) -> tuple[int, float, int]:
    generator = wrk_run if options.generator == "wrk" else python_run
    return generator(server.port, page.path, seconds, options.connections)


def measure(server: Server, page: Page, round_: int, options) -> Run:
    load(server, page, options.warmup, options)
    cpu_before = server.cpu_seconds()
    requests, rps, errors = load(server, page, options.seconds, options)
    cpu_after = server.cpu_seconds()
    if errors > requests * 0.01:
        raise BenchmarkBroke(f"{page.path}: {errors} failed requests, {requests} answered.")
    cpu_ms = None
    if cpu_before is not None and cpu_after is not None and requests:
        cpu_ms = (cpu_after - cpu_before) * 1000 / requests
    return Run(page, round_, requests, rps, errors, cpu_ms)


# Report -------------------------------------------------------------------------------------


def page_ratios(result: Result, page: Page) -> list[float]:
    """Each run of the page against the mean of the trivial runs just before and after it."""
    trivial = [run for run in result.runs if run.page.target is None]
    ratios = []
    for run in result.runs:
        if run.page != page:
            continue
        before = [t for t in trivial if t.round == run.round]
        after = [t for t in trivial if t.round == run.round + 1]
        baseline = statistics.mean(t.rps for t in before + after)
        ratios.append(run.rps / baseline)
    return ratios


def report(result: Result, options) -> None:
    trivial = [run for run in result.runs if run.page.target is None]
    trivial_rps = statistics.mean(run.rps for run in trivial)
    trivial_cpu = median_or_none([run.server_cpu_ms for run in trivial])
    spread = (max(r.rps for r in trivial) - min(r.rps for r in trivial)) / trivial_rps
    print()
    print(
        f"Load: {options.generator}, {options.connections} connections, {options.rounds} "
        f"round(s) of {options.seconds:g} s per page after {options.warmup:g} s warm-up. "
        f"Server: {WORKERS} gunicorn workers, {options.database_label}, "
        f"{os.cpu_count()} CPUs."
    )
    print(
        f"Trivial view runs: {', '.join(f'{r.rps:,.0f}' for r in trivial)} req/s "
        f"(spread {spread:.0%} of the mean)"
    )
    if spread > 0.25:
        print("The trivial runs differ a lot: something else is using the machine's CPUs.")
    print()
    small = f"{SMALL_ORGANISATIONS:,} org"
    full = f"{options.organisations:,} org"
    columns = [
        ("page", 28, "<"),
        ("req/s", 7, ">"),
        ("ratio", 5, ">"),
        ("target", 6, ">"),
        ("result", 6, ">"),
        ("CPU ms", 6, ">"),
        ("CPU ratio", 9, ">"),
        (f"queries {small}", len(f"queries {small}"), ">"),
        (f"queries {full}", len(f"queries {full}"), ">"),
        ("same", 4, ">"),
    ]

    def line(cells) -> str:
        return "  ".join(
            f"{cell!s:{align}{width}}"
            for cell, (_name, width, align) in zip(cells, columns, strict=True)
        ).rstrip()

    print(line([name for name, _w, _a in columns]))
    print("-" * len(line([name for name, _w, _a in columns])))
    for page in pages():
        runs = [run for run in result.runs if run.page == page]
        q_small = result.queries["small"][page.path]["queries"]
        q_full = result.queries["full"][page.path]["queries"]
        cpu = median_or_none([run.server_cpu_ms for run in runs])
        cpu_ratio = f"{trivial_cpu / cpu:.2f}" if cpu and trivial_cpu else "–"
        if page.target is None:
            rps, ratio, target, verdict = trivial_rps, 1.0, "", ""
        else:
            rps = statistics.median(run.rps for run in runs)
            ratio = statistics.median(page_ratios(result, page))
            target = f">={page.target:g}"
            verdict = "PASS" if ratio >= page.target else "FAIL"
        print(
            line(
                [
                    page.name,
                    f"{rps:,.0f}",
                    f"{ratio:.2f}",
                    target,
                    verdict,
                    f"{cpu:.2f}" if cpu is not None else "–",
                    cpu_ratio,
                    q_small,
                    q_full,
                    "OK" if q_small == q_full else "FAIL",
                ]
            )
        )
    print()
    print(
        "ratio: median over the rounds of req/s against the trivial runs around it. CPU ms: "
        "server CPU time per request; CPU ratio: trivial CPU ms / page CPU ms, the ratio to "
        "expect when the server's CPUs are the only limit. same: query count equal at both sizes."
    )
    print()
    print(f"One uncached anonymous request in-process ({full}, {options.people:,} people):")
    for page in pages():
        info = result.queries["full"][page.path]
        slowest = f", slowest {info['slowest_ms']:.2f} ms" if info["queries"] else ""
        print(
            f"  {page.name:<28} {info['request_cpu_ms']:7.2f} ms CPU, "
            f"{info['queries']} queries in {info['sql_ms']:.2f} ms{slowest}"
        )
    if options.show_sql:
        for page in pages():
            print(f"\n{page.path}")
            for sql in result.queries["full"][page.path]["sql"]:
                print("  " + sql)


def median_or_none(values: list[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return statistics.median(known) if known else None


# Main ---------------------------------------------------------------------------------------


def parse_args(argv: list[str]):
    parser = argparse.ArgumentParser(prog="bench/pages.py", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="1,000 organisations, 10,000 people, one round of 3 s runs",
    )
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    parser.add_argument("--organisations", type=int, default=None)
    parser.add_argument("--people", type=int, default=None)
    parser.add_argument("--seconds", type=float, default=None, help="load time per page")
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument(
        "--connections",
        type=int,
        default=4,
        help="concurrent connections (Python generator: processes)",
    )
    parser.add_argument("--generator", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument(
        "--database-url",
        default=None,
        help='an empty PostgreSQL database instead of SQLite, e.g. "$DATABASE_URL"',
    )
    parser.add_argument("--show-sql", action="store_true", help="print each page's queries")
    options = parser.parse_args(argv)
    options.organisations = options.organisations or (1_000 if options.quick else 10_000)
    options.people = options.people or (10_000 if options.quick else 100_000)
    options.seconds = options.seconds or (3.0 if options.quick else 8.0)
    options.rounds = options.rounds or (1 if options.quick else 3)
    if options.generator == "auto":
        options.generator = "wrk" if shutil.which("wrk") else "python"
    options.database_label = "PostgreSQL" if options.database_url else "SQLite"
    return options


def run(options, data_dir: Path, servers: list[Server]) -> Result:
    env = bench_env(data_dir, options.database_url)
    result = Result()
    step(f"Preparing the database and static files in {data_dir}")
    kotoverkko(["migrate", "--noinput", "-v", "0"], env)
    kotoverkko(["collectstatic", "--noinput", "-v", "0"], env)
    paths = [page.path for page in pages()]
    sizes = {
        "small": (SMALL_ORGANISATIONS, SMALL_PEOPLE),
        "full": (options.organisations, options.people),
    }
    for size, (organisations, people) in sizes.items():
        started = time.perf_counter()
        made = data_command(
            ["generate", "--organisations", str(organisations), "--people", str(people)], env
        )
        step(
            f"Generated {made['networks']} networks, {made['organisations']:,} organisations, "
            f"{made['people']:,} people, {made['memberships']:,} memberships "
            f"in {time.perf_counter() - started:.1f} s; counting queries"
        )
        result.queries[size] = data_command(["queries", *paths], env)
        for path, info in result.queries[size].items():
            if info["status"] != 200:
                raise BenchmarkBroke(f"{path} answered {info['status']} in-process.")

    server = Server(env, free_port(), data_dir / "server.log")
    servers.append(server)
    step(f"Starting the server on port {server.port} ({WORKERS} workers)")
    server.start()
    for page in pages():
        step(f"{page.path}: 200, {check_page(server.port, page)}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    if load > (os.cpu_count() or 1) * 0.5:
        step(f"Load average before measuring: {load:.1f}; the figures will be noisy")

    order = [(round_, page) for round_ in range(options.rounds) for page in pages()]
    order.append((options.rounds, pages()[0]))  # closing trivial run
    for round_, page in order:
        measured = measure(server, page, round_, options)
        cpu = f", {measured.server_cpu_ms:.2f} ms server CPU" if measured.server_cpu_ms else ""
        step(f"{page.path}: {measured.rps:,.0f} req/s ({measured.requests:,} requests{cpu})")
        result.runs.append(measured)
    report(result, options)
    return result


def step(message: str) -> None:
    print("· " + message, flush=True)


def main(argv: list[str] | None = None) -> int:
    options = parse_args(sys.argv[1:] if argv is None else argv)
    return run_benchmark(options, run, data_script="_data.py", prefix="kotoverkko-bench-")


def run_benchmark(options, run_function, *, data_script: str, prefix: str) -> int:
    """Run a benchmark in a fresh data directory and clean up after it, whatever happens:
    servers stopped, generated rows wiped from a PostgreSQL database, the directory removed
    (unless --keep). Returns the exit code."""
    data_dir = Path(tempfile.mkdtemp(prefix=prefix))
    servers: list[Server] = []

    def terminated(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminated)
    try:
        run_function(options, data_dir, servers)
        return 0
    except (BenchmarkBroke, subprocess.CalledProcessError) as error:
        print(f"\nThe benchmark broke: {error}", file=sys.stderr)
        for server in servers:
            if tail := server.log_tail():
                print("Server log:\n" + tail, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
    finally:
        for server in servers:
            server.stop()
        if options.database_url and not options.keep:
            subprocess.run(
                [sys.executable, str(HERE / data_script), "wipe"],
                env=bench_env(data_dir, options.database_url),
                check=False,
                stdout=subprocess.DEVNULL,
            )
        if options.keep:
            print(f"Data kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
