"""Retry answers the same question again, as a new branch that takes the failed answer's place."""

from __future__ import annotations

import pytest

from playground.conversations.models import Conversation, Message
from tests.compose import compose
from tests.streaming.conftest import open_tab, stored

pytestmark = pytest.mark.django_db(transaction=True)


async def test_retry_after_a_failure_answers_again_in_the_failed_answers_place(alice):
    tab = await open_tab(alice)
    await tab.send(compose("[[echo]] [[fault:insufficient_balance:1]] Try me"))
    failed_id = await tab.receive_opening()
    await tab.until_finished(failed_id)
    assert (await stored(failed_id)).state == Message.State.ERROR

    await tab.send({"action": "retry", "message_id": str(failed_id), "HEADERS": {}})
    answer_id = await tab.receive_opening()
    await tab.until_finished(answer_id)

    assert answer_id != failed_id
    assert tab.page.by_id(f"m-{failed_id}") is None, "the failed answer left the page"
    assert len(tab.page.articles()) == 2
    answer, failed = await stored(answer_id), await stored(failed_id)
    assert answer.state == Message.State.COMPLETE
    assert answer.content == [{"type": "text", "text": "Try me"}]
    assert answer.parent_id == failed.parent_id, "a sibling: the failed branch is kept"
    conversation = await Conversation.objects.aget(pk=answer.conversation_id)
    assert conversation.current_leaf_id == answer_id


async def test_a_complete_answer_cannot_be_retried(alice):
    tab = await open_tab(alice)
    await tab.send(compose("[[echo]] Fine"))
    answer_id = await tab.receive_opening()
    await tab.until_finished(answer_id)

    await tab.send({"action": "retry", "message_id": answer_id})
    await tab.receive_until(lambda html: 'id="error-message"' in html)
    assert "can be retried" in tab.page.text("error-message")
    assert await Message.objects.acount() == 2
