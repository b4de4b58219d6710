"""alice shares a conversation while an answer streams: a signed-out visitor opens the link and
watches it arrive; bob forks it and continues it; alice revokes the link and it opens nothing.
The same for a comparison: both lanes stream on the visitor's page, each in its own lane."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.playground_steps import answer, sign_up

pytestmark = pytest.mark.browser

WORDS = " ".join(f"word{n}" for n in range(1, 121))


def send(page: Page, text: str) -> None:
    page.get_by_label("Message", exact=True).fill(text)
    page.get_by_role("button", name="Send", exact=True).click()


@pytest.fixture
def other_pages(browser) -> Iterator:
    """Pages in contexts of their own (other people), whose console errors fail the test too."""
    contexts, errors = [], []

    def open_page() -> Page:
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], f"the browser reported errors: {errors}"


def test_share_watch_live_fork_and_revoke(page, live_app, other_pages):
    sign_up(page, live_app)
    send(page, "[[echo]] Where do **llamas** live?")
    expect(answer(page)).to_have_class(re.compile(r"state-complete"))
    page.reload()  # the Share button belongs to a conversation's page

    send(page, f"[[echo]] [[speed:20]] {WORDS}")
    expect(answer(page).locator(".text-body")).to_contain_text("word1 ")
    page.locator("summary", has_text="Share").click()
    page.get_by_label("The live conversation").check()
    page.get_by_label("Expires").select_option(label="In 7 days")
    page.get_by_role("button", name="Create link").click()
    link = page.get_by_label("Share link")
    expect(link).to_have_value(re.compile(r"/s/[\w-]{43}/$"))
    url = link.input_value()

    visitor = other_pages()
    visitor.goto(url)
    expect(visitor.locator("meta[name=robots]")).to_have_attribute("content", "noindex")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "[[echo]] Where do **llamas** live?"
    )
    streaming = answer(visitor)
    expect(streaming).to_have_class(re.compile(r"state-streaming"))
    expect(visitor.get_by_role("button", name="Stop")).to_have_count(0)
    first_look = streaming.locator(".text-body").inner_text()
    expect(streaming.locator(".text-body")).not_to_have_text(first_look)  # it grows live
    expect(streaming).to_have_class(re.compile(r"state-complete"), timeout=20_000)
    expect(streaming.locator(".text-body")).to_have_text(WORDS)
    expect(visitor.get_by_role("link", name="Sign in to fork")).to_be_visible()
    expect(
        visitor.get_by_role("button", name=re.compile("Regenerate|Retry|Inspect"))
    ).to_have_count(0)

    bob = other_pages()
    sign_up(bob, live_app)
    bob.goto(url)
    bob.get_by_role("button", name="Fork").click()
    expect(bob).to_have_url(re.compile(r"/c/\d+/$"))
    expect(bob.get_by_text("Forked: this copy is yours")).to_be_visible()
    expect(bob.locator("article.message-assistant")).to_have_count(2)
    send(bob, "[[echo]] Bob carries on")
    expect(answer(bob)).to_have_class(re.compile(r"state-complete"))
    expect(answer(bob).locator(".text-body")).to_have_text("Bob carries on")

    page.goto(f"{live_app}/shares/")
    row = page.locator("table.shares tbody tr").first
    expect(row).to_contain_text("Live")
    expect(row.locator("td").nth(4)).to_have_text(re.compile(r"[1-9]"))  # views counted
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Revoke").click()
    expect(row).to_contain_text("Revoked")
    assert visitor.request.get(url).status == 404
    assert bob.request.get(url).status == 404


LANE_WORDS = " ".join(f"lane{n}" for n in range(1, 61))
# Each lane's last answer's length, while every lane's still streams and all grew since
# ``before`` (read in the page, not through the CSP).
LANES_GROWING = """(before) => {
  const lanes = [...document.querySelectorAll('section.lane')];
  const last = lanes.map((lane) => [...lane.querySelectorAll('article.message-assistant')].pop());
  if (lanes.length !== 2 || !last.every((a) => a && a.classList.contains('state-streaming'))) {
    return false;
  }
  const lengths = last.map((a) => a.querySelector('.blocks').textContent.trim().length);
  return lengths.every((length, i) => length > (before ? before[i] : 0)) ? lengths : false;
}"""


def test_share_a_comparison_while_both_lanes_stream_then_revoke(page, live_app, other_pages):
    sign_up(page, live_app)
    page.get_by_role("link", name="Compare").click()
    page.get_by_label("Prompt", exact=True).fill("[[echo]] Which lane is faster?")
    page.get_by_role("button", name="Send to all").click()
    for lane in (1, 2):
        reply = page.get_by_role("region", name=f"Lane {lane}").locator("article.message-assistant")
        expect(reply).to_have_class(re.compile(r"state-complete"), timeout=20_000)

    # No thinking: the answers' text alone streams, for as long as the visitor needs to watch.
    page.get_by_label("Thinking", exact=True).select_option("disabled")
    page.get_by_label("Prompt", exact=True).fill(f"[[echo]] [[speed:20]] {LANE_WORDS}")
    page.get_by_role("button", name="Send to all").click()
    page.wait_for_function(LANES_GROWING, arg=None)
    page.locator("summary", has_text="Share").click()
    expect(page.get_by_label("Show the system prompts")).not_to_be_checked()
    page.get_by_label("Expires").select_option(label="In 1 day")
    page.get_by_role("button", name="Create link").click()
    link = page.get_by_label("Share link")
    expect(link).to_have_value(re.compile(r"/s/[\w-]{43}/$"))
    url = link.input_value()

    visitor = other_pages()
    visitor.goto(url)
    expect(visitor.locator("meta[name=robots]")).to_have_attribute("content", "noindex")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("[[echo]] Which lane is faster?")
    expect(
        visitor.get_by_text("What differs: model: deepseek-v4-flash · deepseek-v4-pro")
    ).to_be_visible()
    first_look = visitor.wait_for_function(LANES_GROWING, arg=None).json_value()
    visitor.wait_for_function(LANES_GROWING, arg=first_look)  # both lanes grow, live
    for lane, model in ((1, "deepseek-v4-flash"), (2, "deepseek-v4-pro")):
        region = visitor.get_by_role("region", name=f"Lane {lane}")
        expect(region.locator(".lane-label")).to_have_text(model)
        expect(region.get_by_text(model, exact=True).last).to_be_visible()
        streamed = region.locator("article.message-assistant").last
        expect(streamed).to_have_class(re.compile(r"state-complete"), timeout=30_000)
        expect(streamed.locator(".text-body")).to_have_text(LANE_WORDS)
        expect(region.locator("article.message-assistant")).to_have_count(2)
    expect(visitor.get_by_role("button", name=re.compile("Stop|Retry|Inspect|Fork"))).to_have_count(
        0
    )
    expect(visitor.get_by_role("link", name="Sign in to fork")).to_be_visible()

    page.goto(f"{live_app}/shares/")
    row = page.locator("table.shares tbody tr").first
    expect(row).to_contain_text("comparison")
    expect(row).to_contain_text("Live")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Revoke").click()
    expect(row).to_contain_text("Revoked")
    assert visitor.request.get(url).status == 404
