"""The settings panel: compatibility notices before sending, errors that keep what was typed,
stop sequences as chips, tool templates."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.playground_steps import answer, send, sign_up

pytestmark = pytest.mark.browser


def test_choosing_deepseek_shows_its_notices_and_asks_for_a_key(page, live_app):
    sign_up(page, live_app)
    page.get_by_label("Top K").fill("40")
    page.get_by_label("Provider").select_option(label="DeepSeek")
    notices = page.locator("#settings-notices")
    expect(notices).to_contain_text("top_k is ignored by DeepSeek")
    expect(notices).to_contain_text("image blocks are not supported by DeepSeek")
    expect(page.locator("#error-api_key")).to_contain_text("DeepSeek needs one")
    expect(page.get_by_label("Top K")).to_have_value("40")


def test_an_out_of_range_value_is_marked_and_sending_keeps_the_message(page, live_app):
    sign_up(page, live_app)
    page.get_by_label("Temperature").fill("5")
    page.get_by_label("Temperature").blur()
    expect(page.locator("#error-temperature")).to_contain_text("temperature must be between 0")
    send(page, "This message must survive")
    expect(page.locator("#error-temperature")).to_contain_text("temperature must be between 0")
    expect(page.get_by_label("Message")).to_have_value("This message must survive")
    expect(page.get_by_label("Temperature")).to_have_value("5")
    expect(page.locator("article.message")).to_have_count(0)

    page.get_by_label("Temperature").fill("0.5")
    page.get_by_role("button", name="Send").click()
    expect(answer(page)).to_be_visible()
    expect(page.locator("#error-temperature")).to_be_empty()


def test_stop_sequences_are_chips_up_to_four_and_are_sent(page, live_app):
    sign_up(page, live_app)
    new = page.get_by_label("Stop sequences")
    for sequence in ("ONE", "TWO", "THREE", "FOUR"):
        new.fill(sequence)
        new.press("Enter")
    new.fill("FIVE")
    page.get_by_role("button", name="Add").click()
    expect(page.locator("#stop-sequences-hint")).to_contain_text("At most 4 stop sequences")
    expect(new).to_have_value("FIVE")
    page.get_by_role("button", name="Remove stop sequence THREE").click()
    chips = page.locator("#stop-sequence-chips .chip-text")
    expect(chips).to_have_text(["ONE", "TWO", "FOUR"])

    send(page, "[[echo]] [[speed:500]] alpha beta TWO gamma")
    reply = answer(page)
    expect(reply.locator(".text-body")).to_have_text("alpha beta")
    expect(reply).to_contain_text("stop_reason: stop_sequence")
    page.reload()
    expect(page.locator("#stop-sequence-chips .chip-text")).to_have_text(["ONE", "TWO", "FOUR"])


def test_a_tool_template_is_inserted_and_a_named_tool_is_called(page, live_app):
    sign_up(page, live_app)
    expect(page.get_by_label("Tool name")).to_be_hidden()
    page.get_by_label("Insert template").select_option(label="Weather")
    tools = json.loads(page.get_by_label("Tools").input_value())
    assert [tool["name"] for tool in tools] == ["get_weather"]
    page.get_by_label("Tool choice").select_option("tool")
    page.get_by_label("Tool name").fill("get_weather")
    page.get_by_label("Thinking").select_option("disabled")
    send(page, "What is the weather in Paris?")
    reply = answer(page)
    expect(reply.locator(".tool-name")).to_have_text("get_weather")
    expect(reply).to_contain_text("stop_reason: tool_use")
    assert "city" in json.loads(reply.locator(".tool-input").inner_text())
