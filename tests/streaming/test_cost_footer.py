"""The last frame of an answer carries its final footer: tokens and cost, before any re-render."""

from __future__ import annotations

import pytest

from playground.conversations.pricing import cost_estimate
from tests.compose import compose
from tests.streaming.conftest import open_tab, stored

pytestmark = pytest.mark.django_db(transaction=True)


async def test_the_final_frame_shows_the_answers_cost(alice, settings):
    settings.PLAYGROUND_PRICES = {"deepseek-v4-flash": {"input": "3", "output": "15"}}
    tab = await open_tab(alice)
    await tab.send(compose("[[echo]] a short answer"))
    answer_id = await tab.receive_opening()
    await tab.receive_until(lambda html: f'hx-get="/m/{answer_id}/"' in html)
    footer = " ".join(tab.page.text(f"m-{answer_id}-footer").split())
    answer = await stored(answer_id)
    cost = cost_estimate(model=answer.model, usage=answer.usage)
    assert cost is not None and cost.total > 0
    assert f"≈ {cost.display}" in footer
    assert f"{answer.usage['output_tokens']} out tokens" in footer
