"""Browser fixtures: the real app under Daphne in a subprocess, Debian's Chromium via Playwright.

The app gets a fresh SQLite database in a temporary ``PLAYGROUND_DATA_DIR`` (migrated first), and
its DeepSeek provider points at the session's Simulator, so that "Test key" really goes upstream.
Without a ``chromium`` on the PATH (CI installs Debian's with apt) these tests are skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from playground.processes import process_stop

BASE_DIR = Path(__file__).resolve().parent.parent.parent
_LISTENING = re.compile(r"Listening on TCP address 127\.0\.0\.1:(\d+)")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("no chromium on the PATH: install Debian's with `apt-get install chromium`")
    return path


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory, simulator) -> Iterator[str]:
    """The base URL of the app served by Daphne on a free loopback port."""
    data_dir = tmp_path_factory.mktemp("live-app")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "playground.settings",
        "PLAYGROUND_DATA_DIR": str(data_dir),
        "PLAYGROUND_DEEPSEEK_BASE_URL": simulator.base_url,
        "PLAYGROUND_SIMULATOR_BASE_URL": simulator.base_url,
        "PYTHONUNBUFFERED": "1",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
    )
    log_path = data_dir / "daphne.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "playground.serve",  # what `make run` serves: Daphne with websocket compression
                "-e",
                "tcp:port=0:interface=127.0.0.1",
                "playground.asgi:application",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield f"http://127.0.0.1:{_wait_for_port(process, log_path)}"
    finally:
        process_stop(process)


def _wait_for_port(process: subprocess.Popen, log_path: Path) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if match := _LISTENING.search(log_path.read_text(errors="replace")):
            return int(match.group(1))
        if process.poll() is not None:
            break
        time.sleep(0.05)
    raise RuntimeError(f"Daphne did not start:\n{log_path.read_text(errors='replace')}")


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator:
    # Module scope, not session: Playwright's sync API keeps an event loop running in this
    # thread while it is open, and pytest-asyncio cannot run the async tests that follow then.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh browser context (no cookies) and page; console errors fail the test."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"the browser reported errors: {errors}"
