"""Fixtures for the compare tests: a compare page in a tab (the streaming tests' ``Tab``), and what
its forms send.

The streaming tests' autouse fixtures (the Simulator as upstream, no generation outliving its
test) apply here too.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth.models import User
from django.test import Client

from playground.compare.models import CompareSession, Lane
from playground.compare.sessions import compare_create, lane_add
from tests.compose import compose
from tests.streaming.conftest import (  # noqa: F401  (fixtures)
    Tab,
    _no_generation_outlives_its_test,
    _streaming_settings,
    connect_tab,
    load_page,
)


async def open_compare(user: User, path: str = "/compare/") -> tuple[Tab, CompareSession]:
    """The compare page in a tab with its socket open, and the session it shows."""
    client = Client()
    await sync_to_async(client.force_login)(user)
    tab = await connect_tab(client, await load_page(client, path))
    session = await CompareSession.objects.filter(user=user).alatest("updated_at")
    return tab, session


async def new_comparison(user: User, *overrides: dict[str, str]) -> CompareSession:
    """A new session (flash against pro), its lanes varying also ``overrides`` (one dict per
    lane, in order; more dicts add lanes), as if set on the page before it was loaded."""
    session = await sync_to_async(compare_create)(user=user)
    lanes = await lanes_of(session)
    for index, extra in enumerate(overrides):
        if index < len(lanes):
            lanes[index].overrides = {**lanes[index].overrides, **extra}
            await lanes[index].asave()
        else:
            await sync_to_async(lane_add)(session=session, overrides=extra)
    return session


async def lanes_of(session: CompareSession) -> list[Lane]:
    return [lane async for lane in session.lanes.order_by("position")]


def compare_form(message: str, lanes: dict[Lane, dict[str, str]], **base: str) -> dict[str, Any]:
    """What "Send to all" sends: the base settings, each lane's varied fields, the prompt."""
    data = compose(message, **base)
    for lane, overrides in lanes.items():
        data.update({f"lane-{lane.pk}-{name}": value for name, value in overrides.items()})
    return {**data, "action": "send"}
