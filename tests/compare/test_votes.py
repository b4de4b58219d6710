"""A vote for the better lane is stored per turn and tallied per pair on the stats page."""

from __future__ import annotations

import pytest

from playground.compare.models import CompareSession, Vote
from tests.compare.answered import answer_in, answered_comparison

pytestmark = pytest.mark.django_db


def test_a_vote_is_stored_for_the_latest_turn_with_the_lanes_compared(alice, alice_client):
    session = answered_comparison(alice, "Short.", "A longer answer.")
    pro = session.lanes.get(position=2)

    response = alice_client.post(
        f"/compare/{session.pk}/vote/", {"winner": pro.pk}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "Vote stored: deepseek-v4-pro is better on turn 1." in response.content.decode()
    vote = Vote.objects.get()
    assert (vote.session, vote.turn, vote.winner) == (session, 1, pro)
    assert vote.labels == ["deepseek-v4-flash", "deepseek-v4-pro"]


def test_voting_again_on_the_same_turn_replaces_the_vote(alice, alice_client):
    session = answered_comparison(alice, "One.", "Two.")
    flash, pro = session.lanes.order_by("position")
    alice_client.post(f"/compare/{session.pk}/vote/", {"winner": pro.pk})

    alice_client.post(f"/compare/{session.pk}/vote/", {"winner": flash.pk})

    assert Vote.objects.get().winner == flash


def test_a_later_turn_gets_its_own_vote(alice, alice_client):
    session = answered_comparison(alice, "One.", "Two.")
    flash, pro = session.lanes.order_by("position")
    alice_client.post(f"/compare/{session.pk}/vote/", {"winner": pro.pk})
    answer_in(flash, "Three.")
    answer_in(pro, "Four.")

    alice_client.post(f"/compare/{session.pk}/vote/", {"winner": pro.pk})

    assert list(Vote.objects.order_by("turn").values_list("turn", flat=True)) == [1, 2]


def test_there_is_nothing_to_vote_on_before_a_prompt(alice, alice_client):
    alice_client.get("/compare/")  # a new draft
    fresh = CompareSession.objects.get(user=alice, title="")
    lane = fresh.lanes.first()

    response = alice_client.post(f"/compare/{fresh.pk}/vote/", {"winner": lane.pk})

    assert response.status_code == 400
    assert "send a prompt first" in response.content.decode()


def test_a_lane_of_another_comparison_is_not_a_choice(alice, alice_client):
    session = answered_comparison(alice, "x", "y")
    other = answered_comparison(alice, "x", "y").lanes.first()

    response = alice_client.post(f"/compare/{session.pk}/vote/", {"winner": other.pk})

    assert response.status_code == 400
    assert not Vote.objects.exists()


def test_the_stats_page_tallies_wins_per_pair_for_the_user_only(alice, alice_client, bob):
    for winner in (2, 2, 1):
        session = answered_comparison(alice, "a", "b")
        lane = session.lanes.get(position=winner)
        alice_client.post(f"/compare/{session.pk}/vote/", {"winner": lane.pk})
    bobs = answered_comparison(bob, "a", "b")
    Vote.objects.create(session=bobs, turn=1, winner_label="bob's pick", labels=["bob's pick"])

    html = alice_client.get("/compare/stats/").content.decode()

    assert "deepseek-v4-flash vs deepseek-v4-pro" in html
    assert '<span class="mono">deepseek-v4-pro</span>: 2' in html
    assert '<span class="mono">deepseek-v4-flash</span>: 1' in html
    assert "bob" not in html.split("<main", 1)[1].replace("Sign out", "")
