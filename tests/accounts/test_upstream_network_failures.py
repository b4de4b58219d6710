"""The asyncio network backend when things go wrong: each failure surfaces as the exception httpx
raises with its own backend, and a kept-alive connection the server closed is never reused."""

from __future__ import annotations

import asyncio
import os
import select
import socket
import struct

import httpx
import pytest

from tests.accounts.raw_servers import (
    answer_once_then_close,
    backend_client,
    never_answer,
    raw_server,
    read_request,
    response,
    take_no_upload,
)


async def test_a_kept_alive_connection_the_server_closed_is_replaced_by_a_new_one():
    async with raw_server(answer_once_then_close) as server, backend_client() as client:
        first = await client.get(server.url)
        await asyncio.sleep(0.05)  # the server's close reaches the client's loop
        assert first.extensions["network_stream"].get_extra_info("is_readable") is True
        second = await client.get(server.url)
    assert (first.text, second.text) == ("ok", "ok")
    assert server.connections == 2


async def serve_one_request(listener: socket.socket) -> socket.socket:
    loop = asyncio.get_running_loop()
    connection, _ = await loop.sock_accept(listener)
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        head += await loop.sock_recv(connection, 1)
    await loop.sock_sendall(connection, response(b"ok"))
    return connection


async def test_a_close_still_in_the_kernel_counts_as_readable_before_the_loop_sees_it():
    """The pool asks before its loop has taken the server's FIN from the socket: the backend
    looks at the socket too, as httpx's own backend does."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.setblocking(False)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        async with backend_client() as client:
            serving = asyncio.create_task(serve_one_request(listener))
            first = await client.get(url)
            stream = first.extensions["network_stream"]
            assert stream.get_extra_info("is_readable") is False
            (await serving).close()
            # Blocking on purpose, so the client's loop cannot run and take the FIN itself.
            select.select([stream.get_extra_info("socket")], [], [], 2)
            assert not stream._protocol.ended, "the loop has not seen the close yet"
            assert stream.get_extra_info("is_readable") is True
            serving = asyncio.create_task(serve_one_request(listener))
            second = await client.get(url)
            (await serving).close()
    assert second.text == "ok"
    assert second.extensions["network_stream"] is not stream


async def test_an_upstream_that_never_answers_raises_a_read_timeout():
    async with raw_server(never_answer) as server, backend_client(timeout=0.2) as client:
        with pytest.raises(httpx.ReadTimeout, match=r"No data arrived within 0\.2 seconds"):
            await client.get(server.url)


async def test_a_refused_connection_raises_a_connect_error():
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]
    async with backend_client() as client:
        with pytest.raises(
            httpx.ConnectError, match=r"Could not connect to 127\.0\.0\.1:\d+: connection refused"
        ):
            await client.get(f"http://127.0.0.1:{port}")


def fill_the_backlog(listener: socket.socket) -> list[socket.socket]:
    """Connect until the listener's accept queue is full and Linux drops further SYNs."""
    fillers = []
    while len(fillers) < 16:
        filler = socket.socket()
        filler.settimeout(0.2)
        try:
            filler.connect(listener.getsockname())
        except TimeoutError:
            filler.close()
            return fillers
        fillers.append(filler)
    for filler in fillers:
        filler.close()
    pytest.skip("this kernel accepts connections past a full backlog; no way to stall a connect")


async def test_a_connect_that_stalls_raises_a_connect_timeout():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        fillers = fill_the_backlog(listener)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        try:
            async with backend_client(timeout=httpx.Timeout(5, connect=0.2)) as client:
                with pytest.raises(httpx.ConnectTimeout, match=r"took more than 0\.2 seconds"):
                    await client.get(url)
        finally:
            for filler in fillers:
                filler.close()


async def test_an_upstream_that_takes_no_upload_raises_a_write_timeout():
    upload = os.urandom(32 * 1024 * 1024)  # more than loopback's socket buffers absorb
    async with raw_server(take_no_upload) as server:
        async with backend_client(timeout=httpx.Timeout(5, write=0.3)) as client:
            with pytest.raises(httpx.WriteTimeout, match=r"took no data for 0\.3 seconds"):
                await client.post(server.url, content=upload)


async def reset_mid_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await read_request(reader)
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nthe first half")
    await writer.drain()
    await asyncio.sleep(0.05)
    # Linger zero: closing sends a reset instead of a FIN.
    writer.get_extra_info("socket").setsockopt(
        socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
    )
    writer.transport.abort()


async def test_a_reset_in_the_middle_of_an_answer_raises_a_read_error_after_what_came_first():
    async with raw_server(reset_mid_answer) as server, backend_client() as client:
        async with client.stream("GET", server.url) as answer:
            received = []
            with pytest.raises(httpx.ReadError, match="reset"):
                async for chunk in answer.aiter_raw():
                    received.append(chunk)
    assert b"".join(received) == b"the first half"
