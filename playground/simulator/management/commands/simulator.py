"""``python manage.py simulator --port N``: serve the Simulator alone, with Daphne.

Prints one line once listening (``--port 0`` picks a free port and the line tells which), and
stops cleanly on SIGINT or SIGTERM.
"""

from __future__ import annotations

from dataclasses import fields

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from playground.reactor import reactor_loop
from playground.simulator.config import SimulatorConfig

# Command-line options that map one to one onto SimulatorConfig fields, with their settings.
_OPTIONS = {
    "tokens_per_second": "PLAYGROUND_SIMULATOR_TOKENS_PER_SECOND",
    "first_byte_delay": "PLAYGROUND_SIMULATOR_FIRST_BYTE_DELAY",
    "slow_first_byte_seconds": "PLAYGROUND_SIMULATOR_SLOW_FIRST_BYTE_SECONDS",
    "queue_seconds": "PLAYGROUND_SIMULATOR_QUEUE_SECONDS",
    "keepalive_interval": "PLAYGROUND_SIMULATOR_KEEPALIVE_INTERVAL",
    "retry_after_seconds": "PLAYGROUND_SIMULATOR_RETRY_AFTER_SECONDS",
}


class Command(BaseCommand):
    help = "Serve the Simulator (an offline Anthropic-compatible upstream) on its own port."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="interface to listen on")
        parser.add_argument("--port", type=int, default=8001, help="port; 0 picks a free one")
        types = {field.name: field.type for field in fields(SimulatorConfig)}
        for name, setting in _OPTIONS.items():
            parser.add_argument(
                "--" + name.replace("_", "-"),
                type=int if types[name] in (int, "int") else float,
                default=None,
                help=f"default: settings.{setting}",
            )

    def handle(self, *args: object, **options: object) -> None:
        # Twisted's reactor is installed by now: manage.py installed ours (on uvloop) before
        # Django's setup imported Daphne's app, which would have installed one on plain asyncio.
        from daphne.server import Server

        from playground.simulator.app import SimulatorApp

        try:
            config = SimulatorConfig(
                **{
                    name: options[name] if options[name] is not None else getattr(settings, setting)
                    for name, setting in _OPTIONS.items()
                }
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        host = str(options["host"])
        interface = host.replace(":", r"\:")
        server = Server(
            application=SimulatorApp(config),
            endpoints=[f"tcp:port={options['port']}:interface={interface}"],
            signal_handlers=True,
            ready_callable=lambda: self._announce(server, host),
            verbosity=0,
        )
        server.run()
        if not server.listening_addresses:
            raise CommandError(f"the Simulator could not listen on {host}:{options['port']}")
        self.stdout.write("Simulator stopped.")

    def _announce(self, server: object, host: str) -> None:
        for _, port in server.listening_addresses:
            bracketed = f"[{host}]" if ":" in host else host
            self.stdout.write(
                f"Simulator listening on http://{bracketed}:{port} (Daphne on {reactor_loop()})"
            )
        self.stdout.flush()
