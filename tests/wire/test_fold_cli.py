"""``python -m playground.wire.fold [FILE|-]`` prints one JSON object and exits 0, 1 or 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRANSCRIPTS = Path(__file__).resolve().parent / "transcripts"


def fold(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "playground.wire.fold", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_a_complete_stream_prints_the_message_and_exits_zero():
    done = fold(str(TRANSCRIPTS / "tool_use_split.sse"))
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert printed["ok"] is True
    assert printed["message"]["content"][2]["input"] == {"zone": "UTC"}
    assert done.stdout.count(b"\n") == 1  # one JSON object on one line


def test_a_stream_ending_in_an_error_prints_the_error_and_the_partial_and_exits_one():
    done = fold(str(TRANSCRIPTS / "error_midstream.sse"))
    assert done.returncode == 1
    printed = json.loads(done.stdout)
    assert printed["ok"] is False
    assert printed["error"] == {"type": "overloaded_error", "message": "Overloaded"}
    assert printed["partial"]["content"][1]["text"] == "Half an ans"


def test_a_dash_reads_the_stream_from_stdin():
    done = fold("-", stdin=(TRANSCRIPTS / "crlf_lines.sse").read_bytes())
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["message"]["id"] == "msg_thinking_text"


def test_a_missing_file_is_unreadable_input_with_a_message_on_stderr(tmp_path):
    done = fold(str(tmp_path / "nothing.sse"))
    assert done.returncode == 2
    assert done.stdout == b""
    assert b"cannot read" in done.stderr
    assert b"nothing.sse" in done.stderr


def test_input_without_any_event_is_unreadable(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(b"<html><body>502 Bad Gateway</body></html>\n")
    done = fold(str(path))
    assert done.returncode == 2
    assert b"no server-sent events" in done.stderr
