"""Editing a question and regenerating an answer make branches; the arrows move between them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.playground_steps import answer, finished, question, send, sign_up

pytestmark = pytest.mark.browser


def test_an_edited_question_is_a_branch_and_the_arrows_move_between_the_two(page, live_app):
    sign_up(page, live_app)
    send(page, "[[echo]] apples")
    expect(finished(page).locator(".text-body")).to_have_text("apples")

    question(page).get_by_role("button", name="Edit").click()
    box = question(page).get_by_label("Edited text")
    expect(box).to_have_value("[[echo]] apples")
    box.fill("[[echo]] pears")
    question(page).get_by_role("button", name="Save & send").click()

    expect(finished(page).locator(".text-body")).to_have_text("pears")
    expect(page.locator("article.message")).to_have_count(2)
    expect(question(page).locator(".branch-position")).to_have_text("2 / 2")
    expect(question(page).get_by_role("button", name="Next branch")).to_be_disabled()

    question(page).get_by_role("button", name="Previous branch").click()
    expect(answer(page).locator(".text-body")).to_have_text("apples")
    expect(question(page).locator(".branch-position")).to_have_text("1 / 2")

    question(page).get_by_role("button", name="Next branch").click()
    expect(answer(page).locator(".text-body")).to_have_text("pears")
    page.reload()  # the branch shown is the conversation's, not the page's
    expect(answer(page).locator(".text-body")).to_have_text("pears")


def test_cancel_leaves_the_question_as_it_was(page, live_app):
    sign_up(page, live_app)
    send(page, "[[echo]] keep me")
    finished(page)
    question(page).get_by_role("button", name="Edit").click()
    question(page).get_by_label("Edited text").fill("something else")
    question(page).get_by_role("button", name="Cancel").click()
    expect(question(page).get_by_label("Edited text")).to_be_hidden()
    expect(question(page).locator(".text-body")).to_have_text("[[echo]] keep me")
    expect(page.locator("article.message")).to_have_count(2)


def test_regenerate_makes_a_sibling_answer_with_the_settings_shown(page, live_app):
    sign_up(page, live_app)
    send(page, "Tell me about rivers.")
    first = finished(page).locator(".text-body").inner_text()

    page.get_by_label("Model").fill("deepseek-v4-pro")
    answer(page).get_by_role("button", name="Regenerate").click()

    reply = finished(page)
    expect(reply.locator(".branch-position")).to_have_text("2 / 2")
    expect(reply.locator(".message-footer")).to_contain_text("deepseek-v4-pro")
    expect(page.locator("article.message")).to_have_count(2)
    reply.get_by_role("button", name="Previous branch").click()
    expect(answer(page).locator(".text-body")).to_have_text(first)
    expect(answer(page).locator(".branch-position")).to_have_text("1 / 2")
