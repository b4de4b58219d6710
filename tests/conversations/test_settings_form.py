"""The request settings form: one set of rules, the wire builder's, each error on its field."""

from __future__ import annotations

import json

import pytest
from django.http import QueryDict

from playground.conversations.forms import ComposeForm, RequestSettingsForm
from playground.conversations.tool_templates import TOOL_TEMPLATES
from playground.wire.request import RequestInvalid

VALID = {
    "provider": "simulator",
    "model": "deepseek-v4-flash",
    "max_tokens": "1024",
    "thinking": "enabled",
    "tool_choice": "auto",
}


def form_for(user, **changes):
    data = {**VALID, **changes}
    return RequestSettingsForm({k: v for k, v in data.items() if v is not None}, user=user)


def errors_of(form) -> dict[str, list[str]]:
    assert not form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


def test_the_simulator_needs_no_key_and_the_body_is_a_streaming_request(alice):
    form = form_for(alice, system="Be brief.", temperature="0.3", stop_sequences=["END"])
    assert form.is_valid(), form.errors
    assert form.api_key is None and form.provider.slug == "simulator"
    built = form.build_body([{"role": "user", "content": "Hello"}])
    assert built.body == {
        "model": "deepseek-v4-flash",
        "max_tokens": 1024,
        "system": "Be brief.",
        "messages": [{"role": "user", "content": "Hello"}],
        "temperature": 0.3,
        "stop_sequences": ["END"],
        "thinking": {"type": "enabled"},
        "stream": True,
    }


def test_a_temperature_out_of_range_is_an_error_on_the_temperature_field(alice):
    errors = errors_of(form_for(alice, temperature="2.5"))
    assert list(errors) == ["temperature"]
    assert errors["temperature"] == [
        "temperature must be between 0 and 2 for the Simulator, not 2.5"
    ]


def test_a_number_that_is_not_a_number_names_its_field(alice):
    errors = errors_of(form_for(alice, top_p="lots", max_tokens="1.5"))
    assert errors["top_p"] == ["Top P must be a number."]
    assert errors["max_tokens"] == ["Max tokens must be a whole number."]


def test_max_tokens_above_the_operators_cap_is_refused_with_the_cap_in_words(alice, settings):
    settings.PLAYGROUND_MAX_TOKENS_CAP = 32_000
    errors = errors_of(form_for(alice, max_tokens="32001"))
    assert errors["max_tokens"] == [
        "Max tokens must be at most 32,000 on this server (the operator's limit)."
    ]
    assert form_for(alice, max_tokens="32000").is_valid()


def test_top_k_is_dropped_with_a_warning_for_a_deepseek_like_provider(alice):
    form = form_for(alice, top_k="40")
    assert form.is_valid()
    assert form.warnings == ["top_k is ignored by the Simulator"]
    assert "top_k" not in form.build_body([{"role": "user", "content": "x"}]).body


def test_the_profile_notices_say_what_the_provider_does_not_support(alice, make_key):
    key = make_key(alice, provider="deepseek")
    form = form_for(alice, provider="deepseek", api_key=str(key.pk))
    assert form.is_valid(), form.errors
    assert form.notices == [
        "top_k is ignored by DeepSeek",
        "image blocks are not supported by DeepSeek",
        "document blocks are not supported by DeepSeek",
    ]


def test_deepseek_without_a_key_asks_for_one_on_the_key_field(alice):
    errors = errors_of(form_for(alice, provider="deepseek"))
    assert list(errors) == ["api_key"]
    assert errors["api_key"][0].startswith("API key: DeepSeek needs one.")


def test_a_key_of_another_provider_is_refused(alice, make_key):
    key = make_key(alice, label="EvoLink key", provider="evolink")
    errors = errors_of(form_for(alice, provider="deepseek", api_key=str(key.pk)))
    assert errors["api_key"] == [
        "API key: “EvoLink key” is a key for another provider, not DeepSeek."
    ]


def test_bobs_key_is_not_a_choice_for_alice(alice, bob, make_key):
    key = make_key(bob, label="Bob key", provider="deepseek")
    errors = errors_of(form_for(alice, provider="deepseek", api_key=str(key.pk)))
    assert errors["api_key"] == ["API key: choose one of the options in the list."]


def test_stop_sequences_come_as_one_string_or_a_list_and_at_most_four(alice):
    single = form_for(alice, stop_sequences="###")
    assert single.is_valid() and single.cleaned_data["stop_sequences"] == ["###"]
    errors = errors_of(form_for(alice, stop_sequences=["a", "b", "c", "d", "e"]))
    assert errors["stop_sequences"] == ["Stop sequences: at most 4, not 5; remove one."]
    errors = errors_of(form_for(alice, stop_sequences=["a", "  "]))
    assert errors["stop_sequences"] == ["Stop sequences must not be blank."]


def test_stop_sequences_from_a_plain_post_are_repeated_keys(alice):
    data = QueryDict(mutable=True)
    data.update({k: v for k, v in VALID.items()})
    data.setlist("stop_sequences", ["\nHuman:", "END"])
    form = RequestSettingsForm(data, user=alice)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["stop_sequences"] == ["\nHuman:", "END"]


def test_tools_that_are_not_json_say_where_and_keep_the_text(alice):
    text = '[{"name": "get_weather",, }]'
    form = form_for(alice, tools=text)
    errors = errors_of(form)
    assert errors["tools"][0].startswith("Tools is not valid JSON: Expecting")
    assert "(line 1, column 25)" in errors["tools"][0]
    assert form["tools"].value() == text
    assert "tool_choice" not in errors


def test_a_tool_whose_schema_is_not_an_object_schema_is_an_error_on_tools(alice):
    tools = [{"name": "f", "input_schema": {"type": "string"}}]
    errors = errors_of(form_for(alice, tools=json.dumps(tools)))
    assert list(errors) == ["tools"]
    assert errors["tools"][0].startswith('tools.0.input_schema.type must be "object"')


def test_tool_choice_tool_needs_the_name_of_one_of_the_tools(alice):
    tools = json.dumps([TOOL_TEMPLATES["weather"]])
    errors = errors_of(form_for(alice, tools=tools, tool_choice="tool"))
    assert errors == {"tool_name": ['tool_choice.name is required when the type is "tool"']}
    errors = errors_of(form_for(alice, tools=tools, tool_choice="tool", tool_name="nope"))
    assert "is not the name of a tool in tools" in errors["tool_name"][0]
    form = form_for(alice, tools=tools, tool_choice="tool", tool_name="get_weather")
    assert form.is_valid()
    body = form.build_body([{"role": "user", "content": "x"}]).body
    assert body["tool_choice"] == {"type": "tool", "name": "get_weather"}


def test_tool_choice_any_without_tools_is_an_error_on_tool_choice(alice):
    errors = errors_of(form_for(alice, tool_choice="any"))
    assert errors == {"tool_choice": ['tool_choice "any" needs at least one tool in tools']}


def test_tool_choice_auto_without_tools_sends_nothing_about_tools(alice):
    form = form_for(alice, tool_choice="auto", tool_name="leftover")
    assert form.is_valid()
    body = form.build_body([{"role": "user", "content": "x"}]).body
    assert "tools" not in body and "tool_choice" not in body


def test_thinking_off_and_an_effort_are_sent_as_the_api_shapes_them(alice):
    form = form_for(alice, thinking="disabled", effort="max")
    assert form.is_valid()
    body = form.build_body([{"role": "user", "content": "x"}]).body
    assert body["thinking"] == {"type": "disabled"}
    assert body["output_config"] == {"effort": "max"}


def test_an_unknown_provider_and_missing_fields_are_named(alice):
    errors = errors_of(form_for(alice, provider="openai", model="", max_tokens=""))
    assert errors["provider"] == ["Provider: choose one of the options in the list."]
    assert errors["model"] == ["Model is required."]
    assert errors["max_tokens"] == ["Max tokens is required."]


def test_settings_json_keeps_everything_typed_but_the_provider_and_key(alice):
    form = form_for(alice, top_k="5", tools="", tool_name="x", stop_sequences=["Q:"])
    assert form.is_valid()
    assert form.settings_json() == {
        "model": "deepseek-v4-flash",
        "system": "",
        "max_tokens": 1024,
        "temperature": None,
        "top_p": None,
        "top_k": 5,
        "stop_sequences": ["Q:"],
        "thinking": "enabled",
        "effort": "",
        "tools": "",
        "tool_choice": "auto",
        "tool_name": "x",
    }


def test_the_history_is_checked_when_the_body_is_built(alice):
    form = form_for(alice)
    assert form.is_valid()
    image = {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}}
    with pytest.raises(RequestInvalid) as invalid:
        form.build_body([{"role": "user", "content": [image]}])
    assert invalid.value.errors[0].message.endswith(
        "image blocks are not supported by the Simulator"
    )


def test_the_message_must_not_be_blank_and_has_a_length_cap():
    assert ComposeForm({"message": "  \n "}).errors["message"] == [
        "Message: write something to send."
    ]
    too_long = ComposeForm({"message": "x" * 200_001})
    assert too_long.errors["message"][0].startswith("Message must be at most 200000 characters")
    assert ComposeForm({"message": " Hello "}).is_valid()
