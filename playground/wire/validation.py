"""The machinery of request validation: field errors, and a checker that collects all of them.

Every check records a ``FieldError`` (a dotted path such as ``messages.2.content.0.type`` and a
sentence naming the field and the rule) and carries on, so the user sees every problem at once.
The checker also applies the compatibility profile: an ignored field is dropped with a warning,
a rejected one is an error.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from playground.wire.profiles import CompatibilityProfile, Support


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        # Messages name their field already ("temperature must be ..."), so they stand alone.
        return self.message


class RequestInvalid(ValueError):
    """The request breaks one or more rules; ``errors`` lists every one of them, and
    ``warnings`` what the profile would have dropped, so a form can show both at once."""

    def __init__(self, errors: list[FieldError], *, warnings: list[str] | None = None) -> None:
        self.errors = list(errors)
        self.warnings = list(warnings or ())
        lines = "\n".join(f"- {error}" for error in self.errors)
        super().__init__(f"The request is invalid:\n{lines}")


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


# Returned by a check that found (and recorded) a problem: the value is not to be sent.
INVALID: Final = _Invalid()

Validator = Callable[[Any, str], Any]


def join(path: str, key: str | int) -> str:
    return f"{path}.{key}" if path else str(key)


def show_number(value: float) -> str:
    """384000 as "384,000", 2.0 as "2", 0.5 as "0.5"."""
    if isinstance(value, int) or value.is_integer():
        return f"{int(value):,}"
    return f"{value:g}"


def describe(value: Any) -> str:
    """A short account of a value for an error message (never a whole long text)."""
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:37] + "...")
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, int | float):
        return repr(value)
    return {dict: "an object", list: "a list"}.get(type(value), type(value).__name__)


class Checker:
    """Collects errors and warnings while a request is checked against one profile."""

    def __init__(self, profile: CompatibilityProfile) -> None:
        self.profile = profile
        self.errors: list[FieldError] = []
        self._warnings: dict[str, None] = {}  # a dict keeps order and drops repeats

    @property
    def warnings(self) -> list[str]:
        return list(self._warnings)

    def error(self, path: str, message: str) -> Any:
        self.errors.append(FieldError(path, message))
        return INVALID

    def warn(self, sentence: str) -> None:
        self._warnings[sentence] = None

    def allowed(self, name: str, path: str) -> bool:
        """Whether the optional part ``name`` (found at ``path``) is to be sent."""
        match self.profile.field_support(name):
            case Support.IGNORED:
                self.warn(self.profile.field_notice(name) or name)
                return False
            case Support.REJECTED:
                self.error(path, f"{path}: {self.profile.field_notice(name)}")
                return False
        return True

    def optional(
        self,
        source: Mapping[str, Any],
        out: dict[str, Any],
        key: str,
        path: str,
        validate: Validator,
        *,
        profile_field: str | None = None,
    ) -> None:
        """Copy ``source[key]`` to ``out`` if present, allowed by the profile and valid."""
        value = source.get(key)
        if value is None:
            return
        here = join(path, key)
        if profile_field is not None and not self.allowed(profile_field, here):
            return
        checked = validate(value, here)
        if checked is not INVALID:
            out[key] = checked

    def unknown_keys(
        self, value: Mapping[str, Any], path: str, allowed: frozenset[str], what: str
    ) -> None:
        for key in value:
            if key not in allowed:
                self.error(join(path, key), f"{join(path, key)} is not a field of {what}")

    # --- value checks: each returns the value to send, or INVALID after recording why ---

    def object(self, value: Any, path: str) -> Any:
        if not isinstance(value, Mapping):
            return self.error(path, f"{path} must be an object, not {describe(value)}")
        return value

    def array(self, value: Any, path: str) -> Any:
        if not isinstance(value, list | tuple):
            return self.error(path, f"{path} must be a list, not {describe(value)}")
        return value

    def string(self, value: Any, path: str, *, non_empty: bool = False) -> Any:
        if not isinstance(value, str):
            return self.error(path, f"{path} must be a string, not {describe(value)}")
        if non_empty and not value.strip():
            return self.error(path, f"{path} must not be empty")
        return value

    def boolean(self, value: Any, path: str) -> Any:
        if not isinstance(value, bool):
            return self.error(path, f"{path} must be true or false, not {describe(value)}")
        return value

    def choice(self, value: Any, path: str, choices: tuple[str, ...]) -> Any:
        if value not in choices:
            listed = ", ".join(f'"{choice}"' for choice in choices)
            return self.error(path, f"{path} must be one of {listed}, not {describe(value)}")
        return value

    def integer(
        self,
        value: Any,
        path: str,
        *,
        minimum: int | None = None,
        maximum: int | None = None,
        limit_of: str = "",
    ) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                return self.error(path, f"{path} must be a whole number, not {describe(value)}")
        return self._in_range(value, path, minimum, maximum, limit_of)

    def number(
        self, value: Any, path: str, *, minimum: float, maximum: float, limit_of: str = ""
    ) -> Any:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            return self.error(path, f"{path} must be a number, not {describe(value)}")
        return self._in_range(value, path, minimum, maximum, limit_of)

    def _in_range(
        self,
        value: float,
        path: str,
        minimum: float | None,
        maximum: float | None,
        limit_of: str,
    ) -> Any:
        """``limit_of`` names whose limit the maximum is ("DeepSeek"), when it is not universal."""
        whose = f" for {limit_of}" if limit_of else ""
        got = f"not {show_number(value)}"
        if minimum is not None and maximum is not None and not minimum <= value <= maximum:
            low, high = show_number(minimum), show_number(maximum)
            return self.error(path, f"{path} must be between {low} and {high}{whose}, {got}")
        if minimum is not None and value < minimum:
            return self.error(path, f"{path} must be at least {show_number(minimum)}, {got}")
        if maximum is not None and value > maximum:
            return self.error(path, f"{path} must be at most {show_number(maximum)}{whose}, {got}")
        return value

    def cache_control(self, source: Mapping[str, Any], out: dict[str, Any], path: str) -> None:
        """Carry a ``cache_control`` marker over, or drop it with a warning where ignored."""
        self.optional(
            source,
            out,
            "cache_control",
            path,
            self.cache_control_value,
            profile_field="cache_control",
        )

    def cache_control_value(self, value: Any, path: str) -> Any:
        if self.object(value, path) is INVALID:
            return INVALID
        self.unknown_keys(value, path, frozenset({"type", "ttl"}), "cache_control")
        self.choice(value.get("type"), join(path, "type"), ("ephemeral",))
        if value.get("ttl") is not None:
            self.choice(value["ttl"], join(path, "ttl"), ("5m", "1h"))
        return dict(value)
