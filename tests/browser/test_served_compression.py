"""The served app (``python -m playground.serve``) compresses websocket messages for clients that
ask, and still speaks plainly to those that don't; a streamed answer arrives whole either way."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from tests.compose import compose

PASSWORD = "a compression passphrase 7"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
WORDS = [f"w{n}" for n in range(400)]


class CountingConnection(ClientConnection):
    received_bytes = 0

    def data_received(self, data: bytes) -> None:
        self.received_bytes += len(data)
        super().data_received(data)


async def signed_in_cookie(live_app: str, username: str) -> str:
    async with httpx.AsyncClient(base_url=live_app) as client:
        page = await client.get("/accounts/signup/")
        token = _CSRF.search(page.text)
        assert token is not None
        answer = await client.post(
            "/accounts/signup/",
            data={
                "username": username,
                "password1": PASSWORD,
                "password2": PASSWORD,
                "csrfmiddlewaretoken": token.group(1),
            },
        )
        assert answer.status_code == 302, answer.text
        return f"sessionid={client.cookies['sessionid']}"


async def stream_one_answer(live_app: str, username: str, compression: str | None):
    cookie = await signed_in_cookie(live_app, username)
    async with connect(
        live_app.replace("http://", "ws://") + "/ws/chat/",
        origin=live_app,
        additional_headers={"Cookie": cookie},
        compression=compression,
        create_connection=CountingConnection,
    ) as websocket:
        assert isinstance(websocket, CountingConnection)
        extensions = websocket.response.headers.get("Sec-WebSocket-Extensions", "")
        opened_at = websocket.received_bytes
        await websocket.send(json.dumps(compose("[[echo]] " + " ".join(WORDS))))
        frames = []
        while True:
            frame = str(await websocket.recv())
            frames.append(frame)
            if 'hx-get="/m/' in frame:
                break
        return extensions, frames, websocket.received_bytes - opened_at


def streamed_words(frames: list[str]) -> list[str]:
    """The answer's words as the frames after its opening (the empty answer, placed after the
    question) brought them."""
    opening = next(i for i, frame in enumerate(frames) if "message-assistant" in frame)
    return re.findall(r"\bw\d+\b", "".join(frames[opening + 1 :]))


@pytest.mark.parametrize("compression", ["deflate", None])
async def test_a_streamed_answer_arrives_whole_with_or_without_compression(live_app, compression):
    extensions, frames, wire = await stream_one_answer(
        live_app, f"compress-{compression}", compression
    )
    assert ("permessage-deflate" in extensions) == (compression == "deflate")
    assert streamed_words(frames) == WORDS
    payload = sum(len(frame.encode()) for frame in frames)
    if compression:
        # The out-of-band wrappers repeat from frame to frame: the context kept between
        # messages turns them into a few bytes each.
        assert wire < payload / 2, (wire, payload)
    else:
        assert wire > payload
