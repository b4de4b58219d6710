"""Cost estimates: known usage and a known price table give the exact figure."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from playground.conversations.pricing import cost_estimate, price_for, price_table

TABLE = {
    "model-a": {"input": "2", "output": "8", "cache_read": "0.5"},
    "model-a-long": {"input": "4", "output": "16"},
}


def test_a_known_usage_and_price_table_give_the_exact_cost(settings):
    settings.PLAYGROUND_PRICES = TABLE
    cost = cost_estimate(
        model="model-a",
        usage={
            "input_tokens": 1_234,
            "output_tokens": 5_678,
            "cache_read_input_tokens": 10_000,
            "cache_creation_input_tokens": 100,
        },
    )
    # 1234 * 2 + 5678 * 8 + 10000 * 0.5 + 100 * 2 (cache writes cost the input price) = 53,092
    assert cost is not None
    assert cost.total == Decimal("0.053092")
    assert cost.display == "$0.053092"
    assert (cost.input_tokens, cost.output_tokens) == (1_234, 5_678)
    assert (cost.cache_read_tokens, cost.cache_write_tokens) == (10_000, 100)


def test_deepseeks_published_prices_are_the_defaults():
    table = price_table()
    assert table["deepseek-v4-flash"].output == Decimal("0.28")
    assert table["deepseek-v4-pro"].input == Decimal("0.435")
    cost = cost_estimate(
        model="deepseek-v4-pro", usage={"input_tokens": 1_000_000, "output_tokens": 1_000_000}
    )
    assert cost is not None and cost.total == Decimal("1.305")


def test_a_dated_model_name_costs_what_its_longest_matching_entry_costs(settings):
    settings.PLAYGROUND_PRICES = TABLE
    assert price_for("model-a-long-0813").input == Decimal("4")
    assert price_for("model-a-0813").input == Decimal("2")
    assert price_for("other") is None


def test_no_usage_or_no_price_means_no_estimate(settings):
    settings.PLAYGROUND_PRICES = TABLE
    assert cost_estimate(model="model-a", usage=None) is None
    assert cost_estimate(model="unknown", usage={"input_tokens": 5}) is None


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ({"m": {"output": 1}}, "needs an 'input' price"),
        ({"m": {"input": "x", "output": 1}}, "must be a number of dollars"),
        ({"m": {"input": -1, "output": 1}}, "must be a number of dollars"),
        ({"m": {"input": 1, "output": 1, "cache": 1}}, "unknown prices ['cache']"),
        ({"m": 3}, "must be an object"),
    ],
)
def test_a_broken_price_table_names_the_model_and_the_price(settings, table, words):
    settings.PLAYGROUND_PRICES = table
    with pytest.raises(ImproperlyConfigured) as raised:
        price_table()
    assert words in str(raised.value) and "'m'" in str(raised.value)
