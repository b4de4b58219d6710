"""Conversation services: titles, the path shown and sent, and the history sent upstream."""

from __future__ import annotations

from playground.conversations.models import Message
from playground.conversations.services import (
    automatic_title,
    conversation_path,
    conversation_request_messages,
    message_append_user,
    message_start_assistant,
)

THINKING = {"type": "thinking", "thinking": "Let me see.", "signature": "sig-abc"}


def test_the_automatic_title_is_the_first_line_cut_near_sixty_characters_at_a_word():
    assert automatic_title("\n  Hello   there \nsecond line") == "Hello there"
    long = "Explain the difference between flash and pro models in detail please, with examples"
    title = automatic_title(long)
    assert title == "Explain the difference between flash and pro models in…"
    assert len(title) <= 60
    assert automatic_title("x" * 100) == "x" * 59 + "…"


def test_the_first_user_message_names_the_conversation_and_becomes_the_leaf(
    alice, make_conversation
):
    conversation = make_conversation(alice)
    first = message_append_user(conversation=conversation, text="What is a stop sequence?")
    conversation.refresh_from_db()
    assert conversation.title == "What is a stop sequence?"
    assert conversation.current_leaf == first
    answer = message_start_assistant(
        conversation=conversation, parent=first, provider_slug="simulator", model="m"
    )
    second = message_append_user(conversation=conversation, text="And top_k?")
    conversation.refresh_from_db()
    assert conversation.title == "What is a stop sequence?"
    assert answer.state == Message.State.STREAMING and second.parent == answer
    assert conversation_path(conversation=conversation) == [first, answer, second]


def test_a_renamed_conversation_keeps_its_title(alice, make_conversation):
    conversation = make_conversation(alice, title="My experiments")
    message_append_user(conversation=conversation, text="Hello")
    conversation.refresh_from_db()
    assert conversation.title == "My experiments"


def test_the_path_follows_the_current_leaf_and_leaves_other_branches_out(alice, make_conversation):
    conversation = make_conversation(alice, turns=[("user", "Q"), ("assistant", "A1")])
    question, first_answer = conversation_path(conversation=conversation)
    second_answer = Message.objects.create(
        conversation=conversation, parent=question, role="assistant", content=[]
    )
    conversation.current_leaf = second_answer
    conversation.save()
    assert conversation_path(conversation=conversation) == [question, second_answer]
    assert first_answer.pk not in [m.pk for m in conversation_path(conversation=conversation)]


def test_the_history_sends_finished_answers_verbatim_with_their_thinking(alice, make_conversation):
    answer = [THINKING, {"type": "text", "text": "Four."}]
    conversation = make_conversation(
        alice, turns=[("user", "2+2?"), ("assistant", answer), ("user", "And 3+3?")]
    )
    assert conversation_request_messages(conversation=conversation) == [
        {"role": "user", "content": [{"type": "text", "text": "2+2?"}]},
        {"role": "assistant", "content": answer},
        {"role": "user", "content": [{"type": "text", "text": "And 3+3?"}]},
    ]


def test_the_history_leaves_out_the_answer_being_written(alice, make_conversation):
    conversation = make_conversation(alice, turns=[("user", "Hi")])
    message_start_assistant(
        conversation=conversation,
        parent=conversation.current_leaf,
        provider_slug="simulator",
        model="deepseek-v4-flash",
    )
    assert conversation_request_messages(conversation=conversation) == [
        {"role": "user", "content": [{"type": "text", "text": "Hi"}]}
    ]


def test_an_unfinished_answer_sends_only_its_text_and_an_empty_one_nothing(
    alice, make_conversation
):
    cut_thinking = {"type": "thinking", "thinking": "Hmm", "signature": ""}
    partial = [THINKING, {"type": "text", "text": "The answer is"}, {"type": "text", "text": ""}]
    stopped = make_conversation(
        alice,
        turns=[("user", "Q"), ("assistant", partial), ("user", "Go on")],
        state=Message.State.STOPPED,
    )
    assert conversation_request_messages(conversation=stopped)[1] == {
        "role": "assistant",
        "content": [{"type": "text", "text": "The answer is"}],
    }
    failed = make_conversation(
        alice,
        turns=[("user", "Q"), ("assistant", [cut_thinking]), ("user", "Q again")],
        state=Message.State.ERROR,
    )
    # Nothing of the failed answer is sent, and the two questions become one user turn.
    assert conversation_request_messages(conversation=failed) == [
        {
            "role": "user",
            "content": [{"type": "text", "text": "Q"}, {"type": "text", "text": "Q again"}],
        }
    ]
