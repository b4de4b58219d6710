"""Deterministic English-ish prose for answers and thinking, drawn from a seeded ``Random``.

Sentences come from a small grammar so that a page of simulated output reads like text, wraps
like text and renders like markdown, without pretending to mean anything.
"""

from __future__ import annotations

from random import Random

_SUBJECTS = (
    "The simulator",
    "This answer",
    "A careful reader",
    "The stream",
    "Each request",
    "The playground",
    "A short example",
    "The main idea",
    "Every token",
    "The relay",
)
_VERBS = (
    "explains",
    "follows",
    "describes",
    "keeps",
    "shows",
    "compares",
    "summarises",
    "revisits",
    "checks",
    "outlines",
)
_OBJECTS = (
    "the question",
    "a simple pattern",
    "the next step",
    "the important details",
    "a small experiment",
    "the expected result",
    "the trade-offs",
    "a familiar case",
    "the whole picture",
    "the first principle",
)
_TAILS = (
    "in plain words",
    "step by step",
    "without surprises",
    "with a short example",
    "as clearly as it can",
    "before moving on",
    "for the curious",
    "at a steady pace",
    "and then pauses",
    "from start to finish",
)
_OPENING_THOUGHTS = (
    "The user asks about {topic}.",
    "Let me think about {topic} first.",
    "So the question is {topic}.",
)
_THOUGHTS = (
    "I should check what matters most here.",
    "Maybe a short example would help.",
    "First, consider the simplest case.",
    "Then compare it with the harder one.",
    "That seems consistent so far.",
    "I need to keep the answer focused.",
    "Wait, let me double-check that step.",
    "Good, the reasoning holds together.",
    "Perhaps there is another way to see it.",
    "A clear structure will make this easier to read.",
)


def prose_sentences(rng: Random, *, count: int) -> list[str]:
    return [
        f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_TAILS)}."
        for _ in range(count)
    ]


def prose_paragraphs(rng: Random, *, sentences: int, per_paragraph: int = 4) -> str:
    lines = prose_sentences(rng, count=sentences)
    paragraphs = [
        " ".join(lines[start : start + per_paragraph])
        for start in range(0, len(lines), per_paragraph)
    ]
    return "\n\n".join(paragraphs)


def thinking_text(rng: Random, *, sentences: int, topic: str) -> str:
    opening = rng.choice(_OPENING_THOUGHTS).format(topic=topic)
    return " ".join([opening, *(rng.choice(_THOUGHTS) for _ in range(sentences - 1))])


def topic_of(text: str, *, words: int = 6) -> str:
    """The first few words of what the user said, quoted, or a neutral phrase when empty."""
    picked = text.split()[:words]
    if not picked:
        return "this request"
    ellipsis = "…" if len(text.split()) > words else ""
    return f"“{' '.join(picked)}{ellipsis}”"
