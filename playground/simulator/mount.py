"""Mounting the Simulator inside another ASGI app under a path prefix (``/simulator`` for
``make run``), so that the offline default needs no second process."""

from __future__ import annotations

from playground.simulator.transport import ASGIApp, Receive, Scope, Send


class _Mount:
    def __init__(self, app: ASGIApp, simulator: ASGIApp, *, prefix: str) -> None:
        self.app = app
        self.simulator = simulator
        self.prefix = prefix.rstrip("/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and (path == self.prefix or path.startswith(self.prefix + "/")):
            inner = dict(scope)
            inner["path"] = path[len(self.prefix) :] or "/"
            raw_path = scope.get("raw_path")
            if raw_path is not None and raw_path.startswith(self.prefix.encode()):
                inner["raw_path"] = raw_path[len(self.prefix) :] or b"/"
            inner["root_path"] = scope.get("root_path", "") + self.prefix
            # ``send`` goes through untouched: the drop fault needs the server's own callable.
            await self.simulator(inner, receive, send)
            return
        await self.app(scope, receive, send)


def mount_simulator(app: ASGIApp, simulator: ASGIApp, *, prefix: str = "/simulator") -> ASGIApp:
    """An ASGI app sending HTTP requests under ``prefix`` (prefix stripped) to ``simulator``,
    and everything else to ``app``."""
    return _Mount(app, simulator, prefix=prefix)
