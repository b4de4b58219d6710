"""The owner's side of a shared comparison: a Share control on a sent comparison (none on the
draft), the form (system prompts, expiry) giving a live link to copy, the list of links marking
it as a comparison, and Revoke."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from playground.compare.sessions import compare_create
from playground.sharing.models import ShareLink
from tests.compare.conftest import compare_form, lanes_of, open_compare
from tests.streaming.conftest import (  # noqa: F401  (fixtures: simulator settings, clean-up)
    _no_generation_outlives_its_test,
    _streaming_settings,
)


def _share(client: Client, session, **data: str):
    return client.post(f"/compare/{session.pk}/share/", data, HTTP_HX_REQUEST="true")


def test_a_sent_comparison_has_a_share_control_and_the_draft_has_none(
    comparison, alice, alice_client
):
    sent = alice_client.get(f"/compare/{comparison.session.pk}/").content.decode()
    assert ">Share</summary>" in sent
    assert f'hx-get="/compare/{comparison.session.pk}/share/"' in sent

    draft = compare_create(user=alice)
    html = alice_client.get(f"/compare/{draft.pk}/").content.decode()
    assert 'id="compare-share"' in html and ">Share</summary>" not in html


@pytest.mark.django_db(transaction=True)
async def test_the_share_control_comes_with_the_comparisons_address_after_its_first_prompt(alice):
    tab, session = await open_compare(alice)
    assert tab.page.by_id("compare-share").text().strip() == "", "a draft: nothing to share"
    await tab.send(compare_form("[[echo]] Hi", {lane: {} for lane in await lanes_of(session)}))
    await tab.receive_until(lambda html: 'id="compare-share"' in html)
    control = tab.page.by_id("compare-share")
    assert "Share" in control.text()
    fetch = next(node for node in control.walk() if "hx-get" in node.attrs)
    assert fetch.attrs["hx-get"] == f"/compare/{session.pk}/share/"


def test_alice_shares_her_comparison_live_and_gets_a_link_to_copy(comparison, alice_client):
    form = alice_client.get(f"/compare/{comparison.session.pk}/share/").content.decode()
    assert "Show the system prompts" in form and "Expires" in form
    assert "Snapshot" not in form, "a comparison is shared live"

    response = _share(alice_client, comparison.session, show_system="on", expiry="7")
    html = response.content.decode()
    assert response.status_code == 200
    link = ShareLink.objects.get()
    assert link.compare_session == comparison.session and link.conversation is None
    assert link.mode == ShareLink.Mode.LIVE and link.show_system
    assert abs((link.expires_at - timezone.now() - timedelta(days=7)).total_seconds()) < 60
    assert "the comparison as it goes on" in html and "Copy link" in html
    token = html.split('value="http://testserver/s/')[1].split("/")[0]
    assert Client().get(f"/s/{token}/").status_code == 200


def test_a_draft_has_nothing_to_share_and_a_bad_expiry_is_named(alice, alice_client, comparison):
    draft = compare_create(user=alice)
    refused = _share(alice_client, draft, expiry="")
    assert refused.status_code == 400
    assert "has nothing to share yet: send a prompt first" in refused.content.decode()

    bad = _share(alice_client, comparison.session, expiry="365")
    assert bad.status_code == 400
    assert "Expires: choose one of the options" in bad.content.decode()
    assert not ShareLink.objects.exists()


def test_the_list_marks_the_comparisons_link_and_revokes_it(
    comparison, share_comparison, alice_client
):
    share = share_comparison(comparison)
    html = alice_client.get("/shares/").content.decode()
    row = html.split(f'id="share-{share.link.pk}"')[1].split("</tr>")[0]
    assert f'href="/compare/{comparison.session.pk}/">Flash or pro</a>' in row
    assert '<span class="tag">comparison</span>' in row and "Live" in row
    assert f"http://testserver/s/{share.token}/" in row and "Revoke" in row

    revoked = alice_client.post(f"/shares/{share.link.pk}/revoke/", HTTP_HX_REQUEST="true")
    assert "Revoked" in revoked.content.decode()
    assert Client().get(f"/s/{share.token}/").status_code == 404


def test_bob_cannot_share_alices_comparison(comparison, bob_client):
    assert _share(bob_client, comparison.session).status_code == 404
    assert bob_client.get(f"/compare/{comparison.session.pk}/share/").status_code == 404
    assert not ShareLink.objects.exists()


def test_a_link_has_exactly_one_target(comparison, tree, share_comparison):
    link = share_comparison(comparison).link
    link.conversation = tree.conversation
    with pytest.raises(IntegrityError, match="share_has_one_target"), transaction.atomic():
        link.save()
    link.conversation = link.compare_session = None
    with pytest.raises(IntegrityError, match="share_has_one_target"), transaction.atomic():
        link.save()
