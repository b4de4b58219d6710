"""Serve Playground with Daphne, websocket messages compressed (permessage-deflate, RFC 7692).

``python -m playground.serve [daphne's arguments] playground.asgi:application`` is ``daphne``
with one difference: a browser that offers permessage-deflate (every current one does) gets it.
A live answer is many small frames, each an out-of-band swap whose wrapper repeats the one
before it; with the compression context kept between messages, that wrapper costs a few bytes
instead of some fifty, so the bytes on the wire stay close to the answer's own size even when a
slow upstream makes every frame carry a word or two.

Daphne builds its websocket factory inside ``Server.run`` with fixed protocol options, so the
factory class it uses is replaced by one that adds the compression offer's acceptance. The
window is kept small (``WINDOW_BITS``) so that each open socket holds a few tens of kilobytes of
compression state, not a quarter of a megabyte.
"""

from __future__ import annotations

import sys
from typing import Any

from playground.reactor import reactor_install

# Before Daphne's import, which would install a reactor on a plain asyncio loop.
LOOP = reactor_install()

from autobahn.websocket.compress import (  # noqa: E402
    PerMessageDeflateOffer,
    PerMessageDeflateOfferAccept,
)
from daphne import server as daphne_server  # noqa: E402
from daphne.cli import CommandLineInterface  # noqa: E402
from daphne.ws_protocol import WebSocketFactory  # noqa: E402

# 2 KiB of history: several frames' wrappers; zlib's state is then about 2**(bits+2) + 2**(mem+9)
# bytes per socket.
WINDOW_BITS = 11
MEM_LEVEL = 5


def accept_deflate(offers: list[Any]) -> PerMessageDeflateOfferAccept | None:
    """Accept the client's first permessage-deflate offer, with our window and memory level."""
    for offer in offers:
        if isinstance(offer, PerMessageDeflateOffer):
            if offer.request_max_window_bits and offer.request_max_window_bits < WINDOW_BITS:
                return PerMessageDeflateOfferAccept(offer, mem_level=MEM_LEVEL)
            return PerMessageDeflateOfferAccept(offer, window_bits=WINDOW_BITS, mem_level=MEM_LEVEL)
    return None


class CompressingWebSocketFactory(WebSocketFactory):
    """Daphne's websocket factory, accepting permessage-deflate."""

    def setProtocolOptions(self, **options: Any) -> None:
        options.setdefault("perMessageCompressionAccept", accept_deflate)
        super().setProtocolOptions(**options)


def main() -> None:
    print(f"playground.serve: Daphne on {LOOP}", file=sys.stderr, flush=True)
    daphne_server.WebSocketFactory = CompressingWebSocketFactory
    CommandLineInterface.entrypoint()


if __name__ == "__main__":
    main()
