"""A live share page continues live: a signed-out visitor sees alice's answer stream in and the
finished answer fetched through the link; nothing the visitor sends does anything."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from playground.conversations.models import Conversation, Message
from playground.sharing.services import share_create
from tests.compose import compose
from tests.sharing.share_tabs import open_share_tab
from tests.streaming.conftest import (  # noqa: F401  (fixtures: simulator settings, clean-up)
    _no_generation_outlives_its_test,
    _streaming_settings,
    echo_words,
    open_tab,
    stored,
)

pytestmark = pytest.mark.django_db(transaction=True)


async def _shared_chat(alice):
    """alice's tab on a conversation with one finished exchange, and a live link to it."""
    tab = await open_tab(alice)
    await tab.send(compose("[[echo]] First question"))
    first = await tab.receive_opening()
    await tab.until_finished(first)
    conversation = await Conversation.objects.aget(pk=(await stored(first)).conversation_id)
    created = await sync_to_async(share_create)(
        conversation=conversation,
        mode="live",
        up_to_message=None,
        show_system=False,
        expires_in=None,
    )
    return tab, conversation.pk, created.token


async def test_a_visitor_sees_the_answer_stream_in_and_fetches_it_through_the_link(alice):
    alices_tab, conversation, token = await _shared_chat(alice)
    visitor = await open_share_tab(token)

    text = echo_words(400)
    await alices_tab.send(
        compose(f"[[echo]] [[speed:2000]] {text}", conversation_id=str(conversation))
    )
    answer_id = await visitor.receive_opening()
    assert "[[echo]]" in visitor.page.text("messages"), "the question arrived with the answer"
    final = await visitor.receive_until(lambda html: 'hx-trigger="load"' in html)
    assert f'hx-get="/s/{token}/m/{answer_id}/"' in final, "fetched through the link"
    assert f'hx-get="/m/{answer_id}/"' not in final
    assert visitor.page.text(f"m-{answer_id}-b-0-body") == text, "every delta, once"
    await visitor.run_loads()
    assert visitor.page.text(f"m-{answer_id}-b-0-body").strip() == text
    assert len(visitor.page.articles()) == 4


async def test_a_visitor_opening_the_page_mid_stream_sees_the_answer_so_far_then_the_rest(alice):
    alices_tab, conversation, token = await _shared_chat(alice)
    text = echo_words(600)
    await alices_tab.send(
        compose(f"[[echo]] [[speed:600]] {text}", conversation_id=str(conversation))
    )
    answer_id = await alices_tab.receive_opening()
    body = f"m-{answer_id}-b-0-body"
    await alices_tab.receive_until(lambda html: len(alices_tab.page.text(body).split()) > 50)

    visitor = await open_share_tab(token)
    await visitor.receive_until(lambda html: f'hx-get="/s/{token}/m/{answer_id}/"' in html)
    assert visitor.page.text(body) == text


async def test_nothing_a_visitor_sends_stops_or_changes_anything(alice):
    alices_tab, conversation, token = await _shared_chat(alice)
    visitor = await open_share_tab(token)
    await alices_tab.send(
        compose(f"[[echo]] [[speed:400]] {echo_words(200)}", conversation_id=str(conversation))
    )
    answer_id = await visitor.receive_opening()
    await visitor.send({"action": "stop", "message_id": answer_id})
    await visitor.send(compose("[[echo]] Injected", conversation_id=str(conversation)))
    await visitor.send({"action": "retry", "message_id": answer_id})
    await visitor.receive_until(lambda html: f"/s/{token}/m/{answer_id}/" in html)

    answer = await stored(answer_id)
    assert answer.state == Message.State.COMPLETE, "not stopped"
    assert await Message.objects.filter(conversation_id=conversation).acount() == 4
    assert not await Message.objects.filter(content__0__text__icontains="Injected").aexists()
