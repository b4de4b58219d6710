"""The sign-in form, throttled per account and per IP address (sign-up uses Django's own)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.views.decorators.debug import sensitive_variables

from playground.accounts.throttle import (
    lockout_message,
    signin_failure_record,
    signin_lockout_remaining,
    signin_success_record,
)


class SignInForm(AuthenticationForm):
    """Django's sign-in form, refusing to check any password while the account or IP is locked."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": "%(message)s",
    }

    def __init__(self, request: HttpRequest | None = None, *args: object, **kwargs: object):
        kwargs.setdefault("label_suffix", "")
        super().__init__(request, *args, **kwargs)
        self.ip = request.META.get("REMOTE_ADDR") if request is not None else None

    @sensitive_variables()
    def clean(self) -> dict:
        username = self.cleaned_data.get("username") or ""
        remaining = signin_lockout_remaining(username=username, ip=self.ip)
        if remaining:
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"message": lockout_message(remaining)},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                signin_failure_record(username=username, ip=self.ip)
                remaining = signin_lockout_remaining(username=username, ip=self.ip)
                if remaining:
                    raise forms.ValidationError(
                        self.error_messages["locked"],
                        code="locked",
                        params={"message": lockout_message(remaining)},
                    ) from None
            raise
        signin_success_record(username=username)
        return cleaned
