"""Composing the simulated model's answer for a request: thinking, text and tool use, cut by
``max_tokens`` and ``stop_sequences``, with ids, signature and usage all derived from the seed.

The same request always gives the same ``Answer``; streaming and non-streaming serve the same one.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from random import Random
from typing import Any

from playground.simulator.prose import prose_paragraphs, prose_sentences, thinking_text, topic_of
from playground.simulator.request import SimulatedRequest
from playground.simulator.tokens import count_tokens, split_tokens
from playground.simulator.tool_input import tool_input

# Thinking sentences per effort for flash (pro thinks three times as much), and answer lengths.
_THINKING_SENTENCES = {"low": 2, "medium": 4, "high": 6, "xhigh": 9, "max": 12}
_PRO_FACTOR = 3
_FLASH_ANSWER_SENTENCES = (2, 4)
_PRO_ANSWER_SENTENCES = (8, 12)
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Piece:
    """One delta's worth of a block, and how many tokens it stands for (to pace the stream)."""

    text: str
    tokens: float


@dataclass(frozen=True, kw_only=True)
class Block:
    type: str
    text: str
    pieces: tuple[Piece, ...]
    tokens: int
    signature: str = ""
    tool_id: str = ""
    tool_name: str = ""
    tool_input: dict[str, Any] | None = None

    def content(self) -> dict[str, Any]:
        """The block as it appears, complete, in a message's ``content``."""
        if self.type == "thinking":
            return {"type": "thinking", "thinking": self.text, "signature": self.signature}
        if self.type == "text":
            return {"type": "text", "text": self.text}
        return {
            "type": "tool_use",
            "id": self.tool_id,
            "name": self.tool_name,
            "input": self.tool_input,
        }

    def opening(self) -> dict[str, Any]:
        """The block as ``content_block_start`` announces it: empty, to be filled by deltas."""
        if self.type == "thinking":
            return {"type": "thinking", "thinking": "", "signature": ""}
        if self.type == "text":
            return {"type": "text", "text": ""}
        return {"type": "tool_use", "id": self.tool_id, "name": self.tool_name, "input": {}}

    def delta(self, piece: Piece) -> dict[str, Any]:
        if self.type == "thinking":
            return {"type": "thinking_delta", "thinking": piece.text}
        if self.type == "text":
            return {"type": "text_delta", "text": piece.text}
        return {"type": "input_json_delta", "partial_json": piece.text}


@dataclass(frozen=True, kw_only=True)
class Answer:
    message_id: str
    model: str
    blocks: tuple[Block, ...]
    stop_reason: str
    stop_sequence: str | None
    input_tokens: int

    @property
    def output_tokens(self) -> int:
        return sum(block.tokens for block in self.blocks)

    def message(self) -> dict[str, Any]:
        return {
            "id": self.message_id,
            "type": "message",
            "role": "assistant",
            "model": self.model,
            "content": [block.content() for block in self.blocks],
            "stop_reason": self.stop_reason,
            "stop_sequence": self.stop_sequence,
            "usage": self.usage(output_tokens=self.output_tokens),
        }

    def usage(self, *, output_tokens: int) -> dict[str, int]:
        return {
            "input_tokens": self.input_tokens,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "output_tokens": output_tokens,
        }


def compose_answer(*, request: SimulatedRequest) -> Answer:
    rng = Random(request.seed)
    tool = _chosen_tool(request)
    thinking = ""
    if request.thinking:
        sentences = _THINKING_SENTENCES[request.effort] + rng.randint(0, 1)
        if request.is_pro:
            sentences *= _PRO_FACTOR
        thinking = thinking_text(rng, sentences=sentences, topic=topic_of(request.user_text))
    answer_sentences = _PRO_ANSWER_SENTENCES if request.is_pro else _FLASH_ANSWER_SENTENCES
    text = _answer_text(request, rng, tool=tool, sentences=rng.randint(*answer_sentences))

    budget = request.max_tokens
    blocks: list[Block] = []
    stop_reason: str | None = None
    stop_sequence: str | None = None
    if thinking:
        tokens = split_tokens(thinking)
        if len(tokens) > budget:
            tokens, stop_reason = tokens[:budget], "max_tokens"
        blocks.append(_prose_block("thinking", tokens, request=request))
        budget -= len(tokens)
    if stop_reason is None and text:
        text, stop_sequence = _cut_at_stop_sequence(text, request.stop_sequences)
        tokens = split_tokens(text)
        if len(tokens) > budget:
            tokens, stop_reason, stop_sequence = tokens[:budget], "max_tokens", None
        elif stop_sequence is not None:
            stop_reason = "stop_sequence"
        if tokens:
            blocks.append(_prose_block("text", tokens, request=request))
        budget -= len(tokens)
    if stop_reason is None and tool is not None:
        block = _tool_block(tool, request=request, rng=rng)
        # A tool call is all or nothing: half a JSON input is of no use to anyone.
        stop_reason = "tool_use" if block.tokens <= budget else "max_tokens"
        if block.tokens <= budget:
            blocks.append(block)
    return Answer(
        message_id="msg_01" + _derived_id(request.seed, "message"),
        model=request.model,
        blocks=tuple(blocks),
        stop_reason=stop_reason or "end_turn",
        stop_sequence=stop_sequence,
        input_tokens=request.input_tokens,
    )


def _chosen_tool(request: SimulatedRequest) -> dict[str, Any] | None:
    if not request.tools or request.tool_choice == "none":
        return None
    if request.forced_tool is not None:
        return next(tool for tool in request.tools if tool["name"] == request.forced_tool)
    mentioned = next((tool for tool in request.tools if _mentions(request.user_text, tool)), None)
    if request.tool_choice == "any":
        return mentioned or request.tools[0]
    # With results in hand the model answers in words rather than calling again.
    return None if request.tool_results else mentioned


def _mentions(text: str, tool: dict[str, Any]) -> bool:
    """Whether ``text`` names the tool as a word: ``get_weather`` or ``get weather``, any case."""
    name = tool["name"]
    spellings = {name, name.replace("_", " ")}
    return any(
        re.search(rf"(?<!\w){re.escape(spelling)}(?!\w)", text, re.IGNORECASE)
        for spelling in spellings
    )


def _answer_text(
    request: SimulatedRequest, rng: Random, *, tool: dict[str, Any] | None, sentences: int
) -> str:
    if request.directives.echo:
        return request.user_text
    if tool is not None:
        return f"I'll use the {tool['name']} tool for this."
    if request.tool_results:
        result = "".join(split_tokens(" ".join(request.tool_results))[:16]).strip()
        opening = f"The tool returned: {result or 'nothing'}."
        return opening + " " + " ".join(prose_sentences(rng, count=sentences))
    opening = f"You asked about {topic_of(request.user_text)}."
    return opening + " " + prose_paragraphs(rng, sentences=sentences)


def _cut_at_stop_sequence(text: str, stop_sequences: tuple[str, ...]) -> tuple[str, str | None]:
    found = [(text.find(s), order, s) for order, s in enumerate(stop_sequences) if s in text]
    if not found:
        return text, None
    index, _, sequence = min(found)
    return text[:index], sequence


def _prose_block(kind: str, tokens: list[str], *, request: SimulatedRequest) -> Block:
    text = "".join(tokens)
    # Delta sizes come from their own generator so that they never shift the content.
    chunker = Random(request.seed + (1 if kind == "thinking" else 2))
    pieces = []
    start = 0
    while start < len(tokens):
        size = chunker.randint(1, 3)
        pieces.append(
            Piece("".join(tokens[start : start + size]), len(tokens[start : start + size]))
        )
        start += size
    signature = ""
    if kind == "thinking":
        material = f"signature:{request.seed}:{text}".encode()
        digest = hashlib.sha512(material).digest() + hashlib.sha256(material).digest()
        signature = base64.b64encode(digest).decode()
    return Block(
        type=kind, text=text, pieces=tuple(pieces), tokens=len(tokens), signature=signature
    )


def _tool_block(tool: dict[str, Any], *, request: SimulatedRequest, rng: Random) -> Block:
    arguments = tool_input(tool["input_schema"], rng)
    encoded = json.dumps(arguments, ensure_ascii=False)
    tokens = count_tokens(encoded)
    chunker = Random(request.seed + 3)
    pieces = []
    start = 0
    while start < len(encoded):
        piece = encoded[start : start + chunker.randint(3, 12)]
        pieces.append(Piece(piece, tokens * len(piece) / len(encoded)))
        start += len(piece)
    return Block(
        type="tool_use",
        text=encoded,
        pieces=tuple(pieces),
        tokens=tokens,
        tool_id="toolu_01" + _derived_id(request.seed, f"tool:{tool['name']}"),
        tool_name=tool["name"],
        tool_input=arguments,
    )


def _derived_id(seed: int, purpose: str) -> str:
    number = int.from_bytes(hashlib.sha256(f"{seed}:{purpose}".encode()).digest(), "big")
    characters = []
    for _ in range(22):
        number, remainder = divmod(number, 62)
        characters.append(_BASE62[remainder])
    return "".join(characters)
