"""Import of a file that is wrong: a clear message naming what is wrong and where, nothing saved,
and the server carries on."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from playground.conversations.models import Conversation, Message
from tests.sharing.trees import weather_conversation


def _refused(client: Client, content: bytes, status: int = 400) -> list[str]:
    """Import ``content``; the errors the page lists (after checking nothing was saved)."""
    before = (Conversation.objects.count(), Message.objects.count())
    response = client.post("/import/", {"file": SimpleUploadedFile("chat.json", content)})
    assert response.status_code == status
    assert (Conversation.objects.count(), Message.objects.count()) == before, "nothing saved"
    html = response.content.decode()
    assert "Nothing was imported" in html
    errors = html.split('<div class="import-errors" role="alert">')[1].split("</ul>")[0]
    return [item.split("</li>")[0] for item in errors.split("<li>")[1:]]


@pytest.fixture
def export(alice, alice_client) -> dict:
    tree = weather_conversation(alice)
    return json.loads(alice_client.get(f"/c/{tree.conversation.pk}/export.json").content)


def test_broken_json_says_where_it_breaks(alice_client):
    errors = _refused(alice_client, b'{"format": "playground.conversation",\n "version": 1,,}')
    assert errors == ["The file is not valid JSON: Expecting property name enclosed in double "
                      "quotes (line 2, column 15)."]  # fmt: skip


def test_text_that_is_not_utf8_or_json_at_all_is_refused(alice_client):
    assert "not UTF-8" in _refused(alice_client, b"\xff\xfe\x00garbage")[0]
    assert _refused(alice_client, b"[1, 2]")[0].startswith("The file must hold a JSON object")
    assert "neither a playground export" in _refused(alice_client, b'{"hello": 1}')[0]
    assert "NaN is not a number JSON allows" in _refused(alice_client, b'{"messages": NaN}')[0]
    assert "nested too deeply" in _refused(alice_client, b"[" * 100_000)[0]


def test_wrong_types_are_each_named_by_their_place(alice_client, export, alice):
    export["messages"][1]["content"][2]["input"] = "Paris"
    export["messages"][2]["role"] = "tool"
    export["messages"][4]["usage"] = [1, 2]
    export["messages"][0]["content"] = 42
    export["conversation"]["settings"]["temperature"] = "hot"
    errors = _refused(alice_client, json.dumps(export).encode())
    assert "messages[1].content[2].input: must be an object, not &quot;Paris&quot;" in errors
    assert (
        "messages[2].role: must be &quot;user&quot; or &quot;assistant&quot;, not &quot;tool&quot;"
        in errors
    )
    assert "messages[4].usage: must be an object, not a list" in errors
    assert "messages[0].content: must be a list of content blocks, not the number 42" in errors


def test_settings_the_playground_refuses_are_named(alice_client, export):
    export["conversation"]["settings"]["temperature"] = 3
    errors = _refused(alice_client, json.dumps(export).encode())
    assert len(errors) == 1
    assert errors[0].startswith(
        "conversation.settings.temperature: temperature must be between 0 and 2"
    )


def test_an_unsupported_block_is_named_with_its_type(alice_client, export):
    export["messages"][3]["content"][0] = {"type": "image_url", "image_url": {"url": "x"}}
    assert _refused(alice_client, json.dumps(export).encode()) == [
        "messages[3].content[0].type: unsupported block type &quot;image_url&quot; (expected one "
        "of text, thinking, tool_use, tool_result, or another Messages API block type)"
    ]


def test_a_request_body_with_an_unsupported_block_is_named_the_same_way(alice_client):
    body = {
        "model": "deepseek-v4-flash",
        "max_tokens": 10,
        "messages": [
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "Hello"},
            {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]},
        ],
    }
    errors = _refused(alice_client, json.dumps(body).encode())
    assert len(errors) == 1 and errors[0].startswith("messages[2].content[0].type ")
    assert "image_url" in errors[0]


def test_a_tree_that_does_not_hold_together_is_refused(alice_client, export):
    export["messages"][2]["parent"] = 99
    export["current"] = 42
    errors = _refused(alice_client, json.dumps(export).encode())
    assert "messages[2].parent: the number 99 is not the id of an earlier message" in errors
    assert "current: the number 42 is not the id of one of the messages" in errors


def test_another_version_of_the_format_is_refused(alice_client, export):
    export["version"] = 2
    assert _refused(alice_client, json.dumps(export).encode()) == [
        "version: the number 2 is not supported (this server reads version 1)"
    ]


def test_a_50_mb_file_is_refused_as_too_large_and_the_server_carries_on(
    alice_client, export, settings
):
    assert settings.PLAYGROUND_IMPORT_MAX_BYTES == 10 * 1024 * 1024
    padding = "x" * (50 * 1024 * 1024)
    export["conversation"]["title"] = padding
    errors = _refused(alice_client, json.dumps(export).encode(), status=413)
    assert errors == ["The file is too large: this server imports files of at most 10.4858 MB."]
    assert alice_client.get("/import/").status_code == 200


def test_a_file_over_the_limit_without_a_declared_length_is_refused_too(
    alice_client, export, settings
):
    settings.PLAYGROUND_IMPORT_MAX_BYTES = 1000
    content = json.dumps(export).encode()
    assert 1000 + 64 * 1024 > len(content) > 1000, "under the header check, over the limit"
    errors = _refused(alice_client, content)
    assert errors == ["The file is too large: this server imports files of at most 0.001 MB."]


def test_no_file_at_all_is_named(alice_client):
    response = alice_client.post("/import/", {})
    assert response.status_code == 400
    assert "Conversation file: choose a file to import." in response.content.decode()
