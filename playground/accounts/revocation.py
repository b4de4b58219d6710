"""Closing websockets whose sign-in ended: on sign-out, and when a user's password changes.

Every authenticated socket joins two channel-layer groups: one per user and one per session
(named by a hash, so that session keys never travel through the channel layer). Signing out
revokes the session's group; a password change (any save that changes the password hash: the
page, ``changepassword``, an admin) revokes the user's group, matching Django, which ends that
user's other sessions too.
"""

from __future__ import annotations

import hashlib

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

REVOKED_EVENT = {"type": "auth.revoked"}
_PASSWORD_CHANGED = "_playground_password_changed"  # noqa: S105  (an attribute name)


def user_group(user_id: int) -> str:
    return f"user-{user_id}"


def session_group(session_key: str) -> str:
    return f"session-{hashlib.sha256(session_key.encode()).hexdigest()[:32]}"


def _send(group: str) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, dict(REVOKED_EVENT))


def revoke_session(*, session_key: str) -> None:
    """Close every websocket opened with this session."""
    _send(session_group(session_key))


def revoke_user(*, user_id: int) -> None:
    """Close every websocket of this user, in every session."""
    _send(user_group(user_id))


@receiver(user_logged_out)
def _revoke_on_sign_out(*, request: object, **kwargs: object) -> None:
    session = getattr(request, "session", None)
    session_key = getattr(session, "session_key", None)
    if session_key:
        revoke_session(session_key=session_key)


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def _note_password_change(
    *, sender: type, instance: object, raw: bool, update_fields: frozenset | None, **kwargs
) -> None:
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return  # e.g. the last_login update on every sign-in: no query needed
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True)
    old_hash = stored.first()
    setattr(instance, _PASSWORD_CHANGED, old_hash is not None and old_hash != instance.password)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _revoke_on_password_change(*, instance: object, **kwargs: object) -> None:
    if instance.__dict__.pop(_PASSWORD_CHANGED, False):
        user_id = instance.pk
        transaction.on_commit(lambda: revoke_user(user_id=user_id))
