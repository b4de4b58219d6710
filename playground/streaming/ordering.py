"""Frame order for one socket: which frame of each answer its browser shows, and what came early.

Frames arrive through the channel layer, which drops messages silently when a receiver's queue is
full. A frame is applied only right after the one before it; a later one is kept aside and the
socket asks for a resync (a snapshot of the whole answer at some frame N), after which the frames
kept aside that follow N are applied. So the browser never shows a hole or a repeat.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from playground.streaming.live import OPENING_SEQ

# Frames kept aside per answer while waiting for a resync; past this the oldest are dropped (a
# later resync covers them).
EARLY_LIMIT = 2000


@dataclass
class _Answer:
    seq: int  # the last frame the browser shows
    early: dict[int, tuple[str, bool]] = field(default_factory=dict)  # seq -> (html, final)


class FrameOrder:
    def __init__(self) -> None:
        self._answers: dict[int, _Answer] = {}
        self._finished: set[int] = set()

    def knows(self, message_id: int) -> bool:
        return message_id in self._answers or message_id in self._finished

    def receive(
        self, message_id: int, seq: int, html: str, *, final: bool
    ) -> tuple[list[str], bool]:
        """The frames to send now, and whether the answer needs a resync (a gap was seen)."""
        if message_id in self._finished:
            # A last frame only swaps the footer and fetches the answer again: harmless twice.
            return ([html] if final else []), False
        answer = self._answers.get(message_id)
        if answer is None:
            if seq != OPENING_SEQ:
                self._answers[message_id] = answer = _Answer(seq=0)
                self._keep(answer, seq, html, final)
                return [], True
            answer = self._answers[message_id] = _Answer(seq=0)
        if seq <= answer.seq:
            return [], False
        if seq > answer.seq + 1:
            self._keep(answer, seq, html, final)
            return [], True
        return self._apply(message_id, answer, seq, html, final), False

    def shown(self, message_id: int) -> int:
        """The last frame of the answer the browser shows (0 if none)."""
        answer = self._answers.get(message_id)
        return answer.seq if answer is not None else 0

    def synced(self, message_id: int, seq: int, *, final: bool) -> list[str]:
        """The browser now shows the answer as of frame ``seq``: the kept frames that follow."""
        if final:
            self._answers.pop(message_id, None)
            self._finished.add(message_id)
            return []
        answer = self._answers.setdefault(message_id, _Answer(seq=0))
        answer.seq = max(answer.seq, seq)
        for old in [s for s in answer.early if s <= answer.seq]:
            del answer.early[old]
        following = answer.early.pop(answer.seq + 1, None)
        if following is None:
            return []
        return self._apply(message_id, answer, answer.seq + 1, *following)

    def unfinished(self) -> list[int]:
        """The answers shown streaming whose last frame has not arrived (yet, or at all)."""
        return list(self._answers)

    def waiting(self, message_id: int) -> bool:
        """Whether frames are still kept aside for this answer (another resync is due)."""
        answer = self._answers.get(message_id)
        return answer is not None and bool(answer.early)

    def _apply(
        self, message_id: int, answer: _Answer, seq: int, html: str, final: bool
    ) -> list[str]:
        ready = [html]
        answer.seq = seq
        while not final and (following := answer.early.pop(answer.seq + 1, None)) is not None:
            html, final = following
            ready.append(html)
            answer.seq += 1
        if final:
            self._answers.pop(message_id, None)
            self._finished.add(message_id)
        return ready

    @staticmethod
    def _keep(answer: _Answer, seq: int, html: str, final: bool) -> None:
        answer.early[seq] = (html, final)
        if len(answer.early) > EARLY_LIMIT:
            del answer.early[min(answer.early)]
