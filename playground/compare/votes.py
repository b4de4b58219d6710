"""Votes for the better lane of a turn, and their tally per set of lanes compared.

A turn is the n-th prompt of a session. Lanes are named by their labels (what they vary, such as
``deepseek-v4-pro``), kept with the vote so that the stats stay right after lanes change.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser

from playground.compare.models import CompareSession, Lane, Vote
from playground.conversations.models import Message


class VoteRefused(Exception):
    """Nothing to vote on yet, or a lane not in the session; the message says which."""


@dataclass(frozen=True)
class PairTally:
    contenders: list[str]
    wins: list[tuple[str, int]]  # each contender and its wins, most first
    votes: int


def compare_turns(*, lanes: list[Lane]) -> int:
    """How many prompts the session's lanes have answered (or are answering)."""
    counts = Message.objects.filter(
        conversation_id__in=[lane.conversation_id for lane in lanes], role=Message.Role.USER
    )
    per_lane = Counter(counts.values_list("conversation_id", flat=True))
    return max(per_lane.values(), default=0)


def vote_cast(
    *, session: CompareSession, lanes: list[Lane], labels: list[str], winner_id: int | None
) -> Vote:
    """Store ``winner_id`` as the better lane of the session's latest turn (a second vote on the
    same turn replaces the first)."""
    winner = next((lane for lane in lanes if lane.pk == winner_id), None)
    if winner is None:
        raise VoteRefused("Vote: choose one of this comparison's lanes.")
    turn = compare_turns(lanes=lanes)
    if turn == 0:
        raise VoteRefused("Vote: send a prompt first; there is nothing to judge yet.")
    label = labels[lanes.index(winner)]
    vote, _ = Vote.objects.update_or_create(
        session=session,
        turn=turn,
        defaults={"winner": winner, "winner_label": label, "labels": sorted(labels)},
    )
    return vote


def vote_tally(*, user: AbstractBaseUser) -> list[PairTally]:
    """The user's votes grouped by what was compared, with each contender's wins."""
    groups: dict[tuple[str, ...], Counter[str]] = {}
    for labels, winner in Vote.objects.filter(session__user=user).values_list(
        "labels", "winner_label"
    ):
        contenders = tuple(labels)
        groups.setdefault(contenders, Counter({label: 0 for label in contenders}))[winner] += 1
    tallies = [
        PairTally(
            contenders=list(contenders),
            wins=sorted(wins.items(), key=lambda item: (-item[1], item[0])),
            votes=sum(wins.values()),
        )
        for contenders, wins in groups.items()
    ]
    return sorted(tallies, key=lambda tally: (-tally.votes, tally.contenders))
