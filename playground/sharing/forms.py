"""The "Share" forms: a conversation's (live or a snapshot up to a message, the system prompt or
not, an expiry) and a comparison's (always live: the system prompts or not, an expiry)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms

from playground.conversations.models import Message
from playground.conversations.services import message_text

EXPIRY_CHOICES = [("", "Never"), ("1", "In 1 day"), ("7", "In 7 days"), ("30", "In 30 days")]
_LABEL_CHARS = 50


class LinkOptionsForm(forms.Form):
    """What every link has: whether the system prompt shows, and when the link expires."""

    show_system = forms.BooleanField(label="Show the system prompt", required=False)
    expiry = forms.ChoiceField(label="Expires", choices=EXPIRY_CHOICES, required=False)

    def __init__(self, data: Any = None, *, prefix: str | None = None) -> None:
        super().__init__(data, label_suffix="", prefix=prefix)
        self.fields["expiry"].error_messages["invalid_choice"] = (
            "Expires: choose one of the options in the list."
        )

    @property
    def expires_in(self) -> timedelta | None:
        days = self.cleaned_data.get("expiry")
        return timedelta(days=int(days)) if days else None


class CompareShareForm(LinkOptionsForm):
    """A comparison's link is live: the lanes as they go on."""

    show_system = forms.BooleanField(label="Show the system prompts", required=False)


class ShareForm(LinkOptionsForm):
    field_order = ["mode", "up_to", "show_system", "expiry"]

    mode = forms.ChoiceField(
        label="What to share",
        choices=[
            ("live", "The live conversation (later messages show too)"),
            ("snapshot", "A snapshot, up to the message chosen below"),
        ],
        initial="live",
        widget=forms.RadioSelect,
    )
    up_to = forms.TypedChoiceField(label="Snapshot up to", coerce=int, required=False)

    def __init__(self, data: Any = None, *, path: list[Message], prefix: str | None = None) -> None:
        super().__init__(data, prefix=prefix)
        self.path = {message.pk: message for message in path}
        self.fields["up_to"].choices = [
            (message.pk, _message_label(position, message))
            for position, message in enumerate(path, start=1)
        ]
        if path:
            self.fields["up_to"].initial = path[-1].pk
        self.fields["mode"].error_messages["invalid_choice"] = (
            "What to share: choose the live conversation or a snapshot."
        )
        self.fields["up_to"].error_messages["invalid_choice"] = (
            "Snapshot up to: choose one of the messages shown in the conversation."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("mode") == "snapshot" and "up_to" not in self.errors:
            if not self.path:
                self.add_error("mode", "A snapshot needs a message: this conversation has none.")
            elif data.get("up_to") is None:
                self.add_error("up_to", "Snapshot up to: choose a message.")
        return data

    @property
    def up_to_message(self) -> Message | None:
        if self.cleaned_data.get("mode") != "snapshot":
            return None
        return self.path.get(self.cleaned_data.get("up_to"))


def _message_label(position: int, message: Message) -> str:
    who = "You" if message.role == Message.Role.USER else "Assistant"
    text = " ".join(message_text(message.content).split())
    if len(text) > _LABEL_CHARS:
        text = text[: _LABEL_CHARS - 1] + "…"
    return f"{position}. {who}: {text or '(no text)'}"
