"""A conversation's page: its path of messages, its own settings, and nobody else's."""

from __future__ import annotations

from playground.conversations.models import Message
from tests.conversations.page_html import by_id, parse


def test_the_page_shows_the_path_with_markdown_answers_and_escaped_questions(
    alice, alice_client, make_conversation
):
    answer = [
        {"type": "thinking", "thinking": "<b>plan</b>", "signature": "s"},
        {"type": "text", "text": "**Bold** and `code`"},
    ]
    conversation = make_conversation(
        alice,
        title="Markdown",
        turns=[("user", "<i>raw</i> question"), ("assistant", answer)],
        usage={"input_tokens": 12, "output_tokens": 34},
        stop_reason="end_turn",
        model="deepseek-v4-flash",
    )
    response = alice_client.get(f"/c/{conversation.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt;i&gt;raw&lt;/i&gt; question" in html
    assert "<strong>Bold</strong> and <code>code</code>" in html
    assert "&lt;b&gt;plan&lt;/b&gt;" in html
    assert "12 in · 34 out tokens" in html and "end_turn" in html
    elements = parse(html)
    socket = next(e for e in elements if "ws-connect" in e.attrs)
    # ``after``: the last message the page shows, so that the socket adds any sent meanwhile.
    last_shown = conversation.current_leaf_id
    assert socket.attrs["ws-connect"] == f"/ws/c/{conversation.pk}/?after={last_shown}"
    assert by_id(elements, "conversation-id").attrs["value"] == str(conversation.pk)
    assert by_id(elements, "chat-title").text == "Markdown"


def test_only_the_current_branch_is_shown(alice, alice_client, make_conversation):
    conversation = make_conversation(alice, turns=[("user", "Q"), ("assistant", "first answer")])
    question = conversation.current_leaf.parent
    retry = Message.objects.create(
        conversation=conversation,
        parent=question,
        role="assistant",
        content=[{"type": "text", "text": "second answer"}],
    )
    conversation.current_leaf = retry
    conversation.save()
    html = alice_client.get(f"/c/{conversation.pk}/").content.decode()
    assert "second answer" in html and "first answer" not in html


def test_a_streaming_answer_shows_a_stop_button_and_a_failed_one_retry_and_the_error(
    alice, alice_client, make_conversation
):
    streaming = make_conversation(
        alice, turns=[("user", "Q"), ("assistant", "partial")], state=Message.State.STREAMING
    )
    elements = parse(alice_client.get(f"/c/{streaming.pk}/").content.decode())
    stop = [e for e in elements if e.tag == "button" and e.text.strip() == "Stop"]
    assert len(stop) == 1
    answer = streaming.current_leaf
    assert by_id(elements, f"m-{answer.pk}").attrs["class"] == (
        "message message-assistant state-streaming"
    )
    # While streaming the text is shown as it came, not yet as markdown.
    assert by_id(elements, f"m-{answer.pk}-b-0-body").attrs["class"] == "text-body"

    failed = make_conversation(
        alice,
        turns=[("user", "Q"), ("assistant", "half an")],
        state=Message.State.ERROR,
        error={"type": "overloaded_error", "message": "The provider is overloaded (503).",
               "status": 503},
    )  # fmt: skip
    html = alice_client.get(f"/c/{failed.pk}/").content.decode()
    assert "The provider is overloaded (503)." in html and "half an" in html
    assert ">Retry</button>" in html and ">Stop</button>" not in html


def test_the_settings_panel_shows_the_conversations_own_settings(
    alice, alice_client, make_conversation
):
    conversation = make_conversation(
        alice,
        settings={"model": "deepseek-v4-pro", "max_tokens": 2048, "stop_sequences": ["STOP"],
                  "thinking": "disabled", "tool_choice": "none", "system": "Be terse."},
    )  # fmt: skip
    html = alice_client.get(f"/c/{conversation.pk}/").content.decode()
    elements = parse(html)
    assert by_id(elements, "id_model").attrs["value"] == "deepseek-v4-pro"
    assert by_id(elements, "id_max_tokens").attrs["value"] == "2048"
    assert by_id(elements, "id_system").text.strip() == "Be terse."
    chips = [e for e in elements if e.attrs.get("name") == "stop_sequences"]
    assert [c.attrs["value"] for c in chips if c.attrs.get("value")] == ["STOP"]
    selected = [e for e in elements if e.tag == "option" and "selected" in e.attrs]
    assert {"disabled", "none"} <= {e.attrs["value"] for e in selected}


def test_bob_gets_a_404_for_alices_conversation_and_it_is_not_in_his_sidebar(
    alice, bob_client, make_conversation
):
    conversation = make_conversation(alice, title="Alice's private chat")
    assert bob_client.get(f"/c/{conversation.pk}/").status_code == 404
    assert bob_client.post(f"/c/{conversation.pk}/").status_code == 404
    assert "Alice's private chat" not in bob_client.get("/").content.decode()


def test_a_conversation_that_does_not_exist_is_a_404(alice_client):
    assert alice_client.get("/c/999999/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, alice, make_conversation):
    conversation = make_conversation(alice)
    for url in ("/", f"/c/{conversation.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
