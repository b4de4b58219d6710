"""The base of every websocket consumer: only signed-in users, closed when their sign-in ends.

A subclass overrides ``authorize`` to refuse a socket (for example, a conversation that is not
the user's), starts its work in ``connected`` (called once the socket is accepted), and may
override ``disconnect`` as long as it calls ``super().disconnect(code)``.
"""

from __future__ import annotations

from channels.generic.websocket import AsyncWebsocketConsumer
from django.contrib.auth.base_user import AbstractBaseUser

from playground.accounts.revocation import session_group, user_group

# Private-use close code (4000-4999) meaning "your sign-in ended", like HTTP 401.
CLOSE_SIGNED_OUT = 4401


class AuthenticatedConsumer(AsyncWebsocketConsumer):
    """Refuses anonymous handshakes; joins the user's and the session's revocation groups."""

    auth_groups: tuple[str, ...] = ()

    async def connect(self) -> None:
        user = self.scope.get("user")
        session = self.scope.get("session")
        session_key = getattr(session, "session_key", None)
        if user is None or not user.is_authenticated or not session_key:
            await self.close()  # before accept(): the handshake is rejected with HTTP 403
            return
        if not await self.authorize(user):
            await self.close()
            return
        self.auth_groups = (user_group(user.pk), session_group(session_key))
        for group in self.auth_groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.connected()

    async def authorize(self, user: AbstractBaseUser) -> bool:
        """Whether this signed-in user may open this socket; every user by default."""
        return True

    async def connected(self) -> None:
        """Called once the socket is accepted; nothing to do by default."""

    async def disconnect(self, code: int) -> None:
        for group in self.auth_groups:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def auth_revoked(self, event: dict) -> None:
        await self.close(code=CLOSE_SIGNED_OUT)
