"""The `kotoverkko` command: serve, demo, worker, and every Django management command."""

import os
import signal
import subprocess
import sys
import time


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotoverkko.conf.settings")


def _manage(args: list[str]) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kotoverkko", *args])


def serve(argv: list[str]) -> int:
    """Run gunicorn with several workers and the background worker until interrupted."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="kotoverkko serve", description="Run the site and the background worker."
    )
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "3")))
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="Do not start the background worker (run it separately).",
    )
    parser.add_argument("--no-migrate", action="store_true")
    options = parser.parse_args(argv)

    if not options.no_migrate:
        _run_subcommand(["migrate", "--noinput", "-v", "0"])
    _run_subcommand(["collectstatic", "--noinput", "-v", "0"])

    children: list[subprocess.Popen] = []
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kotoverkko.conf.wsgi:application",
            "--bind",
            f"{options.host}:{options.port}",
            "--workers",
            str(options.workers),
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
    )
    children.append(web)
    if not options.no_worker:
        children.append(subprocess.Popen([sys.executable, "-m", "kotoverkko", "worker"]))
    print(
        f"Kotoverkko is running at http://{options.host}:{options.port}/ (Ctrl+C stops it)",
        flush=True,
    )

    def stop(signum, frame):
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    finally:
        stop(None, None)
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
    return max((child.returncode or 0) for child in children)


def _run_subcommand(args: list[str]) -> None:
    subprocess.run([sys.executable, "-m", "kotoverkko", *args], check=True)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    _django_setup()
    if argv and argv[0] == "serve":
        sys.exit(serve(argv[1:]))
    _manage(argv or ["help"])


if __name__ == "__main__":
    main()
