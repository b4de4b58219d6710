"""What varies between lanes: the "what differs" line, each lane's label, the requests' diff.

Values are compared as the lanes would send them: a blank optional field and an absent one are
the same, "0.5" and "0.50" are not (the form keeps what was typed; the request diff below shows
what each would really send).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

from playground.accounts.models import ApiKey
from playground.conversations.forms import SETTINGS_FIELDS, RequestSettingsForm
from playground.wire.request import RequestInvalid

COMPARED_FIELDS = ("provider", "api_key", *SETTINGS_FIELDS)
SAMPLE_PROMPT = "Your prompt"


@dataclass(frozen=True)
class Difference:
    field: str
    values: list[str]  # one per lane, as shown


@dataclass(frozen=True)
class BodyLine:
    key: str
    text: str  # '"key": value' as indented JSON
    differs: bool


@dataclass(frozen=True)
class LaneBody:
    lines: list[BodyLine]
    error: str = ""


def lane_differences(datas: list[dict[str, Any]], *, user: AbstractBaseUser) -> list[Difference]:
    """The fields whose values are not the same in every lane, in the form's order."""
    keys = _key_labels(datas, user=user)
    differences = []
    for name in COMPARED_FIELDS:
        values = [_shown(name, data.get(name), keys) for data in datas]
        if len(set(values)) > 1:
            differences.append(Difference(field=name, values=values))
    return differences


def differs_line(differences: list[Difference]) -> str:
    """``model: deepseek-v4-flash · deepseek-v4-pro; thinking: enabled · disabled``."""
    if not differences:
        return "Nothing differs: every lane sends the same request."
    return "; ".join(f"{d.field}: {' · '.join(d.values)}" for d in differences)


def lane_labels(differences: list[Difference], count: int) -> list[str]:
    """A short name per lane from what it varies: ``deepseek-v4-pro · thinking disabled``."""
    labels = []
    for index in range(count):
        parts = [
            d.values[index] if d.field == "model" else f"{d.field} {d.values[index]}"
            for d in differences
        ]
        labels.append(" · ".join(parts) or "same settings")
    return labels


def request_bodies(
    *, user: AbstractBaseUser, datas: list[dict[str, Any]], prompt: str = SAMPLE_PROMPT
) -> list[LaneBody]:
    """Each lane's request for a one-message conversation, top-level keys that differ marked."""
    built: list[dict[str, Any] | str] = []
    for data in datas:
        form = RequestSettingsForm(data=data, user=user)
        if not form.is_valid():
            built.append("Its settings have errors: see the lane's fields.")
            continue
        try:
            built.append(form.build_body([{"role": "user", "content": prompt}]).body)
        except RequestInvalid as invalid:
            built.append("; ".join(error.message for error in invalid.errors))
    bodies = [b for b in built if isinstance(b, dict)]
    keys = {key for body in bodies for key in body}
    differing = {key for key in keys if len({_dumped(b.get(key)) for b in bodies}) > 1}
    result = []
    for body in built:
        if isinstance(body, str):
            result.append(LaneBody(lines=[], error=body))
            continue
        lines = [
            BodyLine(key=key, text=f"{json.dumps(key)}: {_dumped(value)}", differs=key in differing)
            for key, value in body.items()
        ]
        lines += [
            BodyLine(key=key, text=f'"{key}": (absent)', differs=True)
            for key in sorted(differing - set(body))
        ]
        result.append(LaneBody(lines=lines))
    return result


def _dumped(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


def _key_labels(datas: list[dict[str, Any]], *, user: AbstractBaseUser) -> dict[str, str]:
    ids = {str(d.get("api_key")) for d in datas if str(d.get("api_key") or "").isdigit()}
    keys = ApiKey.objects.filter(user=user, pk__in=[int(i) for i in ids]) if ids else []
    return {str(key.pk): key.label for key in keys}


def _shown(name: str, value: Any, keys: dict[str, str]) -> str:
    if name == "api_key":
        return keys.get(str(value or ""), "no key")
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "none"
    text = "" if value is None else str(value).strip()
    return text or "default"
