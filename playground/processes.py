"""Child processes the project starts (the Simulator, Daphne, PostgreSQL, Redis): stopping them
as an operator would, and making them die with their parent."""

from __future__ import annotations

import ctypes
import signal
import subprocess

# How long a signalled process may take to exit before it is killed.
STOP_GRACE_SECONDS = 15.0


def process_stop(process: subprocess.Popen[bytes], *, sig: int = signal.SIGTERM) -> int:
    """Signal the process and wait for it (killing it if it hangs); return its exit code."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            return process.wait(timeout=STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
    return process.wait()


def die_with_parent() -> None:
    """For ``preexec_fn`` (Linux only): PR_SET_PDEATHSIG, so that the child gets SIGTERM if this
    process dies without stopping it."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
