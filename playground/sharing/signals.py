"""A link deleted with its conversation closes the share pages' sockets open on it."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from playground.sharing.models import ShareLink
from playground.sharing.services import share_announce_closed


@receiver(post_delete, sender=ShareLink)
def _link_deleted(sender: type[ShareLink], instance: ShareLink, **kwargs: Any) -> None:
    share_announce_closed(share_id=instance.pk)
