"""Form fields of the request settings that Django does not have: stop sequences and tools.

Stop sequences arrive as repeated ``stop_sequences`` keys from a plain POST, and as a string
(one chip) or a list (several) in the JSON that htmx sends over the websocket; the widget reads
all three. Tools are JSON text: the field keeps the text as typed (so that nothing is lost on an
error) and the form parses it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django import forms

MAX_STOP_SEQUENCES = 4
MAX_STOP_SEQUENCE_CHARS = 200


class StopSequencesWidget(forms.MultipleHiddenInput):
    """One hidden input per sequence; reads a QueryDict list, a JSON list or a single string."""

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> list:
        if hasattr(data, "getlist"):
            values = data.getlist(name)
        else:
            values = data.get(name)
        if values is None:
            return []
        if isinstance(values, str | int | float):
            return [values]
        return list(values) if isinstance(values, list | tuple) else [values]

    def value_omitted_from_data(self, data: Mapping[str, Any], files: Any, name: str) -> bool:
        return False  # no chips is a value too: the empty list


class StopSequencesField(forms.Field):
    """Up to four non-blank strings, in the order given, kept exactly as typed (spaces count)."""

    widget = StopSequencesWidget

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        sequences = []
        for item in value:
            if not isinstance(item, str):
                raise forms.ValidationError("Stop sequences must be text.")
            sequences.append(item)
        return sequences

    def validate(self, value: list[str]) -> None:
        if len(value) > MAX_STOP_SEQUENCES:
            raise forms.ValidationError(
                f"Stop sequences: at most {MAX_STOP_SEQUENCES}, not {len(value)}; remove one."
            )
        for sequence in value:
            if not sequence.strip():
                raise forms.ValidationError("Stop sequences must not be blank.")
            if len(sequence) > MAX_STOP_SEQUENCE_CHARS:
                raise forms.ValidationError(
                    f"Stop sequences: each may be at most {MAX_STOP_SEQUENCE_CHARS} characters."
                )
        if len(set(value)) != len(value):
            raise forms.ValidationError("Stop sequences: each may be given only once.")


def parse_tools(text: str) -> list[Any] | None:
    """The tools list in ``text`` (None when blank); ValidationError saying where JSON breaks."""
    if not text.strip():
        return None
    try:
        tools = json.loads(text)
    except json.JSONDecodeError as error:
        raise forms.ValidationError(
            f"Tools is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        ) from None
    if isinstance(tools, dict):
        raise forms.ValidationError(
            "Tools must be a JSON list of tool definitions: wrap the object in [ ]."
        )
    if not isinstance(tools, list):
        raise forms.ValidationError('Tools must be a JSON list, like [{"name": ..., ...}].')
    return tools or None


class ApiKeySelect(forms.Select):
    """A select whose options say which provider each key is for, so the page can filter them."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        key = getattr(value, "instance", None)
        if key is not None:
            option["attrs"]["data-provider"] = key.provider
        return option
