"""A user's providers: the built-ins from settings first, then their own custom endpoints."""

from __future__ import annotations

import pytest

from playground.accounts.providers import ProviderNotFound, provider_for_user, providers_for_user
from playground.wire.profiles import DEEPSEEK
from playground.wire.providers import AuthScheme


def test_built_ins_come_first_then_the_users_own_endpoints(settings, alice, bob, make_endpoint):
    settings.PLAYGROUND_DEEPSEEK_BASE_URL = "http://127.0.0.1:9/deepseek"
    settings.PLAYGROUND_EVOLINK_BASE_URL = "http://127.0.0.1:9/evolink"
    mine = make_endpoint(alice, name="Corp proxy")
    make_endpoint(bob, name="Bob's")
    providers = providers_for_user(alice)
    assert list(providers) == ["simulator", "deepseek", "evolink", f"custom-{mine.pk}"]
    assert providers["deepseek"].base_url == "http://127.0.0.1:9/deepseek"
    assert providers["evolink"].base_url == "http://127.0.0.1:9/evolink"
    custom = providers[f"custom-{mine.pk}"]
    assert custom.name == "Corp proxy"
    assert custom.auth_scheme is AuthScheme.BEARER
    assert custom.models == ("corp-model-large", "corp-model-small")
    assert custom.profile == DEEPSEEK.renamed("Corp proxy")
    assert custom.messages_url() == "https://93.184.215.14/anthropic/v1/messages"


def test_someone_elses_endpoint_is_not_a_provider_for_you(alice, bob, make_endpoint):
    bobs = make_endpoint(bob)
    assert provider_for_user(bob, bobs.provider_slug).name == "Corp proxy"
    for slug in (bobs.provider_slug, "custom-", "custom-x", "openai"):
        with pytest.raises(ProviderNotFound):
            provider_for_user(alice, slug)


def test_the_simulator_needs_no_key(alice):
    assert providers_for_user(alice)["simulator"].requires_key is False
