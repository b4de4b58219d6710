"""The shared upstream clients: one per event loop, never following redirects; the guards."""

from __future__ import annotations

import asyncio
import socket
import ssl

import httpx
import pytest
from asgiref.sync import async_to_sync

from playground import upstream
from playground.accounts.models import CustomEndpoint
from playground.accounts.providers import builtins_from_settings, endpoint_provider
from playground.accounts.ssrf import UnsafeEndpoint
from playground.upstream import guard_provider, http_client, http_client_for
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


def test_every_loops_clients_share_the_process_verifying_tls_contexts():
    """Built once (reading the CA bundle takes tens of milliseconds), not for each new client on
    the event loop; still verifying certificates and host names."""

    async def contexts():
        return [http_client(guarded=g)._transport._pool._ssl_context for g in (False, True)]

    first = async_to_sync(contexts)()
    second = async_to_sync(contexts)()
    assert first[0] is second[0] and first[1] is second[1]
    for context in first:
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


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


def sneaky_endpoint(base_url: str = "http://localhost:9") -> CustomEndpoint:
    return CustomEndpoint(
        pk=8,
        name="Sneaky",
        base_url=base_url,
        auth_scheme="x-api-key",
        models=["m"],
        profile=DEEPSEEK.to_dict(),
    )


async def test_custom_endpoints_get_the_guarded_client_and_built_ins_the_plain_one(settings):
    settings.PLAYGROUND_ALLOW_PRIVATE_ENDPOINTS = False
    guarded = http_client(guarded=True)
    assert guarded is not http_client()
    assert http_client_for(endpoint_provider(sneaky_endpoint())) is guarded
    for provider in builtins_from_settings().values():
        assert http_client_for(provider) is http_client()
    settings.PLAYGROUND_ALLOW_PRIVATE_ENDPOINTS = True
    assert http_client_for(endpoint_provider(sneaky_endpoint())) is http_client()


async def test_the_guarded_client_refuses_to_connect_to_loopback(simulator):
    with pytest.raises(httpx.ConnectError, match="a loopback address"):
        await http_client(guarded=True).post(simulator.messages_url, json={})


async def test_a_name_rebound_to_loopback_after_the_check_is_refused_when_connecting(
    settings, simulator, monkeypatch
):
    """A DNS server that answers a public address to the check, then loopback (rebinding)."""
    settings.PLAYGROUND_ALLOW_PRIVATE_ENDPOINTS = False
    port = int(simulator.base_url.rsplit(":", 1)[1])
    answers = iter(["93.184.215.14", "127.0.0.1"])
    loop = asyncio.get_running_loop()

    async def rebinding_getaddrinfo(host, port, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(loop, "getaddrinfo", rebinding_getaddrinfo)
    provider = endpoint_provider(sneaky_endpoint(f"http://rebind.example:{port}"))

    await guard_provider(provider)  # the first answer is public: the check passes
    with pytest.raises(httpx.ConnectError, match=r"resolves to 127\.0\.0\.1, a loopback address"):
        await http_client_for(provider).post(provider.messages_url(), json={})


async def test_the_guarded_client_connects_to_the_address_it_judged(simulator, monkeypatch):
    """With the judgement waved through, the request arrives whole: the pinning only chooses
    where the connection goes."""
    monkeypatch.setattr(upstream, "judge_addresses", lambda host, infos: None)
    response = await http_client(guarded=True).post(
        simulator.messages_url,
        headers={"x-api-key": simulator.api_key},
        json={
            "model": "deepseek-v4-flash",
            "max_tokens": 5,
            "messages": [{"role": "user", "content": "[[echo]] pinned"}],
            "thinking": {"type": "disabled"},
        },
    )
    assert response.status_code == 200
    assert response.json()["content"][0]["text"] == "pinned"
