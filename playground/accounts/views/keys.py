"""The API keys page: list, add, test and delete a user's keys.

Views that take a key id look the key up for the signed-in user before anything else, so that
someone else's id is a 404 whatever the method.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from playground.accounts.forms_keys import ApiKeyForm, label_taken
from playground.accounts.models import ApiKey
from playground.accounts.partials import render_page_or_fragment, wants_fragment
from playground.accounts.providers import providers_for_user
from playground.accounts.services import (
    api_key_aget_for_user,
    api_key_create,
    api_key_delete,
    api_key_get_for_user,
    api_key_test,
)

PAGE = "accounts/keys.html"


def _keys_context(user: AbstractBaseUser, form: ApiKeyForm, notice: str = "") -> dict:
    providers = providers_for_user(user)
    rows = [
        {"key": key, "provider_name": getattr(providers.get(key.provider), "name", key.provider)}
        for key in ApiKey.objects.filter(user=user)
    ]
    return {"rows": rows, "form": form, "notice": notice}


@sensitive_post_parameters("secret")
@require_http_methods(["GET", "POST"])
def key_list(request: HttpRequest) -> HttpResponse:
    providers = providers_for_user(request.user)
    data = request.POST if request.method == "POST" else None
    form = ApiKeyForm(data, user=request.user, providers=providers)
    if form.is_valid():
        try:
            with transaction.atomic():
                key = api_key_create(
                    user=request.user,
                    label=form.cleaned_data["label"],
                    provider_slug=form.cleaned_data["provider"],
                    secret=form.cleaned_data["secret"],
                )
        except IntegrityError:
            # Another request saved the same label after this form was checked.
            form.add_error("label", label_taken(form.cleaned_data["label"]))
        else:
            notice = f"Saved the key “{key.label}” ({key.masked})."
            if not wants_fragment(request):
                messages.success(request, notice)
                return redirect("keys")
            form = ApiKeyForm(user=request.user, providers=providers)
            return render(request, f"{PAGE}#keys-panel", _keys_context(request.user, form, notice))
    return render_page_or_fragment(
        request, PAGE, _keys_context(request.user, form), fragment="keys-panel"
    )


async def key_test(request: HttpRequest, key_id: int) -> HttpResponse:
    """Send a 1-token request with the key; async, as the upstream may take seconds to answer."""
    key = await api_key_aget_for_user(user=await request.auser(), key_id=key_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    result = await api_key_test(key=key)
    if wants_fragment(request):
        # The result goes into the row; "Last used" is updated out of band.
        return render(request, f"{PAGE}#key-test-result", {"result": result, "key": key})
    level = messages.SUCCESS if result.ok else messages.ERROR
    await sync_to_async(messages.add_message)(request, level, f"{key.label}: {result.message}")
    return redirect("keys")


@require_http_methods(["GET", "POST"])
def key_delete(request: HttpRequest, key_id: int) -> HttpResponse:
    """POST deletes; GET asks for confirmation (htmx asks with hx-confirm instead)."""
    key = api_key_get_for_user(user=request.user, key_id=key_id)
    if request.method == "GET":
        return render(request, "accounts/key_delete.html", {"key": key})
    label = key.label
    api_key_delete(key=key)
    notice = f"Deleted the key “{label}”."
    if not wants_fragment(request):
        messages.success(request, notice)
        return redirect("keys")
    form = ApiKeyForm(user=request.user, providers=providers_for_user(request.user))
    return render(request, f"{PAGE}#keys-panel", _keys_context(request.user, form, notice))
