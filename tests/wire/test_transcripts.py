"""The recorded transcripts on disk are exactly what their generator script writes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

TRANSCRIPTS = Path(__file__).resolve().parent / "transcripts"


def load_generator():
    spec = importlib.util.spec_from_file_location(
        "transcripts_generate", TRANSCRIPTS / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_transcript_file_matches_its_generator():
    expected = load_generator().rendered()
    on_disk = {path.name: path.read_bytes() for path in TRANSCRIPTS.glob("*.sse")}
    assert set(on_disk) == set(expected), "run python tests/wire/transcripts/generate.py"
    for name, content in expected.items():
        assert on_disk[name] == content, f"{name} is stale: run tests/wire/transcripts/generate.py"


def test_the_transcripts_cover_the_framing_the_decoder_must_survive():
    files = {path.stem: path.read_bytes() for path in TRANSCRIPTS.glob("*.sse")}
    assert b"\r\n" in files["crlf_lines"] and b"\n\n" not in files["crlf_lines"]
    assert b"\r\r" in files["cr_lines"]
    assert b": keep-alive\n" in files["keepalive_queue"]
    assert b"\ndata:  " in files["multiline_data"]  # JSON spread over several data lines
    assert b"event: error\n" in files["error_midstream"]
    assert b"input_json_delta" in files["tool_use_split"]
