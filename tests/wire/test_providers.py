"""Built-in providers, their URLs and the headers that authenticate them."""

from __future__ import annotations

import pytest

from playground.wire.profiles import ANTHROPIC, DEEPSEEK, EVOLINK, SIMULATOR
from playground.wire.providers import AuthScheme, MissingKey, Provider, builtin_providers

BUILTINS = builtin_providers(
    deepseek_base_url="https://api.deepseek.com/anthropic",
    evolink_base_url="https://direct.evolink.ai/",
    simulator_base_url="http://127.0.0.1:8000/simulator",
)


def test_the_simulator_comes_first_then_deepseek_then_evolink():
    assert list(BUILTINS) == ["simulator", "deepseek", "evolink"]
    assert BUILTINS["simulator"].requires_key is False
    assert BUILTINS["deepseek"].requires_key and BUILTINS["evolink"].requires_key


def test_every_builtin_offers_the_two_v4_models_and_its_profile():
    for provider in BUILTINS.values():
        assert provider.models == ("deepseek-v4-flash", "deepseek-v4-pro")
    assert BUILTINS["simulator"].profile is SIMULATOR
    assert BUILTINS["deepseek"].profile is DEEPSEEK
    assert BUILTINS["evolink"].profile is EVOLINK


def test_the_messages_url_is_the_base_without_its_trailing_slash_plus_v1_messages():
    assert BUILTINS["deepseek"].messages_url() == "https://api.deepseek.com/anthropic/v1/messages"
    assert BUILTINS["evolink"].messages_url() == "https://direct.evolink.ai/v1/messages"


def test_deepseek_authenticates_with_x_api_key():
    headers = BUILTINS["deepseek"].auth_headers("sk-abc")
    assert headers == {
        "x-api-key": "sk-abc",
        "anthropic-version": "2023-06-01",
        "content-type": "application/json",
    }


def test_evolink_authenticates_with_a_bearer_token():
    headers = BUILTINS["evolink"].auth_headers("ev-key")
    assert headers["authorization"] == "Bearer ev-key"
    assert "x-api-key" not in headers


def test_the_simulator_sends_its_own_key_when_the_user_has_none():
    assert BUILTINS["simulator"].auth_headers(None)["x-api-key"] == "sim-playground"
    assert BUILTINS["simulator"].auth_headers("sim-mine")["x-api-key"] == "sim-mine"


def test_a_provider_that_needs_a_key_says_so_when_it_has_none():
    with pytest.raises(MissingKey, match="No API key is set for DeepSeek"):
        BUILTINS["deepseek"].auth_headers(None)


def test_a_custom_endpoint_is_a_provider_like_any_other():
    custom = Provider(
        slug="custom-3",
        name="Team proxy",
        base_url="https://llm.example.org/anthropic/",
        auth_scheme=AuthScheme("bearer"),
        models=("claude-sonnet-4-5",),
        profile=ANTHROPIC,
    )
    assert custom.messages_url() == "https://llm.example.org/anthropic/v1/messages"
    assert custom.auth_headers("k")["authorization"] == "Bearer k"
