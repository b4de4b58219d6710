"""Limits against runaway use: answers streaming at once per user (a setting), one at a time per
conversation. Going over is refused in words under the Message box; nothing is queued or lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from playground.conversations.models import Message
from playground.streaming.store import STALE_AFTER_SECONDS
from tests.compose import compose
from tests.streaming.conftest import answer_streaming_elsewhere, echo_words, open_tab, stored

pytestmark = pytest.mark.django_db(transaction=True)

SLOW = f"[[echo]] [[speed:200]] {echo_words(2000)}"


async def test_a_send_over_the_concurrency_limit_is_refused_in_words(alice, settings):
    settings.PLAYGROUND_MAX_CONCURRENT_GENERATIONS = 1
    busy = await open_tab(alice)
    await busy.send(compose(SLOW))
    busy_id = await busy.receive_opening()
    messages_before = await Message.objects.acount()

    other = await open_tab(alice, client=busy.client)
    await other.send(compose("[[echo]] Hello"))
    reply = await other.receive()

    refusal = other.page.text("error-message")
    assert "You already have 1 answer streaming" in refusal
    assert "most this server allows at once (1)" in refusal
    assert 'id="message-box"' not in reply, "what was typed stays in the box"
    assert await Message.objects.acount() == messages_before, "nothing stored, nothing queued"

    await busy.send({"action": "stop", "message_id": busy_id})
    await busy.until_finished(busy_id)
    await other.send(compose("[[echo]] Hello"))
    answer_id = await other.receive_opening()
    assert other.page.text("error-message") == ""
    await other.until_finished(answer_id)


async def test_a_second_message_while_the_conversation_is_answering_is_refused(alice):
    tab = await open_tab(alice)
    await tab.send(compose(SLOW))
    conversation_id = (await stored(await tab.receive_opening())).conversation_id

    await tab.send(compose("[[echo]] And another", conversation_id=str(conversation_id)))
    await tab.receive_until(lambda html: 'id="error-message"' in html)

    assert "still streaming in this conversation" in tab.page.text("error-message")
    assert await Message.objects.filter(conversation_id=conversation_id).acount() == 2


async def test_an_answer_its_process_abandoned_becomes_interrupted_and_frees_its_place(
    alice, settings
):
    settings.PLAYGROUND_MAX_CONCURRENT_GENERATIONS = 1
    answer = await answer_streaming_elsewhere(alice, text="Half an ans", seq=9)
    long_ago = timezone.now() - timedelta(seconds=STALE_AFTER_SECONDS + 1)
    await Message.objects.filter(pk=answer.pk).aupdate(updated_at=long_ago)

    tab = await open_tab(alice, f"/c/{answer.conversation_id}/")
    await tab.receive_until(lambda html: "state-interrupted" in html)

    assert (await stored(answer.pk)).state == Message.State.INTERRUPTED
    assert tab.page.text(f"m-{answer.pk}-b-0-body").strip() == "Half an ans"
    assert "Retry" in tab.page.text(f"m-{answer.pk}-footer")
    await tab.send(compose("[[echo]] Next", conversation_id=str(answer.conversation_id)))
    await tab.until_finished(await tab.receive_opening())
