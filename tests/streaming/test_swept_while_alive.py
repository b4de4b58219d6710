"""An answer a sweep takes for stale while its process still runs it (the process was too busy to
save it in time) is taken back at the next checkpoint and finishes, instead of being lost."""

from __future__ import annotations

import asyncio

import pytest

from playground.conversations.models import Message
from tests.compose import compose
from tests.streaming.conftest import echo_words, open_tab, stored

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_live_answer_swept_as_stale_is_taken_back_and_completes(alice, settings):
    settings.PLAYGROUND_CHECKPOINT_SECONDS = 0.05
    text = echo_words(60)
    tab = await open_tab(alice)
    await tab.send(compose(f"[[echo]] [[speed:100]] {text}"))
    answer_id = await tab.receive_opening()
    await asyncio.sleep(0.15)

    # What another process's sweep does to an answer not saved for too long.
    swept = await Message.objects.filter(pk=answer_id, state=Message.State.STREAMING).aupdate(
        state=Message.State.INTERRUPTED
    )
    assert swept == 1
    await tab.until_finished(answer_id)

    answer = await stored(answer_id)
    assert answer.state == Message.State.COMPLETE
    assert answer.content == [{"type": "text", "text": text}]
