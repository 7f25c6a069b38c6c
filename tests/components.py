"""System components some tests need: skip with the reason on a bare machine, fail in CI."""

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def require(present: bool, reason: str) -> None:
    if present:
        return
    if os.environ.get("KOTOVERKKO_REQUIRE_COMPONENTS") == "1":
        pytest.fail(f"Missing component (required here): {reason}")
    pytest.skip(reason)


def chromium_path() -> str | None:
    """The system Chromium: KOTOVERKKO_CHROMIUM if set, else the first one on PATH."""
    if configured := os.environ.get("KOTOVERKKO_CHROMIUM"):
        return configured if os.access(configured, os.X_OK) else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    return None


def axe_script() -> Path:
    return ROOT / "node_modules" / "axe-core" / "axe.min.js"


def require_browser() -> tuple[str, Path]:
    """Chromium, Playwright for Python and axe-core, or a skip (a failure in CI) saying which."""
    require(
        importlib.util.find_spec("playwright") is not None,
        "Playwright for Python is not installed (pip install -e '.[dev]')",
    )
    path = chromium_path()
    require(
        path is not None,
        "Chromium is not installed (Debian: apt-get install chromium), "
        "or KOTOVERKKO_CHROMIUM does not point to an executable",
    )
    require(axe_script().exists(), "axe-core is not installed (run: npm install)")
    return path, axe_script()
