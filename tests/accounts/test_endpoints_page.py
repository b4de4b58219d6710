"""The endpoints page: custom Anthropic-compatible endpoints with a compatibility profile."""

from __future__ import annotations

import json

from django.db.models.signals import pre_save

from playground.accounts.forms_endpoints import deep_diff, deep_merge, parse_models
from playground.accounts.models import ApiKey, CustomEndpoint
from playground.wire.profiles import DEEPSEEK, EVOLINK, CompatibilityProfile, Support

HTMX = {"HTTP_HX_REQUEST": "true"}


def endpoint_data(**overrides: str) -> dict[str, str]:
    return {
        "name": "Corp proxy",
        "base_url": "https://93.184.215.14/anthropic/",
        "auth_scheme": "bearer",
        "models": "corp-large\ncorp-small, corp-large",
        "profile_base": "deepseek",
        "profile_overrides": "",
        **overrides,
    }


def test_the_endpoints_page_has_the_contract_labels(alice_client):
    page = alice_client.get("/endpoints/").content.decode()
    for label in ("Name", "Base URL", "Auth scheme", "Models"):
        assert f">{label}</label>" in page or f">{label}:</label>" in page, label
    assert ">Save endpoint</button>" in page


def test_saving_an_endpoint_stores_it_with_the_chosen_profile(alice, alice_client):
    response = alice_client.post("/endpoints/", endpoint_data())
    assert response.status_code == 302
    endpoint = CustomEndpoint.objects.get(user=alice)
    assert endpoint.base_url == "https://93.184.215.14/anthropic"
    assert endpoint.models == ["corp-large", "corp-small"]
    assert endpoint.auth_scheme == "bearer"
    profile = CompatibilityProfile.from_dict(endpoint.profile)
    assert profile == DEEPSEEK.renamed("Corp proxy")
    page = alice_client.get("/endpoints/").content.decode()
    assert "Saved the endpoint “Corp proxy”." in page and "corp-large, corp-small" in page


def test_overrides_are_merged_over_the_starting_profile_and_shown_again_when_editing(
    alice, alice_client
):
    overrides = {"fields": {"top_k": "honoured"}, "max_stop_sequences": 8}
    alice_client.post(
        "/endpoints/",
        endpoint_data(profile_base="evolink", profile_overrides=json.dumps(overrides)),
    )
    endpoint = CustomEndpoint.objects.get(user=alice)
    profile = CompatibilityProfile.from_dict(endpoint.profile)
    assert profile.field_support("top_k") is Support.HONOURED
    assert profile.max_stop_sequences == 8
    assert profile.blocks == EVOLINK.blocks
    form = alice_client.get(f"/endpoints/{endpoint.pk}/").context["form"]
    assert form.initial["profile_base"] == "evolink"
    assert json.loads(form.initial["profile_overrides"]) == overrides


def test_bad_overrides_name_the_problem_and_keep_everything_typed(alice_client):
    page = alice_client.post(
        "/endpoints/", endpoint_data(profile_overrides='{"fields": {"top_k": "maybe"}}')
    ).content.decode()
    assert "Profile overrides: fields.top_k must be honoured, ignored or rejected" in page
    assert 'value="Corp proxy"' in page and "corp-small" in page
    assert "{&quot;fields&quot;: {&quot;top_k&quot;: &quot;maybe&quot;}}" in page
    page = alice_client.post(
        "/endpoints/", endpoint_data(profile_overrides="{oops")
    ).content.decode()
    assert "Profile overrides: not valid JSON" in page


def test_a_loopback_base_url_is_refused_on_the_base_url_field(alice_client):
    for url in (
        "http://127.0.0.1:9000",
        "http://localhost/anthropic",
        "http://[::1]/",
        "http://169.254.169.254/",
        "http://10.0.0.7/",
    ):
        response = alice_client.post("/endpoints/", endpoint_data(base_url=url), **HTMX)
        page = response.content.decode()
        assert "Base URL: The host" in page and "does not call private or local addresses" in page
    assert not CustomEndpoint.objects.exists()


def test_the_operator_may_allow_private_endpoints(settings, alice_client):
    settings.PLAYGROUND_ALLOW_PRIVATE_ENDPOINTS = True
    response = alice_client.post("/endpoints/", endpoint_data(base_url="http://10.0.0.7:4000"))
    assert response.status_code == 302
    assert CustomEndpoint.objects.get().base_url == "http://10.0.0.7:4000"


def test_the_base_url_must_not_include_the_messages_path(alice_client):
    page = alice_client.post(
        "/endpoints/", endpoint_data(base_url="https://93.184.215.14/v1/messages")
    ).content.decode()
    assert "Base URL: leave out /v1/messages" in page


def test_names_are_unique_per_user_and_never_a_built_in_providers(
    alice, bob, alice_client, make_endpoint
):
    make_endpoint(alice, name="Corp proxy")
    make_endpoint(bob, name="Mine")
    page = alice_client.post("/endpoints/", endpoint_data(name="corp PROXY")).content.decode()
    assert "Name: you already have an endpoint named “corp PROXY”." in page
    page = alice_client.post("/endpoints/", endpoint_data(name="DeepSeek")).content.decode()
    assert "Name: “DeepSeek” is a built-in provider; choose another." in page
    assert alice_client.post("/endpoints/", endpoint_data(name="Mine")).status_code == 302


def test_model_names_are_checked(alice_client):
    page = alice_client.post(
        "/endpoints/", endpoint_data(models="good-one, bad one")
    ).content.decode()
    assert "Models: “bad one” is not a model name" in page
    page = alice_client.post("/endpoints/", endpoint_data(models="ok\n<script>")).content.decode()
    assert "Models: “&lt;script&gt;” is not a model name" in page
    page = alice_client.post("/endpoints/", endpoint_data(models=" , \n")).content.decode()
    assert "Models: list at least one model name." in page


def test_editing_an_endpoint_keeps_its_keys(alice, alice_client, make_endpoint, make_key):
    endpoint = make_endpoint(alice)
    key = make_key(alice, provider=endpoint.provider_slug)
    response = alice_client.post(
        f"/endpoints/{endpoint.pk}/", endpoint_data(name="Renamed", models="m-1")
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.name, endpoint.models) == ("Renamed", ["m-1"])
    assert CompatibilityProfile.from_dict(endpoint.profile).name == "Renamed"
    assert ApiKey.objects.get(pk=key.pk).endpoint == endpoint


def test_deleting_an_endpoint_deletes_its_keys_after_saying_so(
    alice, alice_client, make_endpoint, make_key
):
    endpoint = make_endpoint(alice)
    make_key(alice, provider=endpoint.provider_slug)
    make_key(alice, label="Other", provider="deepseek")
    confirm = alice_client.get(f"/endpoints/{endpoint.pk}/delete/").content.decode()
    assert "The 1 key stored for it will be deleted too." in confirm
    fragment = alice_client.post(f"/endpoints/{endpoint.pk}/delete/", **HTMX).content.decode()
    assert "Deleted the endpoint “Corp proxy” and its 1 key." in fragment
    assert list(ApiKey.objects.values_list("label", flat=True)) == ["Other"]


def test_models_accept_lines_and_commas_in_order_without_repeats():
    assert parse_models("a, b\nc\n\n a ,d") == ["a", "b", "c", "d"]


def test_overrides_round_trip_through_merge_and_diff():
    base = DEEPSEEK.to_dict()
    overrides = {"fields": {"top_k": "rejected"}, "temperature_max": 1.0}
    assert deep_diff(base, deep_merge(base, overrides)) == overrides


def another_tab_saves_first(user, name: str):
    """A pre_save hook that saves an endpoint named ``name`` just before this request's save, as
    another tab would after this request's form was checked (once)."""

    def hook(sender, instance, **kwargs):
        pre_save.disconnect(hook, sender=CustomEndpoint)
        CustomEndpoint.objects.create(
            user=user, name=name, base_url="https://93.184.215.14/other", auth_scheme="bearer"
        )

    pre_save.connect(hook, sender=CustomEndpoint)
    return hook


def test_a_name_saved_by_another_request_after_the_check_is_a_form_error(alice, alice_client):
    hook = another_tab_saves_first(alice, "Corp proxy")
    try:
        response = alice_client.post("/endpoints/", endpoint_data())
    finally:
        pre_save.disconnect(hook, sender=CustomEndpoint)

    assert response.status_code == 200
    page = response.content.decode()
    assert "you already have an endpoint named “Corp proxy”" in page
    assert "corp-large" in page  # what was typed is kept


def test_renaming_to_a_name_saved_meanwhile_is_a_form_error(alice, alice_client):
    alice_client.post("/endpoints/", endpoint_data(name="Old name"))
    endpoint = CustomEndpoint.objects.get(user=alice)
    hook = another_tab_saves_first(alice, "New name")
    try:
        response = alice_client.post(f"/endpoints/{endpoint.pk}/", endpoint_data(name="New name"))
    finally:
        pre_save.disconnect(hook, sender=CustomEndpoint)

    assert response.status_code == 200
    assert "you already have an endpoint named “New name”" in response.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.name == "Old name"
