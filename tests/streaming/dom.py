"""A small DOM that applies websocket messages the way htmx's ws extension does.

Every top-level element of a message is an out-of-band swap: by its own id (``outerHTML``) when
it has no ``hx-swap-oob``, else as the attribute says (``beforeend:SEL``, ``afterbegin:SEL``,
``outerHTML``, ``delete:SEL``); for ``beforeend``/``afterbegin`` the element's children are
inserted, not the element. Selectors are ``#id``, ``#id ~ .class`` and lists of them, all the
frames use. Text is kept decoded, so a test reads exactly what a person would see. Elements with
``hx-trigger="load"`` are remembered, so a test can make the request htmx would make.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass(eq=False)
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False)

    @property
    def id(self) -> str | None:
        return self.attrs.get("id")

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def adopt(self, children: list[Node | str], *, at: int | None = None) -> None:
        for child in children:
            if isinstance(child, Node):
                child.parent = self
        if at is None:
            self.children.extend(children)
        else:
            self.children[at:at] = children


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#fragment")
        self._open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self._open[-1].adopt([node])
        if tag not in _VOID:
            self._open.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open[-1].adopt([Node(tag, {name: value or "" for name, value in attrs})])

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, 0, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                return

    def handle_data(self, data: str) -> None:
        self._open[-1].adopt([data])


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


class Page:
    """The part of a page the websocket swaps into, and what it did."""

    def __init__(self, html: str = "") -> None:
        self.root = parse(html or '<div id="messages"></div><ul id="sidebar-conversations"></ul>')
        self.missing_targets: list[str] = []
        self.loads: list[Node] = []

    def by_id(self, element_id: str) -> Node | None:
        return next((n for n in self.root.walk() if n.id == element_id), None)

    def text(self, element_id: str) -> str:
        node = self.by_id(element_id)
        assert node is not None, f"the page has no #{element_id}"
        return node.text()

    def articles(self) -> list[Node]:
        return [n for n in self.root.walk() if n.tag == "article"]

    def apply(self, message: str) -> None:
        for element in [c for c in parse(message).children if isinstance(c, Node)]:
            oob = element.attrs.pop("hx-swap-oob", "true")
            if oob == "true":
                style, selector = "outerHTML", f"#{element.id}"
            elif ":" in oob:
                style, selector = oob.split(":", 1)
            else:
                style, selector = oob, f"#{element.id}"
            targets = self._select(selector)
            if not targets:
                self.missing_targets.append(selector)
            for target in targets:
                self._swap(style, target, element)

    def _select(self, selector: str) -> list[Node]:
        if "," in selector:  # a selector list: every element any of them finds, once
            found: list[Node] = []
            for part in selector.split(","):
                found += [n for n in self._select(part.strip()) if n not in found]
            return found
        head, _, sibling_class = (part.strip() for part in selector.partition("~"))
        assert head.startswith("#"), f"unsupported selector {selector!r}"
        target = self.by_id(head[1:])
        if target is None:
            return []
        if not sibling_class:
            return [target]
        assert target.parent is not None and sibling_class.startswith(".")
        siblings = [c for c in target.parent.children if isinstance(c, Node)]
        following = siblings[siblings.index(target) + 1 :]
        return [n for n in following if sibling_class[1:] in n.classes()]

    def _swap(self, style: str, target: Node, element: Node) -> None:
        parent = target.parent
        if style == "delete":
            assert parent is not None
            parent.children.remove(target)
            return
        if style == "outerHTML":
            assert parent is not None
            position = parent.children.index(target)
            parent.children.remove(target)
            parent.adopt([element], at=position)
            inserted = [element]
        elif style in ("beforeend", "afterbegin"):
            inserted = list(element.children)
            target.adopt(inserted, at=None if style == "beforeend" else 0)
        else:
            raise AssertionError(f"unsupported swap style {style!r}")
        for node in inserted:
            if isinstance(node, Node):
                self.loads += [n for n in node.walk() if n.attrs.get("hx-trigger") == "load"]
