"""Providers: where a Messages request goes, how it authenticates, and what the upstream accepts.

The built-ins are the Simulator (the default: it needs no key and no internet), DeepSeek and
EvoLink; custom endpoints are built by the accounts app from what their owner saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from playground.wire.profiles import DEEPSEEK, EVOLINK, SIMULATOR, CompatibilityProfile

ANTHROPIC_VERSION = "2023-06-01"
V4_MODELS = ("deepseek-v4-flash", "deepseek-v4-pro")
# The Simulator accepts any key starting "sim-"; this one is sent when the user has none.
SIMULATOR_DEFAULT_KEY = "sim-playground"


class AuthScheme(StrEnum):
    X_API_KEY = "x-api-key"
    BEARER = "bearer"


class MissingKey(ValueError):
    """The provider needs an API key and none was given."""


@dataclass(frozen=True)
class Provider:
    slug: str
    name: str
    base_url: str
    auth_scheme: AuthScheme
    models: tuple[str, ...]
    profile: CompatibilityProfile
    requires_key: bool = True
    default_key: str | None = None  # sent when no key is given (the Simulator's)

    def messages_url(self) -> str:
        return self.base_url.rstrip("/") + "/v1/messages"

    def auth_headers(self, api_key: str | None) -> dict[str, str]:
        """The headers every request to this provider carries; MissingKey if a key is needed."""
        key = api_key or self.default_key
        headers = {"anthropic-version": ANTHROPIC_VERSION, "content-type": "application/json"}
        if not key:
            if self.requires_key:
                raise MissingKey(f"No API key is set for {self.name}")
            return headers
        if self.auth_scheme is AuthScheme.BEARER:
            headers["authorization"] = f"Bearer {key}"
        else:
            headers["x-api-key"] = key
        return headers


def builtin_providers(
    *, deepseek_base_url: str, evolink_base_url: str, simulator_base_url: str
) -> dict[str, Provider]:
    """The built-in providers by slug, the Simulator (the default) first."""
    return {
        "simulator": Provider(
            slug="simulator",
            name="Simulator",
            base_url=simulator_base_url,
            auth_scheme=AuthScheme.X_API_KEY,
            models=V4_MODELS,
            profile=SIMULATOR,
            requires_key=False,
            default_key=SIMULATOR_DEFAULT_KEY,
        ),
        "deepseek": Provider(
            slug="deepseek",
            name="DeepSeek",
            base_url=deepseek_base_url,
            auth_scheme=AuthScheme.X_API_KEY,
            models=V4_MODELS,
            profile=DEEPSEEK,
        ),
        "evolink": Provider(
            slug="evolink",
            name="EvoLink",
            base_url=evolink_base_url,
            auth_scheme=AuthScheme.BEARER,
            models=V4_MODELS,
            profile=EVOLINK,
        ),
    }
