"""``SimulatorApp``: the pure-ASGI Simulator serving ``POST /v1/messages`` like DeepSeek does.

Checks come in the upstream's order: route, method, authentication, request validity, then the
faults that answer instead of the model; then the answer itself, after the first-byte delay.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid

from playground.simulator import errors
from playground.simulator.answer import compose_answer
from playground.simulator.config import SimulatorConfig
from playground.simulator.delivery import Delivery, send_error
from playground.simulator.faults import FaultMemory
from playground.simulator.pacing import Pacer
from playground.simulator.request import InvalidRequest, SimulatedRequest, parse_request
from playground.simulator.transport import (
    BodyTooLarge,
    Receive,
    Scope,
    Send,
    header,
    read_body,
    watch_disconnect,
)

MESSAGES_PATH = "/v1/messages"
MAX_BODY_BYTES = 32 * 1024 * 1024


class SimulatorApp:
    def __init__(self, config: SimulatorConfig | None = None) -> None:
        self.config = config or SimulatorConfig()
        self._faults = FaultMemory(capacity=self.config.fault_memory)

    @classmethod
    def from_settings(cls) -> SimulatorApp:
        from django.conf import settings

        return cls(
            SimulatorConfig(
                tokens_per_second=settings.PLAYGROUND_SIMULATOR_TOKENS_PER_SECOND,
                first_byte_delay=settings.PLAYGROUND_SIMULATOR_FIRST_BYTE_DELAY,
                slow_first_byte_seconds=settings.PLAYGROUND_SIMULATOR_SLOW_FIRST_BYTE_SECONDS,
                queue_seconds=settings.PLAYGROUND_SIMULATOR_QUEUE_SECONDS,
                keepalive_interval=settings.PLAYGROUND_SIMULATOR_KEEPALIVE_INTERVAL,
                retry_after_seconds=settings.PLAYGROUND_SIMULATOR_RETRY_AFTER_SECONDS,
            )
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        request_id = f"req_{uuid.uuid4().hex[:24]}"
        admitted = await self._admit(scope, receive)
        if admitted is None:
            return
        if isinstance(admitted, errors.ErrorReply):
            await send_error(send, admitted, request_id=request_id)
            return
        request, body = admitted
        fault = request.directives.fault
        if fault and not self._faults.should_fail(body=body, times=request.directives.fault_times):
            fault = None
        if fault and (
            reply := errors.fault_reply(fault, retry_after_seconds=self.config.retry_after_seconds)
        ):
            await send_error(send, reply, request_id=request_id)
            return
        gone, watcher = watch_disconnect(receive)
        delivery = Delivery(
            send=send, request_id=request_id, gone=gone, config=self.config, fault=fault
        )
        try:
            await self._answer(request, delivery)
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher

    async def _admit(
        self, scope: Scope, receive: Receive
    ) -> tuple[SimulatedRequest, bytes] | errors.ErrorReply | None:
        """The parsed request and its body, the error refusing it, or None if the client left."""
        if scope["path"] != MESSAGES_PATH:
            return errors.not_found(scope["method"], scope["path"])
        if scope["method"] != "POST":
            return errors.method_not_allowed(scope["method"])
        try:
            body = await read_body(receive, limit=MAX_BODY_BYTES)
        except BodyTooLarge:
            return errors.invalid_request(f"body: is larger than {MAX_BODY_BYTES} bytes")
        if body is None:
            return None
        api_key = _api_key(scope)
        if not api_key.startswith("sim-"):
            return errors.authentication_failed(api_key)
        try:
            return parse_request(body), body
        except InvalidRequest as exc:
            return errors.invalid_request(str(exc))

    async def _answer(self, request: SimulatedRequest, delivery: Delivery) -> None:
        answer = compose_answer(request=request)
        delay = self.config.first_byte_delay
        if delivery.fault == "slow_first_byte":
            delay += self.config.slow_first_byte_seconds
        await asyncio.sleep(delay)
        speed = request.directives.speed or self.config.tokens_per_second
        pacer = Pacer(tokens_per_second=speed / 2 if request.is_pro else speed)
        if request.stream:
            await delivery.stream(answer, pacer)
        else:
            await delivery.whole(answer, pacer)


def _api_key(scope: Scope) -> str:
    key = header(scope, "x-api-key")
    if key:
        return key.strip()
    scheme, _, token = (header(scope, "authorization") or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
