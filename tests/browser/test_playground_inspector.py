"""The inspector opens on an answer: its request (key masked), response and stream timeline."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.playground_steps import finished, send, sign_up

pytestmark = pytest.mark.browser


def test_the_inspector_shows_what_was_sent_what_came_back_and_how_it_streamed(page, live_app):
    sign_up(page, live_app)
    send(page, "Tell me about tides.")
    reply = finished(page)
    expect(reply.locator(".cost")).to_contain_text("≈ $")

    reply.get_by_role("button", name="Inspect").click()
    dialog = page.get_by_role("dialog")
    request = dialog.locator("#inspect-request")
    expect(request).to_contain_text("POST http")
    expect(request).to_contain_text("x-api-key: …ound")
    expect(request).to_contain_text('"text": "Tell me about tides."')
    expect(request).not_to_contain_text("sim-playground")

    dialog.get_by_role("tab", name="Response").click()
    response = dialog.locator("#inspect-response")
    expect(response).to_contain_text('"stop_reason": "end_turn"')
    expect(response).to_contain_text('"signature": ')

    dialog.get_by_role("tab", name="Timeline").click()
    timeline = dialog.locator("#inspect-timeline")
    expect(timeline).to_contain_text("Time to first thinking")
    expect(timeline.get_by_role("row", name="message_start 1")).to_be_visible()
    expect(timeline).to_contain_text("end_turn")
    dialog.get_by_role("button", name="Close").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
