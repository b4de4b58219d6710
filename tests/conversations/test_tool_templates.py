"""The tool templates offered in the Tools editor are valid tools for every built-in provider."""

from __future__ import annotations

import json

import pytest

from playground.conversations.forms import RequestSettingsForm
from playground.conversations.tool_templates import TEMPLATE_LABELS, TOOL_TEMPLATES


def test_every_template_has_a_label():
    assert set(TEMPLATE_LABELS) == set(TOOL_TEMPLATES)


@pytest.mark.parametrize("name", sorted(TOOL_TEMPLATES))
def test_a_template_passes_the_form_and_can_be_the_chosen_tool(alice, name):
    tool = TOOL_TEMPLATES[name]
    data = {
        "provider": "simulator",
        "model": "deepseek-v4-flash",
        "max_tokens": "512",
        "thinking": "disabled",
        "tools": json.dumps([tool]),
        "tool_choice": "tool",
        "tool_name": tool["name"],
    }
    form = RequestSettingsForm(data, user=alice)
    assert form.is_valid(), form.errors
    body = form.build_body([{"role": "user", "content": "go"}]).body
    assert body["tools"] == [tool]
