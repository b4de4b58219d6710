"""Fork of a lane: a signed-in visitor copies one lane of a shared comparison into their account
as a normal conversation; a token and a lane that do not go together fork nothing."""

from __future__ import annotations

from django.test import Client

from playground.compare.models import Lane
from playground.conversations.models import Conversation
from tests.sharing.comparisons import PRO_SYSTEM, PROMPT, sent_comparison


def _fork(client: Client, token: str, lane) -> Conversation:
    response = client.post(f"/s/{token}/lanes/{lane.pk}/fork/")
    assert response.status_code == 302
    return Conversation.objects.get(pk=int(response.url.strip("/").split("/")[-1]))


def test_bob_forks_the_pro_lane_into_a_conversation_of_his_own(
    comparison, share_comparison, bob, bob_client, make_key, alice
):
    key = make_key(alice)
    comparison.pro.conversation.api_key = key
    comparison.pro.conversation.save()
    fork = _fork(bob_client, share_comparison(comparison).token, comparison.pro)

    assert fork.user == bob and fork.api_key is None, "his, with no key"
    assert fork.title == "Flash or pro (lane 2)" and fork.provider == "simulator"
    assert fork.settings["model"] == "deepseek-v4-pro"
    assert fork.settings["system"] == "", "the link did not show the system prompts"
    copied = list(fork.messages.order_by("id"))
    original = [comparison.pro_answer.parent, comparison.pro_answer]
    assert [m.content for m in copied] == [m.content for m in original]
    assert copied[0].content[0]["text"] == PROMPT
    assert fork.current_leaf == copied[-1]
    page = bob_client.get(f"/c/{fork.pk}/")
    assert page.status_code == 200 and "Forked: this copy is yours" in page.content.decode()
    assert not Lane.objects.filter(conversation=fork).exists(), "a normal conversation"


def test_a_link_showing_the_system_prompts_forks_the_lanes_own(
    comparison, share_comparison, bob_client
):
    share = share_comparison(comparison, show_system=True)
    assert _fork(bob_client, share.token, comparison.pro).settings["system"] == PRO_SYSTEM


def test_a_lane_is_forked_only_through_a_link_to_its_own_comparison(
    comparison, share_comparison, bob_client, alice, tree, make_share
):
    other = sent_comparison(alice)
    token = share_comparison(comparison).token
    conversation_token = make_share(tree).token
    before = Conversation.objects.count()
    for client in (bob_client, Client()):
        assert client.post(f"/s/{token}/lanes/{other.pro.pk}/fork/").status_code == 404
        url = f"/s/{conversation_token}/lanes/{comparison.pro.pk}/fork/"
        assert client.post(url).status_code == 404
    assert bob_client.post(f"/s/{token}/fork/").status_code == 404, "lane by lane"
    assert Conversation.objects.count() == before


def test_signed_out_visitors_sign_in_first_and_a_revoked_link_forks_nothing(
    comparison, share_comparison, bob_client, alice_client
):
    share = share_comparison(comparison)
    url = f"/s/{share.token}/lanes/{comparison.flash.pk}/fork/"
    anonymous = Client().post(url)
    assert anonymous.status_code == 302
    assert anonymous.url == f"/accounts/login/?next=/s/{share.token}/"
    assert bob_client.get(url).status_code == 405
    alice_client.post(f"/shares/{share.link.pk}/revoke/")
    before = Conversation.objects.count()
    assert bob_client.post(url).status_code == 404
    assert Conversation.objects.count() == before
