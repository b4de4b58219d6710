"""Real PostgreSQL and Redis servers on loopback, run as this machine's own programs, for the
scale-out tests, the cluster benchmark and ``make run-cluster``.

PostgreSQL: the programs in ``pg_config --bindir`` (Debian's ``postgresql`` package). It refuses
to run as root, so as root ``initdb`` and ``pg_ctl`` run as the ``postgres`` user (through
``runuser``). The server listens on 127.0.0.1 only, trusts connections from there (and from its
own socket directory) and has one database, ``playground``, owned by the ``postgres`` superuser.

Redis: ``redis-server`` on PATH (Debian's ``redis-server`` package), on 127.0.0.1, persisting
nothing.

Either raises ``ServerUnavailable`` saying what is missing and how to install it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from playground.processes import die_with_parent, process_stop

DATABASE = "playground"
_FAST = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


class ServerUnavailable(RuntimeError):
    """A server cannot be started here; the message says what is missing."""


def free_port() -> int:
    """A loopback port free at this moment (the server is told it, as an operator would)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- PostgreSQL -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RunningPostgres:
    url: str  # DATABASE_URL for the ``playground`` database
    port: int
    data_dir: Path
    bindir: Path
    temporary: bool  # its directory goes when it stops

    def stop(self) -> None:
        _run_as_postgres(
            [str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop"],
            check=False,
        )
        if self.temporary:
            shutil.rmtree(self.data_dir.parent, ignore_errors=True)


def postgres_bindir() -> Path:
    """Where PostgreSQL's programs are, or ``ServerUnavailable`` saying what is missing."""
    pg_config = shutil.which("pg_config")
    if pg_config is None:
        raise ServerUnavailable(
            "PostgreSQL's programs are not installed (no pg_config on PATH): "
            "apt-get install postgresql"
        )
    bindir = Path(
        subprocess.run(  # noqa: S603  (PostgreSQL's own program, no shell)
            [pg_config, "--bindir"], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    missing = [name for name in ("initdb", "pg_ctl", "postgres") if not (bindir / name).exists()]
    if missing:
        raise ServerUnavailable(
            f"PostgreSQL's server programs are missing from {bindir} ({', '.join(missing)}): "
            "apt-get install postgresql"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise ServerUnavailable(
                "PostgreSQL refuses to run as root and there is no postgres user to run it as: "
                "apt-get install postgresql creates one"
            ) from None
        if shutil.which("runuser") is None:
            raise ServerUnavailable("running PostgreSQL as the postgres user needs runuser")
    return bindir


def postgres_start(*, data_dir: Path | None = None, fast: bool = False) -> RunningPostgres:
    """Start PostgreSQL on a free loopback port and return it once it accepts connections.

    ``data_dir`` None: a new temporary cluster, removed when it stops. Otherwise the cluster in
    ``data_dir``, created there the first time. ``fast`` trades durability for speed (fsync and
    full-page writes off), for tests only.
    """
    bindir = postgres_bindir()
    temporary = data_dir is None
    if data_dir is None:
        data_dir = Path(tempfile.mkdtemp(prefix="playground-postgres-")) / "data"
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    _give_to_postgres(data_dir.parent)
    log_path = data_dir.parent / "postgres.log"
    if not (data_dir / "PG_VERSION").exists():
        _run_as_postgres(
            [
                str(bindir / "initdb"),
                "-D",
                str(data_dir),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
                "--no-instructions",
            ]
        )
        # Trust only what comes from this machine: its own socket and 127.0.0.1.
        (data_dir / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\n"
        )
        _give_to_postgres(data_dir / "pg_hba.conf")
    port = free_port()
    options = [
        f"-p {port}",
        "-c listen_addresses=127.0.0.1",
        f"-c unix_socket_directories={data_dir.parent}",
        "-c max_connections=300",
        *(f"-c {setting}" for setting in (_FAST if fast else ())),
    ]
    _run_as_postgres(
        [
            str(bindir / "pg_ctl"),
            "-D",
            str(data_dir),
            "-l",
            str(log_path),
            "-o",
            " ".join(options),
            "-w",
            "-t",
            "60",
            "start",
        ],
        log_path=log_path,
    )
    running = RunningPostgres(
        url=f"postgresql://postgres@127.0.0.1:{port}/{DATABASE}",
        port=port,
        data_dir=data_dir,
        bindir=bindir,
        temporary=temporary,
    )
    try:
        _create_database(running)
    except ServerUnavailable:
        running.stop()
        raise
    return running


def _create_database(running: RunningPostgres) -> None:
    command = [str(running.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(running.port)]
    try:
        _run_as_postgres([*command, "-U", "postgres", DATABASE])
    except ServerUnavailable as failure:
        if "already exists" not in str(failure):  # a kept cluster, started again
            raise


def _give_to_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, user="postgres", group="postgres")


def _run_as_postgres(
    command: list[str], *, check: bool = True, log_path: Path | None = None
) -> str:
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    done = subprocess.run(  # noqa: S603  (our own command line, no shell)
        command, capture_output=True, text=True, cwd="/", check=False
    )
    if check and done.returncode:
        log = log_path.read_text(errors="replace") if log_path and log_path.exists() else ""
        raise ServerUnavailable(
            f"{Path(command[4 if command[0] == 'runuser' else 0]).name} failed "
            f"({done.returncode}):\n{done.stdout}{done.stderr}{log}"
        )
    return done.stdout


# --- Redis ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunningRedis:
    url: str  # REDIS_URL
    port: int
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        process_stop(self.process)


def redis_start(*, log_path: Path, timeout: float = 30) -> RunningRedis:
    """Start ``redis-server`` on a free loopback port; return it once it answers PING."""
    program = shutil.which("redis-server")
    if program is None:
        raise ServerUnavailable("redis-server is not installed: apt-get install redis-server")
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603  (our own command line, no shell)
            [
                program,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent if sys.platform == "linux" else None,
        )
    running = RunningRedis(url=f"redis://127.0.0.1:{port}/0", port=port, process=process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if _redis_pong(port):
            return running
        time.sleep(0.05)
    running.stop()
    raise ServerUnavailable(f"redis-server did not start:\n{log_path.read_text(errors='replace')}")


def _redis_pong(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False
