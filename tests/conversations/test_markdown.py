"""Model output rendered as markdown never carries script, handlers or dangerous links."""

from __future__ import annotations

import re

import pytest

from playground.conversations.markdown import render_markdown
from tests.conversations.page_html import parse

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](x onerror=alert(1))",
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "```html\n<script>alert(1)</script>\n```",
    '```" onmouseover="alert(1)\n<b>x</b>\n```',
    "<style>body{display:none}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "[x](vbscript:msgbox(1))",
    "<details open ontoggle=alert(1)>",
]


ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code",
    "pre", "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"href", "title", "rel", "start", "class"}


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_payload_gets_through_as_markup(payload):
    html = render_markdown(payload)
    for element in parse(html):
        assert element.tag in ALLOWED_TAGS, html
        assert set(element.attrs) <= ALLOWED_ATTRIBUTES, html
        href = element.attrs.get("href")
        if href is not None:
            assert re.match(r"(https?:|mailto:)", href.strip(), re.IGNORECASE), html


def test_links_are_kept_with_a_rel_that_cuts_them_off_from_the_page():
    html = render_markdown("[docs](https://api-docs.deepseek.com/)")
    assert html == (
        '<p><a href="https://api-docs.deepseek.com/" rel="noopener noreferrer nofollow">'
        "docs</a></p>\n"
    )


def test_ordinary_markdown_survives():
    html = render_markdown(
        "# Title\n\n*em* **strong** ~~gone~~ `code`\n\n> quote\n\n1. one\n2. two\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |"
    )
    expected = ["<h1>Title</h1>", "<em>em</em>", "<strong>strong</strong>", "<s>gone</s>"]
    expected += ["<code>code</code>", "<blockquote>", "<ol>", "<table>", "<td>1</td>"]
    for fragment in expected:
        assert fragment in html


def test_fenced_code_is_highlighted_with_class_names_only():
    html = render_markdown('```python\nprint("<hi>")\n```')
    assert html.startswith('<pre class="highlight"><code>')
    assert '<span class="nb">print</span>' in html
    assert "&lt;hi&gt;" in html


def test_code_in_an_unknown_language_is_escaped_plain_code():
    html = render_markdown("```nosuchlanguage\n<b>x</b>\n```")
    assert html == "<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n"


def test_raw_html_from_the_model_is_shown_as_text():
    assert render_markdown("a <b>bold</b> claim") == "<p>a &lt;b&gt;bold&lt;/b&gt; claim</p>\n"
