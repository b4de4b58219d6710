"""The custom endpoint form: Name, Base URL, Auth scheme, Models, and a compatibility profile.

The profile starts from a built-in one (DeepSeek, EvoLink or Anthropic) with optional overrides
as a JSON object merged over it; editing shows the same choice and only the overrides.
"""

from __future__ import annotations

import json
import re

from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser

from playground.accounts.models import CustomEndpoint
from playground.accounts.providers import builtins_from_settings
from playground.accounts.ssrf import UnsafeEndpoint, check_endpoint_url_sync
from playground.wire import profiles
from playground.wire.profiles import CompatibilityProfile
from playground.wire.providers import AuthScheme

BASE_PROFILES: dict[str, tuple[str, CompatibilityProfile]] = {
    "deepseek": ("DeepSeek", profiles.DEEPSEEK),
    "evolink": ("EvoLink", profiles.EVOLINK),
    "anthropic": ("Anthropic", profiles.ANTHROPIC),
}
AUTH_SCHEME_CHOICES = [
    (AuthScheme.X_API_KEY.value, "x-api-key header"),
    (AuthScheme.BEARER.value, "Authorization: Bearer"),
]
_MODEL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}")
MAX_MODELS = 50


def deep_merge(base: dict, overrides: dict) -> dict:
    """``base`` with ``overrides`` applied, merging nested objects key by key."""
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def deep_diff(base: dict, changed: dict) -> dict:
    """The smallest overrides that ``deep_merge`` turns ``base`` into ``changed`` with."""
    diff: dict = {}
    for key, value in changed.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            nested = deep_diff(base[key], value)
            if nested:
                diff[key] = nested
        elif base.get(key, object()) != value:
            diff[key] = value
    return diff


def parse_models(text: str) -> list[str]:
    """Model names from one-per-line or comma-separated text, in order, without repeats."""
    names = [name.strip() for name in re.split(r"[,\n]", text) if name.strip()]
    return list(dict.fromkeys(names))


def name_taken(name: str) -> str:
    return f"Name: you already have an endpoint named “{name}”."


class EndpointForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=80,
        error_messages={"required": "Name: give the endpoint a name."},
        help_text="Shown in the playground's Provider list.",
    )
    base_url = forms.CharField(
        label="Base URL",
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://api.example.com/anthropic"}),
        error_messages={"required": "Base URL: enter the endpoint's address."},
        help_text="The playground sends requests to this address followed by /v1/messages.",
    )
    auth_scheme = forms.ChoiceField(label="Auth scheme", choices=AUTH_SCHEME_CHOICES)
    models = forms.CharField(
        label="Models",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Models: list at least one model name."},
        help_text="One per line or comma-separated; the first is the default.",
    )
    profile_base = forms.ChoiceField(
        label="Start from",
        choices=[(slug, name) for slug, (name, _) in BASE_PROFILES.items()],
        help_text="The built-in compatibility profile closest to this endpoint.",
    )
    profile_overrides = forms.CharField(
        label="Profile overrides (JSON)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=(
            'Optional: a JSON object merged over the chosen profile, e.g. {"fields": {"top_k": '
            '"ignored"}}.'
        ),
    )

    def __init__(
        self, *args: object, user: AbstractBaseUser, instance: CustomEndpoint | None = None, **kw
    ) -> None:
        if instance is not None and "initial" not in kw:
            kw["initial"] = _initial_for(instance)
        kw.setdefault("label_suffix", "")
        super().__init__(*args, **kw)
        self.user = user
        self.instance = instance

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        builtin_names = {p.name.casefold() for p in builtins_from_settings().values()}
        if name.casefold() in builtin_names:
            raise forms.ValidationError(f"Name: “{name}” is a built-in provider; choose another.")
        taken = CustomEndpoint.objects.filter(user=self.user, name__iexact=name)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(name_taken(name))
        return name

    def clean_base_url(self) -> str:
        url = self.cleaned_data["base_url"].strip().rstrip("/")
        if url.endswith("/v1/messages"):
            raise forms.ValidationError(
                "Base URL: leave out /v1/messages; the playground adds it to the base URL."
            )
        try:
            check_endpoint_url_sync(url, allow_private=settings.PLAYGROUND_ALLOW_PRIVATE_ENDPOINTS)
        except UnsafeEndpoint as refusal:
            raise forms.ValidationError(f"Base URL: {refusal}") from None
        return url

    def clean_models(self) -> list[str]:
        names = parse_models(self.cleaned_data["models"])
        if not names:
            raise forms.ValidationError("Models: list at least one model name.")
        if len(names) > MAX_MODELS:
            raise forms.ValidationError(f"Models: at most {MAX_MODELS} model names.")
        for name in names:
            if not _MODEL_NAME.fullmatch(name):
                raise forms.ValidationError(
                    f"Models: “{name[:60]}” is not a model name (letters, digits and "
                    ". _ : / @ + -, at most 200 characters)."
                )
        return names

    def clean_profile_overrides(self) -> dict:
        text = self.cleaned_data["profile_overrides"].strip()
        if not text:
            return {}
        try:
            overrides = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                f"Profile overrides: not valid JSON ({error.msg} at line {error.lineno}, "
                f"column {error.colno})."
            ) from None
        if not isinstance(overrides, dict):
            raise forms.ValidationError("Profile overrides: must be a JSON object, {…}.")
        return overrides

    def clean(self) -> dict:
        cleaned = super().clean()
        base_slug = cleaned.get("profile_base")
        overrides = cleaned.get("profile_overrides")
        if base_slug in BASE_PROFILES and overrides is not None:
            base = BASE_PROFILES[base_slug][1].to_dict()
            try:
                profile = CompatibilityProfile.from_dict(deep_merge(base, overrides))
            except ValueError as error:
                self.add_error("profile_overrides", f"Profile overrides: {error}.")
            else:
                # Notices then read "top_k is ignored by <this endpoint>".
                name = cleaned.get("name") or profile.name
                cleaned["profile"] = profile.renamed(name).to_dict()
        return cleaned

    def endpoint_fields(self) -> dict:
        """The cleaned values, as ``endpoint_create`` / ``endpoint_update`` take them."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "base_url": data["base_url"],
            "auth_scheme": data["auth_scheme"],
            "models": data["models"],
            "profile": data["profile"],
            "profile_base": data["profile_base"],
        }


def _initial_for(endpoint: CustomEndpoint) -> dict:
    base_slug = endpoint.profile_base if endpoint.profile_base in BASE_PROFILES else "deepseek"
    overrides = deep_diff(BASE_PROFILES[base_slug][1].to_dict(), endpoint.profile)
    overrides.pop("name", None)  # always the endpoint's own name, set on save
    return {
        "name": endpoint.name,
        "base_url": endpoint.base_url,
        "auth_scheme": endpoint.auth_scheme,
        "models": "\n".join(endpoint.models),
        "profile_base": base_slug,
        "profile_overrides": json.dumps(overrides, indent=2) if overrides else "",
    }
