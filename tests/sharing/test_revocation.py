"""A revoked, expired or unknown link opens nothing: page, fragment and websocket all refuse, and
an open share socket is closed when its link is revoked. A token opens its conversation's shown
path and nothing else of its owner's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from django.utils import timezone

from playground.conversations.models import Conversation
from playground.sharing.consumers import CLOSE_NOT_FOUND
from playground.sharing.models import ShareLink
from playground.sharing.services import CreatedShare, share_create
from tests.compose import compose
from tests.sharing.share_tabs import (
    closed_with,
    everything_refuses,
    open_share_tab,
    socket_close_code,
)
from tests.sharing.trees import Tree, weather_conversation
from tests.streaming.conftest import (  # noqa: F401  (fixtures: simulator settings, clean-up)
    _no_generation_outlives_its_test,
    _streaming_settings,
    echo_words,
    open_tab,
    socket_headers,
)

pytestmark = pytest.mark.django_db(transaction=True)


async def live_share(tree: Tree) -> CreatedShare:
    """A live link to the tree's conversation, its system prompt hidden, never expiring."""
    return await sync_to_async(share_create)(
        conversation=tree.conversation,
        mode="live",
        up_to_message=None,
        show_system=False,
        expires_in=None,
    )


async def test_a_revoked_link_refuses_its_page_its_fragment_and_its_socket(alice, alice_client):
    tree = await sync_to_async(weather_conversation)(alice)
    created = await live_share(tree)
    assert (await sync_to_async(Client().get)(f"/s/{created.token}/")).status_code == 200
    revoke = await sync_to_async(alice_client.post)(f"/shares/{created.link.pk}/revoke/")
    assert revoke.status_code == 302

    await sync_to_async(everything_refuses)(created.token, tree.answer.pk)
    assert await socket_close_code(created.token) == CLOSE_NOT_FOUND


async def test_an_expired_or_unknown_link_refuses_everything_too(alice):
    tree = await sync_to_async(weather_conversation)(alice)
    created = await sync_to_async(share_create)(
        conversation=tree.conversation,
        mode="live",
        up_to_message=None,
        show_system=False,
        expires_in=timedelta(days=1),
    )
    await ShareLink.objects.filter(pk=created.link.pk).aupdate(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    made_up = "A" * len(created.token)
    for token in (created.token, made_up, "short"):
        await sync_to_async(everything_refuses)(token, tree.answer.pk)
        assert await socket_close_code(token) == CLOSE_NOT_FOUND


async def test_a_snapshot_link_has_no_socket(alice):
    tree = await sync_to_async(weather_conversation)(alice)
    created = await sync_to_async(share_create)(
        conversation=tree.conversation,
        mode="snapshot",
        up_to_message=tree.tool_call,
        show_system=False,
        expires_in=None,
    )
    assert await socket_close_code(created.token) == CLOSE_NOT_FOUND


async def test_revoking_closes_the_share_sockets_that_are_open(alice, alice_client):
    tab = await open_tab(alice)
    await tab.send(compose("[[echo]] Hello"))
    answer = await tab.receive_opening()
    await tab.until_finished(answer)
    conversation = await Conversation.objects.aget(messages__pk=answer)
    created = await sync_to_async(share_create)(
        conversation=conversation,
        mode="live",
        up_to_message=None,
        show_system=False,
        expires_in=None,
    )
    visitor = await open_share_tab(created.token)
    await tab.send(
        compose(f"[[echo]] [[speed:300]] {echo_words(300)}", conversation_id=str(conversation.pk))
    )
    await visitor.receive_opening()

    await sync_to_async(alice_client.post)(f"/shares/{created.link.pk}/revoke/")
    assert await closed_with(visitor.socket) == CLOSE_NOT_FOUND
    visitor.closed = True


async def test_an_open_share_socket_closes_when_its_link_expires(alice):
    tree = await sync_to_async(weather_conversation)(alice)
    created = await sync_to_async(share_create)(
        conversation=tree.conversation,
        mode="live",
        up_to_message=None,
        show_system=False,
        expires_in=timedelta(seconds=1),
    )
    visitor = await open_share_tab(created.token)
    assert await closed_with(visitor.socket, wait=5) == CLOSE_NOT_FOUND
    visitor.closed = True


async def test_deleting_the_conversation_closes_its_share_sockets(alice, alice_client):
    tree = await sync_to_async(weather_conversation)(alice)
    created = await live_share(tree)
    visitor = await open_share_tab(created.token)
    await sync_to_async(alice_client.post)(f"/c/{tree.conversation.pk}/delete/")
    assert await closed_with(visitor.socket) == CLOSE_NOT_FOUND
    visitor.closed = True
    assert (await sync_to_async(Client().get)(f"/s/{created.token}/")).status_code == 404


async def test_a_token_reaches_nothing_but_its_conversations_shown_path(alice, bob):
    """bob holds a link to one of alice's conversations: her other conversations' messages, the
    branch not shown and what comes after a snapshot's end are all 404 through it."""
    tree = await sync_to_async(weather_conversation)(alice)
    other = await sync_to_async(weather_conversation)(alice)
    bob_client = Client()
    await sync_to_async(bob_client.force_login)(bob)
    live = await live_share(tree)
    snapshot = await sync_to_async(share_create)(
        conversation=tree.conversation,
        mode="snapshot",
        up_to_message=tree.tool_call,
        show_system=False,
        expires_in=None,
    )

    def status(token: str, message_id: int) -> int:
        return bob_client.get(f"/s/{token}/m/{message_id}/").status_code

    assert await sync_to_async(status)(live.token, tree.answer.pk) == 200
    for message in (*other.path, other.stopped_branch, tree.stopped_branch):
        assert await sync_to_async(status)(live.token, message.pk) == 404
    for message in (tree.tool_result, tree.answer):
        assert await sync_to_async(status)(snapshot.token, message.pk) == 404
    assert await sync_to_async(status)(snapshot.token, tree.tool_call.pk) == 200
    page = await sync_to_async(bob_client.get)(f"/s/{live.token}/")
    assert "Weather in Paris" in page.content.decode()
    for message in other.path:
        assert f'id="m-{message.pk}"' not in page.content.decode()


async def test_a_share_socket_hears_nothing_of_the_owners_other_conversations(alice):
    tab = await open_tab(alice)
    await tab.send(compose("[[echo]] Shared chat"))
    first = await tab.receive_opening()
    await tab.until_finished(first)
    shared = await Conversation.objects.aget(messages__pk=first)
    created = await sync_to_async(share_create)(
        conversation=shared, mode="live", up_to_message=None, show_system=False, expires_in=None
    )
    visitor = await open_share_tab(created.token)
    while not await visitor.socket.receive_nothing(timeout=0.3):
        await visitor.receive()  # the catch-up of the answer that just ended

    other_tab = await open_tab(alice, client=tab.client)
    await other_tab.send(compose("[[echo]] A private chat"))
    private = await other_tab.receive_opening()
    await other_tab.until_finished(private)
    assert await visitor.socket.receive_nothing(timeout=0.5)
    assert "private" not in visitor.page.text("messages")
