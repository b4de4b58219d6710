"""Sockets of share pages hear of what changes under them: a link deleted with its target
closes them; a lane leaving a shared comparison (removed, or continued in the playground) is no
longer watched by them."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from playground.compare.models import Lane
from playground.sharing.models import ShareLink
from playground.sharing.services import share_announce_closed, share_announce_lanes_changed


@receiver(post_delete, sender=ShareLink)
def _link_deleted(sender: type[ShareLink], instance: ShareLink, **kwargs: Any) -> None:
    share_announce_closed(share_id=instance.pk)


@receiver(post_delete, sender=Lane)
def _lane_deleted(sender: type[Lane], instance: Lane, **kwargs: Any) -> None:
    share_announce_lanes_changed(compare_id=instance.session_id)
