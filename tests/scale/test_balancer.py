"""``make run-cluster``'s load balancer sends each new connection to the next process in turn,
copies bytes both ways, and skips a process that refuses the connection."""

from __future__ import annotations

import asyncio

from playground.cluster.balancer import balancer_serve
from playground.cluster.servers import free_port


async def backend(name: bytes) -> tuple[asyncio.Server, int]:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await reader.readline()
        writer.write(name + b" got " + request)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


async def ask(port: int, line: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(line + b"\n")
    await writer.drain()
    reply = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    return reply


async def test_connections_go_to_each_process_in_turn_and_a_refusing_one_is_skipped():
    a, port_a = await backend(b"A")
    b, port_b = await backend(b"B")
    dead = free_port()  # nothing listens there
    port = free_port()
    balancer = await balancer_serve(
        host="127.0.0.1",
        port=port,
        backends=[("127.0.0.1", port_a), ("127.0.0.1", dead), ("127.0.0.1", port_b)],
    )
    async with a, b, balancer:
        replies = [await ask(port, f"request {n}".encode()) for n in range(4)]

    assert replies == [
        b"A got request 0\n",
        b"B got request 1\n",  # the dead one's turn went to the next
        b"B got request 2\n",
        b"A got request 3\n",
    ]
