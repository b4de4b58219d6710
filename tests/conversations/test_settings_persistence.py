"""Settings persist per conversation, and "New chat" starts from the user's last settings."""

from __future__ import annotations

from playground.conversations.forms import RequestSettingsForm
from playground.conversations.services import (
    conversation_create,
    conversation_update_settings,
    preferences_remember,
)
from tests.conversations.page_html import by_id, parse


def valid_form(user, **changes) -> RequestSettingsForm:
    data = {
        "provider": "simulator",
        "model": "deepseek-v4-flash",
        "max_tokens": "1024",
        "thinking": "enabled",
        "tool_choice": "auto",
        **changes,
    }
    form = RequestSettingsForm(data, user=user)
    assert form.is_valid(), form.errors
    return form


def test_a_new_user_starts_from_the_defaults(alice_client):
    elements = parse(alice_client.get("/").content.decode())
    assert by_id(elements, "id_model").attrs["value"] == "deepseek-v4-flash"
    assert by_id(elements, "id_max_tokens").attrs["value"] == "8192"


def test_new_chat_starts_from_the_last_settings_sent(alice, alice_client, make_key):
    key = make_key(alice, label="DS", provider="deepseek")
    form = valid_form(
        alice, provider="deepseek", api_key=str(key.pk), model="deepseek-v4-pro",
        temperature="0.2", stop_sequences=["END"], effort="high",
    )  # fmt: skip
    preferences_remember(user=alice, settings_form=form)
    elements = parse(alice_client.get("/").content.decode())
    assert by_id(elements, "id_model").attrs["value"] == "deepseek-v4-pro"
    assert by_id(elements, "id_temperature").attrs["value"] == "0.2"
    selected = {e.attrs["value"] for e in elements if e.tag == "option" and "selected" in e.attrs}
    assert {"deepseek", str(key.pk), "high"} <= selected
    chips = [e.attrs["value"] for e in elements if e.attrs.get("name") == "stop_sequences"]
    assert [value for value in chips if value] == ["END"]


def test_each_conversation_keeps_its_own_settings(alice, alice_client):
    first = conversation_create(user=alice, settings_form=valid_form(alice, max_tokens="111"))
    second = conversation_create(user=alice, settings_form=valid_form(alice, max_tokens="222"))
    conversation_update_settings(
        conversation=first, settings_form=valid_form(alice, max_tokens="333", top_k="3")
    )
    first_page = parse(alice_client.get(f"/c/{first.pk}/").content.decode())
    second_page = parse(alice_client.get(f"/c/{second.pk}/").content.decode())
    assert by_id(first_page, "id_max_tokens").attrs["value"] == "333"
    assert by_id(first_page, "id_top_k").attrs["value"] == "3"
    assert by_id(second_page, "id_max_tokens").attrs["value"] == "222"


def test_a_deleted_key_leaves_the_settings_without_a_key(alice, make_key):
    key = make_key(alice, label="Gone", provider="deepseek")
    form = valid_form(alice, provider="deepseek", api_key=str(key.pk))
    conversation = conversation_create(user=alice, settings_form=form)
    key.delete()
    conversation.refresh_from_db()
    restored = RequestSettingsForm.from_conversation(conversation, user=alice)
    assert restored["api_key"].value() is None
    assert restored["provider"].value() == "deepseek"
