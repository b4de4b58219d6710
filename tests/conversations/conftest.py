"""Fixtures for the playground page tests: alice owns conversations, bob must never reach them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from playground.accounts.models import ApiKey
from playground.accounts.services import api_key_create
from playground.conversations.models import Conversation, Message


@pytest.fixture
def make_key() -> Callable[..., ApiKey]:
    def make(user: User, label: str = "Work key", provider: str = "deepseek") -> ApiKey:
        secret = f"sk-{label.replace(' ', '-')}-0123456789abcdef"
        return api_key_create(user=user, label=label, provider_slug=provider, secret=secret)

    return make


@pytest.fixture
def make_conversation() -> Callable[..., Conversation]:
    """A conversation with the given turns, as (role, content) pairs along one path."""

    def make(
        user: User,
        title: str = "",
        turns: list[tuple[str, Any]] = (),
        settings: dict[str, Any] | None = None,
        **message_fields: Any,
    ) -> Conversation:
        conversation = Conversation.objects.create(
            user=user, title=title, title_is_auto=not title, settings=settings or {}
        )
        parent = None
        for role, content in turns:
            blocks = [{"type": "text", "text": content}] if isinstance(content, str) else content
            fields = message_fields if role == "assistant" else {}
            parent = Message.objects.create(
                conversation=conversation, parent=parent, role=role, content=blocks, **fields
            )
        conversation.current_leaf = parent
        conversation.save()
        return conversation

    return make
