"""The shared upstream client: one per event loop, never following redirects; the request guard."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync

from playground.accounts.models import CustomEndpoint
from playground.accounts.providers import builtins_from_settings, endpoint_provider
from playground.accounts.ssrf import UnsafeEndpoint
from playground.upstream import guard_provider, http_client
from playground.wire.profiles import DEEPSEEK


async def test_one_client_serves_the_whole_event_loop_and_never_follows_redirects():
    client = http_client()
    assert http_client() is client
    assert client.follow_redirects is False


def test_each_event_loop_gets_its_own_client():
    async def current():
        return http_client()

    first = async_to_sync(current)()
    second = async_to_sync(current)()
    assert first is not second, "async_to_sync runs each call on a new loop outside a server"


def test_the_timeouts_come_from_settings(settings):
    settings.PLAYGROUND_UPSTREAM_TIMEOUT = 42.0

    async def timeout():
        return http_client().timeout

    observed = async_to_sync(timeout)()
    assert (observed.read, observed.connect) == (42.0, 10.0)


async def test_built_in_providers_are_exempt_from_the_guard(settings):
    settings.PLAYGROUND_ALLOW_PRIVATE_ENDPOINTS = False
    settings.PLAYGROUND_DEEPSEEK_BASE_URL = "http://127.0.0.1:9"
    for provider in builtins_from_settings().values():
        await guard_provider(provider)


async def test_a_custom_endpoint_on_loopback_is_refused_at_request_time(settings):
    settings.PLAYGROUND_ALLOW_PRIVATE_ENDPOINTS = False
    endpoint = CustomEndpoint(
        pk=7,
        name="Sneaky",
        base_url="http://localhost:9",
        auth_scheme="x-api-key",
        models=["m"],
        profile=DEEPSEEK.to_dict(),
    )
    with pytest.raises(UnsafeEndpoint, match="a loopback address"):
        await guard_provider(endpoint_provider(endpoint))
    settings.PLAYGROUND_ALLOW_PRIVATE_ENDPOINTS = True
    await guard_provider(endpoint_provider(endpoint))
