"""One prompt, several lanes, one socket: every lane streams at once into its own list, each a
conversation answered by the playground's own generations, against the Simulator."""

from __future__ import annotations

import asyncio
import re

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from playground.asgi import application
from playground.conversations.models import Message, UserPreferences
from tests.compare.conftest import compare_form, lanes_of, new_comparison, open_compare
from tests.streaming.conftest import Tab, echo_words, socket_headers

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = echo_words(300)
_FINAL_FETCH = re.compile(r'hx-get="/m/(\d+)/"')


async def answers_of(lanes) -> dict[int, Message]:
    """Each lane's answers, by lane id (one each here)."""
    found = {}
    for lane in lanes:
        found[lane.pk] = await Message.objects.filter(
            conversation_id=lane.conversation_id, role=Message.Role.ASSISTANT
        ).alatest("id")
    return found


async def until_all_finished(tab: Tab, count: int) -> None:
    """Receive until ``count`` more answers have sent their last frame, then fetch them as htmx
    does."""
    finished: set[str] = set()
    await tab.receive_until(
        lambda html: bool(finished.update(_FINAL_FETCH.findall(html))) or len(finished) >= count,
        wait=30,
    )
    await tab.run_loads()


async def test_three_lanes_stream_at_once_and_the_failing_one_keeps_its_partial_text(alice):
    faulty_settings = {"model": "deepseek-v4-flash", "system": "[[fault:overloaded_mid]]"}
    session = await new_comparison(alice, {}, {}, faulty_settings)
    tab, _ = await open_compare(alice, f"/compare/{session.pk}/")
    flash, pro, faulty = await lanes_of(session)

    await tab.send(
        compare_form(
            f"[[echo]] {TEXT}",
            {
                flash: {"model": "deepseek-v4-flash"},
                pro: {"model": "deepseek-v4-pro"},
                faulty: faulty_settings,
            },
        )
    )
    await until_all_finished(tab, 3)

    answers = await answers_of([flash, pro, faulty])
    for lane in (flash, pro):
        answer = answers[lane.pk]
        assert answer.state == Message.State.COMPLETE
        assert answer.content == [{"type": "text", "text": TEXT}]
        listed = tab.page.by_id(f"lane-messages-{lane.conversation_id}")
        assert TEXT in listed.text(), "the answer is in its own lane"
    broken = answers[faulty.pk]
    assert broken.state == Message.State.ERROR
    kept = broken.content[0]["text"]
    assert kept and TEXT.startswith(kept) and len(kept) < len(TEXT)
    faulty_list = tab.page.by_id(f"lane-messages-{faulty.conversation_id}")
    assert kept.strip() in faulty_list.text()
    footer = tab.page.text(f"m-{broken.pk}-footer")
    assert "became overloaded and stopped in the middle of the answer" in footer
    assert "Retry" in footer
    assert tab.page.missing_targets == [], tab.page.missing_targets
    assert answers[pro.pk].model == "deepseek-v4-pro"
    assert answers[flash.pk].model == "deepseek-v4-flash"


async def test_the_lanes_frames_interleave_on_the_one_socket(alice):
    tab, session = await open_compare(alice)
    flash, pro = await lanes_of(session)

    slow = f"[[echo]] [[speed:400]] {echo_words(120)}"
    await tab.send(compare_form(slow, {flash: {}, pro: {}}))
    await until_all_finished(tab, 2)

    answers = await answers_of([flash, pro])
    first_frames = {
        lane: min(i for i, html in enumerate(tab.received) if f"m-{answer.pk}-b-0" in html)
        for lane, answer in answers.items()
    }
    last_frames = {
        lane: next(i for i, html in enumerate(tab.received) if f'hx-get="/m/{answer.pk}/"' in html)
        for lane, answer in answers.items()
    }
    assert max(first_frames.values()) < min(last_frames.values()), "both streamed at once"


async def test_a_follow_up_continues_each_lanes_own_history(alice):
    tab, session = await open_compare(alice)
    flash, pro = await lanes_of(session)
    await tab.send(compare_form("[[echo]] first", {flash: {}, pro: {}}))
    await until_all_finished(tab, 2)

    await tab.send(compare_form("[[echo]] second", {flash: {}, pro: {}}))
    await until_all_finished(tab, 2)

    for lane in (flash, pro):
        texts = [
            m.content[0]["text"]
            async for m in Message.objects.filter(conversation_id=lane.conversation_id)
        ]
        assert texts == ["[[echo]] first", "first", "[[echo]] second", "second"]
    await session.arefresh_from_db()
    assert session.title == "[[echo]] first"


async def test_sending_to_the_lanes_leaves_new_chat_starting_from_the_playgrounds_settings(alice):
    await UserPreferences.objects.acreate(
        user=alice, provider="simulator", settings={"model": "my-playground-model"}
    )
    tab, session = await open_compare(alice)
    flash, pro = await lanes_of(session)
    await tab.send(compare_form("[[echo]] hello", {flash: {}, pro: {}}))
    await until_all_finished(tab, 2)

    preferences = await UserPreferences.objects.aget(user=alice)
    assert preferences.settings == {"model": "my-playground-model"}


async def test_stop_ends_one_lane_and_the_other_finishes(alice):
    session = await new_comparison(alice, {"system": "[[speed:20000]]"})
    tab, _ = await open_compare(alice, f"/compare/{session.pk}/")
    flash, pro = await lanes_of(session)
    slow = f"[[echo]] [[speed:200]] {echo_words(2000)}"
    await tab.send(compare_form(slow, {flash: {"system": "[[speed:20000]]"}, pro: {}}))
    await tab.receive_until(lambda html: "m-" in html and "-b-0-body" in html)
    answers = await answers_of([flash, pro])

    await tab.send({"action": "stop", "message_id": answers[pro.pk].pk})
    await until_all_finished(tab, 2)

    answers = await answers_of([flash, pro])
    assert answers[pro.pk].state == Message.State.STOPPED
    assert answers[flash.pk].state == Message.State.COMPLETE


async def test_stop_all_stops_every_lane(alice):
    tab, session = await open_compare(alice)
    flash, pro = await lanes_of(session)
    slow = f"[[echo]] [[speed:200]] {echo_words(2000)}"
    await tab.send(compare_form(slow, {flash: {}, pro: {}}))
    await tab.receive_until(lambda html: "-b-0-body" in html)

    await tab.send({"action": "stop_all"})
    await until_all_finished(tab, 2)

    answers = await answers_of([flash, pro])
    assert {a.state for a in answers.values()} == {Message.State.STOPPED}


async def test_a_lane_with_invalid_settings_is_refused_in_its_region_and_the_other_goes(alice):
    session = await new_comparison(alice, {}, {"temperature": "0.5"})
    tab, _ = await open_compare(alice, f"/compare/{session.pk}/")
    flash, pro = await lanes_of(session)

    await tab.send(compare_form("[[echo]] hi", {flash: {}, pro: {"temperature": "5"}}))
    await tab.receive_until(lambda html: f"error-lane-{pro.pk}-temperature" in html)
    await until_all_finished(tab, 1)

    assert "temperature must be between 0 and 2" in tab.page.text(
        f"error-lane-{pro.pk}-temperature"
    )
    assert not await Message.objects.filter(conversation_id=pro.conversation_id).aexists()
    assert await Message.objects.filter(conversation_id=flash.conversation_id).acount() == 2
    await pro.arefresh_from_db()
    assert pro.overrides["temperature"] == "5", "what was typed is kept"


async def test_four_lanes_fit_the_default_limit_of_four_answers_at_once(alice, settings):
    settings.PLAYGROUND_MAX_CONCURRENT_GENERATIONS = 4
    session = await new_comparison(alice, {}, {}, {}, {})
    tab, _ = await open_compare(alice, f"/compare/{session.pk}/")
    lanes = await lanes_of(session)

    await tab.send(
        compare_form(f"[[echo]] [[speed:2000]] {echo_words(50)}", {lane: {} for lane in lanes})
    )
    await until_all_finished(tab, 4)

    answers = await answers_of(lanes)
    assert {a.state for a in answers.values()} == {Message.State.COMPLETE}


async def test_retry_answers_a_failed_lane_again_in_its_place(alice):
    session = await new_comparison(alice, {}, {"system": "[[fault:server_error]]"})
    tab, _ = await open_compare(alice, f"/compare/{session.pk}/")
    flash, pro = await lanes_of(session)
    await tab.send(
        compare_form("[[echo]] again", {flash: {}, pro: {"system": "[[fault:server_error]]"}})
    )
    await until_all_finished(tab, 2)
    failed = (await answers_of([pro]))[pro.pk]
    assert failed.state == Message.State.ERROR

    await sync_to_async(_use_base_system)(pro)
    await tab.send({"action": "retry", "message_id": failed.pk})
    await until_all_finished(tab, 1)

    retried = (await answers_of([pro]))[pro.pk]
    assert retried.pk != failed.pk and retried.state == Message.State.COMPLETE
    assert tab.page.by_id(f"m-{failed.pk}") is None, "the new answer took the old one's place"
    assert tab.page.by_id(f"m-{retried.pk}") is not None


def _use_base_system(lane) -> None:
    # Retry uses the conversation's saved settings: clear the fault there, as a fixed setting.
    conversation = lane.conversation
    conversation.settings = {**conversation.settings, "system": ""}
    conversation.save()


async def test_a_socket_for_someone_elses_comparison_is_closed(alice, bob):
    session = await new_comparison(alice)
    client = Client()
    await sync_to_async(client.force_login)(bob)
    socket = WebsocketCommunicator(
        application, f"/ws/compare/{session.pk}/", headers=socket_headers(client)
    )
    connected, _ = await socket.connect()
    assert connected
    closed = await socket.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": 4404}
    await asyncio.sleep(0)
    await socket.disconnect()
