"""Editing a question and regenerating an answer: each makes a branch, nothing is overwritten."""

from __future__ import annotations

import pytest

from playground.conversations.models import Conversation, Message
from tests.compose import compose
from tests.streaming.conftest import Tab, open_tab, stored

pytestmark = pytest.mark.django_db(transaction=True)


async def _answered(tab: Tab, data: dict) -> Message:
    await tab.send(data)
    answer_id = await tab.receive_opening()
    await tab.until_finished(answer_id)
    return await stored(answer_id)


def _edit(message_id: int, text: str, **settings: str) -> dict:
    return {**compose(text, **settings), "action": "edit", "message_id": str(message_id)}


def _regenerate(message_id: int, **settings: str) -> dict:
    return {**compose("", **settings), "action": "regenerate", "message_id": str(message_id)}


async def test_an_edited_question_is_a_new_branch_answered_in_the_old_ones_place(alice):
    tab = await open_tab(alice)
    first = await _answered(tab, compose("[[echo]] one"))
    second = await _answered(tab, compose("[[echo]] two"))
    edited = await Message.objects.aget(pk=second.parent_id)

    answer = await _answered(tab, _edit(edited.pk, "[[echo]] two, edited"))

    question = await Message.objects.aget(pk=answer.parent_id)
    assert question.pk != edited.pk and question.parent_id == edited.parent_id == first.pk
    assert question.content == [{"type": "text", "text": "[[echo]] two, edited"}]
    assert answer.content == [{"type": "text", "text": "two, edited"}]
    # Nothing is overwritten: the old branch is all there.
    assert (await stored(edited.pk)).content == [{"type": "text", "text": "[[echo]] two"}]
    assert (await stored(second.pk)).state == Message.State.COMPLETE
    conversation = await Conversation.objects.aget(pk=answer.conversation_id)
    assert conversation.current_leaf_id == answer.pk
    # The page shows the new branch in place of the old one, with its place among the two.
    assert tab.page.by_id(f"m-{edited.pk}") is None and tab.page.by_id(f"m-{second.pk}") is None
    shown = [a.attrs["id"] for a in tab.page.articles()]
    assert shown[-2:] == [f"m-{question.pk}", f"m-{answer.pk}"]
    assert "2 / 2" in tab.page.text(f"m-{question.pk}")
    # The request sent was the new path: one, its answer, the edited question.
    assert [m["content"][0]["text"] for m in answer.request["messages"]] == [
        "[[echo]] one",
        "one",
        "[[echo]] two, edited",
    ]


async def test_a_regenerated_answer_is_a_sibling_sent_with_the_pages_settings(alice):
    tab = await open_tab(alice)
    old = await _answered(tab, compose("Tell me about rivers."))

    new = await _answered(tab, _regenerate(old.pk, model="deepseek-v4-pro"))

    assert new.parent_id == old.parent_id and new.pk != old.pk
    assert new.model == "deepseek-v4-pro" and old.model == "deepseek-v4-flash"
    assert (await stored(old.pk)).content == old.content, "the first answer is kept"
    assert tab.page.by_id(f"m-{old.pk}") is None
    assert "2 / 2" in tab.page.text(f"m-{new.pk}")
    assert await Message.objects.filter(role="user").acount() == 1, "no question was added"
    conversation = await Conversation.objects.aget(pk=new.conversation_id)
    assert conversation.current_leaf_id == new.pk
    assert conversation.settings["model"] == "deepseek-v4-pro"


async def test_edit_and_regenerate_are_refused_while_an_answer_streams(alice):
    tab = await open_tab(alice)
    done = await _answered(tab, compose("[[echo]] first"))
    question_id = done.parent_id
    await tab.send(compose("[[echo]] [[speed:20]] " + " ".join(["slow"] * 60)))
    await tab.receive_opening()
    count = await Message.objects.acount()

    await tab.send(_edit(question_id, "changed"))
    await tab.receive_until(lambda html: f'id="error-edit-{question_id}"' in html)
    assert "still streaming" in tab.page.text(f"error-edit-{question_id}")

    await tab.send(_regenerate(done.pk))
    await tab.receive_until(lambda html: 'id="error-message"' in html)
    assert "still streaming" in tab.page.text("error-message")
    assert await Message.objects.acount() == count


async def test_an_edit_with_no_text_is_refused_under_the_edited_message(alice):
    tab = await open_tab(alice)
    done = await _answered(tab, compose("[[echo]] first"))
    await tab.send(_edit(done.parent_id, "   "))
    await tab.receive_until(lambda html: f'id="error-edit-{done.parent_id}"' in html)
    assert "write something" in tab.page.text(f"error-edit-{done.parent_id}")
    assert await Message.objects.acount() == 2


async def test_an_answer_records_its_stream_timeline_and_masked_headers(alice):
    tab = await open_tab(alice)
    answer = await _answered(tab, compose("Tell me about tides.", thinking="enabled"))
    timeline = answer.timeline
    events = timeline["events"]
    assert events["message_start"] == 1 and events["message_stop"] == 1
    assert events["content_block_start"] == events["content_block_stop"] == 2
    assert events["content_block_delta"] > 2
    assert 0 <= timeline["first_thinking_ms"] <= timeline["first_text_ms"]
    assert 0 <= timeline["thinking_ms"] <= timeline["first_text_ms"]
    # The Simulator's built-in key ("sim-playground") as the inspector shows it: masked.
    assert timeline["request_headers"]["x-api-key"] == "…ound"
    assert "sim-playground" not in str(timeline)
