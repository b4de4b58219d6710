"""Starts a serving process's duties (``playground.cluster.duties``) once Daphne runs.

Daphne sends no ASGI lifespan events, so the duties are scheduled from ``ready()``, and only in a
process that the ``daphne`` command started (``manage.py migrate``, a shell or the test suite
never run them): Twisted calls them once its reactor, and with it the asyncio loop, is running.
"""

from __future__ import annotations

from django.apps import AppConfig


class ClusterConfig(AppConfig):
    name = "playground.cluster"
    label = "cluster"
    verbose_name = "Cluster"

    def ready(self) -> None:
        from playground.cluster.identity import serving_under_daphne

        if not serving_under_daphne():
            return
        from twisted.internet import reactor

        from playground.cluster.duties import duties_start

        # callLater from inside the running reactor: the duties start inside the asyncio loop.
        reactor.callWhenRunning(reactor.callLater, 0, duties_start)
