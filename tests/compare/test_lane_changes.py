"""Lanes are added, duplicated, removed, vary a field or stop varying it, copy a setting to all;
every change first stores the settings as typed, so nothing typed is lost."""

from __future__ import annotations

import pytest

from playground.compare.models import Lane
from playground.compare.sessions import compare_create
from playground.conversations.models import Conversation

pytestmark = pytest.mark.django_db

# What the page's settings send with every change (htmx hx-include), as typed.
TYPED = {"provider": "simulator", "api_key": "", "model": "deepseek-v4-flash", "max_tokens": "512"}


def lanes(session) -> list[Lane]:
    return list(session.lanes.order_by("position"))


def page_data(session, **typed) -> dict[str, str]:
    """What the page sends: the base settings and every lane's varied fields, as shown."""
    data = dict(TYPED)
    for lane in lanes(session):
        data.update({f"lane-{lane.pk}-{name}": value for name, value in lane.overrides.items()})
    return {**data, **typed}


def change(client, lane, op, field="", **typed):
    return client.post(
        f"/compare/lanes/{lane.pk}/",
        {**page_data(lane.session, **typed), "op": op, "field": field},
        HTTP_HX_REQUEST="true",
    )


def test_add_lane_varies_the_same_fields_with_the_base_values(alice, alice_client):
    session = compare_create(user=alice)

    response = alice_client.post(
        f"/compare/{session.pk}/lanes/add/", page_data(session), HTTP_HX_REQUEST="true"
    )

    assert response.headers["HX-Refresh"] == "true"
    assert [lane.overrides for lane in lanes(session)][-1] == {"model": "deepseek-v4-flash"}
    assert [lane.position for lane in lanes(session)] == [1, 2, 3]


def test_a_comparison_has_at_most_four_lanes(alice, alice_client):
    session = compare_create(user=alice)
    for _ in range(2):
        alice_client.post(f"/compare/{session.pk}/lanes/add/", TYPED, HTTP_HX_REQUEST="true")

    response = alice_client.post(
        f"/compare/{session.pk}/lanes/add/", page_data(session), HTTP_HX_REQUEST="true"
    )

    assert "at most 4 lanes" in response.content.decode()
    assert len(lanes(session)) == 4


def test_duplicate_copies_what_the_lane_varies_as_typed(alice, alice_client):
    session = compare_create(user=alice)
    pro = lanes(session)[1]

    change(alice_client, pro, "duplicate", **{f"lane-{pro.pk}-effort": "high"})

    assert [lane.overrides for lane in lanes(session)] == [
        {"model": "deepseek-v4-flash"},
        {"model": "deepseek-v4-pro", "effort": "high"},
        {"model": "deepseek-v4-pro", "effort": "high"},
    ]


def test_remove_deletes_the_lane_and_its_conversation_and_renumbers(alice, alice_client):
    session = compare_create(user=alice)
    change(alice_client, lanes(session)[0], "duplicate")
    first = lanes(session)[0]

    change(alice_client, first, "remove")

    assert [lane.position for lane in lanes(session)] == [1, 2]
    assert not Conversation.objects.filter(pk=first.conversation_id).exists()


def test_a_comparison_keeps_at_least_two_lanes(alice, alice_client):
    session = compare_create(user=alice)

    response = change(alice_client, lanes(session)[0], "remove")

    assert "at least 2 lanes" in response.content.decode()
    assert len(lanes(session)) == 2


def test_vary_starts_from_the_base_value_and_use_base_drops_it(alice, alice_client):
    session = compare_create(user=alice)
    lane = lanes(session)[0]

    change(alice_client, lane, "vary", "thinking", thinking="disabled")  # the base's value
    lane.refresh_from_db()
    assert lane.overrides == {"model": "deepseek-v4-flash", "thinking": "disabled"}

    change(alice_client, lane, "unvary", "thinking", **{f"lane-{lane.pk}-thinking": "disabled"})
    lane.refresh_from_db()
    assert lane.overrides == {"model": "deepseek-v4-flash"}


def test_copy_to_all_lanes_makes_the_value_the_base_and_stops_varying_it(alice, alice_client):
    session = compare_create(user=alice)
    pro = lanes(session)[1]

    change(alice_client, pro, "copy", "model", **{f"lane-{pro.pk}-model": "deepseek-v4-pro"})

    session.refresh_from_db()
    assert session.settings["model"] == "deepseek-v4-pro"
    assert [lane.overrides for lane in lanes(session)] == [{}, {}]


def test_saving_keeps_invalid_values_as_typed_and_shows_the_error_in_the_lane(alice, alice_client):
    session = compare_create(user=alice)
    flash, pro = lanes(session)

    response = alice_client.post(
        f"/compare/{session.pk}/save/",
        {
            **TYPED,
            f"lane-{flash.pk}-model": "deepseek-v4-flash",
            f"lane-{pro.pk}-model": "deepseek-v4-pro",
            f"lane-{pro.pk}-temperature": "9",
        },
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    pro.refresh_from_db()
    assert pro.overrides == {"model": "deepseek-v4-pro", "temperature": "9"}
    assert f'id="error-lane-{pro.pk}-temperature"' in html
    assert "temperature must be between 0 and 2" in html
    assert "temperature: default · 9" in html, "what differs follows"
    session.refresh_from_db()
    assert session.settings["max_tokens"] == "512"


def test_continue_in_playground_turns_the_lane_into_a_normal_conversation(alice, alice_client):
    session = compare_create(user=alice)
    pro = lanes(session)[1]
    pro.conversation.title = "Pro's answer"
    pro.conversation.save()

    response = alice_client.post(f"/compare/lanes/{pro.pk}/continue/", HTTP_HX_REQUEST="true")

    assert response.headers["HX-Redirect"] == f"/c/{pro.conversation_id}/"
    assert not Lane.objects.filter(pk=pro.pk).exists()
    assert "Pro&#x27;s answer" in alice_client.get("/").content.decode()
    assert alice_client.get(f"/c/{pro.conversation_id}/").status_code == 200
