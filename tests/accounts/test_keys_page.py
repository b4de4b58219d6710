"""The API keys page: add a key, see it only as …last4, delete it; with and without htmx."""

from __future__ import annotations

from django.db.models.signals import pre_save

from playground.accounts.models import ApiKey

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_keys_page_has_the_contract_labels(alice_client):
    page = alice_client.get("/keys/").content.decode()
    for text in (
        'for="id_label">Label',
        'for="id_provider">Provider',
        'for="id_secret">Secret',
        ">Save key</button>",
    ):
        assert text in page
    assert '<option value="deepseek" selected>DeepSeek</option>' in page
    assert '<option value="evolink">EvoLink</option>' in page
    assert '<option value="simulator">Simulator</option>' in page


def test_saving_a_key_shows_it_only_by_its_last_four_characters(alice, alice_client, alices_secret):
    response = alice_client.post(
        "/keys/", {"label": "Work key", "provider": "deepseek", "secret": alices_secret}
    )
    assert response.status_code == 302 and response.url == "/keys/"
    page = alice_client.get("/keys/").content.decode()
    assert f"…{alices_secret[-4:]}" in page
    assert "Work key" in page and "DeepSeek" in page
    assert ">Test key</button>" in page and ">Delete</button>" in page
    assert alices_secret[:8] not in page
    key = ApiKey.objects.get(user=alice)
    assert (key.label, key.provider, key.last4) == ("Work key", "deepseek", alices_secret[-4:])


def test_htmx_gets_the_panel_back_with_the_new_key_and_an_empty_form(alice_client, alices_secret):
    response = alice_client.post(
        "/keys/", {"label": "Work key", "provider": "evolink", "secret": alices_secret}, **HTMX
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="keys-panel">') and "<html" not in page
    assert f"Saved the key “Work key” (…{alices_secret[-4:]})." in page
    assert 'name="label" maxlength="80" required id="id_label">' in page, "the form is emptied"


def test_a_form_error_keeps_label_and_provider_and_asks_for_the_secret_again(
    alice, alice_client, make_key, alices_secret
):
    make_key(alice, label="Work key")
    response = alice_client.post(
        "/keys/", {"label": "Work key", "provider": "evolink", "secret": alices_secret}
    )
    page = response.content.decode()
    assert "you already have a key labelled “Work key”" in page
    assert 'value="Work key"' in page
    assert '<option value="evolink" selected>EvoLink</option>' in page
    assert "Type the secret again: for your safety it is never sent back to the browser." in page
    assert alices_secret not in page and alices_secret[:8] not in page


def test_a_secret_that_cannot_travel_in_a_header_is_refused(alice_client):
    page = alice_client.post(
        "/keys/", {"label": "Bad", "provider": "deepseek", "secret": "sk-abc\r\nX-Evil: 1"}
    ).content.decode()
    assert "Secret: paste the key as one line without spaces" in page
    assert "X-Evil" not in page


def test_a_too_short_secret_is_refused(alice_client):
    page = alice_client.post(
        "/keys/", {"label": "Short", "provider": "deepseek", "secret": "sk-1"}
    ).content.decode()
    assert "Secret: an API key has at least 8 characters." in page


def test_a_provider_that_is_not_in_the_list_is_refused(alice_client, bob, make_endpoint):
    bobs = make_endpoint(bob)
    page = alice_client.post(
        "/keys/", {"label": "X", "provider": bobs.provider_slug, "secret": "sk-0123456789"}
    ).content.decode()
    assert "Provider: choose one of the providers in the list." in page
    assert not ApiKey.objects.exists()


def test_a_custom_endpoint_is_a_provider_under_its_name(alice, alice_client, make_endpoint):
    endpoint = make_endpoint(alice, name="Corp proxy")
    page = alice_client.get("/keys/").content.decode()
    assert f'<option value="custom-{endpoint.pk}">Corp proxy</option>' in page
    alice_client.post(
        "/keys/", {"label": "Corp", "provider": f"custom-{endpoint.pk}", "secret": "sk-0123456789"}
    )
    key = ApiKey.objects.get(user=alice)
    assert key.endpoint == endpoint and key.provider == f"custom-{endpoint.pk}"


def test_deleting_a_key_asks_first_without_script_and_then_deletes(alice, alice_client, make_key):
    key = make_key(alice)
    confirm = alice_client.get(f"/keys/{key.pk}/delete/").content.decode()
    assert "Delete the key “Work key”?" in confirm and ">Delete</button>" in confirm
    assert ApiKey.objects.filter(pk=key.pk).exists()
    response = alice_client.post(f"/keys/{key.pk}/delete/")
    assert response.status_code == 302
    assert "Deleted the key “Work key”." in alice_client.get("/keys/").content.decode()
    assert not ApiKey.objects.filter(pk=key.pk).exists()


def test_deleting_with_htmx_confirms_in_the_browser_and_returns_the_panel(
    alice, alice_client, make_key
):
    key = make_key(alice)
    page = alice_client.get("/keys/").content.decode()
    assert 'hx-confirm="Delete the key “Work key”? Conversations that used it are kept."' in page
    response = alice_client.post(f"/keys/{key.pk}/delete/", **HTMX)
    fragment = response.content.decode()
    assert "Deleted the key “Work key”." in fragment and "You have no keys yet." in fragment


def test_a_label_saved_by_another_request_after_the_check_is_a_form_error_not_a_crash(
    alice, alice_client, alices_secret, make_key
):
    """Two tabs saving the same label at once: the second one's check passed before the first
    one's key existed; the database's unique constraint then decides, and the form says so."""

    def the_other_tab_saves_first(sender, instance, **kwargs):
        pre_save.disconnect(the_other_tab_saves_first, sender=ApiKey)
        make_key(alice, label="Work key", secret="sk-other-tab-0123456789")

    pre_save.connect(the_other_tab_saves_first, sender=ApiKey)
    try:
        response = alice_client.post(
            "/keys/", {"label": "Work key", "provider": "deepseek", "secret": alices_secret}
        )
    finally:
        pre_save.disconnect(the_other_tab_saves_first, sender=ApiKey)

    assert response.status_code == 200
    assert "you already have a key labelled “Work key”" in response.content.decode()
    # Nothing of this request was saved. (The simulated other tab ran inside this request's
    # transaction, so its key was rolled back with it; a real one would have committed on its own.)
    assert not ApiKey.objects.filter(user=alice, last4=alices_secret[-4:]).exists()
    assert alices_secret not in response.content.decode()
