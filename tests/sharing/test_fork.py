"""Fork: a signed-in visitor copies what a link shows into their own account and continues it."""

from __future__ import annotations

from django.test import Client

from playground.conversations.models import Conversation, Message
from tests.sharing.trees import SYSTEM_PROMPT


def _fork(client: Client, token: str) -> Conversation:
    response = client.post(f"/s/{token}/fork/")
    assert response.status_code == 302
    return Conversation.objects.get(pk=int(response.url.strip("/").split("/")[-1]))


def test_bob_forks_a_live_link_into_a_conversation_of_his_own(
    tree, make_share, bob, bob_client, make_key
):
    tree.conversation.api_key = make_key(tree.conversation.user)
    tree.conversation.save()
    fork = _fork(bob_client, make_share(tree).token)

    assert fork.user == bob and fork.api_key is None, "his, with no key"
    assert fork.title == "Weather in Paris" and fork.provider == "simulator"
    assert fork.settings["model"] == "deepseek-v4-pro" and fork.settings["tools"]
    assert fork.settings["system"] == "", "the link did not show the system prompt"
    copied = list(fork.messages.order_by("id"))
    assert [m.content for m in copied] == [m.content for m in tree.path], "verbatim"
    assert [m.role for m in copied] == [m.role for m in tree.path]
    assert copied[1].usage == tree.tool_call.usage and copied[1].model == "deepseek-v4-pro"
    assert all(m.request is None for m in copied), "the owner's request records stay behind"
    assert fork.current_leaf == copied[-1]
    assert [m.parent_id for m in copied] == [None, *(m.pk for m in copied[:-1])]
    assert bob_client.get(f"/c/{fork.pk}/").status_code == 200
    assert Conversation.objects.filter(user=tree.conversation.user).count() == 1


def test_a_fork_of_a_snapshot_with_the_system_prompt_copies_exactly_that(
    tree, make_share, bob_client
):
    share = make_share(tree, mode="snapshot", up_to=tree.tool_call, show_system=True)
    fork = _fork(bob_client, share.token)
    assert fork.messages.count() == 2
    assert fork.settings["system"] == SYSTEM_PROMPT


def test_an_answer_still_streaming_is_forked_as_far_as_it_got_and_stopped(
    tree, make_share, bob_client
):
    streaming = Message.objects.create(
        conversation=tree.conversation,
        parent=tree.answer,
        role="assistant",
        state=Message.State.STREAMING,
        content=[{"type": "text", "text": "So far"}],
    )
    tree.conversation.current_leaf = streaming
    tree.conversation.save()
    fork = _fork(bob_client, make_share(tree).token)
    last = fork.messages.order_by("id").last()
    assert last.state == Message.State.STOPPED and last.content == streaming.content


def test_a_provider_bob_cannot_use_becomes_the_simulator(tree, make_share, bob_client):
    tree.conversation.provider = "custom-999"
    tree.conversation.save()
    assert _fork(bob_client, make_share(tree).token).provider == "simulator"


def test_signed_out_visitors_are_sent_to_sign_in_and_a_revoked_link_forks_nothing(
    tree, make_share, bob_client, alice_client
):
    share = make_share(tree)
    anonymous = Client().post(f"/s/{share.token}/fork/")
    assert anonymous.status_code == 302 and anonymous.url.startswith("/accounts/login/?next=")
    alice_client.post(f"/shares/{share.link.pk}/revoke/")
    assert bob_client.post(f"/s/{share.token}/fork/").status_code == 404
    assert Conversation.objects.count() == 1
