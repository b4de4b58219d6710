"""A shared comparison's public page: no sign-in, read-only, both lanes side by side with their
answers rendered as the playground does, each lane's label and the settings its answers were
made with (system prompts only when chosen), what differs, noindex and a preview."""

from __future__ import annotations

import re

from django.test import Client

from playground.compare.sessions import lane_add
from tests.conversations.page_html import parse
from tests.sharing.comparisons import FLASH_SYSTEM, PRO_SYSTEM


def _page(client: Client, token: str) -> str:
    response = client.get(f"/s/{token}/")
    assert response.status_code == 200
    return response.content.decode()


def _region(html: str, lane) -> str:
    """The lane's section, from its opening tag to the next lane's (or the end)."""
    rest = html.split(f'<section id="lane-{lane.pk}"', 1)[1]
    return rest.split('<section id="lane-', 1)[0]


def test_a_signed_out_visitor_sees_both_lanes_with_their_answers_read_only(
    comparison, share_comparison
):
    html = _page(Client(), share_comparison(comparison).token)
    for number, lane, answer in (
        (1, comparison.flash, comparison.flash_answer),
        (2, comparison.pro, comparison.pro_answer),
    ):
        region = _region(html, lane)
        assert f'aria-labelledby="lane-title-{lane.pk}"' in html
        assert f">Lane {number}</h2>" in region
        assert f'id="lane-messages-{lane.conversation_id}"' in region
        assert f'id="m-{answer.pk}"' in region, "each answer in its own lane"
    assert "Flash says <strong>short</strong>." in _region(html, comparison.flash)
    assert "Pro says something <em>longer</em>." in _region(html, comparison.pro)
    assert "Compare me &lt;b&gt;please&lt;/b&gt;" in html, "the prompt, as text"
    assert "<b>please</b>" not in html
    for control in ('id="compose"', 'name="message"', "Add lane", "Continue in playground",
                    "Vary in lane", "Send to all", "Vote"):  # fmt: skip
        assert control not in html, control
    assert 'class="share-page share-comparison"' in html, "its CSS hides the messages' buttons"


def test_each_lane_is_labelled_by_what_it_varies_and_shows_the_settings_it_used(
    comparison, share_comparison
):
    html = _page(Client(), share_comparison(comparison).token)
    flash, pro = _region(html, comparison.flash), _region(html, comparison.pro)
    assert re.search(r'class="lane-label mono">deepseek-v4-flash · system prompt 1<', flash)
    assert re.search(r'class="lane-label mono">deepseek-v4-pro · system prompt 2<', pro)
    assert "<strong>What differs:</strong> model: deepseek-v4-flash · deepseek-v4-pro" in html
    assert "system: prompt 1 · prompt 2" in html and "The system prompts are not shared." in html
    for region, model in ((flash, "deepseek-v4-flash"), (pro, "deepseek-v4-pro")):
        assert "Settings used" in region and "Simulator" in region
        assert f'<dd class="mono">{model}</dd>' in region and "8192" in region
    assert FLASH_SYSTEM not in html and PRO_SYSTEM not in html


def test_the_system_prompts_show_each_in_its_lane_when_the_owner_chose_so(
    comparison, share_comparison
):
    html = _page(Client(), share_comparison(comparison, show_system=True).token)
    assert FLASH_SYSTEM in _region(html, comparison.flash)
    assert PRO_SYSTEM in _region(html, comparison.pro)
    assert PRO_SYSTEM not in _region(html, comparison.flash)
    assert "The system prompts are not shared." not in html


def test_the_page_carries_a_title_a_description_and_noindex_and_opens_its_socket(
    comparison, share_comparison
):
    share = share_comparison(comparison)
    response = Client().get(f"/s/{share.token}/")
    html = response.content.decode()
    assert response["X-Robots-Tag"] == "noindex" and "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in html
    assert '<meta property="og:title" content="Flash or pro">' in html
    assert '<meta property="og:description" content="Compare me &lt;b&gt;please&lt;/b&gt;">' in html
    last = max(comparison.flash_answer.pk, comparison.pro_answer.pk)
    assert f'ws-connect="/ws/s/{share.token}/?after={last}"' in html
    share.link.refresh_from_db()
    assert share.link.view_count == 1


def test_the_fragment_serves_a_message_of_either_lane(comparison, share_comparison):
    token = share_comparison(comparison).token
    for answer in (comparison.flash_answer, comparison.pro_answer):
        response = Client().get(f"/s/{token}/m/{answer.pk}/")
        assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex"
        assert response.content.decode().startswith(f'<article id="m-{answer.pk}"')


def test_signed_out_visitors_are_offered_to_sign_in_and_signed_in_ones_a_fork_per_lane(
    comparison, share_comparison, bob_client
):
    token = share_comparison(comparison).token
    anonymous = _page(Client(), token)
    assert f'href="/accounts/login/?next=/s/{token}/"' in anonymous
    assert "Sign in to fork" in anonymous and ">Fork</button>" not in anonymous

    signed_in = _page(bob_client, token)
    for lane in (comparison.flash, comparison.pro):
        assert f'action="/s/{token}/lanes/{lane.pk}/fork/"' in _region(signed_in, lane)
    assert "Sign in to fork" not in signed_in


def test_every_control_and_region_of_the_page_is_labelled(comparison, share_comparison, bob_client):
    html = _page(bob_client, share_comparison(comparison).token)
    sections = [e for e in parse(html) if e.tag == "section"]
    assert len(sections) == 2
    for section in sections:
        assert f'id="{section.attrs["aria-labelledby"]}"' in html
    buttons = [e for e in parse(html) if e.tag == "button"]
    assert [b.text.strip() for b in buttons if b.text.strip() == "Fork"] == ["Fork", "Fork"]


def test_lanes_that_differ_by_key_show_neither_key_nor_its_label(
    comparison, share_comparison, make_key, alice
):
    key = make_key(alice, label="Alices private key label")
    comparison.pro.overrides = {**comparison.pro.overrides, "api_key": str(key.pk)}
    comparison.pro.save()
    comparison.pro.conversation.api_key = key
    comparison.pro.conversation.save()
    html = _page(Client(), share_comparison(comparison).token)
    assert "Alices private key label" not in html and "api_key" not in html


def test_a_lane_added_after_the_last_prompt_shows_what_it_would_send_and_no_fork(
    comparison, share_comparison, bob_client
):
    added = lane_add(session=comparison.session, overrides={"model": "deepseek-v4-pro"})
    html = _page(bob_client, share_comparison(comparison).token)
    region = _region(html, added)
    assert ">Lane 3</h2>" in region and '<dd class="mono">deepseek-v4-pro</dd>' in region
    assert "<article" not in region and ">Fork</button>" not in region
    assert ">Fork</button>" in _region(html, comparison.pro)
