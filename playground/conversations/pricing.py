"""Cost estimates: an answer's usage priced with the operator's table (``PLAYGROUND_PRICES``).

Prices are US dollars per million tokens, by model name, with ``input`` and ``output`` and,
optionally, ``cache_read`` and ``cache_write`` (both default to ``input``). Usage follows the
Messages API: ``input_tokens`` are the uncached input, ``cache_read_input_tokens`` and
``cache_creation_input_tokens`` come on top of them. Money is computed with ``Decimal`` so that a
figure is exact, then shown rounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PER_TOKENS = Decimal(1_000_000)
_FIELDS = ("input", "output", "cache_read", "cache_write")


@dataclass(frozen=True)
class Price:
    """Dollars per million tokens of each kind."""

    input: Decimal
    output: Decimal
    cache_read: Decimal
    cache_write: Decimal


@dataclass(frozen=True)
class Cost:
    """An answer's estimated cost, in dollars, and the tokens it counts."""

    model: str
    total: Decimal
    input_tokens: int
    output_tokens: int
    cache_read_tokens: int
    cache_write_tokens: int

    @property
    def display(self) -> str:
        """``$0.000123``: enough digits to show a cheap answer's cost, no trailing noise."""
        if self.total == 0:
            return "$0"
        text = f"{self.total:.6f}".rstrip("0").rstrip(".")
        return f"${text}" if Decimal(text) != 0 else "< $0.000001"


def price_table() -> dict[str, Price]:
    """The operator's table, parsed; an unusable entry is a configuration error naming it."""
    table = settings.PLAYGROUND_PRICES
    if not isinstance(table, dict):
        raise ImproperlyConfigured("PLAYGROUND_PRICES must be a JSON object keyed by model name.")
    return {model: _price(model, entry) for model, entry in table.items()}


def price_for(model: str, table: dict[str, Price] | None = None) -> Price | None:
    """The price of ``model``: its own entry, else the longest entry its name starts with (a
    dated version such as ``deepseek-v4-pro-0813`` costs what ``deepseek-v4-pro`` costs)."""
    table = price_table() if table is None else table
    if model in table:
        return table[model]
    prefixes = [name for name in table if model.startswith(name)]
    return table[max(prefixes, key=len)] if prefixes else None


def cost_estimate(
    *, model: str, usage: dict[str, Any] | None, table: dict[str, Price] | None = None
) -> Cost | None:
    """What ``usage`` costs on ``model``; None without usage or without a price for the model."""
    if not isinstance(usage, dict) or not model:
        return None
    price = price_for(model, table)
    if price is None:
        return None
    tokens = {
        name: _count(usage.get(name))
        for name in (
            "input_tokens",
            "output_tokens",
            "cache_read_input_tokens",
            "cache_creation_input_tokens",
        )
    }
    total = (
        tokens["input_tokens"] * price.input
        + tokens["output_tokens"] * price.output
        + tokens["cache_read_input_tokens"] * price.cache_read
        + tokens["cache_creation_input_tokens"] * price.cache_write
    ) / PER_TOKENS
    return Cost(
        model=model,
        total=total,
        input_tokens=tokens["input_tokens"],
        output_tokens=tokens["output_tokens"],
        cache_read_tokens=tokens["cache_read_input_tokens"],
        cache_write_tokens=tokens["cache_creation_input_tokens"],
    )


def _price(model: str, entry: Any) -> Price:
    if not isinstance(entry, dict):
        raise ImproperlyConfigured(
            f"PLAYGROUND_PRICES[{model!r}] must be an object with input and output prices."
        )
    unknown = sorted(set(entry) - set(_FIELDS))
    if unknown:
        raise ImproperlyConfigured(
            f"PLAYGROUND_PRICES[{model!r}] has unknown prices {unknown}; "
            f"known: {', '.join(_FIELDS)}."
        )
    values: dict[str, Decimal] = {}
    for name in ("input", "output"):
        if name not in entry:
            raise ImproperlyConfigured(f"PLAYGROUND_PRICES[{model!r}] needs an {name!r} price.")
        values[name] = _dollars(model, name, entry[name])
    for name in ("cache_read", "cache_write"):
        values[name] = _dollars(model, name, entry[name]) if name in entry else values["input"]
    return Price(**values)


def _dollars(model: str, name: str, raw: Any) -> Decimal:
    try:
        value = Decimal(str(raw)) if not isinstance(raw, bool) else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0:
        raise ImproperlyConfigured(
            f"PLAYGROUND_PRICES[{model!r}][{name!r}] must be a number of dollars per million "
            f"tokens, not {raw!r}."
        )
    return value


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0
