"""The form that stores an API key: Label, Provider, Secret.

The secret is a password input that is never rendered back with its value: after an error the
label and provider are kept and the message asks for the secret again.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.views.decorators.debug import sensitive_variables

from playground.accounts.models import ApiKey
from playground.wire.providers import Provider

# A key travels in an HTTP header: one line of visible ASCII, nothing that could split a header.
_SECRET_SHAPE = re.compile(r"[\x21-\x7e]+")
SECRET_MIN_LENGTH = 8
SECRET_MAX_LENGTH = 512
RETYPE_SECRET = "Type the secret again: for your safety it is never sent back to the browser."  # noqa: S105


def label_taken(label: str) -> str:
    return f"Label: you already have a key labelled “{label}”; choose another label."


class ApiKeyForm(forms.Form):
    label = forms.CharField(
        label="Label",
        max_length=80,
        error_messages={"required": "Label: give the key a name you will recognise."},
    )
    provider = forms.ChoiceField(
        label="Provider",
        error_messages={"invalid_choice": "Provider: choose one of the providers in the list."},
    )
    secret = forms.CharField(
        label="Secret",
        strip=True,
        error_messages={"required": "Secret: paste the API key."},
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "off", "spellcheck": "false"}
        ),
        help_text="Shown afterwards only as its last four characters.",
    )

    def __init__(
        self, *args: object, user: AbstractBaseUser, providers: dict[str, Provider], **kwargs
    ) -> None:
        kwargs.setdefault("initial", {"provider": "deepseek"})
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["provider"].choices = [(slug, p.name) for slug, p in providers.items()]

    def clean_label(self) -> str:
        label = self.cleaned_data["label"].strip()
        if ApiKey.objects.filter(user=self.user, label=label).exists():
            raise forms.ValidationError(label_taken(label))
        return label

    @sensitive_variables("secret")
    def clean_secret(self) -> str:
        secret = self.cleaned_data["secret"]
        if not _SECRET_SHAPE.fullmatch(secret):
            raise forms.ValidationError(
                "Secret: paste the key as one line without spaces; it may only hold visible "
                "ASCII characters. " + RETYPE_SECRET
            )
        if len(secret) < SECRET_MIN_LENGTH:
            raise forms.ValidationError(
                f"Secret: an API key has at least {SECRET_MIN_LENGTH} characters. " + RETYPE_SECRET
            )
        if len(secret) > SECRET_MAX_LENGTH:
            raise forms.ValidationError(
                f"Secret: an API key has at most {SECRET_MAX_LENGTH} characters. " + RETYPE_SECRET
            )
        return secret

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors and "secret" not in self.errors and self.data.get("secret"):
            self.add_error("secret", RETYPE_SECRET)
        return cleaned
