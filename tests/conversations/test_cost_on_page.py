"""Each finished answer shows its tokens and its cost, priced with the operator's table."""

from __future__ import annotations

from tests.conversations.page_html import parse

USAGE = {
    "input_tokens": 1000,
    "output_tokens": 2000,
    "cache_read_input_tokens": 5000,
    "cache_creation_input_tokens": 0,
}


def _footer_text(client, conversation) -> str:
    html = client.get(f"/c/{conversation.pk}/").content.decode()
    footer_id = f"m-{conversation.current_leaf_id}-footer"
    footer = next(e for e in parse(html) if e.attrs.get("id") == footer_id)
    return " ".join(footer.text.split())


def test_the_footer_shows_tokens_of_each_kind_and_the_exact_estimate(
    settings, alice, alice_client, make_conversation
):
    settings.PLAYGROUND_PRICES = {
        "deepseek-v4-flash": {"input": "0.14", "output": "0.28", "cache_read": "0.0028"}
    }
    conversation = make_conversation(
        alice, turns=[("user", "Q"), ("assistant", "A")], model="deepseek-v4-flash", usage=USAGE
    )
    text = _footer_text(alice_client, conversation)
    assert "1000 in · 2000 out tokens · 5000 cache read · 0 cache write" in text
    # 1000 * 0.14 + 2000 * 0.28 + 5000 * 0.0028 = 714 dollars per million tokens.
    assert "≈ $0.000714" in text


def test_a_model_missing_from_the_table_says_it_has_no_price(
    settings, alice, alice_client, make_conversation
):
    settings.PLAYGROUND_PRICES = {"deepseek-v4-flash": {"input": "1", "output": "2"}}
    conversation = make_conversation(
        alice, turns=[("user", "Q"), ("assistant", "A")], model="mystery-model", usage=USAGE
    )
    text = _footer_text(alice_client, conversation)
    assert "no price for mystery-model" in text and "$" not in text
