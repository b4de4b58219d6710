"""This process's name among the playground's processes.

A streaming answer records the name of the process whose generation writes it (``runner``), so
that the same process, restarted, marks what its previous life left streaming as interrupted,
and so that a Stop pressed in another process reaches it (``process_group``).

``PLAYGROUND_PROCESS_NAME`` sets the name. Without it, a process serving under the ``daphne``
command is named by its host and the addresses Daphne listens on: the same after a restart, and
distinct among the processes of one host, which cannot listen on the same address. Any other
process (a shell, a command, the test suite), or a Daphne on a port the system picks, is named
by its host and process id, which no later life reuses.
"""

from __future__ import annotations

import hashlib
import os
import socket
import sys
from functools import cache

from django.conf import settings

MAX_LENGTH = 128  # Message.runner's


def serving_under_daphne() -> bool:
    """Whether the ``daphne`` command (``daphne …`` or ``python -m daphne …``) runs this process."""
    return "daphne.cli" in sys.modules


@cache
def process_name() -> str:
    name = settings.PLAYGROUND_PROCESS_NAME.strip()
    if not name:
        listening = _daphne_addresses() if serving_under_daphne() else None
        name = f"{socket.gethostname()} {listening or f'pid {os.getpid()}'}"
    if len(name) > MAX_LENGTH:
        digest = hashlib.sha256(name.encode()).hexdigest()[:16]
        name = f"{name[: MAX_LENGTH - 17]}~{digest}"
    return name


def process_group(name: str) -> str:
    """The channel-layer group the process named ``name`` listens on (group names allow only
    a few characters, hence the digest)."""
    return f"process-{hashlib.sha256(name.encode()).hexdigest()[:32]}"


def _daphne_addresses() -> str | None:
    """Where Daphne listens, from its command line as its own parser reads it; None when that is
    a port the system picks (a name no later life would share) or cannot be read."""
    from daphne.cli import DEFAULT_HOST, DEFAULT_PORT, CommandLineInterface

    try:
        args, _ = CommandLineInterface().parser.parse_known_args(sys.argv[1:])
    except SystemExit:
        return None
    addresses = list(args.socket_strings)
    if args.unix_socket:
        addresses.append(f"unix:{args.unix_socket}")
    if args.file_descriptor is not None:
        addresses.append(f"fd:{args.file_descriptor}")
    if args.host or args.port is not None or not addresses:
        port = DEFAULT_PORT if args.port is None else args.port
        addresses.append(f"{args.host or DEFAULT_HOST}:{port}")
    if args.port == 0 or any("port=0:" in a or a.endswith("port=0") for a in addresses):
        return None
    return " ".join(sorted(addresses))
