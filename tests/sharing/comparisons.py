"""A comparison alice has sent, as the compare tests' stored answers make it: flash against pro,
each lane with its own system prompt and its answer to "Compare me".

The lanes' conversations hold the settings their answers were made with, as a send stores them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from playground.accounts.models import ApiKey
from playground.compare.models import CompareSession, Lane
from playground.compare.sessions import compare_create
from playground.conversations.forms import DEFAULT_SETTINGS
from playground.conversations.models import Message
from tests.compare.answered import answer_in

PROMPT = "Compare me <b>please</b>"
FLASH_SYSTEM = "Be brief. FLASH-SYSTEM-MARKER"
PRO_SYSTEM = "Be thorough. PRO-SYSTEM-MARKER"
FLASH_ANSWER = "Flash says **short**."
PRO_ANSWER = "Pro says something *longer*."


@dataclass
class Comparison:
    session: CompareSession
    flash: Lane
    pro: Lane
    flash_answer: Message
    pro_answer: Message


def sent_comparison(user: User, *, api_key: ApiKey | None = None) -> Comparison:
    session = compare_create(user=user)
    session.title = "Flash or pro"
    session.api_key = api_key
    session.save()
    flash, pro = session.lanes.order_by("position")
    answers = []
    for lane, model, system, text in (
        (flash, "deepseek-v4-flash", FLASH_SYSTEM, FLASH_ANSWER),
        (pro, "deepseek-v4-pro", PRO_SYSTEM, PRO_ANSWER),
    ):
        lane.overrides = {"model": model, "system": system}
        lane.save()
        conversation = lane.conversation
        conversation.api_key = api_key
        conversation.title = PROMPT
        conversation.settings = {**DEFAULT_SETTINGS, "model": model, "system": system}
        conversation.save()
        answers.append(answer_in(lane, text, prompt=PROMPT, usage={"output_tokens": 12}))
    return Comparison(session, flash, pro, *answers)
