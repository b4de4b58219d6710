"""Reloading mid-stream, or watching from a second tab, shows the answer so far and then every
delta exactly once: the text a viewer ends with is exactly the stored answer."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from playground.asgi import application
from playground.conversations.models import Message
from tests.compose import compose
from tests.streaming.conftest import (
    answer_streaming_elsewhere,
    connect_tab,
    echo_words,
    load_page,
    open_tab,
    socket_headers,
    stored,
)
from tests.streaming.dom import Page

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_page_reloaded_mid_stream_shows_the_answer_so_far_then_the_rest_once(alice):
    first = await open_tab(alice)
    text = echo_words(600)
    await first.send(compose(f"[[echo]] [[speed:600]] {text}"))
    answer_id = await first.receive_opening()
    body = f"m-{answer_id}-b-0-body"
    await first.receive_until(lambda html: len(first.page.text(body).split()) > 100)
    conversation_id = (await stored(answer_id)).conversation_id
    await first.close()

    reloaded = await open_tab(alice, f"/c/{conversation_id}/", client=first.client)
    snapshot = await reloaded.receive()
    assert snapshot.startswith(f'<article id="m-{answer_id}"'), "first, the answer so far"
    so_far = reloaded.page.text(body)
    assert so_far and text.startswith(so_far) and len(so_far) < len(text)
    await reloaded.receive_until(lambda html: f'hx-get="/m/{answer_id}/"' in html)

    # The snapshot plus the frames after it, as applied: exactly the answer, no gap, no repeat.
    assert reloaded.page.text(body) == text
    message = await stored(answer_id)
    assert message.state == Message.State.COMPLETE
    await reloaded.run_loads()
    assert reloaded.page.text(body).strip() == text


async def test_two_tabs_on_one_conversation_both_see_every_delta_once(alice):
    one = await open_tab(alice)
    await one.send(compose("[[echo]] First question"))
    first_answer = await one.receive_opening()
    await one.until_finished(first_answer)
    conversation_id = (await stored(first_answer)).conversation_id
    other = await open_tab(alice, f"/c/{conversation_id}/", client=one.client)

    text = echo_words(500)
    await one.send(compose(f"[[echo]] [[speed:3000]] {text}", conversation_id=str(conversation_id)))
    answer_id = await one.receive_opening()
    for tab in (one, other):
        await tab.receive_until(lambda html: f'hx-get="/m/{answer_id}/"' in html)
        assert tab.page.text(f"m-{answer_id}-b-0-body") == text, "as streamed, before the fetch"
        await tab.run_loads()
        assert len(tab.page.articles()) == 4, "two questions and two answers, none twice"


async def test_a_new_chat_socket_that_reconnects_resyncs_the_answers_the_page_shows(alice):
    """htmx reopens a socket at the address it first used: /ws/chat/ even once the chat has a
    conversation. The page then asks for the answers it shows as streaming."""
    tab = await open_tab(alice)
    text = echo_words(600)
    await tab.send(compose(f"[[echo]] [[speed:600]] {text}"))
    answer_id = await tab.receive_opening()
    body = f"m-{answer_id}-b-0-body"
    await tab.receive_until(lambda html: len(tab.page.text(body).split()) > 50)
    await tab.socket.disconnect()

    tab.socket = WebsocketCommunicator(application, "/ws/chat/", headers=socket_headers(tab.client))
    assert (await tab.socket.connect())[0]
    await tab.send({"action": "resync", "message_ids": [answer_id]})
    snapshot = await tab.receive()
    assert snapshot.startswith(f'<article id="m-{answer_id}"')
    await tab.receive_until(lambda html: f'hx-get="/m/{answer_id}/"' in html)
    assert tab.page.text(body) == text


async def test_a_page_rendered_just_before_its_answer_ended_shows_the_end_on_connect(alice):
    """The last frame went out between the page's render and its socket joining the group."""
    answer = await answer_streaming_elsewhere(alice, text="Almost", seq=5)
    client = Client()
    await sync_to_async(client.force_login)(alice)
    page = Page((await sync_to_async(client.get)(f"/c/{answer.conversation_id}/")).content.decode())
    assert "state-streaming" in page.by_id(f"m-{answer.pk}").classes()

    await Message.objects.filter(pk=answer.pk).aupdate(
        state=Message.State.COMPLETE, content=[{"type": "text", "text": "Almost done."}], seq=9
    )
    socket = WebsocketCommunicator(
        application, f"/ws/c/{answer.conversation_id}/", headers=socket_headers(client)
    )
    assert (await socket.connect())[0]
    page.apply(await socket.receive_from(timeout=5))
    await socket.disconnect()

    assert "state-complete" in page.by_id(f"m-{answer.pk}").classes()
    assert page.text(f"m-{answer.pk}-b-0-body").strip() == "Almost done."


async def test_an_answer_sent_from_another_tab_while_this_page_loaded_is_added_on_connect(alice):
    """The page was rendered before the other tab's send, its socket joined after: the question
    and the answer so far are added (not swapped into elements the page lacks), then the rest."""
    one = await open_tab(alice)
    await one.send(compose("[[echo]] First question"))
    first_answer = await one.receive_opening()
    await one.until_finished(first_answer)
    conversation_id = (await stored(first_answer)).conversation_id
    html = await load_page(one.client, f"/c/{conversation_id}/")

    text = echo_words(400)
    await one.send(compose(f"[[echo]] [[speed:1500]] {text}", conversation_id=str(conversation_id)))
    answer_id = await one.receive_opening()
    body = f"m-{answer_id}-b-0-body"
    await one.receive_until(lambda html: len(one.page.text(body).split()) > 50)
    late = await connect_tab(one.client, html)
    await late.receive_until(lambda html: f'hx-get="/m/{answer_id}/"' in html)

    assert late.page.missing_targets == []
    assert late.page.text(body) == text, "the answer so far, then every delta once"
    await late.run_loads()
    articles = late.page.articles()
    assert len(articles) == 4, "two questions and two answers, none twice"
    assert text in articles[2].text(), "the second question, added with its answer"
