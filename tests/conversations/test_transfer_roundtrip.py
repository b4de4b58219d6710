"""Export, then import: the new conversation has every block (thinking with its signature,
tool_use, tool_result), every branch and the same current leaf; a bare Messages API request
body becomes a conversation with the request's settings."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from playground.conversations.models import Conversation
from playground.conversations.services import conversation_path
from tests.sharing.trees import weather_conversation


def _import(client: Client, content: bytes, name: str = "conversation.json"):
    return client.post("/import/", {"file": SimpleUploadedFile(name, content)})


def _imported(response) -> Conversation:
    assert response.status_code == 302, response.content.decode()[:2000]
    return Conversation.objects.get(pk=int(response.url.strip("/").split("/")[-1]))


def _tree_of(conversation: Conversation) -> list[tuple]:
    """The tree as data: each message's position, parent's position and what it holds."""
    messages = list(conversation.messages.order_by("id"))
    position = {m.pk: n for n, m in enumerate(messages)}
    return [
        (position.get(m.parent_id), m.role, m.content, m.state, m.model, m.usage, m.stop_reason,
         m.stop_sequence, m.first_token_ms, m.duration_ms, m.output_tokens_per_second)
        for m in messages
    ]  # fmt: skip


def test_an_exported_conversation_comes_back_whole(alice, alice_client):
    tree = weather_conversation(alice)
    exported = alice_client.get(f"/c/{tree.conversation.pk}/export.json").content
    copy = _imported(_import(alice_client, exported))

    assert copy.pk != tree.conversation.pk and copy.user == alice
    assert _tree_of(copy) == _tree_of(tree.conversation)
    assert [m.content for m in conversation_path(conversation=copy)] == [
        m.content for m in tree.path
    ]
    assert copy.settings == tree.conversation.settings
    assert copy.title == "Weather in Paris" and copy.provider == "simulator"
    again = json.loads(alice_client.get(f"/c/{copy.pk}/export.json").content)
    first = json.loads(exported)
    for document in (again, first):
        for message in document["messages"]:
            message.pop("created_at")
        document["conversation"].pop("created_at")
    assert again == first, "export, import, export: the same document"


def test_bob_imports_alices_export_into_his_account(alice, alice_client, bob, bob_client):
    tree = weather_conversation(alice)
    exported = alice_client.get(f"/c/{tree.conversation.pk}/export.json").content
    copy = _imported(_import(bob_client, exported))
    assert copy.user == bob and copy.api_key is None
    page = bob_client.get(f"/c/{copy.pk}/")
    assert page.status_code == 200 and "18 degrees" in page.content.decode()


def test_a_bare_messages_request_becomes_a_conversation_with_its_settings(alice, alice_client):
    body = {
        "model": "deepseek-v4-flash",
        "max_tokens": 1000,
        "system": "Be brief.",
        "temperature": 0.2,
        "thinking": {"type": "disabled"},
        "stop_sequences": ["STOP"],
        "messages": [
            {"role": "user", "content": "Hello there"},
            {"role": "assistant", "content": [{"type": "text", "text": "Hi!"}]},
            {"role": "user", "content": "Tell me a joke"},
        ],
    }
    copy = _imported(_import(alice_client, json.dumps(body).encode()))
    path = conversation_path(conversation=copy)
    assert [m.content for m in path] == [
        [{"type": "text", "text": "Hello there"}],
        [{"type": "text", "text": "Hi!"}],
        [{"type": "text", "text": "Tell me a joke"}],
    ]
    assert [m.role for m in path] == ["user", "assistant", "user"]
    settings = copy.settings
    assert settings["model"] == "deepseek-v4-flash" and settings["max_tokens"] == 1000
    assert settings["system"] == "Be brief." and settings["temperature"] == 0.2
    assert settings["thinking"] == "disabled" and settings["stop_sequences"] == ["STOP"]
    assert copy.title == "Hello there" and copy.provider == "simulator"


def test_what_a_request_holds_that_a_conversation_cannot_is_reported(alice, alice_client):
    body = {
        "model": "deepseek-v4-flash",
        "max_tokens": 100,
        "metadata": {"user_id": "u1"},
        "messages": [{"role": "user", "content": "Hi"}],
    }
    response = _import(alice_client, json.dumps(body).encode())
    _imported(response)
    page = alice_client.get(response.url).content.decode()
    assert "metadata" in page, "said on the page the import leads to"
