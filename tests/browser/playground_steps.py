"""Steps the playground's browser tests share: a fresh signed-in user, sending a message, finding
the messages and waiting for an answer to finish."""

from __future__ import annotations

import itertools
import re

from playwright.sync_api import Page, expect

PASSWORD = "a browser-made passphrase 9"
_names = itertools.count(1)


def sign_up(page: Page, live_app: str) -> str:
    """Sign a new user up; they land on a new chat."""
    username = f"player{next(_names)}"
    page.goto(f"{live_app}/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    return username


def send(page: Page, text: str) -> None:
    page.get_by_label("Message").fill(text)
    page.get_by_role("button", name="Send").click()


def answer(page: Page, index: int = -1):
    """The assistant's answer (the last by default)."""
    answers = page.locator("article.message-assistant")
    return answers.last if index == -1 else answers.nth(index)


def finished(page: Page, index: int = -1):
    """The answer, once it has completed (the last by default)."""
    reply = answer(page, index)
    expect(reply).to_have_class(re.compile(r"state-complete"), timeout=20_000)
    return reply


def question(page: Page, index: int = -1):
    """The user's message (the last by default)."""
    questions = page.locator("article.message-user")
    return questions.last if index == -1 else questions.nth(index)
