"""The sidebar: new chats appear with their title, search, rename, delete; "New chat" starts from
the last settings sent."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.playground_steps import answer, send, sign_up

pytestmark = pytest.mark.browser


def test_chats_are_listed_searched_renamed_and_deleted(page, live_app):
    sign_up(page, live_app)
    page.get_by_label("Max tokens").fill("777")
    send(page, "[[echo]] Tell me about llamas")
    expect(answer(page)).to_have_class(re.compile(r"state-complete"))
    expect(page.locator("#chat-title")).to_have_text("[[echo]] Tell me about llamas")

    page.get_by_role("link", name="New chat").click()
    expect(page.get_by_label("Max tokens")).to_have_value("777")  # the last settings sent
    send(page, "[[echo]] Alpacas are different")
    expect(answer(page)).to_have_class(re.compile(r"state-complete"))

    entries = page.locator("#sidebar-conversations .conversation-link")
    expect(entries).to_have_text(
        ["[[echo]] Alpacas are different", "[[echo]] Tell me about llamas"]
    )
    page.get_by_label("Search conversations").fill("llama")
    expect(entries).to_have_text(["[[echo]] Tell me about llamas"])
    page.get_by_label("Search conversations").fill("")
    expect(entries).to_have_count(2)

    current = page.locator("#sidebar-conversations [aria-current=page]")
    current.locator("summary").click()
    current.get_by_label("Title").fill("Alpaca facts")
    current.get_by_role("button", name="Rename").click()
    expect(entries.first).to_have_text("Alpaca facts")
    expect(page.locator("#chat-title")).to_have_text("Alpaca facts")

    other = page.locator("#sidebar-conversations .conversation-entry").nth(1)
    other.locator("summary").click()
    page.once("dialog", lambda dialog: dialog.accept())
    other.get_by_role("button", name="Delete").click()
    expect(entries).to_have_text(["Alpaca facts"])
    page.reload()
    expect(entries).to_have_text(["Alpaca facts"])
