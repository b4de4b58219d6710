"""Model output as HTML: markdown rendered on the server, code highlighted, then sanitised.

Model output is untrusted. markdown-it-py renders it with raw HTML switched off (any tag the model
writes comes out as text), Pygments colours fenced code with class names only, and nh3 cleans the
result against an allowlist: no script or style, no event handlers, no ``style`` attributes (the
CSP would refuse them anyway), no images (they would fetch from anywhere), only http(s) and mailto
links, each with ``rel="noopener noreferrer nofollow"``. The sanitiser is the last step, so a flaw
in either renderer cannot get through.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code",
    "pre", "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    "span",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
# Pygments' short token class names ("k", "s2", "nf"...), the only classes a span may carry.
_TOKEN_CLASSES = {name for name in STANDARD_TYPES.values() if name}
_CLASSES = {"span": _TOKEN_CLASSES, "pre": {"highlight"}}
# Longest code block we colour; past it the cost is not worth it and the block stays plain.
_MAX_HIGHLIGHT_CHARS = 100_000

_cleaner = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags={"script", "style"},
    attributes=_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
    allowed_classes=_CLASSES,
    strip_comments=True,
)
_formatter = HtmlFormatter(nowrap=True)


def _highlight(code: str, language: str, attributes: str) -> str:
    """A whole ``<pre>`` for a fenced block in a known language; "" lets markdown-it escape it."""
    if not language or len(code) > _MAX_HIGHLIGHT_CHARS:
        return ""
    try:
        lexer = get_lexer_by_name(language.split()[0], stripnl=False)
    except ClassNotFound:
        return ""
    coloured = highlight(code, lexer, _formatter)
    return f'<pre class="highlight"><code>{coloured}</code></pre>\n'


_markdown = MarkdownIt("commonmark", {"html": False, "highlight": _highlight}).enable(
    ["table", "strikethrough"]
)


def render_markdown(text: str) -> SafeString:
    """``text`` as sanitised HTML, safe to put in a page as it is."""
    return mark_safe(_cleaner.clean(_markdown.render(text)))  # noqa: S308 (sanitised by nh3)
