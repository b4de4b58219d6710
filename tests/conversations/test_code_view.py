""" "View code": the request the page would send next, as code that runs as shown (key aside)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from playground.conversations.models import Message
from tests.compose import SETTINGS
from tests.conversations.page_html import parse

TOOLS = [{"name": "get_time", "description": "Now.", "input_schema": {"type": "object"}}]


@pytest.fixture(autouse=True)
def _simulator_upstream(settings, simulator) -> None:
    settings.PLAYGROUND_SIMULATOR_BASE_URL = simulator.base_url


def _code(client, **fields: str) -> dict[str, str]:
    data = {k: v for k, v in {**SETTINGS, **fields}.items() if v != ""}
    response = client.post("/code/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    panels = {e.attrs["id"]: e.text for e in parse(response.content.decode()) if e.tag == "section"}
    return {name.removeprefix("code-"): text for name, text in panels.items()}


def _run(command: list[str], simulator) -> str:
    env = {**os.environ, "SIMULATOR_API_KEY": simulator.api_key}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_json_is_the_body_a_send_would_build_with_a_placeholder_question(alice_client):
    code = _code(alice_client, system="Be brief.", stop_sequences="END")
    body = json.loads(code["json"])
    assert body["messages"] == [{"role": "user", "content": [{"type": "text", "text": "…"}]}]
    assert body["system"] == "Be brief." and body["stop_sequences"] == ["END"]
    assert body["stream"] is True and body["model"] == "deepseek-v4-flash"


def test_the_curl_command_runs_as_shown_against_the_upstream(alice_client, simulator):
    code = _code(alice_client, message='It\'s "quoted" and $HOME stays text', thinking="enabled")
    curl = code["curl"]
    assert curl.startswith(f"curl --no-buffer {simulator.messages_url}")
    assert '-H "x-api-key: $SIMULATOR_API_KEY"' in curl
    output = _run(["bash", "-c", curl], simulator)
    assert "event: message_start" in output and "event: message_stop" in output
    assert "thinking_delta" in output


def test_the_python_snippet_runs_with_the_sdk(alice_client, simulator):
    code = _code(alice_client, message="[[echo]] from python", temperature="0.5")
    python = code["python"]
    assert "api_key=os.environ['SIMULATOR_API_KEY']" in python
    assert "extra_body" in python, "temperature goes through extra_body"
    lines = _run([sys.executable, "-c", python], simulator).splitlines()
    events = [json.loads(line) for line in lines]
    assert events[0]["type"] == "message_start" and events[-1]["type"] == "message_stop"
    text = "".join(e["delta"].get("text", "") for e in events if e["type"] == "content_block_delta")
    assert text == "from python"


def test_the_typescript_snippet_uses_the_sdk_with_the_key_from_the_environment(alice_client):
    typescript = _code(alice_client)["typescript"]
    assert 'import Anthropic from "@anthropic-ai/sdk";' in typescript
    assert 'apiKey: process.env["SIMULATOR_API_KEY"]' in typescript
    assert "for await (const event of response)" in typescript


def test_a_bearer_provider_gets_an_authorization_header_and_never_the_key(
    alice, alice_client, make_key
):
    key = make_key(alice, label="Evo", provider="evolink")
    response = alice_client.post(
        "/code/", {**SETTINGS, "provider": "evolink", "api_key": key.pk}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "authorization: Bearer $EVOLINK_API_KEY" in html
    assert "auth_token=os.environ[&#x27;EVOLINK_API_KEY&#x27;]" in html
    assert "0123456789abcdef" not in html


def test_with_a_tool_call_waiting_the_next_turn_is_its_result(
    alice, alice_client, make_conversation
):
    call = {"type": "tool_use", "id": "toolu_1", "name": "get_time", "input": {}}
    conversation = make_conversation(
        alice,
        turns=[("user", "What time is it?"), ("assistant", [call])],
        stop_reason="tool_use",
    )
    code = _code(
        alice_client,
        conversation_id=str(conversation.pk),
        tools=json.dumps(TOOLS),
        **{"tool_result:toolu_1": "12:00"},
    )
    messages = json.loads(code["json"])["messages"]
    assert messages[1] == {"role": "assistant", "content": [call]}
    assert messages[2] == {
        "role": "user",
        "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "12:00"}],
    }


def test_settings_that_cannot_be_sent_are_listed_instead_of_code(alice_client):
    response = alice_client.post("/code/", {**SETTINGS, "max_tokens": "0"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "cannot be built yet" in html and "Max tokens must be at least 1." in html
    assert "curl" not in html


def test_bob_cannot_view_code_for_alices_conversation(alice, bob_client, make_conversation):
    conversation = make_conversation(alice, turns=[("user", "secret plan")])
    response = bob_client.post("/code/", {**SETTINGS, "conversation_id": conversation.pk})
    assert response.status_code == 404
    assert Message.objects.filter(conversation=conversation).count() == 1
