"""Fixtures for the accounts tests: alice owns things, bob must never reach them."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver

from playground.accounts.models import ApiKey, CustomEndpoint
from playground.accounts.services import api_key_create, endpoint_create
from playground.compare.sessions import compare_create
from playground.conversations.models import Conversation, Message
from playground.sharing.models import ShareLink
from playground.sharing.services import share_create
from playground.wire.profiles import DEEPSEEK
from tests.conftest import PASSWORD

ALICES_SECRET = "sk-alice-0123456789abcdefSECRETwxyz"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # Sign-in throttling lives in the cache; one test's failures must not lock the next one out.
    cache.clear()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def alices_secret() -> str:
    return ALICES_SECRET


@pytest.fixture
def make_endpoint() -> Callable[..., CustomEndpoint]:
    def make(user: User, name: str = "Corp proxy", **fields: object) -> CustomEndpoint:
        values = {
            "base_url": "https://93.184.215.14/anthropic",
            "auth_scheme": "bearer",
            "models": ["corp-model-large", "corp-model-small"],
            "profile": DEEPSEEK.renamed(name).to_dict(),
            "profile_base": "deepseek",
            **fields,
        }
        return endpoint_create(user=user, name=name, **values)

    return make


@pytest.fixture
def make_key() -> Callable[..., ApiKey]:
    def make(
        user: User,
        label: str = "Work key",
        provider: str = "deepseek",
        secret: str = ALICES_SECRET,
    ) -> ApiKey:
        return api_key_create(user=user, label=label, provider_slug=provider, secret=secret)

    return make


@dataclass(frozen=True)
class Route:
    """One URL pattern of the project: its reversible name and the arguments it takes."""

    name: str | None
    route: str
    arguments: tuple[str, ...]


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> list[Route]:
    routes = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            routes += _walk(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            arguments = tuple(pattern.pattern.converters) or tuple(pattern.pattern.regex.groupindex)
            routes.append(Route(name=name, route=route, arguments=arguments))
    return routes


@pytest.fixture(scope="session")
def project_routes() -> list[Route]:
    """Every URL pattern of the project, walked recursively through its includes."""
    return _walk(get_resolver())


@pytest.fixture
def alices_objects(alice, make_key, make_endpoint) -> dict[str, Callable[[], object]]:
    """For each URL argument naming an object, a factory making one of alice's and giving its id.

    A new URL that takes an id must be registered here, or the ownership test fails.
    """
    numbers = itertools.count(1)
    return {
        "key_id": lambda: make_key(alice, label=f"Alice key {next(numbers)}").pk,
        "endpoint_id": lambda: make_endpoint(alice, name=f"Alice endpoint {next(numbers)}").pk,
        "conversation_id": lambda: (
            Conversation.objects.create(user=alice, title=f"Alice chat {next(numbers)}").pk
        ),
        "message_id": lambda: (
            Message.objects.create(
                conversation=Conversation.objects.create(user=alice),
                role=Message.Role.ASSISTANT,
                content=[{"type": "text", "text": "Alice's answer"}],
            ).pk
        ),
        "compare_id": lambda: compare_create(user=alice).pk,
        "lane_id": lambda: compare_create(user=alice).lanes.first().pk,
        "share_id": lambda: _alices_share(alice).link.pk,
    }


def _alices_share(alice: User):
    conversation = Conversation.objects.create(user=alice, title="Alice's shared chat")
    return share_create(
        conversation=conversation,
        mode=ShareLink.Mode.LIVE,
        up_to_message=None,
        show_system=False,
        expires_in=None,
    )


@pytest.fixture
def alices_public_objects(alice) -> dict[str, Callable[[], object]]:
    """For each URL argument that is itself the permission (a share link's token), a factory
    making one of alice's: whoever holds it may open its URL, signed in or not, while a made-up
    one opens nothing, and neither opens alice's other objects (tests/accounts/test_ownership.py).
    """
    return {"token": lambda: _alices_share(alice).token}
