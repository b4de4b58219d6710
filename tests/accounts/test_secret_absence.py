"""A stored secret never appears in a page, a fragment, a Test key result or a log line.

alice stores a known secret; every GET-able URL is rendered as a page and as an htmx fragment,
the key is tested (the provider's refusal included), forms are submitted with errors, and the
logs of all that are captured; neither the secret nor its first 8 characters may appear.
"""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse

from playground.conversations.models import Conversation, Message
from tests.sharing.comparisons import sent_comparison

HTMX_VARIANTS = [
    {},
    {"HTTP_HX_REQUEST": "true"},
    {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "x"},
]


@pytest.fixture
def deepseek_is_the_simulator(settings, simulator) -> None:
    settings.PLAYGROUND_DEEPSEEK_BASE_URL = simulator.base_url


def _everything_alice_can_see(routes, alices_objects, client) -> dict[str, str]:
    seen: dict[str, str] = {}
    for route in routes:
        if not route.name or any(name not in alices_objects for name in route.arguments):
            continue
        url = reverse(route.name, kwargs={name: alices_objects[name]() for name in route.arguments})
        for headers in HTMX_VARIANTS:
            response = client.get(url, follow=True, **headers)
            seen[f"GET {url} {headers}"] = response.content.decode(errors="replace") + str(
                response.headers
            )
    return seen


def test_no_page_fragment_result_or_log_line_shows_the_secret(
    deepseek_is_the_simulator,
    project_routes,
    alices_objects,
    alice,
    alice_client,
    make_key,
    make_endpoint,
    alices_secret,
    caplog,
):
    caplog.set_level(logging.DEBUG)
    key = make_key(alice, label="The secret one")
    endpoint = make_endpoint(alice, name="Secret endpoint")
    make_key(alice, label="Endpoint key", provider=endpoint.provider_slug)

    seen = _everything_alice_can_see(project_routes, alices_objects, alice_client)
    seen.update(_shared_and_exported(alice, key, alice_client))
    seen.update(_comparison_shared(alice, key, alice_client))
    for headers in HTMX_VARIANTS[:2]:
        test = alice_client.post(f"/keys/{key.pk}/test/", follow=True, **headers)
        seen[f"Test key {headers}"] = test.content.decode()
        invalid = alice_client.post(
            "/keys/",
            {"label": "The secret one", "provider": "deepseek", "secret": alices_secret},
            **headers,
        )
        seen[f"keys form error {headers}"] = invalid.content.decode()
    assert "Bad key: the provider rejected it" in seen["Test key {}"], "the key was really tried"
    seen["logs"] = caplog.text

    assert len(seen) > 10
    for where, text in seen.items():
        assert alices_secret not in text, f"the secret is in {where}"
        assert alices_secret[:8] not in text, f"the secret's start is in {where}"

    with connection.cursor() as cursor:
        cursor.execute("SELECT secret_ciphertext FROM accounts_apikey")
        for (ciphertext,) in cursor.fetchall():
            assert alices_secret[:8] not in ciphertext


def _shared_and_exported(alice, key, alice_client) -> dict[str, str]:
    """A conversation that uses the key, shared (the page as a stranger sees it, its fragment,
    the Share form's result, the owner's list) and exported as JSON and Markdown."""
    conversation = Conversation.objects.create(
        user=alice, title="Keyed chat", provider="deepseek", api_key=key
    )
    question = Message.objects.create(
        conversation=conversation, role="user", content=[{"type": "text", "text": "Hi"}]
    )
    conversation.current_leaf = question
    conversation.save()
    created = alice_client.post(
        f"/c/{conversation.pk}/share/", {"mode": "live", "show_system": "on"}
    ).content.decode()
    token = created.split('value="http://testserver/s/')[1].split("/")[0]
    stranger = Client()
    seen = {"Share form result": created}
    for url, client in (
        (f"/s/{token}/", stranger),
        (f"/s/{token}/m/{question.pk}/", stranger),
        ("/shares/", alice_client),
        (f"/c/{conversation.pk}/export.json", alice_client),
        (f"/c/{conversation.pk}/export.md", alice_client),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        seen[f"GET {url}"] = response.content.decode() + str(response.headers)
    return seen


def _comparison_shared(alice, key, alice_client) -> dict[str, str]:
    """A comparison whose lanes use the key, shared with its system prompts (the page as a
    stranger and as another user see it, a lane's message, the Share form's result, the list)."""
    comparison = sent_comparison(alice, api_key=key)
    created = alice_client.post(
        f"/compare/{comparison.session.pk}/share/", {"show_system": "on"}
    ).content.decode()
    token = created.split('value="http://testserver/s/')[1].split("/")[0]
    someone = Client()
    someone.force_login(User.objects.create_user("someone"))
    seen = {"Comparison share form result": created}
    for who, url, client in (
        ("a stranger", f"/s/{token}/", Client()),
        ("someone signed in", f"/s/{token}/", someone),
        ("a stranger", f"/s/{token}/m/{comparison.pro_answer.pk}/", Client()),
        ("alice", f"/compare/{comparison.session.pk}/", alice_client),
        ("alice", "/shares/", alice_client),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        seen[f"GET {url} as {who}"] = response.content.decode() + str(response.headers)
    assert "PRO-SYSTEM-MARKER" in seen[f"GET /s/{token}/ as a stranger"], (
        "the page was really shown"
    )
    return seen
