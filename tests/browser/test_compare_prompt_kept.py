"""Changing the lanes reloads the compare page; the prompt typed and not yet sent survives it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.playground_steps import sign_up

pytestmark = pytest.mark.browser


def test_a_prompt_typed_before_adding_a_lane_is_still_there_after(page, live_app):
    sign_up(page, live_app)
    page.goto(f"{live_app}/compare/")
    prompt = page.get_by_label("Prompt", exact=True)
    prompt.fill("Compare these two, please.")
    page.get_by_role("button", name="Add lane").click()
    expect(page.get_by_role("region", name="Lane 3")).to_be_visible()
    expect(page.get_by_label("Prompt", exact=True)).to_have_value("Compare these two, please.")
