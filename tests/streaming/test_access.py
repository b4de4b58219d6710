"""The websocket is for signed-in users and their own conversations; what they send is checked
with the page's form, and a refusal loses nothing they typed."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from playground.asgi import application
from playground.conversations.models import Conversation, Message
from playground.streaming.consumers import CLOSE_NOT_FOUND
from tests.compose import compose
from tests.streaming.conftest import open_tab, socket_headers

pytestmark = pytest.mark.django_db(transaction=True)


async def test_an_anonymous_socket_is_refused():
    socket = WebsocketCommunicator(application, "/ws/chat/", headers=socket_headers(None))
    connected, _ = await socket.connect()
    assert not connected


async def test_bobs_socket_on_alices_conversation_is_closed_as_not_found(alice, bob):
    alices = await Conversation.objects.acreate(user=alice)
    tab = await open_tab(bob)
    socket = WebsocketCommunicator(
        application, f"/ws/c/{alices.pk}/", headers=socket_headers(tab.client)
    )
    connected, _ = await socket.connect()
    assert connected
    assert await socket.receive_output(timeout=2) == {
        "type": "websocket.close",
        "code": CLOSE_NOT_FOUND,
    }


async def test_bob_cannot_send_into_alices_conversation(alice, bob):
    alices = await Conversation.objects.acreate(user=alice)
    tab = await open_tab(bob)
    await tab.send(compose("[[echo]] Mine now", conversation_id=str(alices.pk)))
    await tab.receive_until(lambda html: 'id="error-message"' in html)

    assert "no longer exists" in tab.page.text("error-message")
    assert await Message.objects.acount() == 0


async def test_invalid_settings_are_marked_on_their_fields_and_nothing_is_sent(alice):
    tab = await open_tab(alice)
    await tab.send(compose("Keep this text", max_tokens="lots", temperature="3"))
    reply = await tab.receive()

    assert "Max tokens must be a whole number." in tab.page.text("error-max_tokens")
    assert "temperature" in tab.page.text("error-temperature").lower()
    assert tab.page.text("error-message") == ""
    assert 'id="message-box"' not in reply, "the Message box is left as typed"
    assert await Message.objects.acount() == 0


async def test_an_empty_message_is_marked_on_the_message_box(alice):
    tab = await open_tab(alice)
    await tab.send(compose("   "))
    await tab.receive()

    assert tab.page.text("error-message") == "Message: write something to send."
    assert await Message.objects.acount() == 0


async def test_something_that_is_not_json_is_answered_in_words(alice):
    tab = await open_tab(alice)
    await tab.socket.send_to(text_data="not json")
    await tab.receive()
    assert tab.page.text("error-message") == "The page sent something unreadable."


async def test_errors_of_a_refused_send_are_cleared_by_the_next_accepted_one(alice):
    tab = await open_tab(alice)
    await tab.send(compose("[[echo]] Hi", max_tokens="0"))
    await tab.receive()
    assert tab.page.text("error-max_tokens")

    await tab.send(compose("[[echo]] Hi"))
    answer_id = await tab.receive_opening()
    assert tab.page.text("error-max_tokens") == ""
    assert tab.page.text("error-message") == ""
    assert tab.page.by_id("id_message").text().strip() == "", "the sent text left the box"
    await tab.until_finished(answer_id)


async def test_the_finished_answer_is_served_only_to_its_owner_and_only_by_get(alice, bob):
    tab = await open_tab(alice)
    await tab.send(compose("[[echo]] **bold** words"))
    answer_id = await tab.receive_opening()
    await tab.until_finished(answer_id)

    page = await sync_to_async(tab.client.get)(f"/m/{answer_id}/")
    assert page.status_code == 200
    assert "<strong>bold</strong>" in page.content.decode()
    assert (await sync_to_async(tab.client.post)(f"/m/{answer_id}/")).status_code == 405
    bobs = await open_tab(bob)
    assert (await sync_to_async(bobs.client.get)(f"/m/{answer_id}/")).status_code == 404
