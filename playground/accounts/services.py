"""Business functions for API keys and custom endpoints; views and consumers only call these.

Every function that touches a plaintext secret is marked ``sensitive_variables`` so that Django's
error reports never show it; the plaintext leaves this module only through ``api_key_reveal``,
for server-side use (the upstream request), never for a page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from playground.accounts.crypto import SecretUnreadable, decrypt_secret, encrypt_secret
from playground.accounts.models import ApiKey, CustomEndpoint
from playground.accounts.providers import (
    builtins_from_settings,
    endpoint_provider,
    is_builtin,
    provider_for_user,
)
from playground.accounts.ssrf import UnsafeEndpoint
from playground.upstream import guard_provider, http_client_for
from playground.wire.client import check_key
from playground.wire.providers import Provider


@dataclass(frozen=True)
class KeyTestResult:
    """What "Test key" found, in words for the user; ``outcome`` is a short machine word."""

    outcome: str  # ok | bad_key | unreachable | refused | unreadable | error
    message: str

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def _redact(text: str, secret: str) -> str:
    """``text`` without the secret or its first 8 characters (upstreams echo "sk-abcd…wxyz").

    The wire client already removes the whole key; this also covers partial echoes.
    """
    if not secret:
        return text
    text = text.replace(secret, "…" + secret[-4:])
    return text.replace(secret[:8], "…") if len(secret) >= 8 else text


# --- API keys -------------------------------------------------------------------------------


@sensitive_variables("secret")
def api_key_create(
    *, user: AbstractBaseUser, label: str, provider_slug: str, secret: str
) -> ApiKey:
    """Store ``secret`` encrypted for ``user``; ProviderNotFound if the provider is not theirs."""
    provider_for_user(user, provider_slug)
    endpoint = None
    if not is_builtin(provider_slug):
        endpoint = CustomEndpoint.objects.get(user=user, pk=int(provider_slug.split("-", 1)[1]))
    return ApiKey.objects.create(
        user=user,
        label=label,
        provider=provider_slug,
        endpoint=endpoint,
        secret_ciphertext=encrypt_secret(secret),
        last4=secret[-4:],
    )


def api_key_get_for_user(*, user: AbstractBaseUser, key_id: int) -> ApiKey:
    """``user``'s key ``key_id``; 404 for anyone else's, so a stranger learns nothing."""
    key = ApiKey.objects.select_related("endpoint").filter(user=user, pk=key_id).first()
    if key is None:
        raise Http404("No such key.")
    return key


async def api_key_aget_for_user(*, user: AbstractBaseUser, key_id: int) -> ApiKey:
    key = await ApiKey.objects.select_related("endpoint").filter(user=user, pk=key_id).afirst()
    if key is None:
        raise Http404("No such key.")
    return key


def api_key_delete(*, key: ApiKey) -> None:
    """Delete ``key``; conversations that used it keep their messages (their FK becomes null)."""
    key.delete()


def api_key_reveal(*, key: ApiKey) -> str:
    """The plaintext secret, for the upstream request only. Raises SecretUnreadable."""
    return decrypt_secret(key.secret_ciphertext)


def api_key_provider(*, key: ApiKey) -> Provider:
    """The provider ``key`` belongs to (``key.endpoint`` must be loaded for custom ones)."""
    if key.endpoint is not None:
        return endpoint_provider(key.endpoint)
    return builtins_from_settings()[key.provider]


async def api_key_mark_used(*, key: ApiKey) -> None:
    key.last_used_at = timezone.now()
    await ApiKey.objects.filter(pk=key.pk).aupdate(last_used_at=key.last_used_at)


_CHECK_WORDS = {
    "ok": "OK: the key works",
    "bad_key": "Bad key: the provider rejected it ({detail})",
    "unreachable": "Unreachable: {detail}",
    "error": "Error: {detail}",
}


@sensitive_variables("secret")
async def api_key_test(*, key: ApiKey) -> KeyTestResult:
    """Send a 1-token request with ``key`` and say in words whether the key works."""
    provider = api_key_provider(key=key)
    try:
        await guard_provider(provider)
    except UnsafeEndpoint as refusal:
        return KeyTestResult("refused", f"Refused: {refusal}")
    try:
        secret = api_key_reveal(key=key)
    except SecretUnreadable as error:
        return KeyTestResult("unreadable", f"Unreadable: {error}")
    check = await check_key(http_client_for(provider), provider=provider, api_key=secret)
    await api_key_mark_used(key=key)
    template = _CHECK_WORDS.get(check.status, _CHECK_WORDS["error"])
    return KeyTestResult(check.status, _redact(template.format(detail=check.detail), secret))


# --- Custom endpoints -----------------------------------------------------------------------


def endpoint_get_for_user(*, user: AbstractBaseUser, endpoint_id: int) -> CustomEndpoint:
    """``user``'s endpoint ``endpoint_id``; 404 for anyone else's."""
    endpoint = CustomEndpoint.objects.filter(user=user, pk=endpoint_id).first()
    if endpoint is None:
        raise Http404("No such endpoint.")
    return endpoint


def endpoint_create(
    *,
    user: AbstractBaseUser,
    name: str,
    base_url: str,
    auth_scheme: str,
    models: list[str],
    profile: dict,
    profile_base: str,
) -> CustomEndpoint:
    return CustomEndpoint.objects.create(
        user=user,
        name=name,
        base_url=base_url,
        auth_scheme=auth_scheme,
        models=models,
        profile=profile,
        profile_base=profile_base,
    )


def endpoint_update(
    *,
    endpoint: CustomEndpoint,
    name: str,
    base_url: str,
    auth_scheme: str,
    models: list[str],
    profile: dict,
    profile_base: str,
) -> CustomEndpoint:
    endpoint.name = name
    endpoint.base_url = base_url
    endpoint.auth_scheme = auth_scheme
    endpoint.models = models
    endpoint.profile = profile
    endpoint.profile_base = profile_base
    endpoint.save()
    return endpoint


@transaction.atomic
def endpoint_delete(*, endpoint: CustomEndpoint) -> int:
    """Delete ``endpoint`` and the keys stored for it; returns how many keys went with it."""
    keys = endpoint.api_keys.count()
    endpoint.delete()
    return keys
