"""Run a command against a temporary PostgreSQL: ``python -m playground.cluster.with_postgres
[--if-available] -- COMMAND…`` starts one (``servers.postgres_start``, durability traded for
speed), runs the command with ``DATABASE_URL`` pointing at it, stops it and exits with the
command's code. ``make test-postgres`` runs the test suite this way.

With ``--if-available``, a machine without PostgreSQL's programs skips the command, saying why,
and exits 0; without it, that is an error.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from playground.cluster.servers import ServerUnavailable, postgres_start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m playground.cluster.with_postgres")
    parser.add_argument("--if-available", action="store_true", help="skip without PostgreSQL")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command to run")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    try:
        postgres = postgres_start(fast=True)
    except ServerUnavailable as unavailable:
        if args.if_available:
            print(f"Skipping the run on PostgreSQL: {unavailable}", flush=True)
            return 0
        print(f"Cannot run on PostgreSQL: {unavailable}", file=sys.stderr, flush=True)
        return 1
    print(f"Running on PostgreSQL ({postgres.url}): {' '.join(command)}", flush=True)
    try:
        return subprocess.run(  # noqa: S603  (the command the developer gave)
            command, env={**os.environ, "DATABASE_URL": postgres.url}, check=False
        ).returncode
    finally:
        postgres.stop()


if __name__ == "__main__":
    sys.exit(main())
