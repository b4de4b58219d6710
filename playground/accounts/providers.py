"""The providers a user may call: the built-ins from settings, then their custom endpoints.

Built-in slugs are "simulator", "deepseek" and "evolink"; a custom endpoint is ``custom-<id>``
and is shown under the name its owner gave it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import Http404

from playground.accounts.models import CustomEndpoint
from playground.wire.profiles import CompatibilityProfile
from playground.wire.providers import AuthScheme, Provider, builtin_providers

BUILTIN_SLUGS = ("simulator", "deepseek", "evolink")
CUSTOM_PREFIX = "custom-"


class ProviderNotFound(Http404):
    """The slug names no built-in provider and none of this user's endpoints."""


def is_builtin(slug: str) -> bool:
    return slug in BUILTIN_SLUGS


def builtins_from_settings() -> dict[str, Provider]:
    return builtin_providers(
        deepseek_base_url=settings.PLAYGROUND_DEEPSEEK_BASE_URL,
        evolink_base_url=settings.PLAYGROUND_EVOLINK_BASE_URL,
        simulator_base_url=settings.PLAYGROUND_SIMULATOR_BASE_URL,
    )


def endpoint_provider(endpoint: CustomEndpoint) -> Provider:
    """The provider a saved custom endpoint stands for."""
    return Provider(
        slug=endpoint.provider_slug,
        name=endpoint.name,
        base_url=endpoint.base_url,
        auth_scheme=AuthScheme(endpoint.auth_scheme),
        models=tuple(endpoint.models),
        profile=CompatibilityProfile.from_dict(endpoint.profile),
    )


def providers_for_user(user: AbstractBaseUser) -> dict[str, Provider]:
    """Every provider ``user`` may call, by slug: built-ins first, then their endpoints."""
    providers = dict(builtins_from_settings())
    for endpoint in CustomEndpoint.objects.filter(user=user):
        providers[endpoint.provider_slug] = endpoint_provider(endpoint)
    return providers


def providers_to_choose(user: AbstractBaseUser, slug: object) -> dict[str, Provider]:
    """The providers validating a choice of ``slug`` needs: the built-ins alone when it names
    one of them (so a send to a built-in reads no endpoint), else every provider of the user."""
    if isinstance(slug, str) and is_builtin(slug):
        return builtins_from_settings()
    return providers_for_user(user)


def provider_for_user(user: AbstractBaseUser, slug: str) -> Provider:
    """The provider ``slug`` if ``user`` may call it; ProviderNotFound (a 404) otherwise."""
    if is_builtin(slug):
        return builtins_from_settings()[slug]
    endpoint_id = slug.removeprefix(CUSTOM_PREFIX)
    if slug.startswith(CUSTOM_PREFIX) and endpoint_id.isdigit():
        endpoint = CustomEndpoint.objects.filter(user=user, pk=int(endpoint_id)).first()
        if endpoint is not None:
            return endpoint_provider(endpoint)
    raise ProviderNotFound(f"No provider {slug!r} for this user.")
