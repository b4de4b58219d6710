"""A shared comparison continues live: a signed-out visitor's socket relays every lane's answer
into that lane's own list, as the compare page's does, finished answers fetched through the link;
a lane that leaves the comparison is no longer relayed. Against the Simulator."""

from __future__ import annotations

import re

import pytest
from asgiref.sync import sync_to_async

from playground.compare.models import Lane
from playground.conversations.models import Message
from playground.sharing.services import share_create_for_comparison
from tests.compare.conftest import compare_form, lanes_of, new_comparison, open_compare
from tests.compose import compose
from tests.sharing.share_tabs import open_share_tab
from tests.streaming.conftest import (  # noqa: F401  (fixtures: simulator settings, clean-up)
    Tab,
    _no_generation_outlives_its_test,
    _streaming_settings,
    echo_words,
    open_tab,
)
from tests.streaming.dom import Node

pytestmark = pytest.mark.django_db(transaction=True)


async def _shared(alice):
    """alice's compare page (flash against pro) and a live link to its comparison."""
    session = await new_comparison(alice)
    tab, _ = await open_compare(alice, f"/compare/{session.pk}/")
    created = await sync_to_async(share_create_for_comparison)(
        session=session, show_system=False, expires_in=None
    )
    return tab, await lanes_of(session), created.token


async def _answers(lanes: list[Lane]) -> list[Message]:
    return [
        await Message.objects.filter(
            conversation_id=lane.conversation_id, role=Message.Role.ASSISTANT
        ).alatest("id")
        for lane in lanes
    ]


async def _until_fetched(visitor: Tab, token: str, count: int) -> None:
    """Receive until ``count`` answers' last frames arrived, then fetch them through the link."""
    fetches = re.compile(rf'hx-get="/s/{re.escape(token)}/m/(\d+)/"')
    finished: set[str] = set()
    await visitor.receive_until(
        lambda html: bool(finished.update(fetches.findall(html))) or len(finished) >= count,
        wait=30,
    )
    await visitor.run_loads()


def _every(lanes: list[Lane]) -> dict[Lane, dict[str, str]]:
    """Each lane, sending its own settings unchanged."""
    return {lane: {} for lane in lanes}


def _list_of(visitor: Tab, lane: Lane) -> Node:
    found = visitor.page.by_id(f"lane-messages-{lane.conversation_id}")
    assert found is not None, f"the page has no list for lane {lane.position}"
    return found


def _ids_in(node: Node) -> set[str]:
    return {n.id for n in node.walk() if n.tag == "article"}


async def test_a_visitor_sees_each_lanes_answer_stream_into_its_own_lane(alice):
    alices_tab, lanes, token = await _shared(alice)
    visitor = await open_share_tab(token)

    text = echo_words(300)
    await alices_tab.send(compare_form(f"[[echo]] [[speed:3000]] {text}", _every(lanes)))
    await _until_fetched(visitor, token, 2)

    answers = await _answers(lanes)
    assert {a.state for a in answers} == {Message.State.COMPLETE}
    for lane, answer in zip(lanes, answers, strict=True):
        listed = _list_of(visitor, lane)
        assert f"m-{answer.pk}" in _ids_in(listed), "the answer is in its own lane"
        assert len(_ids_in(listed)) == 2, "its question with it, and nothing of the other lane"
        assert visitor.page.text(f"m-{answer.pk}-b-0-body").strip() == text
    assert visitor.page.by_id("messages") is None, "a comparison's page has no single list"
    assert visitor.page.missing_targets == [], visitor.page.missing_targets
    owners_fetch = re.compile(r'hx-get="/m/\d+/"')
    assert not any(owners_fetch.search(html) for html in visitor.received), "via the link only"


async def test_a_visitor_opening_mid_stream_sees_both_answers_so_far_then_the_rest(alice):
    alices_tab, lanes, token = await _shared(alice)
    text = echo_words(600)
    await alices_tab.send(compare_form(f"[[echo]] [[speed:600]] {text}", _every(lanes)))
    await alices_tab.receive_until(lambda html: "-b-0-body" in html and "w60 " in html)

    visitor = await open_share_tab(token)
    await _until_fetched(visitor, token, 2)

    for lane, answer in zip(lanes, await _answers(lanes), strict=True):
        assert f"m-{answer.pk}" in _ids_in(_list_of(visitor, lane))
        assert visitor.page.text(f"m-{answer.pk}-b-0-body").strip() == text
    assert visitor.page.missing_targets == [], visitor.page.missing_targets


async def test_a_lane_continued_in_the_playground_is_relayed_no_more(alice):
    alices_tab, lanes, token = await _shared(alice)
    await alices_tab.send(compare_form("[[echo]] First", _every(lanes)))
    visitor = await open_share_tab(token)
    await _until_fetched(visitor, token, 2)

    pro = lanes[1]
    continued = await sync_to_async(alices_tab.client.post)(
        f"/compare/lanes/{pro.pk}/continue/", HTTP_HX_REQUEST="true"
    )
    assert continued.status_code == 200
    playground = await open_tab(alice, f"/c/{pro.conversation_id}/", client=alices_tab.client)
    await playground.send(compose("[[echo]] Private now", conversation_id=str(pro.conversation_id)))
    private = await playground.receive_opening()
    await playground.until_finished(private)

    assert await visitor.socket.receive_nothing(timeout=0.5), "nothing of the continued lane"
    assert "Private now" not in _list_of(visitor, pro).text()
    private_url = f"/s/{token}/m/{private}/"
    assert (await sync_to_async(visitor.client.get)(private_url)).status_code == 404
