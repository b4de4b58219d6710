"""After the answers: a word diff of two lanes' texts, and each lane's measures with the best
highlighted and a tokens-over-time chart."""

from __future__ import annotations

import pytest

from playground.compare.worddiff import Piece, word_diff
from tests.compare.answered import answered_comparison
from tests.conversations.page_html import parse

pytestmark = pytest.mark.django_db


def test_word_diff_marks_words_removed_and_added_keeping_spaces():
    assert word_diff("the quick brown fox", "the slow brown fox") == [
        Piece("same", "the "),
        Piece("removed", "quick"),
        Piece("added", "slow"),
        Piece("same", " brown fox"),
    ]


def test_the_diff_view_compares_two_lanes_last_answers_escaped(alice, alice_client):
    session = answered_comparison(alice, "Use <b>bold</b> text", "Use <i>plain</i> text")
    flash, pro = session.lanes.order_by("position")

    html = alice_client.get(
        f"/compare/{session.pk}/diff/", {"first": flash.pk, "second": pro.pk}
    ).content.decode()

    assert "<del>&lt;b&gt;bold&lt;/b&gt;</del>" in html
    assert "<ins>&lt;i&gt;plain&lt;/i&gt;</ins>" in html
    assert "<b>" not in html


def test_the_diff_view_asks_for_two_different_lanes(alice, alice_client):
    session = answered_comparison(alice, "a", "b")
    flash = session.lanes.first()

    html = alice_client.get(
        f"/compare/{session.pk}/diff/", {"first": flash.pk, "second": flash.pk}
    ).content.decode()

    assert "Choose two different lanes." in html


def test_metrics_show_each_lanes_measures_and_highlight_the_best(alice, alice_client):
    session = answered_comparison(alice, "a", "b")
    flash, pro = session.lanes.order_by("position")
    flash_answer = flash.conversation.current_leaf
    pro_answer = pro.conversation.current_leaf
    for answer, first, total, rate, tokens in (
        (flash_answer, 120, 900, 80.0, 70),
        (pro_answer, 400, 2500, 40.0, 90),
    ):
        answer.first_token_ms, answer.duration_ms = first, total
        answer.output_tokens_per_second = rate
        answer.usage = {"input_tokens": 10, "output_tokens": tokens}
        answer.save()

    html = alice_client.get(f"/compare/{session.pk}/metrics/").content.decode()
    cells = {
        (e.attrs["data-lane"], e.attrs["data-metric"]): e
        for e in parse(html)
        if e.tag == "td" and "data-metric" in e.attrs
    }

    flash_id, pro_id = str(flash.pk), str(pro.pk)
    assert cells[flash_id, "first_token"].text == "120 ms"
    assert cells[flash_id, "first_token"].attrs.get("class") == "best"
    assert cells[pro_id, "first_token"].attrs.get("class") is None
    assert cells[flash_id, "rate"].attrs.get("class") == "best"
    assert cells[pro_id, "tokens"].text == "90"
    assert cells[flash_id, "stop_reason"].text == "end_turn"
    assert cells[flash_id, "cost"].text.startswith("$")
    assert cells[flash_id, "cost"].attrs.get("class") == "best"
    assert 'points="0,120 15.4,120 115.2,26.7"' in html, "flash: 120 ms to first, 70 of 90 tokens"
    assert 'points="0,120 51.2,120 320.0,0.0"' in html, "pro: the longest and the most"
