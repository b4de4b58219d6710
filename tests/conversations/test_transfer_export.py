"""Export JSON: the Messages request the current path represents, the settings, every message of
the tree and the current leaf, never a key; Export Markdown: the path for people to read."""

from __future__ import annotations

import json

from django.test import Client

from tests.sharing.trees import (
    QUESTION,
    SETTINGS,
    SYSTEM_PROMPT,
    THINKING,
    TOOL_USE,
    WEATHER_TOOL,
    weather_conversation,
)


def _export(client: Client, conversation_id: int) -> dict:
    response = client.get(f"/c/{conversation_id}/export.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="weather-in-paris.json"'
    return json.loads(response.content)


def test_the_json_export_holds_the_request_the_current_path_represents(alice, alice_client):
    tree = weather_conversation(alice)
    document = _export(alice_client, tree.conversation.pk)
    assert document["format"] == "playground.conversation" and document["version"] == 1
    request = document["request"]
    assert request["model"] == "deepseek-v4-pro" and request["max_tokens"] == 2048
    assert request["system"] == SYSTEM_PROMPT and request["temperature"] == 0.7
    assert request["stop_sequences"] == ["END"] and request["thinking"] == {"type": "enabled"}
    assert request["output_config"] == {"effort": "high"}
    assert request["tools"] == [WEATHER_TOOL] and request["tool_choice"] == {"type": "auto"}
    assert [m["role"] for m in request["messages"]] == ["user", "assistant", "user", "assistant"]
    assert request["messages"][1]["content"] == [
        THINKING,
        {"type": "text", "text": "Let me check."},
        TOOL_USE,
    ]
    assert "stream" not in request


def test_the_json_export_holds_every_message_of_the_tree_with_its_metadata(alice, alice_client):
    tree = weather_conversation(alice)
    document = _export(alice_client, tree.conversation.pk)
    messages = document["messages"]
    assert [m["id"] for m in messages] == [1, 2, 3, 4, 5], "export-local ids"
    assert [m["parent"] for m in messages] == [None, 1, 2, 3, 3], "two answers to the tool result"
    assert document["current"] == 5
    assert messages[0]["content"] == [{"type": "text", "text": QUESTION}]
    assert messages[3]["state"] == "stopped"
    assert messages[1]["usage"] == {"input_tokens": 40, "output_tokens": 25}
    assert messages[1]["first_token_ms"] == 120 and messages[1]["duration_ms"] == 900
    assert messages[1]["stop_reason"] == "tool_use" and messages[4]["model"] == "deepseek-v4-pro"
    assert messages[0]["created_at"]
    about = document["conversation"]
    assert about["title"] == "Weather in Paris" and about["provider"] == "simulator"
    assert about["settings"] == SETTINGS


def test_the_json_export_never_holds_the_key(alice, alice_client, make_key):
    key = make_key(alice, label="Export key")
    tree = weather_conversation(alice, api_key=key)
    response = alice_client.get(f"/c/{tree.conversation.pk}/export.json")
    text = response.content.decode()
    assert "api_key" not in text and key.last4 not in text and "sk-" not in text


def test_the_markdown_export_reads_as_the_conversation(alice, alice_client):
    tree = weather_conversation(alice)
    response = alice_client.get(f"/c/{tree.conversation.pk}/export.md")
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="weather-in-paris.md"'
    text = response.content.decode()
    assert text.startswith("# Weather in Paris\n")
    assert "- Model: deepseek-v4-pro" in text and "## System prompt" in text
    assert "## You\n\nWhat is the weather in Paris?" in text
    assert "## Assistant (deepseek-v4-pro)" in text
    assert "<details><summary>Thinking</summary>\n\nThe user wants Paris." in text
    assert '**Tool call** `get_weather`\n\n```json\n{\n  "city": "Paris"\n}\n```' in text
    assert "**Tool result**\n\n```\n18 degrees, sunny\n```" in text
    assert "It is **18 degrees** and sunny" in text
    assert "Sunny, so" not in text, "the current path only"
    assert "Other branches of this conversation are in its JSON export." in text


def test_bob_cannot_export_alices_conversation(alice, bob_client):
    tree = weather_conversation(alice)
    for suffix in ("json", "md"):
        assert bob_client.get(f"/c/{tree.conversation.pk}/export.{suffix}").status_code == 404
