"""Reading a rendered page the way a test of labels and controls needs: elements and label text."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

CONTROLS = {"input", "select", "textarea", "button"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    open: bool = field(default=True, repr=False)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in {"input", "br", "hr", "meta", "link", "img"}:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data


def parse(html: str) -> list[Element]:
    parser = _Parser()
    parser.feed(html)
    return parser.elements


def label_for(elements: list[Element], text: str) -> Element:
    """The control labelled exactly ``text`` by a ``<label for>``; AssertionError otherwise."""
    labels = [e for e in elements if e.tag == "label" and " ".join(e.text.split()) == text]
    assert len(labels) == 1, f"expected one label {text!r}, found {len(labels)}"
    target = labels[0].attrs.get("for")
    assert target, f"the label {text!r} has no for="
    controls = [e for e in elements if e.tag in CONTROLS and e.attrs.get("id") == target]
    assert len(controls) == 1, f"the label {text!r} points at #{target}, which is no one control"
    return controls[0]


def by_id(elements: list[Element], element_id: str) -> Element:
    found = [e for e in elements if e.attrs.get("id") == element_id]
    assert len(found) == 1, f"expected one #{element_id}, found {len(found)}"
    return found[0]
