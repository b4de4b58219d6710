"""A send's statements: 100 users pressing Send at once queue on one database thread, so each
statement a send saves is saved a hundred times over."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from playground.accounts.services import endpoint_create
from playground.conversations.models import Conversation, Message
from playground.streaming.sending import Accepted, Refusal, message_send
from playground.wire.profiles import DEEPSEEK
from tests.compose import compose

pytestmark = pytest.mark.django_db


def _send(user, text: str, conversation_id: int | None = None, **settings: str):
    return message_send(
        user=user,
        conversation_id=conversation_id,
        data=compose(text, **settings),
        running=frozenset(),
    )


def _corp_endpoint(user):
    return endpoint_create(
        user=user,
        name="Corp proxy",
        base_url="https://93.184.215.14/anthropic",
        auth_scheme="bearer",
        models=["corp-model"],
        profile=DEEPSEEK.renamed("Corp proxy").to_dict(),
        profile_base="deepseek",
    )


def _statements(queries: CaptureQueriesContext, *, verb: str, table: str) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith(verb) and f'"{table}"' in q["sql"].split(" WHERE ")[0]
    ]


def test_a_new_chat_writes_its_conversation_once_and_reads_no_endpoint(alice):
    _corp_endpoint(alice)
    with CaptureQueriesContext(connection) as queries:
        accepted = _send(alice, "Why is the sky blue?")

    assert isinstance(accepted, Accepted)
    # Built for the Simulator: the user's endpoints are not needed to validate the choice.
    assert _statements(queries, verb="SELECT", table="accounts_customendpoint") == []
    # Inserted, then pointed at its answer (and named) in one UPDATE, not one per message.
    assert len(_statements(queries, verb="UPDATE", table="conversations_conversation")) == 1
    conversation = Conversation.objects.get(pk=accepted.conversation.pk)
    question, answer = conversation.messages.order_by("pk")
    assert (question.role, question.parent_id) == (Message.Role.USER, None)
    assert (answer.role, answer.parent_id, answer.state) == (
        Message.Role.ASSISTANT,
        question.pk,
        Message.State.STREAMING,
    )
    assert conversation.current_leaf_id == answer.pk
    assert conversation.title == "Why is the sky blue?"
    assert accepted.spec.message_id == answer.pk


def test_a_follow_up_keeps_the_title_and_moves_the_leaf_to_its_answer(alice):
    first = _send(alice, "Why is the sky blue?")
    Message.objects.filter(pk=first.spec.message_id).update(state=Message.State.COMPLETE)

    follow_up = _send(alice, "And sunsets?", conversation_id=first.conversation.pk)

    assert isinstance(follow_up, Accepted)
    conversation = Conversation.objects.get(pk=first.conversation.pk)
    question = Message.objects.get(pk=follow_up.spec.message_id).parent
    assert question.parent_id == first.spec.message_id
    assert question.content == [{"type": "text", "text": "And sunsets?"}]
    assert conversation.current_leaf_id == follow_up.spec.message_id
    assert conversation.title == "Why is the sky blue?"


def test_a_send_to_a_custom_endpoint_still_finds_it(alice, bob):
    endpoint = _corp_endpoint(alice)

    mine = _send(alice, "Hi", provider=endpoint.provider_slug, model="corp-model")
    theirs = _send(bob, "Hi", provider=endpoint.provider_slug, model="corp-model")

    # Alice's endpoint is a valid choice that needs a key; to Bob it is no choice at all.
    assert isinstance(mine, Refusal)
    assert "provider" not in mine.settings_form.errors
    assert "needs one" in mine.settings_form.errors["api_key"][0]
    assert isinstance(theirs, Refusal)
    assert "provider" in theirs.settings_form.errors
