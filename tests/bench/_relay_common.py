"""What the relay benchmark measures, whichever architecture serves the app: the prompts, a
browser's reading of the frames, the SDK reference, the measures and the printed reports.

An architecture is an ``App`` (where the server runs, its RSS, what it stored for each answer)
and its browsers, each able to ``ask`` one question over the page's websocket.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import anthropic

from playground.simulator.process import RunningSimulator
from tests.compose import compose

THROUGHPUT_TOKENS = 20_000
THROUGHPUT_REPEATS = 3
PACE_TOKENS = 500
PACE_SPEED = 100
PACE_STREAMS = (1, 100)
GOALS = {"throughput": 1.2, "pace 1": 1.05, "pace 100": 1.25, "bytes": 1.5}
MODEL = "deepseek-v4-flash"
_WORD = re.compile(r"\bw\d+\b")
_OPENING = 'hx-swap-oob="beforeend:#messages,'
_ANSWER_ID = re.compile(r'<article id="m-(\d+)" class="message message-assistant')
_RESYNC = re.compile(r'<article id="m-(\d+)" class="message message-assistant state-(\w+)"')


def words(count: int) -> str:
    return " ".join(f"w{n}" for n in range(count))


def prompt(count: int, speed: int | None) -> str:
    return f"[[echo]] {f'[[speed:{speed}]] ' if speed else ''}{words(count)}"


def send_data(text: str) -> dict[str, Any]:
    """What the page sends over its websocket for Send with ``text`` in the Message box."""
    return compose(text, model=MODEL, max_tokens="32000")


# --- the relay, as a browser sees it ----------------------------------------------------------


@dataclass
class RelayRun:
    sent_at: float = 0.0
    done_at: float = 0.0
    answer_id: int = 0
    socket_bytes: int = 0  # websocket message payloads, as the page's script gets them
    wire_bytes: int | None = None  # the same messages as framed on the wire (compressed), if known
    frames: int = 0  # frames of the answer between the opening and the last
    first_delta_at: float | None = None
    last_delta_at: float = 0.0
    token_times: list[float] = field(default_factory=list)  # arrival of token k, by k
    fetch_bytes: int = 0  # the finished answer, fetched once over HTTP

    def take(self, html: str, now: float) -> bool:
        """Account for one frame received at ``now``; True once it is the answer's last."""
        self.socket_bytes += len(html.encode())
        if _OPENING in html:
            if match := _ANSWER_ID.search(html):
                self.answer_id = int(match.group(1))
            return False
        if not self.answer_id:
            return False  # the reply to the send (errors emptied, a fresh Message box)
        if f'hx-get="/m/{self.answer_id}/"' in html:
            self.done_at = now
            return True
        self.frames += 1
        arrived = len(_WORD.findall(html))
        resynced = _RESYNC.search(html)
        if resynced and int(resynced.group(1)) == self.answer_id:
            # The whole answer so far (a socket resyncs after a gap, or after its last frame
            # was lost): only the words not seen yet are new. A finished answer ends the run.
            arrived = max(0, arrived - len(self.token_times))
            if resynced.group(2) != "streaming":
                self._arrive(arrived, now)
                self.done_at = now
                return True
        self._arrive(arrived, now)
        return False

    def _arrive(self, arrived: int, now: float) -> None:
        if arrived:
            self.first_delta_at = self.first_delta_at or now
            self.last_delta_at = now
            self.token_times += [now] * arrived


class Browser(Protocol):
    async def ask(self, text: str, *, together: asyncio.Barrier | None = None) -> RelayRun: ...


@dataclass(frozen=True)
class Stored:
    """What the server keeps of one answer, as far as cost goes."""

    question_html_bytes: int  # the question, as the page finally shows it
    writes: int  # writes to the answer's row


class App(Protocol):
    """Where the relay runs, as the benchmark sees it."""

    name: str  # named on every figure
    rss_covers: str  # what ``rss_bytes`` counts besides the app

    def rss_bytes(self) -> int: ...

    def stored(self, answer_ids: list[int]) -> dict[int, Stored]: ...


def install_write_counter() -> None:
    """Count inserts and updates of the message table in ``bench_message_writes`` (SQLite
    triggers, so the app's own code is untouched); run in the app's database before it serves."""
    from django.db import connection

    from playground.conversations.models import Message

    table = Message._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_message_writes (id INT)")
        for kind in ("INSERT", "UPDATE"):
            cursor.execute(
                f"CREATE TRIGGER bench_count_{kind.lower()} AFTER {kind} ON {table} "  # noqa: S608
                "BEGIN INSERT INTO bench_message_writes VALUES (NEW.id); END"
            )


def stored_answers(answer_ids: list[int]) -> dict[int, Stored]:
    """Read from the app's database (after ``install_write_counter``)."""
    from django.db import connection

    from playground.conversations.models import Message
    from playground.conversations.presentation import message_context
    from playground.streaming.fragments import message_html

    stored = {}
    with connection.cursor() as cursor:
        for answer_id in answer_ids:
            cursor.execute("SELECT count(*) FROM bench_message_writes WHERE id = %s", [answer_id])
            question = Message.objects.get(pk=answer_id).parent
            html = message_html({**message_context(question), "oob": False})
            stored[answer_id] = Stored(
                question_html_bytes=len(html.encode()), writes=cursor.fetchone()[0]
            )
    return stored


def process_rss_bytes(pid: int | str = "self") -> int:
    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


# --- the reference: the SDK straight from the Simulator -----------------------------------------


@dataclass
class DirectRun:
    seconds: float
    token_times: list[float]


def direct_sync(simulator: RunningSimulator, text: str) -> DirectRun:
    client = anthropic.Anthropic(
        base_url=simulator.base_url, api_key=simulator.api_key, max_retries=0
    )
    started = time.perf_counter()
    with client.messages.stream(
        model=MODEL,
        max_tokens=32000,
        thinking={"type": "disabled"},
        messages=[{"role": "user", "content": text}],
    ) as stream:
        for _ in stream:
            pass
        message = stream.get_final_message()
    seconds = time.perf_counter() - started
    assert message.content[0].text == text.split("]] ")[-1], "the SDK got another answer"
    return DirectRun(seconds=seconds, token_times=[])


async def direct_async(client: anthropic.AsyncAnthropic, text: str) -> DirectRun:
    times: list[float] = []
    started = time.perf_counter()
    async with client.messages.stream(
        model=MODEL,
        max_tokens=32000,
        thinking={"type": "disabled"},
        messages=[{"role": "user", "content": text}],
    ) as stream:
        async for event in stream:
            if event.type == "content_block_delta" and event.delta.type == "text_delta":
                now = time.perf_counter()
                times += [now] * len(_WORD.findall(event.delta.text))
    return DirectRun(seconds=time.perf_counter() - started, token_times=times)


# --- measures -----------------------------------------------------------------------------------


def lateness_ms(token_times: list[float], speed: int) -> list[float]:
    """How late each token arrived against the ideal pace, in ms, taking the stream's earliest
    token (relative to its schedule) as on time."""
    if not token_times:
        return []
    offsets = [t - k / speed for k, t in enumerate(token_times)]
    on_time = min(offsets)
    return [(o - on_time) * 1000 for o in offsets]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def verdict(value: float, goal: float) -> str:
    return f"goal <= {goal:g}: {'met' if value <= goal else 'MISSED'}"
