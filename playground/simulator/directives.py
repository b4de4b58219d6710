"""Test directives: ``[[echo]]``, ``[[fault:NAME]]``, ``[[fault:NAME:N]]`` and ``[[speed:N]]``.

They are read from the system prompt and the last user message (the message wins when both set
the same thing) and are removed from the text the simulated model sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

FAULTS = (
    "rate_limit",
    "overloaded",
    "overloaded_529",
    "insufficient_balance",
    "server_error",
    "overloaded_mid",
    "drop",
    "slow_first_byte",
    "queued",
)

# A directive swallows the blanks that follow it, so "[[echo]] hello" leaves "hello".
_DIRECTIVE = re.compile(r"\[\[(echo|fault:[^\[\]]*|speed:[^\[\]]*)\]\][ \t]*")


class DirectiveError(ValueError):
    """A directive is spelled right but its argument is not usable."""


@dataclass(frozen=True, kw_only=True)
class Directives:
    echo: bool = False
    fault: str | None = None
    fault_times: int | None = None
    speed: float | None = None

    def merged_over(self, base: Directives) -> Directives:
        """These directives, falling back to ``base`` for what these do not set."""
        return replace(
            base,
            echo=self.echo or base.echo,
            **({"fault": self.fault, "fault_times": self.fault_times} if self.fault else {}),
            **({"speed": self.speed} if self.speed is not None else {}),
        )


def strip_directives(text: str) -> str:
    return _DIRECTIVE.sub("", text)


def parse_directives(text: str) -> Directives:
    found = Directives()
    for match in _DIRECTIVE.finditer(text):
        word, _, argument = match.group(1).partition(":")
        if word == "echo":
            found = replace(found, echo=True)
        elif word == "fault":
            name, times = _fault_argument(argument)
            found = replace(found, fault=name, fault_times=times)
        else:
            found = replace(found, speed=_speed_argument(argument))
    return found


def _fault_argument(argument: str) -> tuple[str, int | None]:
    name, _, times = argument.strip().partition(":")
    if name not in FAULTS:
        raise DirectiveError(
            f"[[fault:{argument}]] names no known fault; use one of {', '.join(FAULTS)}"
        )
    if not times:
        return name, None
    if not times.isdigit() or int(times) < 1:
        raise DirectiveError(f"[[fault:{argument}]]: the count after the name must be 1 or more")
    return name, int(times)


def _speed_argument(argument: str) -> float:
    try:
        speed = float(argument)
    except ValueError:
        speed = 0.0
    if not speed > 0 or speed == float("inf"):
        raise DirectiveError(f"[[speed:{argument}]]: the speed must be a positive number")
    return speed
