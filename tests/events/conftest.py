"""A real headless Chromium for the timeline test: found on PATH, or installed from Debian."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
#: Flags that keep a headless run offline and self-contained (no sync, updates or prefetch).
BROWSER_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def _find() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def _install() -> str:
    """Install Debian's chromium (root and apt-get needed); the reason it failed otherwise."""
    if not shutil.which("apt-get"):
        return "no apt-get on this machine"
    if os.geteuid() != 0:
        return "not root, cannot apt-get install chromium"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
        if done.returncode != 0:
            return f"{' '.join(command)} failed: {done.stderr.strip()[-300:]}"
    return ""


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of a headless-capable Chromium; installed here when missing."""
    found = _find()
    if found is None:
        reason = _install()
        found = _find()
        if found is None:
            pytest.skip(f"no Chromium and it could not be installed: {reason}")
    return found


def dump_dom(browser: str, page: Path, profile: Path) -> str:
    """The page's DOM after load and scripts, as the browser serialises it."""
    done = subprocess.run(
        [
            browser,
            *BROWSER_FLAGS,
            f"--user-data-dir={profile}",
            "--virtual-time-budget=5000",
            "--dump-dom",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout
