"""The event loop under Daphne: uvloop when it is installed (it is a dependency on Linux and
macOS), asyncio's own otherwise or when ``PLAYGROUND_EVENT_LOOP=asyncio``.

Daphne runs Twisted's asyncio reactor and installs it, on a new asyncio loop, when
``daphne.server`` is first imported; a reactor installed before that import is kept. So the
programs that serve (``python -m playground.serve``, ``manage.py simulator`` and ``runserver``)
call ``reactor_install`` before they import Daphne (``manage.py`` before Django's setup, which
imports Daphne's app). A relay is mostly many sockets' small reads and
writes, which is what uvloop makes cheaper: with 100 answers streaming, the process spends about a
fifth less time for the same work (``make bench``).
"""

from __future__ import annotations

import asyncio
import os
import sys

LOOPS = ("uvloop", "asyncio")


def reactor_install() -> str:
    """Install Twisted's asyncio reactor on the chosen loop, unless a reactor is installed
    already; return the loop's name ("asyncio" when uvloop is asked for but missing)."""
    chosen = os.environ.get("PLAYGROUND_EVENT_LOOP", "uvloop").strip().lower() or "uvloop"
    if chosen not in LOOPS:
        raise SystemExit(f"PLAYGROUND_EVENT_LOOP must be one of {', '.join(LOOPS)}, not {chosen!r}")
    if "twisted.internet.reactor" in sys.modules:
        return "installed"
    loop = None
    if chosen == "uvloop":
        try:
            import uvloop
        except ImportError:
            chosen = "asyncio"
        else:
            loop = uvloop.new_event_loop()
    from twisted.internet import asyncioreactor

    asyncioreactor.install(loop or asyncio.new_event_loop())
    return chosen


def reactor_loop() -> str:
    """The name of the loop under the installed reactor: "uvloop" or "asyncio"."""
    from twisted.internet import reactor

    module = type(getattr(reactor, "_asyncioEventloop", None)).__module__
    return "uvloop" if module.startswith("uvloop") else "asyncio"
