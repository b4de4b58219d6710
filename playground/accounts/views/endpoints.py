"""The endpoints page: a user's custom Anthropic-compatible endpoints (list, add, edit, delete)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from playground.accounts import services
from playground.accounts.forms_endpoints import BASE_PROFILES, EndpointForm, name_taken
from playground.accounts.models import CustomEndpoint
from playground.accounts.partials import render_page_or_fragment, wants_fragment

PAGE = "accounts/endpoints.html"


def _base_profiles_json() -> list[tuple[str, str]]:
    """Each built-in profile as indented JSON, for the user to read while writing overrides."""
    return [
        (name, json.dumps(profile.to_dict(), indent=2)) for name, profile in BASE_PROFILES.values()
    ]


def _endpoints_context(user: AbstractBaseUser, form: EndpointForm, notice: str = "") -> dict:
    return {
        "endpoints": CustomEndpoint.objects.filter(user=user),
        "form": form,
        "notice": notice,
        "base_profiles": _base_profiles_json(),
    }


@require_http_methods(["GET", "POST"])
def endpoint_list(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = EndpointForm(data, user=request.user)
    if form.is_valid():
        try:
            with transaction.atomic():
                endpoint = services.endpoint_create(user=request.user, **form.endpoint_fields())
        except IntegrityError:
            # Another request saved the same name after this form was checked.
            form.add_error("name", name_taken(form.cleaned_data["name"]))
        else:
            notice = f"Saved the endpoint “{endpoint.name}”. Add a key for it on the API keys page."
            if not wants_fragment(request):
                messages.success(request, notice)
                return redirect("endpoints")
            form = EndpointForm(user=request.user)
            return render(
                request, f"{PAGE}#endpoints-panel", _endpoints_context(request.user, form, notice)
            )
    return render_page_or_fragment(
        request, PAGE, _endpoints_context(request.user, form), fragment="endpoints-panel"
    )


@require_http_methods(["GET", "POST"])
def endpoint_edit(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = services.endpoint_get_for_user(user=request.user, endpoint_id=endpoint_id)
    data = request.POST if request.method == "POST" else None
    form = EndpointForm(data, user=request.user, instance=endpoint)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.endpoint_update(endpoint=endpoint, **form.endpoint_fields())
        except IntegrityError:
            form.add_error("name", name_taken(form.cleaned_data["name"]))
        else:
            messages.success(request, f"Saved the endpoint “{endpoint.name}”.")
            return redirect("endpoints")
    context = {"endpoint": endpoint, "form": form, "base_profiles": _base_profiles_json()}
    return render(request, "accounts/endpoint_edit.html", context)


@require_http_methods(["GET", "POST"])
def endpoint_delete(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    """POST deletes (with the endpoint's keys); GET asks for confirmation."""
    endpoint = services.endpoint_get_for_user(user=request.user, endpoint_id=endpoint_id)
    if request.method == "GET":
        context = {"endpoint": endpoint, "key_count": endpoint.api_keys.count()}
        return render(request, "accounts/endpoint_delete.html", context)
    name = endpoint.name
    keys = services.endpoint_delete(endpoint=endpoint)
    notice = f"Deleted the endpoint “{name}”" + (
        f" and its {keys} key{'s' if keys != 1 else ''}." if keys else "."
    )
    if not wants_fragment(request):
        messages.success(request, notice)
        return redirect("endpoints")
    form = EndpointForm(user=request.user)
    return render(
        request, f"{PAGE}#endpoints-panel", _endpoints_context(request.user, form, notice)
    )
