"""A revoked comparison link opens nothing: page, fragments and socket refuse, and an open socket
is closed when the link is revoked or the comparison deleted. A comparison's token reaches its
lanes' shown messages and nothing else of its owner's."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from playground.compare.models import CompareSession
from playground.sharing.consumers import CLOSE_NOT_FOUND
from playground.sharing.services import share_create_for_comparison
from tests.sharing.comparisons import sent_comparison
from tests.sharing.share_tabs import (
    closed_with,
    everything_refuses,
    open_share_tab,
    socket_close_code,
)
from tests.sharing.trees import weather_conversation
from tests.streaming.conftest import (  # noqa: F401  (fixtures: simulator settings, clean-up)
    _no_generation_outlives_its_test,
    _streaming_settings,
)

pytestmark = pytest.mark.django_db(transaction=True)


async def _shared(alice):
    comparison = await sync_to_async(sent_comparison)(alice)
    created = await sync_to_async(share_create_for_comparison)(
        session=comparison.session, show_system=False, expires_in=None
    )
    return comparison, created


async def test_a_revoked_comparison_link_refuses_its_page_its_fragments_and_its_socket(
    alice, alice_client
):
    comparison, created = await _shared(alice)
    assert (await sync_to_async(Client().get)(f"/s/{created.token}/")).status_code == 200
    await sync_to_async(alice_client.post)(f"/shares/{created.link.pk}/revoke/")

    for answer in (comparison.flash_answer, comparison.pro_answer):
        await sync_to_async(everything_refuses)(created.token, answer.pk)
    assert await socket_close_code(created.token) == CLOSE_NOT_FOUND


async def test_revoking_closes_the_open_sockets_of_the_comparisons_page(alice, alice_client):
    _, created = await _shared(alice)
    visitor = await open_share_tab(created.token)
    await sync_to_async(alice_client.post)(f"/shares/{created.link.pk}/revoke/")
    assert await closed_with(visitor.socket) == CLOSE_NOT_FOUND
    visitor.closed = True


async def test_deleting_the_comparison_closes_its_share_sockets(alice):
    comparison, created = await _shared(alice)
    visitor = await open_share_tab(created.token)
    await CompareSession.objects.filter(pk=comparison.session.pk).adelete()
    assert await closed_with(visitor.socket) == CLOSE_NOT_FOUND
    visitor.closed = True
    assert (await sync_to_async(Client().get)(f"/s/{created.token}/")).status_code == 404


async def test_a_comparisons_token_reaches_nothing_but_its_lanes(alice, bob):
    """bob holds a link to one of alice's comparisons: the messages of her other conversations
    and of her other comparison's lanes are all 404 through it."""
    comparison, created = await _shared(alice)
    other = await sync_to_async(sent_comparison)(alice)
    chat = await sync_to_async(weather_conversation)(alice)
    bob_client = Client()
    await sync_to_async(bob_client.force_login)(bob)

    def status(message_id: int) -> int:
        return bob_client.get(f"/s/{created.token}/m/{message_id}/").status_code

    for shown in (comparison.flash_answer, comparison.pro_answer):
        assert await sync_to_async(status)(shown.pk) == 200
    for hidden in (other.flash_answer, other.pro_answer, *chat.path, chat.stopped_branch):
        assert await sync_to_async(status)(hidden.pk) == 404, hidden
    page = (await sync_to_async(bob_client.get)(f"/s/{created.token}/")).content.decode()
    for hidden in (other.flash_answer, other.pro_answer, *chat.path):
        assert f'id="m-{hidden.pk}"' not in page
