"""A user defines a tool, forces it, answers its calls (once with an error) and gets answers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.playground_steps import finished, question, send, sign_up

pytestmark = pytest.mark.browser


def test_a_forced_tool_call_is_answered_with_results_and_the_model_answers_in_words(page, live_app):
    sign_up(page, live_app)
    page.get_by_label("Insert template").select_option("weather")
    expect(page.get_by_label("Tools")).to_have_value(re.compile(r'"name": "get_weather"'))
    page.get_by_label("Tool choice").select_option("tool")
    page.get_by_label("Tool name").fill("get_weather")
    send(page, "What is the weather in Paris?")

    call = finished(page)
    expect(call.get_by_text("stop_reason: tool_use")).to_be_visible()
    expect(call.locator(".block-tool-use .tool-name")).to_contain_text("get_weather")
    # The compose area asks for the call's result; the plain Send gives way to it.
    results = page.get_by_role("group", name="Tool results")
    expect(results).to_contain_text("get_weather")
    expect(page.get_by_role("button", name="Send", exact=True)).to_be_hidden()

    # A forced tool_choice would make the model call again: back to Auto for the final answer.
    page.get_by_label("Tool choice").select_option("auto")
    page.get_by_label("Result").fill("The weather service is down")
    page.get_by_label("Error").check()
    page.get_by_role("button", name="Send tool results").click()

    reply = finished(page)
    expect(reply.locator(".text-body")).to_contain_text(
        "The tool returned: The weather service is down"
    )
    expect(question(page).locator(".block-tool-result")).to_contain_text("Tool error")
    expect(results).to_have_count(0)
    expect(page.get_by_role("button", name="Send", exact=True)).to_be_visible()

    # A second round, without the error: the model calls the tool it is asked to use.
    send(page, "Please use get_weather for Rome too.")
    expect(finished(page).get_by_text("stop_reason: tool_use")).to_be_visible()
    page.get_by_label("Result").fill("Rome: 25 °C, sunny")
    page.get_by_role("button", name="Send tool results").click()
    expect(finished(page).locator(".text-body")).to_contain_text("The tool returned: Rome: 25")
    expect(question(page).locator(".block-tool-result")).to_contain_text("Tool result")
    expect(question(page).locator(".block-tool-result")).not_to_have_class(re.compile("is-error"))


def test_sending_without_a_result_names_the_call_and_keeps_what_was_typed(page, live_app):
    sign_up(page, live_app)
    page.get_by_label("Insert template").select_option("calculator")
    page.get_by_label("Tool choice").select_option("any")
    send(page, "What is 6 times 7?")
    finished(page)
    page.get_by_label("Message").fill("Show your working.")
    page.get_by_role("button", name="Send tool results").click()
    expect(page.locator("#error-tool_results")).to_contain_text("Result for calculator")
    expect(page.get_by_label("Message")).to_have_value("Show your working.")
    expect(page.locator("article.message")).to_have_count(2)
