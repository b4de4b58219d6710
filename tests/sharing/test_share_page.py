"""The public share page: no sign-in, read-only, the shown path rendered as the playground does,
the settings used (the system prompt only when chosen), link-preview tags and noindex."""

from __future__ import annotations

import re

from django.test import Client

from playground.sharing.models import ShareLink
from tests.sharing.trees import SYSTEM_PROMPT


def _page(client: Client, token: str) -> str:
    response = client.get(f"/s/{token}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_signed_out_visitor_reads_the_live_conversation(tree, make_share):
    share = make_share(tree)
    html = _page(Client(), share.token)
    for message in tree.path:
        assert f'id="m-{message.pk}"' in html
    assert f'id="m-{tree.stopped_branch.pk}"' not in html, "only the current path"
    assert "Let me check." in html and "get_weather" in html and "18 degrees, sunny" in html
    assert "<strong>18 degrees</strong>" in html, "markdown, rendered"
    assert "<script>alert" not in html and "<img" not in html, "and sanitised"
    assert "&lt;script&gt;alert" in html, "what the user typed is shown as text"


def test_thinking_blocks_are_collapsed_and_nothing_can_be_sent(tree, make_share):
    html = _page(Client(), make_share(tree).token)
    thinking = re.findall(r"<details[^>]*block-thinking[^>]*>", html)
    assert len(thinking) == 2 and not any(" open" in tag for tag in thinking)
    assert 'id="compose"' not in html and 'name="message"' not in html
    # The messages' own buttons (Stop, Retry...) are hidden by the page's CSS, and the share
    # socket ignores whatever is sent (tests/sharing/test_share_socket.py).
    assert 'class="share-page"' in html


def test_the_settings_used_are_shown_without_the_system_prompt_unless_chosen(tree, make_share):
    hidden = _page(Client(), make_share(tree).token)
    assert "deepseek-v4-pro" in hidden and "Simulator" in hidden and "0.7" in hidden
    assert "get_weather" in hidden and '"END"' in hidden.replace("&quot;", '"')
    assert SYSTEM_PROMPT not in hidden and "System prompt" not in hidden

    shown = _page(Client(), make_share(tree, show_system=True).token)
    assert SYSTEM_PROMPT in shown


def test_the_page_carries_a_title_and_description_for_previews_and_noindex(tree, make_share):
    response = Client().get(f"/s/{make_share(tree).token}/")
    html = response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in html
    assert '<meta property="og:title" content="Weather in Paris">' in html
    description = re.search(r'<meta property="og:description" content="([^"]*)">', html)
    assert description and description.group(1).startswith("What is the weather in Paris?")


def test_a_snapshot_shows_the_path_up_to_its_message_and_nothing_later(tree, make_share):
    share = make_share(tree, mode="snapshot", up_to=tree.tool_call)
    html = _page(Client(), share.token)
    assert f'id="m-{tree.question.pk}"' in html and f'id="m-{tree.tool_call.pk}"' in html
    for later in (tree.tool_result, tree.answer, tree.stopped_branch):
        assert f'id="m-{later.pk}"' not in html
    assert "ws-connect" not in html, "a snapshot does not change: no socket"


def test_a_live_page_opens_its_socket_after_the_last_message_it_shows(tree, make_share):
    share = make_share(tree)
    html = _page(Client(), share.token)
    assert f'ws-connect="/ws/s/{share.token}/?after={tree.answer.pk}"' in html


def test_each_page_view_is_counted(tree, make_share):
    share = make_share(tree)
    for _ in range(3):
        _page(Client(), share.token)
    Client().get(f"/s/{share.token}/m/{tree.answer.pk}/")  # a fragment is not a view
    share.link.refresh_from_db()
    assert share.link.view_count == 3


def test_signed_out_visitors_are_offered_to_sign_in_to_fork_and_signed_in_ones_to_fork(
    tree, make_share, bob_client
):
    token = make_share(tree).token
    anonymous = _page(Client(), token)
    assert (
        f'href="/accounts/login/?next=/s/{token}/"' in anonymous and "Sign in to fork" in anonymous
    )
    signed_in = _page(bob_client, token)
    assert f'action="/s/{token}/fork/"' in signed_in and ">Fork</button>" in signed_in


def test_the_share_fragment_renders_a_message_of_the_shown_path(tree, make_share):
    share = make_share(tree)
    response = Client().get(f"/s/{share.token}/m/{tree.answer.pk}/")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    html = response.content.decode()
    assert html.startswith(f'<article id="m-{tree.answer.pk}"')
    assert "<strong>18 degrees</strong>" in html


def test_tokens_are_long_random_and_stored_only_as_a_hash_and_ciphertext(tree, make_share):
    share = make_share(tree)
    assert len(share.token) >= 43  # 32 random bytes, url-safe base64: 256 bits
    link = ShareLink.objects.get(pk=share.link.pk)
    stored = " ".join(str(value) for value in link.__dict__.values())
    assert share.token not in stored
    assert make_share(tree).token != share.token
