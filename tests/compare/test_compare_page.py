"""The compare page: a draft at /compare/ with flash against pro, its labelled lanes, what differs,
and the lanes' requests side by side."""

from __future__ import annotations

import pytest

from playground.compare.models import CompareSession
from playground.compare.sessions import compare_create
from playground.conversations.models import Conversation
from tests.conversations.page_html import label_for, parse

pytestmark = pytest.mark.django_db


def test_the_compare_page_starts_with_flash_against_pro_in_two_labelled_lanes(alice_client):
    response = alice_client.get("/compare/")

    assert response.status_code == 200
    html = response.content.decode()
    for label in ("Add lane", "Send to all", "Stop all", "Vote", "Continue in playground"):
        assert label in html
    assert 'id="lane-title-' in html and ">Lane 1</h2>" in html and ">Lane 2</h2>" in html
    assert "model: deepseek-v4-flash · deepseek-v4-pro" in html
    session = CompareSession.objects.get()
    assert [lane.overrides for lane in session.lanes.all()] == [
        {"model": "deepseek-v4-flash"},
        {"model": "deepseek-v4-pro"},
    ]
    assert session.provider == "simulator"


def test_opening_compare_again_shows_the_same_draft_until_it_is_sent(alice_client):
    alice_client.get("/compare/")
    alice_client.get("/compare/")

    assert CompareSession.objects.count() == 1


def test_the_request_diff_marks_only_what_differs(alice_client):
    html = alice_client.get("/compare/").content.decode()

    assert '<mark class="differs">&quot;model&quot;: &quot;deepseek-v4-pro&quot;</mark>' in html
    assert "<span>&quot;max_tokens&quot;: 8192</span>" in html


def test_lane_conversations_stay_out_of_the_playground_sidebar(alice, alice_client):
    session = compare_create(user=alice)
    Conversation.objects.filter(pk__in=session.lanes.values("conversation")).update(
        title="A lane's chat"
    )
    Conversation.objects.create(user=alice, title="A normal chat")

    html = alice_client.get("/").content.decode()

    assert "A normal chat" in html
    assert "A lane&#x27;s chat" not in html and "A lane's chat" not in html


def test_the_sidebar_lists_sent_comparisons_newest_first(alice, alice_client):
    older = compare_create(user=alice)
    older.title = "Older comparison"
    older.save()
    newer = compare_create(user=alice)
    newer.title = "Newer comparison"
    newer.save()

    html = alice_client.get(f"/compare/{older.pk}/").content.decode()

    sidebar = html[html.index('id="compare-sessions"') :]
    assert sidebar.index("Newer comparison") < sidebar.index("Older comparison")


def test_bob_cannot_open_alices_comparison(alice, bob_client):
    session = compare_create(user=alice)

    assert bob_client.get(f"/compare/{session.pk}/").status_code == 404


def test_every_control_of_the_compare_page_has_a_label(alice_client):
    elements = parse(alice_client.get("/compare/").content.decode())

    assert label_for(elements, "Prompt").tag == "textarea"
    assert label_for(elements, "Sync scrolling").attrs["type"] == "checkbox"
    assert label_for(elements, "Better lane").tag == "select"
    assert label_for(elements, "First lane").tag == "select"
    assert label_for(elements, "Second lane").tag == "select"
    assert label_for(elements, "Vary in lane 1").tag == "select"
    assert label_for(elements, "Thinking").attrs["id"] == "id_thinking", "the base settings"
