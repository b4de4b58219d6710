"""A user compares flash and pro with thinking on: both lanes stream at once over the page's one
socket, the metrics appear, a vote is stored and tallied, and a lane continues in the playground."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.playground_steps import answer, sign_up

WORDS = " ".join(f"word{n}" for n in range(1, 41))
SLOW_ECHO = f"[[echo]] [[speed:40]] {WORDS}"

# The lanes' answers' lengths while both still stream (read in the page, not through the CSP).
BOTH_STREAMING = """(before) => {
  const answers = [...document.querySelectorAll('section.lane article.message-assistant')];
  if (answers.length !== 2) return false;
  if (!answers.every((a) => a.classList.contains('state-streaming'))) return false;
  const lengths = answers.map((a) => a.querySelector('.blocks').textContent.trim().length);
  return lengths.every((length, i) => length > (before ? before[i] : 0)) ? lengths : false;
}"""

pytestmark = pytest.mark.browser


def test_flash_and_pro_stream_side_by_side_then_a_vote_and_a_lane_continues(page, live_app):
    sign_up(page, live_app)
    page.get_by_role("link", name="Compare").click()
    expect(page).to_have_url(re.compile(r"/compare/$"))
    flash = page.get_by_role("region", name="Lane 1")
    pro = page.get_by_role("region", name="Lane 2")
    expect(flash.get_by_label("Model", exact=True)).to_have_value("deepseek-v4-flash")
    expect(pro.get_by_label("Model", exact=True)).to_have_value("deepseek-v4-pro")
    expect(page.get_by_label("Thinking", exact=True)).to_have_value("enabled")
    expect(
        page.get_by_text("What differs: model: deepseek-v4-flash · deepseek-v4-pro")
    ).to_be_visible()

    page.get_by_label("Prompt", exact=True).fill(SLOW_ECHO)
    page.get_by_role("button", name="Send to all").click()

    # Both lanes grew while both were still streaming: they stream at once, not one by one.
    first = page.wait_for_function(BOTH_STREAMING, arg=None).json_value()
    page.wait_for_function(BOTH_STREAMING, arg=first)
    expect(page).to_have_url(re.compile(r"/compare/\d+/$"))

    for lane in (flash, pro):
        reply = lane.locator("article.message-assistant")
        expect(reply).to_have_class(re.compile(r"state-complete"), timeout=30_000)
        expect(reply.locator(".thinking-body")).not_to_be_empty()
        expect(reply.locator(".text-body")).to_have_text(WORDS)
    metrics = page.get_by_role("region", name="Metrics")
    expect(metrics.locator('td[data-metric="stop_reason"]')).to_have_text(["end_turn", "end_turn"])
    expect(metrics.locator('td[data-metric="total"]').first).to_have_text(re.compile(r"^\d+ ms$"))
    expect(metrics.locator('td[data-metric="tokens"]').first).to_have_text(re.compile(r"^\d+$"))
    expect(metrics.locator("td.best").first).to_be_visible()

    # A lane's history stays linear (branching happens after "Continue in playground"); its
    # answers can be inspected as in the playground.
    expect(flash.get_by_role("button", name="Edit")).to_be_hidden()
    expect(flash.get_by_role("button", name="Regenerate")).to_be_hidden()
    flash.get_by_role("button", name="Inspect").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    page.get_by_role("dialog").get_by_role("button", name="Close").click()

    page.get_by_label("Better lane").select_option(label="Lane 2 (deepseek-v4-pro)")
    page.get_by_role("button", name="Vote").click()
    expect(page.get_by_text("Vote stored: deepseek-v4-pro is better on turn 1.")).to_be_visible()
    page.get_by_role("link", name="Vote stats").first.click()
    expect(page.get_by_role("cell", name="deepseek-v4-flash vs deepseek-v4-pro")).to_be_visible()
    page.go_back()

    page.get_by_role("region", name="Lane 2").get_by_role(
        "button", name="Continue in playground"
    ).click()
    expect(page).to_have_url(re.compile(r"/c/\d+/$"))
    expect(answer(page).locator(".text-body")).to_have_text(WORDS)
    expect(page.locator("#sidebar-conversations .conversation-entry").first).to_have_attribute(
        "aria-current", "page"
    )
