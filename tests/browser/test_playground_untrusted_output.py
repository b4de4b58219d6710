"""Model output that contains HTML and JavaScript is shown as text and never runs."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.playground_steps import answer, send, sign_up

PAYLOAD = (
    '<img src=x onerror="window.pwned=1"> <script>window.pwned=2</script> '
    '<svg onload="window.pwned=3"></svg> [click me](javascript:window.pwned=4) '
    '<a href="#" onmouseover="window.pwned=5">hover</a>'
)

pytestmark = pytest.mark.browser


def test_html_and_script_in_an_answer_run_nothing_while_streaming_or_after(page, live_app):
    sign_up(page, live_app)
    send(page, f"[[echo]] [[speed:200]] {PAYLOAD}")
    reply = answer(page)
    expect(reply).to_have_class(re.compile(r"state-complete"), timeout=20_000)

    text = reply.locator(".text-body")
    expect(text).to_contain_text("<img src=x onerror=")
    expect(text).to_contain_text("<script>window.pwned=2</script>")
    for tag in ("img", "script", "svg"):
        expect(page.locator(f"#messages {tag}")).to_have_count(0)
    link = reply.get_by_role("link")
    expect(link).to_have_count(0)  # a javascript: link is not made into a link
    reply.get_by_text("hover").hover()
    assert page.evaluate("window.pwned") is None
    # The question, as the user typed it, is shown as text too.
    expect(page.locator("article.message-user")).to_contain_text("<script>window.pwned=2</script>")
    page.reload()
    expect(answer(page).locator(".text-body")).to_contain_text("<svg onload=")
    assert page.evaluate("window.pwned") is None
