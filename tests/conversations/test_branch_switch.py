"""Moving between branches: "2 / 3" and its arrows on a message with siblings, and the switch."""

from __future__ import annotations

from playground.conversations.models import Conversation, Message
from playground.conversations.services import branches_of, conversation_switch_branch
from tests.conversations.page_html import parse


def _tree(alice) -> dict[str, Message]:
    """Q1 → A1; Q1 edited as Q2 → A2a, regenerated as A2b (the newest message)."""
    conversation = Conversation.objects.create(user=alice)

    def add(parent: Message | None, role: str, text: str) -> Message:
        return Message.objects.create(
            conversation=conversation,
            parent=parent,
            role=role,
            content=[{"type": "text", "text": text}],
        )

    q1 = add(None, "user", "first question")
    a1 = add(q1, "assistant", "first answer")
    q2 = add(None, "user", "edited question")
    a2a = add(q2, "assistant", "edited answer a")
    a2b = add(q2, "assistant", "edited answer b")
    conversation.current_leaf = a2b
    conversation.save()
    return {"q1": q1, "a1": a1, "q2": q2, "a2a": a2a, "a2b": a2b}


def test_siblings_are_numbered_oldest_first_with_their_neighbours(alice):
    tree = _tree(alice)
    places = branches_of(Message.objects.all())
    assert (places[tree["q1"].pk].index, places[tree["q1"].pk].count) == (1, 2)
    assert places[tree["q2"].pk].previous_id == tree["q1"].pk
    assert places[tree["q2"].pk].next_id is None
    assert places[tree["a2a"].pk].next_id == tree["a2b"].pk
    assert tree["a1"].pk not in places, "an only child shows no arrows"


def test_switching_to_a_sibling_shows_the_newest_leaf_under_it(alice):
    tree = _tree(alice)
    conversation = tree["q1"].conversation
    assert conversation_switch_branch(conversation=conversation, message=tree["q1"]) == tree["a1"]
    conversation.refresh_from_db()
    assert conversation.current_leaf_id == tree["a1"].pk
    assert conversation_switch_branch(conversation=conversation, message=tree["q2"]) == tree["a2b"]


def test_the_page_shows_where_each_message_stands_and_the_arrows_switch(alice, alice_client):
    tree = _tree(alice)
    conversation_url = f"/c/{tree['q1'].conversation_id}/"
    elements = parse(alice_client.get(conversation_url).content.decode())
    shown = [e.attrs["id"] for e in elements if e.tag == "article"]
    assert shown == [f"m-{tree['q2'].pk}", f"m-{tree['a2b'].pk}"]
    positions = [e.text.strip() for e in elements if e.attrs.get("class") == "branch-position"]
    assert positions == ["2 / 2", "2 / 2"]
    previous = [e for e in elements if e.attrs.get("aria-label") == "Previous branch"]
    assert previous[0].attrs["hx-post"] == f"/m/{tree['q1'].pk}/branch/"
    following = next(e for e in elements if e.attrs.get("aria-label") == "Next branch")
    assert "disabled" in following.attrs

    response = alice_client.post(f"/m/{tree['q1'].pk}/branch/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "first question" in html and "first answer" in html and "edited" not in html
    assert "1 / 2" in html
    # Without htmx the switch is a redirect to the page, which now shows that branch.
    alice_client.post(f"/m/{tree['a2a'].pk}/branch/")
    assert "edited answer a" in alice_client.get(conversation_url).content.decode()


def test_switching_is_refused_while_an_answer_streams(alice, alice_client):
    tree = _tree(alice)
    Message.objects.filter(pk=tree["a2b"].pk).update(state=Message.State.STREAMING)
    response = alice_client.post(f"/m/{tree['q1'].pk}/branch/", HTTP_HX_REQUEST="true")
    assert response["HX-Reswap"] == "none"
    assert "still streaming" in response.content.decode()
    conversation = Conversation.objects.get(pk=tree["q1"].conversation_id)
    assert conversation.current_leaf_id == tree["a2b"].pk


def test_a_branch_cannot_be_switched_with_a_get(alice, alice_client):
    tree = _tree(alice)
    assert alice_client.get(f"/m/{tree['q1'].pk}/branch/").status_code == 405
