"""Share links: a conversation or a compare session shown to anyone holding a token.

The token is 256 random bits (``secrets.token_urlsafe(32)``). Links are looked up by the token's
SHA-256 (``token_hash``), so a database dump or backup alone opens no share page; the token itself
is kept encrypted with the server's Fernet keys (like API keys) only so that its owner can copy
the link again from the list of their links.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ShareLink(models.Model):
    class Mode(models.TextChoices):
        LIVE = "live", "Live"  # the conversation as it goes on, answers streaming included
        SNAPSHOT = "snapshot", "Snapshot"  # the path up to ``up_to_message``, nothing later

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links"
    )
    # A link shows exactly one of these (the ``share_has_one_target`` constraint).
    conversation = models.ForeignKey(
        "conversations.Conversation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="share_links",
    )
    # A comparison's link shows every lane, live (there is no snapshot of a comparison).
    compare_session = models.ForeignKey(
        "compare.CompareSession",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="share_links",
    )
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.LIVE)
    up_to_message = models.ForeignKey(
        "conversations.Message",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    show_system = models.BooleanField(default=False)
    token_hash = models.CharField(max_length=64, unique=True)
    token_ciphertext = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    view_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(mode="snapshot") | models.Q(up_to_message__isnull=False),
                name="share_snapshot_has_its_message",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(conversation__isnull=False, compare_session__isnull=True)
                    | models.Q(conversation__isnull=True, compare_session__isnull=False)
                ),
                name="share_has_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} share link {self.pk}"
