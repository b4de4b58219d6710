"""The upstream clients' network backend: httpcore's connections on plain asyncio.

httpcore's default backend goes through anyio, which on every read arms a cancel scope with a
timer, resumes and then pauses the transport's reading (two ``epoll_ctl`` calls), and hands back
one received chunk even when several are waiting. Relaying a hundred answers at once, that was
about a third of a server process's CPU. Here the transport keeps reading into a buffer; a read
takes everything buffered at once, with no timer and no system call, and arms a timer only when
it has to wait. Reading pauses only while the buffer is past a high-water mark, so a fast upstream
cannot fill memory while the relay is busy elsewhere.

The semantics mirror ``httpcore._backends.anyio``: the same exceptions for the same failures, b""
at the end of the stream, and an ``is_readable`` answer the pool uses to drop kept-alive
connections the server has closed.
"""

from __future__ import annotations

import asyncio
import os
import ssl
from collections.abc import Awaitable, Iterable
from typing import Any, cast

import httpcore
from httpcore._utils import is_socket_readable

# Past this many unread bytes the transport stops reading; it resumes once a read has brought the
# buffer down to the low-water mark, so a stream near the mark does not flip on every read.
HIGH_WATER = 256 * 1024
LOW_WATER = 64 * 1024

# anyio's value for racing a host's addresses (RFC 8305), kept so a name with a dead IPv6 address
# connects as quickly as it did.
_HAPPY_EYEBALLS_DELAY = 0.25

SocketOptions = Iterable[tuple[Any, ...]] | None


class _BufferingProtocol(asyncio.Protocol):
    """Collects what the transport receives, and wakes the one reader or writer waiting on it."""

    transport: asyncio.Transport

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.ended = False  # the peer sent EOF, or the connection is lost: nothing more arrives
        self.error: Exception | None = None
        self.reading_paused = False
        self.writing_paused = False
        self.read_waiter: asyncio.Future[bool] | None = None
        self.drain_waiter: asyncio.Future[bool] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # loop.start_tls calls this again with the TLS transport, which replaces the raw one.
        # (uvloop's transports are not asyncio.Transport subclasses, only alike.)
        self.transport = cast(asyncio.Transport, transport)
        self.reading_paused = self.writing_paused = False

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.reading_paused and len(self.buffer) > HIGH_WATER:
            self.reading_paused = True
            self.transport.pause_reading()
        _wake(self.read_waiter)

    def eof_received(self) -> bool:
        self.ended = True
        _wake(self.read_waiter)
        # Let the transport close: an HTTP/1.1 client has nothing to send once the server is done
        # (and a TLS transport ignores any other answer, with a warning).
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.ended = True
        self.error = exc
        _wake(self.read_waiter)
        _wake(self.drain_waiter)

    def pause_writing(self) -> None:
        self.writing_paused = True

    def resume_writing(self) -> None:
        self.writing_paused = False
        _wake(self.drain_waiter)

    def resume_reading_if_drained(self) -> None:
        if self.reading_paused and len(self.buffer) <= LOW_WATER:
            self.reading_paused = False
            self.transport.resume_reading()


def _wake(waiter: asyncio.Future[bool] | None) -> None:
    if waiter is not None and not waiter.done():
        waiter.set_result(True)


def _time_out(waiter: asyncio.Future[bool]) -> None:
    if not waiter.done():
        waiter.set_result(False)


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One connection, plain or TLS; httpcore reads and writes it from one task at a time."""

    def __init__(self, transport: asyncio.Transport, protocol: _BufferingProtocol) -> None:
        self._transport = transport
        self._protocol = protocol
        self._loop = asyncio.get_running_loop()
        self._closed = False
        self._read_deadline = 0.0
        self._read_timer: asyncio.TimerHandle | None = None

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:  # noqa: ASYNC109 (httpcore's interface)
        protocol = self._protocol
        buffer = protocol.buffer
        if not buffer:
            if self._closed:
                raise httpcore.ReadError("The connection was already closed.")
            if not protocol.ended:
                waiter = protocol.read_waiter = self._loop.create_future()
                if timeout is not None:
                    self._arm_read_timer(timeout)
                if not await waiter:
                    raise httpcore.ReadTimeout(f"No data arrived within {timeout} seconds.")
            if not buffer:
                if protocol.error is not None:
                    raise httpcore.ReadError(str(protocol.error)) from protocol.error
                return b""
        if len(buffer) <= max_bytes:
            data = bytes(buffer)
            buffer.clear()
        else:
            data = bytes(buffer[:max_bytes])
            del buffer[:max_bytes]
        if protocol.reading_paused:
            protocol.resume_reading_if_drained()
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:  # noqa: ASYNC109 (httpcore's interface)
        if not buffer:
            return
        protocol = self._protocol
        if self._transport.is_closing():
            # A closed transport would drop the bytes with no more than a logged warning.
            raise httpcore.WriteError(_lost(protocol))
        try:
            self._transport.write(buffer)
        except (OSError, RuntimeError) as exc:
            raise httpcore.WriteError(str(exc)) from exc
        if protocol.writing_paused:
            waiter = protocol.drain_waiter = self._loop.create_future()
            if not await self._drained(waiter, timeout):
                raise httpcore.WriteTimeout(f"The upstream took no data for {timeout} seconds.")
            if protocol.ended:
                raise httpcore.WriteError(_lost(protocol))

    def _arm_read_timer(self, timeout: float) -> None:
        """Time out the read waiting now in ``timeout`` seconds.

        A stream of small reads, each with the same long timeout, would schedule and cancel a
        timer per read (measured: about 5 us a read; ``asyncio.timeout``, about 9). Instead
        one timer stays armed at an earlier deadline; when it fires, it ends the read waiting then
        if that read's own deadline has passed, and otherwise moves on to that deadline.
        """
        deadline = self._loop.time() + timeout
        self._read_deadline = deadline
        timer = self._read_timer
        if timer is None or timer.when() > deadline:
            if timer is not None:
                timer.cancel()
            self._read_timer = self._loop.call_at(deadline, self._read_timer_fired)

    def _read_timer_fired(self) -> None:
        self._read_timer = None
        waiter = self._protocol.read_waiter
        if self._closed or waiter is None or waiter.done():
            return  # no read is waiting; the next one arms the timer again
        if self._loop.time() >= self._read_deadline:
            waiter.set_result(False)
        else:
            self._read_timer = self._loop.call_at(self._read_deadline, self._read_timer_fired)

    async def _drained(self, waiter: asyncio.Future[bool], seconds: float | None) -> bool:
        """True once the transport takes more data; False if ``seconds`` pass first."""
        timer = None if seconds is None else self._loop.call_later(seconds, _time_out, waiter)
        try:
            return await waiter
        finally:
            if timer is not None:
                timer.cancel()

    async def aclose(self) -> None:
        # As anyio does: abort, dropping unsent bytes and skipping TLS's close_notify, so closing
        # never waits on a peer that stopped answering.
        if not self._closed:
            self._closed = True
            self._transport.abort()
            self._disarm_read_timer()

    def _disarm_read_timer(self) -> None:
        if self._read_timer is not None:
            self._read_timer.cancel()
            self._read_timer = None

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
    ) -> httpcore.AsyncNetworkStream:
        # The TLS stream takes over reading the protocol: this one's timer must not end its reads.
        self._disarm_read_timer()
        try:
            async with asyncio.timeout(timeout):
                transport = await self._loop.start_tls(
                    self._transport, self._protocol, ssl_context, server_hostname=server_hostname
                )
        except TimeoutError:
            await self.aclose()
            raise httpcore.ConnectTimeout(
                f"The TLS handshake did not finish within {timeout} seconds."
            ) from None
        except OSError as exc:  # ssl.SSLError among them: a refused certificate, say
            await self.aclose()
            raise httpcore.ConnectError(str(exc)) from exc
        return AsyncioStream(cast(asyncio.Transport, transport), self._protocol)

    def get_extra_info(self, info: str) -> Any:
        transport = self._transport
        if info == "ssl_object":
            return transport.get_extra_info("ssl_object")
        if info == "client_addr":
            return transport.get_extra_info("sockname")
        if info == "server_addr":
            return transport.get_extra_info("peername")
        if info == "socket":
            return transport.get_extra_info("socket")
        if info == "is_readable":
            return self._is_readable()
        return None

    def _is_readable(self) -> bool:
        """Whether a read would return at once: data or the end of the stream is waiting.

        The pool asks this of an idle kept-alive connection, where either means the server closed
        it. What the loop has not yet taken from the kernel counts too, as it does for anyio.
        """
        protocol = self._protocol
        if protocol.buffer or protocol.ended or self._closed or self._transport.is_closing():
            return True
        return is_socket_readable(self._transport.get_extra_info("socket"))


def _lost(protocol: _BufferingProtocol) -> str:
    return str(protocol.error) if protocol.error is not None else "The connection was closed."


def _reason(exc: OSError) -> str:
    # asyncio words a refusal "Connect call failed ('10.0.0.1', 443)"; the errno says it better.
    return os.strerror(exc.errno).lower() if exc.errno else str(exc)


async def _connected(
    opening: Awaitable[tuple[asyncio.BaseTransport, _BufferingProtocol]],
    target: str,
    seconds: float | None,
    socket_options: SocketOptions,
) -> AsyncioStream:
    """The stream over the connection ``opening`` makes to ``target`` within ``seconds``, its
    failures worded as httpcore's errors."""
    try:
        async with asyncio.timeout(seconds):
            transport, protocol = await opening
    except TimeoutError:
        raise httpcore.ConnectTimeout(
            f"Connecting to {target} took more than {seconds} seconds."
        ) from None
    except OSError as exc:
        raise httpcore.ConnectError(f"Could not connect to {target}: {_reason(exc)}") from exc
    stream_transport = cast(asyncio.Transport, transport)
    _apply_socket_options(stream_transport, socket_options)
    return AsyncioStream(stream_transport, protocol)


def _apply_socket_options(transport: asyncio.Transport, socket_options: SocketOptions) -> None:
    sock = transport.get_extra_info("socket")
    try:
        for option in socket_options or ():
            sock.setsockopt(*option)
    except OSError as exc:
        transport.abort()
        raise httpcore.ConnectError(f"A socket option was refused: {exc}") from exc


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend on the running asyncio loop (see the module docstring)."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: SocketOptions = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        # uvloop (what Daphne runs on, playground.reactor) has no such option and tries the
        # addresses one after another; asyncio's own loop races them.
        racing = (
            {"happy_eyeballs_delay": _HAPPY_EYEBALLS_DELAY}
            if isinstance(loop, asyncio.BaseEventLoop)
            else {}
        )
        opening = loop.create_connection(
            _BufferingProtocol,
            host,
            port,
            local_addr=None if local_address is None else (local_address, 0),
            **racing,
        )
        return await _connected(opening, f"{host}:{port}", timeout, socket_options)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        socket_options: SocketOptions = None,
    ) -> httpcore.AsyncNetworkStream:
        opening = asyncio.get_running_loop().create_unix_connection(_BufferingProtocol, path)
        return await _connected(opening, path, timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
