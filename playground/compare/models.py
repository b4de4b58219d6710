"""Compare sessions: one prompt sent to 2 to 4 lanes, each lane a normal conversation underneath.

A session holds the base request settings (as typed, so that nothing is lost while they are
invalid); a lane holds only the fields it varies (``overrides``) and the conversation its turns
are stored in. Lane conversations are hidden from the playground's sidebar until "Continue in
playground" detaches them (the lane row goes, the conversation stays). A vote says which lane
answered one turn of a session better, with the lanes' labels kept for the stats page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CompareSession(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="compare_sessions"
    )
    # Empty until the first prompt names it: a session without a title is the user's draft.
    title = models.CharField(max_length=200, blank=True)
    provider = models.CharField(max_length=40, default="simulator")
    api_key = models.ForeignKey(
        "accounts.ApiKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The base settings form's other fields, as typed (see ``settings.base_data``).
    settings = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title or f"Comparison {self.pk}"


class Lane(models.Model):
    session = models.ForeignKey(CompareSession, on_delete=models.CASCADE, related_name="lanes")
    position = models.PositiveSmallIntegerField()
    # Only the fields this lane varies, as typed: {"model": "deepseek-v4-pro"}.
    overrides = models.JSONField(default=dict, blank=True)
    conversation = models.OneToOneField(
        "conversations.Conversation", on_delete=models.CASCADE, related_name="compare_lane"
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Lane {self.position} of comparison {self.session_id}"


class Vote(models.Model):
    """The better lane of one turn (the ``turn``-th prompt) of a session; one vote per turn."""

    session = models.ForeignKey(CompareSession, on_delete=models.CASCADE, related_name="votes")
    turn = models.PositiveIntegerField()
    winner = models.ForeignKey(
        Lane, null=True, blank=True, on_delete=models.SET_NULL, related_name="votes"
    )
    winner_label = models.CharField(max_length=300)
    # Every lane's label at the time of the vote, sorted: the pair (or more) the stats tally.
    labels = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "turn"], name="one_vote_per_turn")
        ]

    def __str__(self) -> str:
        return f"Vote for {self.winner_label} on turn {self.turn} of comparison {self.session_id}"
