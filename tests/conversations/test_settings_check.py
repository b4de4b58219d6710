"""The "check settings" endpoint: notices and field errors before sending, nothing typed lost."""

from __future__ import annotations

from tests.conversations.page_html import by_id, parse

VALID = {
    "provider": "simulator",
    "model": "deepseek-v4-flash",
    "max_tokens": "1024",
    "thinking": "enabled",
    "tool_choice": "auto",
}


def check(client, **changes):
    response = client.post("/settings/check/", {**VALID, **changes}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_choosing_deepseek_shows_its_compatibility_notices(alice, alice_client, make_key):
    key = make_key(alice, provider="deepseek")
    html = check(alice_client, provider="deepseek", api_key=str(key.pk))
    notices = by_id(parse(html), "settings-notices")
    assert "top_k is ignored by DeepSeek" in notices.text
    assert "image blocks are not supported by DeepSeek" in notices.text


def test_a_top_k_value_is_a_warning_first(alice_client):
    elements = parse(check(alice_client, top_k="40"))
    warnings = [e.text for e in elements if e.attrs.get("class") == "notice-warning"]
    assert warnings == ["top_k is ignored by the Simulator"]


def test_errors_land_in_their_fields_containers_and_no_input_is_sent_back(alice_client):
    html = check(alice_client, temperature="7", tools="[oops", top_p="0.5")
    elements = parse(html)
    assert "temperature must be between 0 and 2" in by_id(elements, "error-temperature").text
    assert "Tools is not valid JSON" in by_id(elements, "error-tools").text
    assert by_id(elements, "error-top_p").text == ""
    for element in elements:
        if element.attrs.get("id", "").startswith(("error-", "settings-")):
            assert element.attrs.get("hx-swap-oob") == "true"
    # Only containers come back: what the user is typing in is never replaced.
    assert not [e for e in elements if e.tag in {"input", "select", "textarea"}]
    assert "[oops" not in html


def test_fixing_the_input_empties_the_error_containers(alice_client):
    elements = parse(check(alice_client, temperature="0.7"))
    assert by_id(elements, "error-temperature").text == ""
    assert by_id(elements, "settings-errors").text == ""


def test_a_key_is_asked_for_when_deepseek_is_chosen_without_one(alice_client):
    elements = parse(check(alice_client, provider="deepseek"))
    assert by_id(elements, "error-api_key").text.startswith("API key: DeepSeek needs one.")


def test_the_check_endpoint_only_answers_posts(alice_client):
    assert alice_client.get("/settings/check/").status_code == 405
