"""Compatibility profiles: what each upstream honours, ignores or rejects, and their JSON form."""

from __future__ import annotations

import json

import pytest

from playground.wire.profiles import (
    ANTHROPIC,
    DEEPSEEK,
    EVOLINK,
    PROFILE_BLOCKS,
    PROFILE_FIELDS,
    SIMULATOR,
    CompatibilityProfile,
    Support,
)

# The "ignored" and "not supported" rows of DeepSeek's table in DESIGN.md.
DEEPSEEK_TABLE_IGNORED = (
    *("top_k", "metadata", "service_tier", "container", "mcp_servers", "cache_control"),
    *("citations", "disable_parallel_tool_use", "is_error", "anthropic-beta", "anthropic-version"),
)
DEEPSEEK_TABLE_UNSUPPORTED = (
    *("image", "document", "search_result", "redacted_thinking", "server_tool_use"),
    *("web_search_tool_result", "code_execution_tool_result", "mcp_tool_use", "mcp_tool_result"),
    "container_upload",
)


@pytest.mark.parametrize(
    "field",
    DEEPSEEK_TABLE_IGNORED,
)
def test_deepseek_ignores_the_fields_its_table_lists(field):
    assert DEEPSEEK.field_support(field) is Support.IGNORED


@pytest.mark.parametrize(
    "block",
    DEEPSEEK_TABLE_UNSUPPORTED,
)
def test_deepseek_rejects_the_blocks_it_does_not_support(block):
    assert DEEPSEEK.block_support(block) is Support.REJECTED


def test_deepseek_honours_the_core_blocks_and_has_v4_limits():
    for block in ("text", "thinking", "tool_use", "tool_result"):
        assert DEEPSEEK.block_support(block) is Support.HONOURED
    assert DEEPSEEK.max_tokens_limit == 384_000
    assert DEEPSEEK.max_stop_sequences == 4
    assert DEEPSEEK.temperature_max == 2.0
    assert DEEPSEEK.thinking_types == ("enabled", "disabled")


def test_evolink_rejects_only_images_and_documents():
    rejected = {b for b in PROFILE_BLOCKS if EVOLINK.block_support(b) is Support.REJECTED}
    assert rejected == {"image", "document"}
    assert all(EVOLINK.field_support(f) is Support.HONOURED for f in PROFILE_FIELDS)


def test_the_simulator_behaves_like_deepseek_under_its_own_name():
    assert SIMULATOR.fields == DEEPSEEK.fields
    assert SIMULATOR.blocks == DEEPSEEK.blocks
    assert SIMULATOR.field_notice("top_k") == "top_k is ignored by the Simulator"


def test_anthropic_honours_everything():
    assert ANTHROPIC.notices() == []
    assert ANTHROPIC.max_tokens_limit is None
    assert "adaptive" in ANTHROPIC.thinking_types


def test_notices_are_sentences_naming_the_field_and_the_provider():
    assert DEEPSEEK.field_notice("top_k") == "top_k is ignored by DeepSeek"
    assert DEEPSEEK.block_notice("image") == "image blocks are not supported by DeepSeek"
    assert DEEPSEEK.field_notice("server_tools") == "server tools are not supported by DeepSeek"
    assert (
        DEEPSEEK.field_notice("anthropic-beta")
        == "the anthropic-beta header is ignored by DeepSeek"
    )
    assert DEEPSEEK.block_notice("text") is None
    assert "image blocks are not supported by DeepSeek" in DEEPSEEK.notices()


def test_a_profile_survives_a_round_trip_through_json():
    for profile in (DEEPSEEK, EVOLINK, SIMULATOR, ANTHROPIC):
        again = CompatibilityProfile.from_dict(json.loads(json.dumps(profile.to_dict())))
        assert again == profile


def test_a_custom_profile_may_give_only_some_keys():
    profile = CompatibilityProfile.from_dict({"name": "My proxy", "blocks": {"image": "rejected"}})
    assert profile.block_support("image") is Support.REJECTED
    assert profile.block_support("document") is Support.HONOURED
    assert profile.max_tokens_limit == 384_000


def test_built_in_profiles_cannot_be_changed_by_accident():
    with pytest.raises(TypeError):
        DEEPSEEK.fields["top_k"] = Support.HONOURED


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ([], "must be a JSON object"),
        ({}, "name must be a non-empty string"),
        ({"name": "x", "colour": "red"}, "unknown compatibility profile key(s): colour"),
        ({"name": "x", "fields": {"topk": "ignored"}}, "fields: 'topk' is not one"),
        (
            {"name": "x", "fields": {"top_k": "maybe"}},
            "fields.top_k must be honoured, ignored or rejected",
        ),
        ({"name": "x", "blocks": ["image"]}, "blocks must be an object"),
        (
            {"name": "x", "max_tokens_limit": 0},
            "max_tokens_limit must be a whole number of at least 1",
        ),
        ({"name": "x", "max_stop_sequences": "4"}, "max_stop_sequences must be a whole number"),
        ({"name": "x", "temperature_max": -1}, "temperature_max must be a positive number"),
        (
            {"name": "x", "thinking_types": ["sometimes"]},
            "thinking_types: 'sometimes' is not one of",
        ),
        ({"name": "x", "effort_levels": []}, "effort_levels must be a non-empty list"),
        (
            {"name": "x", "tool_name_max_length": None},
            "tool_name_max_length must be a whole number",
        ),
    ],
)
def test_bad_profile_data_is_refused_with_a_message_naming_the_key(data, words):
    with pytest.raises(ValueError) as raised:
        CompatibilityProfile.from_dict(data)
    assert words in str(raised.value)
