""" "View code" shows the next request; its curl command runs against the Simulator as shown."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser.playground_steps import finished, send, sign_up

pytestmark = pytest.mark.browser


def test_the_curl_command_shown_runs_as_is_and_the_json_holds_the_conversation(
    page, live_app, simulator
):
    sign_up(page, live_app)
    send(page, "[[echo]] first")
    finished(page)
    page.get_by_label("Message").fill('[[echo]] It\'s "quoted", costs $5 & more')

    page.get_by_role("button", name="View code").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("tab", name="JSON")).to_have_attribute("aria-selected", "true")
    body = json.loads(dialog.locator("#code-json pre").text_content())
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "user"]

    dialog.get_by_role("tab", name="curl").click()
    curl = dialog.locator("#code-curl pre")
    expect(curl).to_be_visible()
    command = curl.text_content()
    assert "$SIMULATOR_API_KEY" in command and "sim-" not in command
    done = subprocess.run(
        ["bash", "-c", command],
        env={**os.environ, "SIMULATOR_API_KEY": simulator.api_key},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    deltas = [
        json.loads(line.removeprefix("data: "))["delta"]
        for line in done.stdout.splitlines()
        if line.startswith("data: ") and '"text_delta"' in line
    ]
    assert "".join(d["text"] for d in deltas) == 'It\'s "quoted", costs $5 & more'

    dialog.get_by_role("tab", name="Python").click()
    expect(dialog.locator("#code-python pre")).to_contain_text("anthropic.Anthropic(")
    dialog.get_by_role("tab", name="TypeScript").click()
    expect(dialog.locator("#code-typescript pre")).to_contain_text("@anthropic-ai/sdk")
    dialog.get_by_role("button", name="Close").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
