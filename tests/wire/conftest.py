"""Fixtures for the wire tests: the recorded transcripts, and the official SDK as the oracle.

``sdk_outcome(name)`` runs the ``anthropic`` SDK's own streaming path over a transcript's bytes
(``messages.stream(...)`` through an ``httpx2.MockTransport`` that answers with those bytes, then
``get_final_message()``) and records, in JSON form, what it returned, or what it raised and the
snapshot it had folded until then. The SDK is the reference implementation wire must agree with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import anthropic
import httpx2
import pytest

TRANSCRIPTS_DIR = Path(__file__).resolve().parent / "transcripts"
TRANSCRIPT_NAMES = sorted(path.stem for path in TRANSCRIPTS_DIR.glob("*.sse"))


@dataclass(frozen=True)
class SdkOutcome:
    """``message`` when ``get_final_message()`` returned; else the exception and the snapshot."""

    message: dict[str, Any] | None
    raised: BaseException | None
    snapshot: dict[str, Any] | None


def read_transcript(name: str) -> bytes:
    return (TRANSCRIPTS_DIR / f"{name}.sse").read_bytes()


@cache
def sdk_outcome_of(raw: bytes) -> SdkOutcome:
    def answer(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=raw)

    http = httpx2.Client(transport=httpx2.MockTransport(answer))
    client = anthropic.Anthropic(
        api_key="sim-oracle", base_url="http://oracle.invalid", http_client=http, max_retries=0
    )
    with client.messages.stream(
        model="deepseek-v4-flash", max_tokens=64, messages=[{"role": "user", "content": "Hi"}]
    ) as stream:
        try:
            return SdkOutcome(stream.get_final_message().to_dict(mode="json"), None, None)
        except Exception as exc:  # the SDK raises for error events and broken streams
            try:
                snapshot = stream.current_message_snapshot.to_dict(mode="json")
            except AssertionError:  # nothing had started
                snapshot = None
            return SdkOutcome(None, exc, snapshot)


@pytest.fixture(scope="session")
def sdk_outcome() -> Callable[[str], SdkOutcome]:
    return lambda name: sdk_outcome_of(read_transcript(name))


@pytest.fixture(scope="session")
def transcript() -> Callable[[str], bytes]:
    return read_transcript
