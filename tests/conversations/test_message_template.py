"""The message template renders the DOM the streaming frames append to, escaping model output."""

from __future__ import annotations

from django.template.loader import render_to_string

from playground.conversations.presentation import rendered_text_blocks
from tests.conversations.page_html import by_id, parse


def render(**context) -> str:
    base = {
        "message_id": 7,
        "role": "assistant",
        "state": "complete",
        "blocks": [],
        "seq": 3,
        "rendered": {},
    }
    return render_to_string("conversations/_message.html", {**base, **context})


BLOCKS = [
    {"type": "thinking", "thinking": "<script>alert('t')</script>", "signature": "s"},
    {"type": "text", "text": "<img src=x onerror=alert(1)> **hi**"},
    {"type": "tool_use", "id": "t1", "name": "get_weather", "input": {"city": "<Paris>"}},
]


def test_the_ids_are_those_the_frames_swap_into():
    elements = parse(render(blocks=BLOCKS, state="streaming"))
    article = by_id(elements, "m-7")
    assert article.tag == "article" and article.attrs["data-seq"] == "3"
    assert article.attrs["class"] == "message message-assistant state-streaming"
    assert by_id(elements, "m-7-blocks").attrs["class"] == "blocks"
    assert (
        by_id(elements, "m-7-b-0").tag == "details" and "open" in by_id(elements, "m-7-b-0").attrs
    )
    assert by_id(elements, "m-7-b-0-body").attrs["class"] == "thinking-body"
    assert by_id(elements, "m-7-b-1-body").attrs["class"] == "text-body"
    assert by_id(elements, "m-7-b-2-body").tag == "pre"
    assert by_id(elements, "m-7-footer").tag == "footer"


def test_while_streaming_every_character_of_model_output_is_escaped():
    html = render(blocks=BLOCKS, state="streaming")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt; **hi**" in html
    assert "&quot;city&quot;: &quot;&lt;Paris&gt;&quot;" in html


def test_a_finished_answer_shows_sanitised_markdown_and_collapsed_thinking():
    html = render(blocks=BLOCKS, rendered=rendered_text_blocks(BLOCKS))
    elements = parse(html)
    assert by_id(elements, "m-7-b-1-body").attrs["class"] == "text-body markdown"
    assert "<strong>hi</strong>" in html and "<img" not in html
    assert "open" not in by_id(elements, "m-7-b-0").attrs


def test_a_tool_input_still_streaming_is_shown_as_the_raw_json_text():
    blocks = [{"type": "tool_use", "id": "t", "name": "calc", "input": '{"expr": "1<2'}]
    assert "{&quot;expr&quot;: &quot;1&lt;2</pre>" in render(blocks=blocks, state="streaming")


def test_an_oob_snapshot_replaces_the_whole_article():
    article = by_id(parse(render(oob=True)), "m-7")
    assert article.attrs["hx-swap-oob"] == "outerHTML"
    assert "hx-swap-oob" not in by_id(parse(render(oob=True)), "m-7-footer").attrs


def test_a_user_message_has_no_footer_and_shows_its_text_as_typed():
    html = render(role="user", blocks=[{"type": "text", "text": "a < b\n  c"}])
    assert "a &lt; b\n  c" in html and "m-7-footer" not in html
