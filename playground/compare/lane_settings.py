"""A lane's settings: the session's base settings overlaid with the few fields the lane varies.

Settings are kept as typed (strings from the page, a list for stop sequences) so that an invalid
value survives a reload; every lane is validated with ``RequestSettingsForm``, the playground's
one source of truth. The page names a lane's inputs ``lane-<lane id>-<field>``; an input is there
only for a field the lane varies, so what the page sends is exactly the overrides.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

from playground.accounts.models import ApiKey
from playground.compare.models import CompareSession, Lane
from playground.conversations.forms import DEFAULT_SETTINGS, SETTINGS_FIELDS, RequestSettingsForm

# What a lane may vary (tools, tool choice and stop sequences are set once, in the base).
VARIABLE_FIELDS = (
    "provider",
    "api_key",
    "model",
    "system",
    "max_tokens",
    "temperature",
    "top_p",
    "top_k",
    "thinking",
    "effort",
)
_LIST_FIELDS = ("stop_sequences",)


def lane_prefix(lane: Lane) -> str:
    return f"lane-{lane.pk}"


def base_data(session: CompareSession) -> dict[str, Any]:
    """The base settings as the form takes them."""
    saved = {k: v for k, v in session.settings.items() if k in SETTINGS_FIELDS}
    return {
        **DEFAULT_SETTINGS,
        **saved,
        "provider": session.provider,
        "api_key": str(session.api_key_id or ""),
    }


def lane_data(session: CompareSession, lane: Lane, *, base: dict[str, Any] | None = None) -> dict:
    """The lane's effective settings: the base, with its overrides on top."""
    known = {k: v for k, v in lane.overrides.items() if k in VARIABLE_FIELDS}
    return {**(base_data(session) if base is None else base), **known}


def lane_form(
    *, user: AbstractBaseUser, session: CompareSession, lane: Lane
) -> RequestSettingsForm:
    """An unbound form showing the lane's settings under the lane's own input names and ids."""
    form = RequestSettingsForm(user=user, initial=lane_data(session, lane))
    form.prefix = lane_prefix(lane)
    for name in form.fields:
        form.fields[name].widget.attrs["aria-describedby"] = f"error-{form.prefix}-{name}"
    return form


def settings_save(*, session: CompareSession, lanes: list[Lane], data: Mapping[str, Any]) -> None:
    """Store what the page sent: the base fields as typed and each lane's overrides."""
    base = {name: _value(data, name) for name in SETTINGS_FIELDS if _present(data, name)}
    if not _present(data, "stop_sequences"):
        base["stop_sequences"] = []  # no chips sends nothing: the empty list
    session.settings = {**session.settings, **base}
    provider = _value(data, "provider")
    if isinstance(provider, str) and provider:
        session.provider = provider[:40]
    if _present(data, "api_key"):
        session.api_key = _owned_key(session.user, _value(data, "api_key"))
    session.save(update_fields=["settings", "provider", "api_key", "updated_at"])
    for lane in lanes:
        prefix = lane_prefix(lane)
        overrides = {
            name: _value(data, f"{prefix}-{name}")
            for name in VARIABLE_FIELDS
            if _present(data, f"{prefix}-{name}")
        }
        if overrides != lane.overrides:
            lane.overrides = overrides
            lane.save(update_fields=["overrides"])


def _present(data: Mapping[str, Any], name: str) -> bool:
    return name in data


def _value(data: Mapping[str, Any], name: str) -> Any:
    if name in _LIST_FIELDS:
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if values is None:
            return []
        return list(values) if isinstance(values, list | tuple) else [values]
    value = data.get(name)
    return "" if value is None else value


def _owned_key(user: AbstractBaseUser, value: Any) -> ApiKey | None:
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return ApiKey.objects.filter(user=user, pk=int(value)).first()
    return None
