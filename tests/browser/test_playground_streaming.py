"""A user composes with thinking on and watches the answer stream; stops one; reloads mid-stream."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.playground_steps import answer, send, sign_up

# Echoed back as the answer's text (after the thinking), at a pace slow enough to watch.
WORDS = " ".join(f"word{n}" for n in range(1, 61))
SLOW_ECHO = f"[[echo]] [[speed:25]] {WORDS}"

pytestmark = pytest.mark.browser


def test_thinking_then_text_stream_live_and_the_answer_completes(page, live_app):
    sign_up(page, live_app)
    expect(page.get_by_label("Thinking")).to_have_value("enabled")
    send(page, SLOW_ECHO)

    expect(page).to_have_url(re.compile(r"/c/\d+/$"))
    reply = answer(page)
    expect(reply).to_have_class(re.compile(r"state-streaming"))
    thinking = reply.locator(".thinking-body")
    expect(thinking).not_to_be_empty()
    first_look = thinking.inner_text()
    expect(thinking).not_to_have_text(first_look)  # it grew while we watched
    text = reply.locator(".text-body")
    expect(text).to_contain_text("word1 ")
    expect(reply).to_have_class(re.compile(r"state-streaming"))  # text streams, not all at once

    expect(reply).to_have_class(re.compile(r"state-complete"), timeout=20_000)
    expect(text).to_have_text(WORDS)
    expect(reply.get_by_text("stop_reason: end_turn")).to_be_visible()
    expect(page.get_by_label("Message")).to_have_value("")
    # The conversation got its title from the message and is first in the sidebar.
    entry = page.locator("#sidebar-conversations .conversation-entry").first
    expect(entry).to_have_attribute("aria-current", "page")
    if screenshot_dir := os.environ.get("PLAYGROUND_SCREENSHOT_DIR"):
        page.screenshot(path=str(Path(screenshot_dir) / "playground.png"), full_page=True)


def test_stop_keeps_what_arrived_and_offers_retry(page, live_app):
    sign_up(page, live_app)
    send(page, f"[[echo]] [[speed:15]] {WORDS}")
    reply = answer(page)
    expect(reply.locator(".text-body")).to_contain_text("word2")
    reply.get_by_role("button", name="Stop").click()

    expect(reply).to_have_class(re.compile(r"state-stopped"))
    expect(reply.get_by_text("Stopped: what arrived is kept.")).to_be_visible()
    kept = reply.locator(".text-body").inner_text()
    assert kept.startswith("word1 word2") and "word60" not in kept
    expect(reply.get_by_role("button", name="Retry")).to_be_visible()
    expect(reply.get_by_role("button", name="Stop")).to_have_count(0)
    page.reload()
    expect(answer(page)).to_have_class(re.compile(r"state-stopped"))
    expect(answer(page).locator(".text-body")).to_have_text(kept)


def test_reloading_mid_stream_shows_the_answer_complete_exactly_once(page, live_app):
    sign_up(page, live_app)
    send(page, SLOW_ECHO)
    expect(page).to_have_url(re.compile(r"/c/\d+/$"))
    expect(answer(page).locator(".text-body")).to_contain_text("word3")

    page.reload()
    reply = answer(page)
    expect(reply).to_have_class(re.compile(r"state-streaming"))
    expect(reply).to_have_class(re.compile(r"state-complete"), timeout=20_000)
    expect(page.locator("article.message-assistant")).to_have_count(1)
    expect(page.locator("article.message-user")).to_have_count(1)
    expect(reply.locator(".text-body")).to_have_text(WORDS)


def test_ctrl_enter_in_the_message_box_sends(page, live_app):
    sign_up(page, live_app)
    box = page.get_by_label("Message")
    box.fill("[[echo]] Sent from the keyboard")
    box.press("Control+Enter")
    expect(page.locator("article.message-user")).to_have_text("[[echo]] Sent from the keyboard")
    expect(answer(page).locator(".text-body")).to_have_text("Sent from the keyboard")
    expect(box).to_have_value("")
