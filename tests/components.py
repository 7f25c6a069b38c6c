"""System components some tests need: skip with the reason on a bare machine, fail in CI."""

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
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    return None


def axe_script() -> Path:
    return ROOT / "node_modules" / "axe-core" / "axe.min.js"


def require_browser() -> tuple[str, Path]:
    path = chromium_path()
    require(path is not None,
            "Chromium is not installed (Debian: apt-get install chromium chromium-driver)")
    require(axe_script().exists(), "axe-core is not installed (run: npm install)")
    return path, axe_script()
