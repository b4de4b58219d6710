"""A new user signs up, stores a DeepSeek key, sees it as …last4, tests it, and deletes it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

SECRET = "sim-browser-secret-4321"
PASSWORD = "a browser-made passphrase 9"


@pytest.mark.browser
def test_sign_up_add_a_deepseek_key_test_it_and_delete_it(page, live_app):
    page.goto(f"{live_app}/accounts/signup/")
    page.get_by_label("Username").fill("dora")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.get_by_role("navigation").get_by_role("link", name="API keys").click()
    expect(page).to_have_url(f"{live_app}/keys/")
    page.get_by_label("Label").fill("My DeepSeek key")
    page.get_by_label("Provider").select_option(label="DeepSeek")
    page.get_by_label("Secret").fill(SECRET)
    page.get_by_role("button", name="Save key").click()

    row = page.get_by_role("row", name="My DeepSeek key")
    expect(row).to_contain_text("…4321")
    expect(row).to_contain_text("DeepSeek")
    expect(page.get_by_label("Secret")).to_have_value("")
    assert SECRET not in page.content() and SECRET[:8] not in page.content()

    row.get_by_role("button", name="Test key").click()
    expect(row.get_by_role("status")).to_have_text("OK: the key works")
    expect(row).not_to_contain_text("never")  # "Last used" was updated out of band

    if screenshot_dir := os.environ.get("PLAYGROUND_SCREENSHOT_DIR"):
        page.screenshot(
            path=str(Path(screenshot_dir) / "keys.png"), full_page=True, caret="initial"
        )

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("You have no keys yet.")).to_be_visible()
    expect(page.get_by_text("…4321")).to_have_count(0)
