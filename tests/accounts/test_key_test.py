""" "Test key" sends a 1-token request through the real client to the Simulator over loopback."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from playground.accounts.models import ApiKey

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def deepseek_is_the_simulator(settings, simulator) -> None:
    settings.PLAYGROUND_DEEPSEEK_BASE_URL = simulator.base_url


def test_a_key_the_provider_accepts_is_reported_ok(
    deepseek_is_the_simulator, alice, alice_client, make_key
):
    key = make_key(alice, secret="sim-alice-works-1234")
    fragment = alice_client.post(f"/keys/{key.pk}/test/", **HTMX).content.decode()
    assert fragment.startswith('<span class="status-ok">OK: the key works</span>\n')
    key.refresh_from_db()
    assert key.last_used_at is not None
    last_used = f'<span id="key-{key.pk}-last-used" hx-swap-oob="true">'
    assert f"{last_used}{key.last_used_at:%Y-%m-%d %H:%M}</span>" in fragment


def test_a_key_the_provider_refuses_is_reported_as_a_bad_key(
    deepseek_is_the_simulator, alice, alice_client, make_key, alices_secret
):
    key = make_key(alice)
    page = alice_client.post(f"/keys/{key.pk}/test/", **HTMX).content.decode()
    assert page.startswith('<span class="status-error">Bad key: the provider rejected it (401')
    assert alices_secret[:8] not in page


def test_a_provider_nobody_answers_for_is_reported_unreachable(
    settings, alice, alice_client, make_key
):
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
    settings.PLAYGROUND_DEEPSEEK_BASE_URL = f"http://127.0.0.1:{port}"
    key = make_key(alice)
    page = alice_client.post(f"/keys/{key.pk}/test/", **HTMX).content.decode()
    assert page.startswith('<span class="status-error">Unreachable: ')


def test_without_htmx_the_result_comes_back_as_a_message_on_the_keys_page(
    deepseek_is_the_simulator, alice, alice_client, make_key
):
    key = make_key(alice, secret="sim-alice-works-1234")
    response = alice_client.post(f"/keys/{key.pk}/test/")
    assert response.status_code == 302 and response.url == "/keys/"
    assert "Work key: OK: the key works" in alice_client.get("/keys/").content.decode()


def test_testing_is_a_post(alice, alice_client, make_key):
    key = make_key(alice)
    assert alice_client.get(f"/keys/{key.pk}/test/").status_code == 405


def test_a_custom_endpoint_key_works_through_its_own_auth_scheme(
    settings, simulator, alice, alice_client, make_endpoint, make_key
):
    settings.PLAYGROUND_ALLOW_PRIVATE_ENDPOINTS = True
    endpoint = make_endpoint(
        alice, base_url=simulator.base_url, auth_scheme="bearer", models=["deepseek-v4-flash"]
    )
    key = make_key(alice, provider=endpoint.provider_slug, secret="sim-bearer-key-5678")
    page = alice_client.post(f"/keys/{key.pk}/test/", **HTMX).content.decode()
    assert "OK: the key works" in page


def test_a_custom_endpoint_on_loopback_is_refused_at_request_time(
    settings, simulator, alice, alice_client, make_endpoint, make_key
):
    settings.PLAYGROUND_ALLOW_PRIVATE_ENDPOINTS = False
    endpoint = make_endpoint(alice, base_url=simulator.base_url)  # saved while it was allowed
    key = make_key(alice, provider=endpoint.provider_slug, secret="sim-never-sent-9999")
    page = alice_client.post(f"/keys/{key.pk}/test/", **HTMX).content.decode()
    assert "Refused: The host 127.0.0.1 resolves to 127.0.0.1, a loopback address" in page
    assert ApiKey.objects.get(pk=key.pk).last_used_at is None


class _Recorder(BaseHTTPRequestHandler):
    """Answers with the server's ``status``, ``location`` and ``body``; counts the requests."""

    def _answer(self) -> None:
        self.server.hits += 1
        body = self.server.body.encode()
        self.send_response(self.server.status)
        if self.server.location:
            self.send_header("Location", self.server.location)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def http_server() -> Iterator:
    servers = []

    def start(status: int, location: str = "", body: str = "") -> ThreadingHTTPServer:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
        server.status, server.location, server.body, server.hits = status, location, body, 0
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_a_redirect_is_reported_and_never_followed(
    settings, http_server, alice, alice_client, make_endpoint, make_key
):
    # Private addresses are allowed here only so that the first hop can be a loopback server;
    # the point is that the client itself never follows a redirect anywhere.
    settings.PLAYGROUND_ALLOW_PRIVATE_ENDPOINTS = True
    target = http_server(200)
    bouncer = http_server(307, f"http://127.0.0.1:{target.server_port}/v1/messages")
    endpoint = make_endpoint(alice, base_url=f"http://127.0.0.1:{bouncer.server_port}")
    key = make_key(alice, provider=endpoint.provider_slug, secret="sk-redirected-key-0000")
    page = alice_client.post(f"/keys/{key.pk}/test/", **HTMX).content.decode()
    assert bouncer.hits == 1
    assert target.hits == 0
    assert "redirect" in page.lower()


def test_an_upstream_that_echoes_part_of_the_key_does_not_get_it_shown(
    settings, http_server, alice, alice_client, make_endpoint, make_key, alices_secret
):
    settings.PLAYGROUND_ALLOW_PRIVATE_ENDPOINTS = True
    masked = f"{alices_secret[:10]}************{alices_secret[-4:]}"
    echo = f'{{"error": {{"message": "Incorrect API key provided: {masked}", "type": "invalid"}}}}'
    upstream = http_server(401, body=echo)
    endpoint = make_endpoint(alice, base_url=f"http://127.0.0.1:{upstream.server_port}")
    key = make_key(alice, provider=endpoint.provider_slug)
    page = alice_client.post(f"/keys/{key.pk}/test/", **HTMX).content.decode()
    assert "Bad key: the provider rejected it (401" in page
    assert "Incorrect API key provided" in page
    assert alices_secret[:8] not in page
