"""The playground page has every control of the contract, each with a visible label."""

from __future__ import annotations

import pytest

from tests.conversations.page_html import by_id, label_for, parse

LABELLED_CONTROLS = {
    "Message": "textarea",
    "Provider": "select",
    "API key": "select",
    "Model": "input",
    "System prompt": "textarea",
    "Max tokens": "input",
    "Temperature": "input",
    "Top P": "input",
    "Top K": "input",
    "Stop sequences": "input",
    "Thinking": "select",
    "Effort": "select",
    "Tools": "textarea",
    "Insert template": "select",
    "Tool choice": "select",
    "Tool name": "input",
    "Search conversations": "input",
}


@pytest.fixture
def new_chat_page(alice_client) -> list:
    response = alice_client.get("/")
    assert response.status_code == 200
    return parse(response.content.decode())


def test_every_control_of_the_new_chat_page_has_a_label_pointing_at_it(new_chat_page):
    for label, tag in LABELLED_CONTROLS.items():
        assert label_for(new_chat_page, label).tag == tag, label


def test_the_page_has_send_and_add_buttons_and_a_new_chat_link(new_chat_page):
    buttons = {" ".join(e.text.split()) for e in new_chat_page if e.tag == "button"}
    assert {"Send", "Add"} <= buttons
    links = [e for e in new_chat_page if e.tag == "a" and e.text.strip() == "New chat"]
    assert links and links[0].attrs["href"] == "/"


def test_the_compose_form_sends_over_the_new_chat_socket(new_chat_page):
    socket = [e for e in new_chat_page if "ws-connect" in e.attrs]
    assert len(socket) == 1 and socket[0].attrs["ws-connect"] == "/ws/chat/"
    assert socket[0].attrs["hx-ext"] == "ws"
    compose = by_id(new_chat_page, "compose")
    assert compose.tag == "form" and "ws-send" in compose.attrs


def test_the_page_has_every_container_the_server_swaps_into(new_chat_page):
    for element_id in (
        "messages",
        "sidebar-conversations",
        "conversation-url",
        "settings-notices",
        "settings-errors",
        "error-message",
        "message-box",
        "stop-sequence-chips",
    ):
        by_id(new_chat_page, element_id)
    for field in ("provider", "api_key", "model", "max_tokens", "stop_sequences", "tools"):
        assert by_id(new_chat_page, f"error-{field}").attrs["class"] == "field-errors"


def test_the_page_runs_no_inline_script(new_chat_page):
    scripts = [e for e in new_chat_page if e.tag == "script"]
    assert any(e.attrs.get("src", "").endswith("js/playground.js") for e in scripts)
    for script in scripts:
        assert script.attrs.get("src") or script.attrs.get("type") == "application/json"
        if script.attrs.get("src"):
            assert script.attrs.get("nonce"), f"{script.attrs['src']} has no CSP nonce"


def test_the_tool_name_field_is_hidden_unless_a_named_tool_is_chosen(new_chat_page):
    assert "hidden" in by_id(new_chat_page, "field-tool_name").attrs


def test_the_page_is_served_with_a_csp_that_allows_no_inline_script(alice_client):
    policy = alice_client.get("/")["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'nonce-" in script_src
