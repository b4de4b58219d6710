"""The programs that serve run Daphne on uvloop unless told otherwise (``playground.reactor``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "from playground.reactor import reactor_install\n"
    "print(reactor_install())\n"
    "import daphne.server\n"  # keeps the reactor it finds
    "from twisted.internet import reactor\n"
    "print(type(reactor._asyncioEventloop).__module__)\n"
)


def _probe(loop: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PLAYGROUND_EVENT_LOOP"}
    if loop is not None:
        env["PLAYGROUND_EVENT_LOOP"] = loop
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_daphne_runs_on_uvloop_by_default():
    done = _probe(None)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["uvloop", "uvloop"]


def test_plain_asyncio_can_be_chosen():
    done = _probe("asyncio")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["asyncio", "asyncio.unix_events"]


def test_an_unknown_loop_is_refused_in_words():
    done = _probe("tokio")
    assert done.returncode != 0
    assert "PLAYGROUND_EVENT_LOOP must be one of uvloop, asyncio, not 'tokio'" in done.stderr
