"""Conversations and their messages, stored as the Messages API shapes them.

A message's ``content`` is the list of content blocks exactly as the API takes and returns them
(``text``, ``thinking`` with its ``signature``, ``tool_use``, ``tool_result``), so that a later turn
can send earlier content back verbatim. Messages form a tree through ``parent`` (branches: an
edited user message or a regenerated answer is a sibling); the conversation's ``current_leaf``
says which path is shown and sent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Conversation(models.Model):
    """One chat of one user, with the request settings its next turn will use.

    ``settings`` holds the request settings form's data (model, system, max_tokens, sampling,
    stop sequences, thinking, effort, tools, tool choice); the provider and the key are fields
    of their own. The key is referenced, never copied: deleting it leaves the conversation.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations"
    )
    title = models.CharField(max_length=200, blank=True)
    title_is_auto = models.BooleanField(default=True)
    provider = models.CharField(max_length=40, default="simulator")
    api_key = models.ForeignKey(
        "accounts.ApiKey",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    settings = models.JSONField(default=dict)
    current_leaf = models.ForeignKey(
        "Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["user", "-updated_at"], name="conversation_recent")]

    def __str__(self) -> str:
        return self.title or f"Conversation {self.pk}"


class Message(models.Model):
    """One turn. An assistant message also records how it was made and how it ended."""

    class Role(models.TextChoices):
        USER = "user"
        ASSISTANT = "assistant"

    class State(models.TextChoices):
        COMPLETE = "complete"  # ended with message_stop (any stop_reason)
        STREAMING = "streaming"  # a generation is writing it
        STOPPED = "stopped"  # the user pressed Stop; what arrived is kept
        ERROR = "error"  # the upstream failed; ``error`` says how, the partial content is kept
        INTERRUPTED = "interrupted"  # the process running the generation went away

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    content = models.JSONField(default=list)
    state = models.CharField(max_length=16, choices=State.choices, default=State.COMPLETE)
    # For assistant messages: the error in words and types ({"type", "message", "status"}).
    error = models.JSONField(null=True, blank=True)
    # The exact request body sent upstream (never the key) and what came back.
    request = models.JSONField(null=True, blank=True)
    provider = models.CharField(max_length=40, blank=True)
    model = models.CharField(max_length=256, blank=True)
    upstream_id = models.CharField(max_length=128, blank=True)
    usage = models.JSONField(null=True, blank=True)
    stop_reason = models.CharField(max_length=32, blank=True)
    # null as in the API: no stop sequence matched ("" is not a stop sequence anyone can set).
    stop_sequence = models.TextField(null=True, blank=True)  # noqa: DJ001
    warnings = models.JSONField(default=list, blank=True)
    # Timing, in milliseconds from the moment the request was sent.
    first_token_ms = models.PositiveIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    output_tokens_per_second = models.FloatField(null=True, blank=True)
    # The last stream frame folded into ``content`` when it was saved (checkpoints included).
    seq = models.PositiveIntegerField(default=0)
    # How the stream went, for the inspector: event counts by type and the moments that matter
    # (first thinking and text token, thinking duration), written with the final state.
    timeline = models.JSONField(null=True, blank=True)
    # The serving process that runs the generation writing this answer (while it streams), so
    # that the same process, restarted, can mark what it left behind as interrupted.
    runner = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["state"], name="message_state")]

    def __str__(self) -> str:
        return f"{self.role} message {self.pk} ({self.state})"


class UserPreferences(models.Model):
    """What "New chat" starts from: the settings of the user's last sent message."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="playground_preferences"
    )
    provider = models.CharField(max_length=40, default="simulator")
    api_key = models.ForeignKey(
        "accounts.ApiKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    settings = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Playground preferences of user {self.user_id}"
