"""A hundred answers at once across the two processes, at a realistic pace (100 tokens/s): each
reaches the browser that asked, and a viewer of the same conversation on the other process,
with every delta once and in order; the whole run is bounded in time."""

from __future__ import annotations

import asyncio
import json
import re
import time

import pytest
from websockets.asyncio.client import connect
from websockets.typing import Origin

from tests.compose import compose
from tests.scale.served import echo_words, signed_in

STREAMS = 100
TOKENS = 1000
SPEED = 100
# People do not all press Send in the same millisecond: the sends are spread over this long,
# shorter than an answer, so that all hundred stream at once for most of the run.
SPREAD_SECONDS = 5.0
BOUND_SECONDS = 90
TEXT = echo_words(TOKENS)
_WORD = re.compile(r"\bw\d+\b")
_ANSWER = re.compile(r'<article id="m-(\d+)" class="message message-assistant')
_CONVERSATION = re.compile(r'data-url="/c/(\d+)/"')


class Deltas:
    """What one socket shows of one answer, word by word, from the frames alone."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.snapshots = 0
        self.frames = 0

    def take(self, html: str, answer_id: int) -> bool:
        """Account for one frame of the answer; True once it is its last."""
        self.frames += 1
        if f'<article id="m-{answer_id}"' in html:  # a snapshot: the answer as shown so far
            self.snapshots += 1
            self.words = _WORD.findall(html)
        else:
            self.words += _WORD.findall(html)
        assert self.words == TEXT.split()[: len(self.words)], (
            f"a delta repeated or missing after {self.frames} frames: {html[:300]!r}"
        )
        # Its last frame; or, when that frame was lost, a snapshot of it ended, from the database.
        ended = re.search(rf'<article id="m-{answer_id}" class="[^"]*state-(?!streaming)', html)
        return f'hx-get="/m/{answer_id}/"' in html or ended is not None


async def socket(base_url: str, path: str, session_key: str):
    return await connect(
        base_url.replace("http://", "ws://", 1) + path,
        origin=Origin(base_url),
        additional_headers={"Cookie": f"sessionid={session_key}"},
        max_size=None,
        open_timeout=60,
        close_timeout=2,
        compression=None,
    )


async def ask_and_watch(
    sender_url: str, viewer_url: str, session_key: str, *, after: float
) -> list[Deltas]:
    """Send from a new chat on ``sender_url`` ``after`` seconds from now; watch the conversation
    from ``viewer_url``."""
    await asyncio.sleep(after)
    async with await socket(sender_url, "/ws/chat/", session_key) as sending:
        await sending.send(json.dumps(compose(f"[[echo]] [[speed:{SPEED}]] {TEXT}")))
        conversation_id = answer_id = 0
        while not answer_id:
            html = str(await sending.recv())
            if match := _CONVERSATION.search(html):
                conversation_id = int(match.group(1))
            if match := _ANSWER.search(html):
                answer_id = int(match.group(1))
        assert conversation_id, "the reply to the send names the new conversation"
        path = f"/ws/c/{conversation_id}/"
        async with await socket(viewer_url, path, session_key) as viewing:
            return list(await asyncio.gather(read(sending, answer_id), read(viewing, answer_id)))


async def read(websocket, answer_id: int) -> Deltas:
    deltas = Deltas()
    while not deltas.take(str(await websocket.recv()), answer_id):
        pass
    return deltas


@pytest.fixture(scope="module")
def load_users(cluster) -> list[str]:
    return list(signed_in(cluster, [f"load{n}" for n in range(STREAMS)]).values())


async def test_a_hundred_answers_across_two_processes_each_reach_two_viewers_whole(
    cluster, process_a, process_b, load_users
):
    urls = [process_a.base_url, process_b.base_url]
    started = time.monotonic()

    async def one(n: int, key: str) -> list[Deltas] | str:
        try:
            async with asyncio.timeout(BOUND_SECONDS):
                return await ask_and_watch(
                    urls[n % 2], urls[(n + 1) % 2], key, after=n * SPREAD_SECONDS / STREAMS
                )
        except (Exception, TimeoutError) as failure:
            return f"stream {n}: {type(failure).__name__} {failure}"

    results = await asyncio.gather(*(one(n, key) for n, key in enumerate(load_users)))
    took = time.monotonic() - started

    failures = [result for result in results if isinstance(result, str)]
    assert failures == [], f"{len(failures)} of {STREAMS} failed, first: {failures[:3]}"
    sockets = [deltas for pair in results for deltas in pair]
    assert len(sockets) == 2 * STREAMS
    assert all(deltas.words == TEXT.split() for deltas in sockets)
    ideal = SPREAD_SECONDS + TOKENS / SPEED
    assert took < ideal * 3, f"{took:.1f} s for answers that take {ideal:.1f} s with the spread"
    # Those who asked saw their answers stream live. (Under this load on two cores, a viewer
    # that joins on the other process may be let in too late to see frames, and gets the answer
    # whole from the database: the words checked above, once and in order, all the same.)
    askers = sorted(deltas.frames for deltas in sockets[0::2])
    assert askers[len(askers) // 2] > 10, f"the askers' answers streamed live: {askers}"
