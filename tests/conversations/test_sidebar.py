"""The sidebar: the user's conversations newest first, search, rename and delete."""

from __future__ import annotations

import time

from django.utils import timezone

from playground.conversations.models import Conversation
from playground.conversations.services import message_append_user
from tests.conversations.page_html import by_id, parse


def sidebar_titles(html: str) -> list[str]:
    return [e.text.strip() for e in parse(html) if e.attrs.get("class") == "conversation-link"]


def test_the_sidebar_lists_only_my_conversations_newest_first(
    alice, bob, alice_client, make_conversation
):
    old = make_conversation(alice, title="Old one")
    make_conversation(alice, title="New one")
    make_conversation(bob, title="Bob's secret")
    Conversation.objects.filter(pk=old.pk).update(updated_at=timezone.now())
    titles = sidebar_titles(alice_client.get("/").content.decode())
    assert titles == ["Old one", "New one"]


def test_search_finds_titles_and_message_text_but_not_the_json_around_it(
    alice, alice_client, make_conversation
):
    make_conversation(alice, title="Rust lifetimes")
    make_conversation(alice, title="Cooking", turns=[("user", "How long to boil an EGG?")])
    answer = [{"type": "thinking", "thinking": "secret musing", "signature": "s"},
              {"type": "text", "text": "Café au lait"}]  # fmt: skip
    make_conversation(alice, title="Drinks", turns=[("user", "coffee?"), ("assistant", answer)])

    def search(query: str) -> list[str]:
        return sidebar_titles(alice_client.get("/", {"q": query}).content.decode())

    assert search("lifetimes") == ["Rust lifetimes"]
    assert search("egg") == ["Cooking"]
    assert search("café") == ["Drinks"]
    assert search("text") == []  # a key of every block, not text anyone wrote
    assert search("musing") == []  # thinking is not the message's text
    assert len(search("")) == 3


def test_search_never_finds_another_users_conversations(
    alice, bob, alice_client, make_conversation
):
    make_conversation(bob, title="Bob's plans", turns=[("user", "plans for alice")])
    assert sidebar_titles(alice_client.get("/", {"q": "plans"}).content.decode()) == []


def test_an_htmx_search_gets_only_the_list(alice, alice_client, make_conversation):
    make_conversation(alice, title="Rust lifetimes")
    response = alice_client.get("/", {"q": "nothing like it"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.strip().startswith('<ul id="sidebar-conversations"')
    assert "No conversation matches “nothing like it”." in html
    assert 'id="compose"' not in html


def test_a_search_from_a_new_chat_that_became_a_conversation_marks_that_conversation(
    alice, alice_client, make_conversation
):
    conversation = make_conversation(alice, title="Started here")
    response = alice_client.get(
        "/",
        {"q": "started"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver/c/{conversation.pk}/",
    )
    entry = by_id(parse(response.content.decode()), f"conversation-{conversation.pk}")
    assert entry.attrs["aria-current"] == "page"


def test_rename_with_htmx_returns_the_entry_and_keeps_the_title_as_given(
    alice, alice_client, make_conversation
):
    conversation = make_conversation(alice, turns=[("user", "First question")])
    response = alice_client.post(
        f"/c/{conversation.pk}/rename/", {"title": "  My   experiments "}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.content.decode().startswith(f'<li id="conversation-{conversation.pk}"')
    conversation.refresh_from_db()
    assert (conversation.title, conversation.title_is_auto) == ("My experiments", False)
    assert "chat-title" not in response.content.decode()


def test_renaming_the_open_conversation_also_retitles_its_page(
    alice, alice_client, make_conversation
):
    conversation = make_conversation(alice, title="Before")
    response = alice_client.post(
        f"/c/{conversation.pk}/rename/",
        {"title": "After"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver/c/{conversation.pk}/",
    )
    heading = by_id(parse(response.content.decode()), "chat-title")
    assert heading.text == "After" and heading.attrs["hx-swap-oob"] == "true"
    entry = by_id(parse(response.content.decode()), f"conversation-{conversation.pk}")
    assert entry.attrs["aria-current"] == "page"


def test_a_blank_title_goes_back_to_the_automatic_one(alice, alice_client, make_conversation):
    conversation = make_conversation(
        alice, title="Custom", turns=[("user", "What is top_p?\nmore")]
    )
    response = alice_client.post(f"/c/{conversation.pk}/rename/", {"title": " "})
    assert response.status_code == 302 and response["Location"] == f"/c/{conversation.pk}/"
    conversation.refresh_from_db()
    assert (conversation.title, conversation.title_is_auto) == ("What is top_p?", True)


def test_rename_without_script_shows_a_form_and_a_too_long_title_keeps_the_input(
    alice, alice_client, make_conversation
):
    conversation = make_conversation(alice, title="Short")
    page = alice_client.get(f"/c/{conversation.pk}/rename/").content.decode()
    assert 'value="Short"' in page and '<label for="id_title">Title</label>' in page
    response = alice_client.post(f"/c/{conversation.pk}/rename/", {"title": "t" * 201})
    assert response.status_code == 400
    html = response.content.decode()
    assert "t" * 201 in html and "at most 200 characters" in html


def test_delete_with_htmx_from_another_page_removes_the_entry(
    alice, alice_client, make_conversation
):
    conversation = make_conversation(alice, title="Doomed")
    response = alice_client.post(
        f"/c/{conversation.pk}/delete/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/",
    )
    assert response.status_code == 200 and response.content == b""
    assert not Conversation.objects.filter(pk=conversation.pk).exists()


def test_deleting_the_open_conversation_sends_the_browser_to_a_new_chat(
    alice, alice_client, make_conversation
):
    conversation = make_conversation(alice, title="Open one")
    response = alice_client.post(
        f"/c/{conversation.pk}/delete/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver/c/{conversation.pk}/",
    )
    assert response["HX-Redirect"] == "/"


def test_delete_without_script_confirms_first_then_redirects(
    alice, alice_client, make_conversation
):
    conversation = make_conversation(alice, title="Doomed")
    page = alice_client.get(f"/c/{conversation.pk}/delete/").content.decode()
    assert "Delete “Doomed”?" in page
    assert Conversation.objects.filter(pk=conversation.pk).exists()
    response = alice_client.post(f"/c/{conversation.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert not Conversation.objects.filter(pk=conversation.pk).exists()


def test_bob_can_neither_rename_nor_delete_alices_conversation(
    alice, bob_client, make_conversation
):
    conversation = make_conversation(alice, title="Alice's")
    assert bob_client.post(f"/c/{conversation.pk}/rename/", {"title": "x"}).status_code == 404
    assert bob_client.post(f"/c/{conversation.pk}/delete/").status_code == 404
    conversation.refresh_from_db()
    assert conversation.title == "Alice's"


def test_sending_moves_a_conversation_to_the_top(alice, alice_client, make_conversation):
    older = make_conversation(alice, title="Older")
    time.sleep(0.01)
    make_conversation(alice, title="Newer")
    message_append_user(conversation=older, text="bump")
    assert sidebar_titles(alice_client.get("/").content.decode()) == ["Older", "Newer"]
