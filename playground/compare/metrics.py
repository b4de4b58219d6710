"""Per lane, the last answer's measures: time to first token, total time, output tokens (thinking
included, as the API counts them), tokens per second, stop reason and estimated cost; which lane
is best at each; and the tokens-over-time chart as SVG coordinates.

The final values come from the stored answer (what the generation measured); the page's script
shows estimates while the answers stream, then fetches these.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from playground.compare.models import Lane
from playground.conversations.models import Message
from playground.conversations.pricing import Cost, cost_estimate

CHART_WIDTH = 320
CHART_HEIGHT = 120
# Lower is better for these, higher for tokens per second; output tokens and the stop reason
# are facts, not scores.
_LOWER_IS_BETTER = ("first_token_ms", "duration_ms", "cost")


@dataclass(frozen=True)
class LaneMetrics:
    lane: Lane
    number: int
    label: str
    state: str = ""  # "" when the lane has no answer yet
    first_token_ms: int | None = None
    duration_ms: int | None = None
    output_tokens: int | None = None
    tokens_per_second: float | None = None
    stop_reason: str = ""
    cost: Cost | None = None
    chart_points: str = ""  # an SVG polyline's points: waiting, then the tokens arriving

    def value(self, name: str) -> float | Decimal | None:
        if name == "cost":
            return self.cost.total if self.cost else None
        return getattr(self, name)


def lanes_metrics(*, lanes: list[Lane], labels: list[str]) -> list[LaneMetrics]:
    """The measures of each lane's last answer (the leaf of its conversation)."""
    leaves = {
        m.conversation_id: m
        for m in Message.objects.filter(
            pk__in=[lane.conversation.current_leaf_id for lane in lanes], role="assistant"
        )
    }
    measured = [
        _measured(lane, number, label, leaves.get(lane.conversation_id))
        for number, (lane, label) in enumerate(zip(lanes, labels, strict=True), start=1)
    ]
    return _charted(measured)


def best_lanes(metrics: list[LaneMetrics]) -> dict[str, set[int]]:
    """For each scored measure, the lanes (by id) with the best value; none if fewer than two
    lanes have a value (nothing to compare)."""
    best: dict[str, set[int]] = {}
    for name in (*_LOWER_IS_BETTER, "tokens_per_second"):
        values = {m.lane.pk: m.value(name) for m in metrics if m.value(name) is not None}
        if len(values) < 2:
            best[name] = set()
            continue
        target = min(values.values()) if name in _LOWER_IS_BETTER else max(values.values())
        best[name] = {pk for pk, value in values.items() if value == target}
    return best


def _measured(lane: Lane, number: int, label: str, answer: Message | None) -> LaneMetrics:
    if answer is None:
        return LaneMetrics(lane=lane, number=number, label=label)
    usage = answer.usage if isinstance(answer.usage, dict) else {}
    tokens = usage.get("output_tokens")
    return LaneMetrics(
        lane=lane,
        number=number,
        label=label,
        state=answer.state,
        first_token_ms=answer.first_token_ms,
        duration_ms=answer.duration_ms,
        output_tokens=tokens if isinstance(tokens, int) else None,
        tokens_per_second=answer.output_tokens_per_second,
        stop_reason=answer.stop_reason,
        cost=cost_estimate(model=answer.model, usage=answer.usage),
    )


def _charted(metrics: list[LaneMetrics]) -> list[LaneMetrics]:
    """Each finished lane's line: flat until its first token, then straight to its total (the
    stored answer keeps the two moments, not every token's)."""
    done = [m for m in metrics if m.duration_ms and m.output_tokens is not None]
    if not done:
        return metrics
    longest = max(m.duration_ms or 0 for m in done) or 1
    most = max(m.output_tokens or 0 for m in done) or 1
    charted = []
    for m in metrics:
        if m not in done:
            charted.append(m)
            continue
        x_first = (m.first_token_ms or 0) * CHART_WIDTH / longest
        x_end = (m.duration_ms or 0) * CHART_WIDTH / longest
        y_end = CHART_HEIGHT - (m.output_tokens or 0) * CHART_HEIGHT / most
        points = f"0,{CHART_HEIGHT} {x_first:.1f},{CHART_HEIGHT} {x_end:.1f},{y_end:.1f}"
        charted.append(replace(m, chart_points=points))
    return charted
