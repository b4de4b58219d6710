"""The owner's side: the Share form (live or snapshot, system prompt, expiry), the list of their
links with views and expiry, and Revoke."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from playground.sharing.models import ShareLink


def _share(client: Client, tree, **data: str):
    return client.post(f"/c/{tree.conversation.pk}/share/", data, HTTP_HX_REQUEST="true")


def test_alice_shares_her_conversation_live_and_gets_a_link_to_copy(tree, alice_client):
    response = _share(alice_client, tree, mode="live", expiry="")
    html = response.content.decode()
    assert response.status_code == 200
    link = ShareLink.objects.get()
    assert link.mode == "live" and link.expires_at is None and not link.show_system
    assert 'value="http://testserver/s/' in html and "Copy link" in html
    token = html.split('value="http://testserver/s/')[1].split("/")[0]
    assert Client().get(f"/s/{token}/").status_code == 200


def test_a_snapshot_with_the_system_prompt_that_expires_in_7_days(tree, alice_client):
    _share(alice_client, tree, mode="snapshot", up_to=str(tree.tool_call.pk), show_system="on",
           expiry="7")  # fmt: skip
    link = ShareLink.objects.get()
    assert link.mode == "snapshot" and link.up_to_message == tree.tool_call and link.show_system
    expected = timezone.now() + timedelta(days=7)
    assert abs((link.expires_at - expected).total_seconds()) < 60


def test_the_share_form_offers_only_the_messages_of_the_current_path(tree, alice_client):
    html = alice_client.get(f"/c/{tree.conversation.pk}/share/").content.decode()
    for message in tree.path:
        assert f'value="{message.pk}"' in html
    assert f'value="{tree.stopped_branch.pk}"' not in html
    response = _share(alice_client, tree, mode="snapshot", up_to=str(tree.stopped_branch.pk))
    assert response.status_code == 400
    assert "Snapshot up to: choose one of the messages" in response.content.decode()
    assert not ShareLink.objects.exists()


def test_a_bad_expiry_is_named_and_nothing_is_created(tree, alice_client):
    response = _share(alice_client, tree, mode="live", expiry="365")
    assert response.status_code == 400
    assert "Expires: choose one of the options" in response.content.decode()
    assert not ShareLink.objects.exists()


def test_the_list_shows_each_link_with_its_views_expiry_and_a_revoke_button(
    tree, alice_client, make_share
):
    live = make_share(tree, expires_in=timedelta(days=1))
    snapshot = make_share(tree, mode="snapshot", up_to=tree.question)
    Client().get(f"/s/{live.token}/")
    Client().get(f"/s/{live.token}/")
    html = alice_client.get("/shares/").content.decode()
    assert f"http://testserver/s/{live.token}/" in html
    assert f"http://testserver/s/{snapshot.token}/" in html
    row = html.split(f'id="share-{live.link.pk}"')[1].split("</tr>")[0]
    assert "Live" in row and "<td>2</td>" in row and "Revoke" in row and "never" not in row
    assert "Weather in Paris" in row


def test_revoke_from_the_list_swaps_the_row_for_a_revoked_one(tree, alice_client, make_share):
    share = make_share(tree)
    response = alice_client.post(f"/shares/{share.link.pk}/revoke/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="share-{share.link.pk}"')
    assert "Revoked" in html and ">Revoke</button>" not in html
    assert share.token not in html
    assert Client().get(f"/s/{share.token}/").status_code == 404


def test_bob_cannot_revoke_alices_link_or_share_her_conversation(tree, bob_client, make_share):
    share = make_share(tree)
    assert bob_client.post(f"/shares/{share.link.pk}/revoke/").status_code == 404
    assert _share(bob_client, tree, mode="live").status_code == 404
    assert Client().get(f"/s/{share.token}/").status_code == 200
    assert ShareLink.objects.count() == 1
    assert share.token not in bob_client.get("/shares/").content.decode()


def test_the_playground_page_offers_share_export_and_import(tree, alice_client):
    html = alice_client.get(f"/c/{tree.conversation.pk}/").content.decode()
    assert ">Share</summary>" in html
    assert f'href="/c/{tree.conversation.pk}/export.json"' in html and ">Export JSON<" in html
    assert f'href="/c/{tree.conversation.pk}/export.md"' in html and ">Export Markdown<" in html
    assert 'href="/import/">Import<' in html and 'href="/shares/">Shared links<' in html
