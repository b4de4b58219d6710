"""Fixtures for the sharing tests: alice's weather conversation, her comparison, links to them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import User

from playground.accounts.models import ApiKey
from playground.accounts.services import api_key_create
from playground.conversations.models import Message
from playground.sharing.services import CreatedShare, share_create, share_create_for_comparison
from tests.sharing.comparisons import Comparison, sent_comparison
from tests.sharing.trees import Tree, weather_conversation


@pytest.fixture
def tree(alice: User) -> Tree:
    return weather_conversation(alice)


@pytest.fixture
def make_share() -> Callable[..., CreatedShare]:
    def make(
        tree: Tree,
        *,
        mode: str = "live",
        up_to: Message | None = None,
        show_system: bool = False,
        expires_in: timedelta | None = None,
    ) -> CreatedShare:
        return share_create(
            conversation=tree.conversation,
            mode=mode,
            up_to_message=up_to,
            show_system=show_system,
            expires_in=expires_in,
        )

    return make


@pytest.fixture
def comparison(alice: User) -> Comparison:
    return sent_comparison(alice)


@pytest.fixture
def share_comparison() -> Callable[..., CreatedShare]:
    def make(
        comparison: Comparison, *, show_system: bool = False, expires_in: timedelta | None = None
    ) -> CreatedShare:
        return share_create_for_comparison(
            session=comparison.session, show_system=show_system, expires_in=expires_in
        )

    return make


# Looks like a key, is none: the secret-absence checks look for it in pages and exports.
ALICES_SECRET = "sk-sharing-0123456789abcdefSECRET"


@pytest.fixture
def make_key() -> Callable[..., ApiKey]:
    def make(user: User, label: str = "Work key", provider: str = "deepseek") -> ApiKey:
        return api_key_create(user=user, label=label, provider_slug=provider, secret=ALICES_SECRET)

    return make
