"""Business functions of share links: create, find by token, list, revoke, count views, fork.

A link's target is a conversation or a compare session. A link is *open* while it is neither
revoked nor expired and its target exists; anything else about a token (unknown, revoked,
expired) is the same 404, so that nothing tells a visitor which of those it is. What a link shows
is ``share_path``: the conversation's current path for a live link, the path down to the chosen
message for a snapshot (later messages never show); for a comparison, each lane's current path
(``share_lanes``: the session's lanes now, so that a lane continued in the playground is no
longer shown).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone

from playground.accounts.crypto import SecretUnreadable, decrypt_secret, encrypt_secret
from playground.accounts.providers import providers_for_user
from playground.compare.models import CompareSession, Lane
from playground.compare.sessions import compare_lanes
from playground.conversations.models import Conversation, Message
from playground.conversations.services import conversation_path
from playground.conversations.transfer import (
    RECORD_FIELDS,
    MessageRecord,
    conversation_build,
    path_to,
)
from playground.sharing.models import ShareLink

TOKEN_BYTES = 32  # 256 bits
REVOKED_EVENT = "share.revoked"
LANES_EVENT = "share.lanes_changed"
TITLE_CHARS = Conversation._meta.get_field("title").max_length
# Fields of a message a fork copies besides its state (which it decides), as an export does; its
# request, with the system prompt in it, stays behind.
_COPIED = tuple(name for name in RECORD_FIELDS if name != "state")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def share_group(share_id: int) -> str:
    """The channel-layer group of a link's open sockets, told when the link closes."""
    return f"share-{share_id}"


def _open() -> Q:
    now = timezone.now()
    return (
        Q(revoked_at__isnull=True)
        & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        & (Q(conversation__isnull=False) | Q(compare_session__isnull=False))
    )


@dataclass(frozen=True)
class CreatedShare:
    link: ShareLink
    token: str  # shown to the owner now; later read back from ``token_ciphertext``


def share_create(
    *,
    conversation: Conversation,
    mode: str,
    up_to_message: Message | None,
    show_system: bool,
    expires_in: timedelta | None,
) -> CreatedShare:
    """A new link to ``conversation`` for its owner to hand out."""
    return _link_create(
        owner_id=conversation.user_id,
        conversation=conversation,
        mode=mode,
        up_to_message=up_to_message if mode == ShareLink.Mode.SNAPSHOT else None,
        show_system=show_system,
        expires_in=expires_in,
    )


def share_create_for_comparison(
    *, session: CompareSession, show_system: bool, expires_in: timedelta | None
) -> CreatedShare:
    """A new live link to the compare session ``session``: its lanes as they go on."""
    return _link_create(
        owner_id=session.user_id,
        compare_session=session,
        mode=ShareLink.Mode.LIVE,
        show_system=show_system,
        expires_in=expires_in,
    )


def _link_create(*, owner_id: int, expires_in: timedelta | None, **target: Any) -> CreatedShare:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = ShareLink.objects.create(
        owner_id=owner_id,
        token_hash=token_hash(token),
        token_ciphertext=encrypt_secret(token),
        expires_at=timezone.now() + expires_in if expires_in else None,
        **target,
    )
    return CreatedShare(link=link, token=token)


def share_get_open(*, token: str) -> ShareLink:
    """The open link ``token`` names, with its target; 404 for anything else."""
    link = (
        ShareLink.objects.select_related("conversation", "compare_session")
        .filter(_open(), token_hash=token_hash(token))
        .first()
    )
    if link is None:
        raise Http404("No such link.")
    return link


def share_find_open(*, token: str) -> ShareLink | None:
    try:
        return share_get_open(token=token)
    except Http404:
        return None


def share_is_open(*, share_id: int) -> bool:
    return ShareLink.objects.filter(_open(), pk=share_id).exists()


def share_token(*, link: ShareLink) -> str | None:
    """The link's token for its owner; None if the server no longer has the key it was
    encrypted with (the link still works for whoever holds it)."""
    try:
        return decrypt_secret(link.token_ciphertext)
    except SecretUnreadable:
        return None


def share_list(*, user: AbstractBaseUser) -> list[ShareLink]:
    """``user``'s links, newest first."""
    return list(
        ShareLink.objects.filter(owner=user).select_related(
            "conversation", "compare_session", "up_to_message"
        )
    )


def share_get_for_owner(*, user: AbstractBaseUser, share_id: int) -> ShareLink:
    link = (
        ShareLink.objects.filter(owner=user, pk=share_id)
        .select_related("conversation", "compare_session")
        .first()
    )
    if link is None:
        raise Http404("No such link.")
    return link


def share_revoke(*, link: ShareLink) -> None:
    """Close the link for good; its open share pages' sockets close once this commits."""
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    share_announce_closed(share_id=link.pk)


def share_announce_closed(*, share_id: int) -> None:
    """Tell every socket open on the link that it is closed (after the transaction commits)."""

    def announce() -> None:
        async_to_sync(get_channel_layer().group_send)(
            share_group(share_id), {"type": REVOKED_EVENT}
        )

    transaction.on_commit(announce)


def share_record_view(*, link: ShareLink) -> None:
    ShareLink.objects.filter(pk=link.pk).update(view_count=F("view_count") + 1)


def share_announce_lanes_changed(*, compare_id: int) -> None:
    """Tell the sockets open on the session's links that its lanes changed (after the
    transaction commits), so that they stop watching a lane that left it."""
    ids = list(ShareLink.objects.filter(compare_session_id=compare_id).values_list("pk", flat=True))

    def announce() -> None:
        send = async_to_sync(get_channel_layer().group_send)
        for share_id in ids:
            send(share_group(share_id), {"type": LANES_EVENT})

    if ids:
        transaction.on_commit(announce)


def share_lanes(*, link: ShareLink) -> list[Lane]:
    """A comparison link's lanes, with their conversations, in order (none for a conversation)."""
    if link.compare_session_id is None:
        return []
    return compare_lanes(session=link.compare_session)


def share_lane_get(*, link: ShareLink, lane_id: int) -> Lane:
    """One of the lanes the link shows; 404 for any other lane."""
    lane = next((lane for lane in share_lanes(link=link) if lane.pk == lane_id), None)
    if lane is None:
        raise Http404("No such lane.")
    return lane


def share_conversation_ids(*, share_id: int) -> list[int]:
    """The conversations the open link shows: its conversation, or its comparison's lanes'."""
    link = ShareLink.objects.filter(_open(), pk=share_id).first()
    if link is None:
        return []
    if link.conversation_id is not None:
        return [link.conversation_id]
    lanes = Lane.objects.filter(session_id=link.compare_session_id).order_by("position", "id")
    return list(lanes.values_list("conversation_id", flat=True))


def share_path(*, link: ShareLink) -> list[Message]:
    """The messages the link shows, root first (for a comparison: lane after lane)."""
    if link.conversation is None:
        return [
            message
            for lane in share_lanes(link=link)
            for message in conversation_path(conversation=lane.conversation)
        ]
    messages = list(link.conversation.messages.all())
    if link.mode == ShareLink.Mode.SNAPSHOT:
        return path_to(messages, leaf_id=link.up_to_message_id)
    return path_to(messages, leaf_id=link.conversation.current_leaf_id)


def share_settings(*, link: ShareLink, conversation: Conversation | None = None) -> dict[str, Any]:
    """The settings of the link's conversation (or of ``conversation``, a lane it shows) as the
    link may show them: no system prompt unless chosen."""
    settings = dict((conversation or link.conversation).settings)
    if not link.show_system:
        settings["system"] = ""
    return settings


def conversation_fork(
    *, link: ShareLink, user: AbstractBaseUser, conversation: Conversation | None = None
) -> Conversation:
    """A new conversation of ``user``'s holding what the link shows of its conversation (or of
    ``conversation``, the conversation of one of the comparison's lanes; 404 for any other): the
    messages (content verbatim) and the settings, with no key. An answer still being written is
    copied as far as it was saved, as stopped. A provider ``user`` cannot use (another user's
    endpoint) becomes the Simulator."""
    if conversation is None:
        conversation, title = link.conversation, link.conversation.title
        path = share_path(link=link)
    else:
        lane = next(
            (n for n in share_lanes(link=link) if n.conversation_id == conversation.pk), None
        )
        if lane is None:
            raise Http404("No such lane.")
        suffix = f" (lane {lane.position})"
        title = link.compare_session.title[: TITLE_CHARS - len(suffix)] + suffix
        path = conversation_path(conversation=conversation)
    records = [
        MessageRecord(
            parent=index - 1 if index else None,
            role=message.role,
            content=message.content,
            fields={
                "state": Message.State.STOPPED
                if message.state == Message.State.STREAMING
                else message.state,
                **{name: getattr(message, name) for name in _COPIED},
            },
        )
        for index, message in enumerate(path)
    ]
    provider = conversation.provider
    if provider not in providers_for_user(user):
        provider = "simulator"
    return conversation_build(
        user=user,
        title=title,
        provider=provider,
        settings=share_settings(link=link, conversation=conversation),
        records=records,
        current=len(records) - 1 if records else None,
    )


ashare_find_open = database_sync_to_async(share_find_open)
ashare_is_open = database_sync_to_async(share_is_open)
ashare_conversation_ids = database_sync_to_async(share_conversation_ids)
