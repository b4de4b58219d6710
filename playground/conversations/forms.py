"""The forms of the playground page: every request setting, the message box, a title.

``RequestSettingsForm`` is the one source of truth for request settings: the page renders it, the
"check settings" endpoint and the websocket validate with it, and ``build_body`` turns it into the
request sent upstream. Validation runs the wire builder (``playground.wire.request``) with the
chosen provider's compatibility profile and puts each of its errors on the form field it names, so
that the page, the websocket and the upstream agree on every range and rule.

After ``is_valid()``: ``form.provider`` is the ``Provider``, ``form.api_key`` the chosen ``ApiKey``
or None, ``form.warnings`` what the profile will drop from this request ("top_k is ignored by
DeepSeek"), ``form.notices`` what the provider does not support at all. (In templates
``form.provider`` is the bound field, as for every field.)
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser

from playground.accounts.models import ApiKey
from playground.accounts.providers import providers_for_user
from playground.conversations.form_fields import (
    ApiKeySelect,
    StopSequencesField,
    parse_tools,
)
from playground.conversations.models import Conversation, UserPreferences
from playground.wire.profiles import Support
from playground.wire.providers import Provider
from playground.wire.request import BuiltRequest, RequestInvalid, build_request

MAX_MESSAGE_CHARS = 200_000
MAX_SYSTEM_CHARS = 200_000
MAX_TOOLS_CHARS = 200_000

DEFAULT_SETTINGS: dict[str, Any] = {
    "model": "deepseek-v4-flash",
    "system": "",
    "max_tokens": 8192,
    "temperature": None,
    "top_p": None,
    "top_k": None,
    "stop_sequences": [],
    "thinking": "enabled",
    "effort": "",
    "tools": "",
    "tool_choice": "auto",
    "tool_name": "",
}
SETTINGS_FIELDS = tuple(DEFAULT_SETTINGS)

# The first part of a wire error's dotted path -> the form field that holds that value.
_FIELD_OF_PATH = {
    "model": "model",
    "max_tokens": "max_tokens",
    "system": "system",
    "temperature": "temperature",
    "top_p": "top_p",
    "top_k": "top_k",
    "stop_sequences": "stop_sequences",
    "thinking": "thinking",
    "output_config": "effort",
    "tools": "tools",
    "tool_choice": "tool_choice",
}
# Profile entries about things this form can send; the rest of a profile cannot apply here.
_FORM_PROFILE_FIELDS = ("top_k",)
_FORM_PROFILE_BLOCKS = ("image", "document")
# Settings are checked with a stand-in conversation; the real one is checked by build_body.
_STAND_IN_MESSAGES = [{"role": "user", "content": "."}]


class RequestSettingsForm(forms.Form):
    provider = forms.ChoiceField(label="Provider")
    api_key = forms.ModelChoiceField(
        label="API key",
        queryset=ApiKey.objects.none(),
        required=False,
        empty_label="No key",
        widget=ApiKeySelect,
    )
    model = forms.CharField(label="Model", max_length=256)
    system = forms.CharField(
        label="System prompt",
        required=False,
        strip=False,
        max_length=MAX_SYSTEM_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    max_tokens = forms.IntegerField(label="Max tokens", min_value=1)
    temperature = forms.FloatField(
        label="Temperature", required=False, widget=forms.NumberInput(attrs={"step": "0.05"})
    )
    top_p = forms.FloatField(
        label="Top P", required=False, widget=forms.NumberInput(attrs={"step": "0.05"})
    )
    top_k = forms.IntegerField(label="Top K", required=False)
    stop_sequences = StopSequencesField(label="Stop sequences", required=False)
    thinking = forms.ChoiceField(label="Thinking", choices=[("enabled", "On"), ("disabled", "Off")])
    effort = forms.ChoiceField(
        label="Effort",
        required=False,
        choices=[
            ("", "Default"),
            ("low", "Low"),
            ("medium", "Medium"),
            ("high", "High"),
            ("max", "Max"),
        ],
    )
    tools = forms.CharField(
        label="Tools",
        required=False,
        strip=False,
        max_length=MAX_TOOLS_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "class": "mono"}),
    )
    tool_choice = forms.ChoiceField(
        label="Tool choice",
        choices=[("auto", "Auto"), ("any", "Any tool"), ("tool", "A named tool"), ("none", "None")],
    )
    tool_name = forms.CharField(label="Tool name", required=False, max_length=128)

    def __init__(
        self,
        data: Any = None,
        *,
        user: AbstractBaseUser,
        initial: dict[str, Any] | None = None,
        providers: dict[str, Provider] | None = None,
    ) -> None:
        """``providers``: the choices of Provider, if not every provider of the user (a form
        that is only validated needs only the one chosen: ``providers_to_choose``)."""
        super().__init__(data, initial=initial or {}, label_suffix="")
        self.user = user
        self.providers: dict[str, Provider] = (
            providers if providers is not None else providers_for_user(user)
        )
        self.fields["provider"].choices = [(s, p.name) for s, p in self.providers.items()]
        self.fields["api_key"].queryset = ApiKey.objects.filter(user=user)
        self.fields["api_key"].label_from_instance = lambda key: f"{key.label} ({key.masked})"
        for name, field in self.fields.items():
            _name_the_field_in_errors(field)
            field.widget.attrs.setdefault("aria-describedby", f"error-{name}")
        self.provider: Provider = self._chosen_provider()
        # The model box suggests the chosen provider's models (the page has a list per provider).
        self.fields["model"].widget.attrs["list"] = f"models-{self.provider.slug}"
        self.api_key: ApiKey | None = None
        self.warnings: list[str] = []
        self.tools_list: list[Any] | None = None

    # --- construction from what was saved ---

    @classmethod
    def from_conversation(
        cls, conversation: Conversation, *, user: AbstractBaseUser
    ) -> RequestSettingsForm:
        """An unbound form showing the settings the conversation's next turn will use."""
        initial = _initial(conversation.provider, conversation.api_key_id, conversation.settings)
        return cls(user=user, initial=initial)

    @classmethod
    def from_preferences(cls, *, user: AbstractBaseUser) -> RequestSettingsForm:
        """An unbound form for a new chat: the settings of the user's last sent message."""
        preferences = UserPreferences.objects.filter(user=user).first()
        if preferences is None:
            return cls(user=user, initial=_initial("simulator", None, {}))
        return cls(
            user=user,
            initial=_initial(preferences.provider, preferences.api_key_id, preferences.settings),
        )

    # --- validation ---

    def clean_max_tokens(self) -> int:
        value = self.cleaned_data["max_tokens"]
        cap = settings.PLAYGROUND_MAX_TOKENS_CAP
        if value > cap:
            raise forms.ValidationError(
                f"Max tokens must be at most {cap:,} on this server (the operator's limit)."
            )
        return value

    def clean_tools(self) -> str:
        text = self.cleaned_data["tools"]
        self.tools_list = parse_tools(text)
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        slug = data.get("provider")
        if slug is None:
            return data
        self.provider = self.providers[slug]
        if "api_key" not in self.errors:
            self.api_key = self._clean_api_key(data.get("api_key"))
        try:
            built = build_request(self._params(_STAND_IN_MESSAGES), profile=self.provider.profile)
        except RequestInvalid as invalid:
            for error in invalid.errors:
                self._add_wire_error(error.field, error.message)
        else:
            self.warnings = built.warnings
        return data

    def _clean_api_key(self, key: ApiKey | None) -> ApiKey | None:
        provider = self.provider
        if key is not None and key.provider != provider.slug:
            self.add_error(
                "api_key",
                f"API key: “{key.label}” is a key for another provider, not {provider.name}.",
            )
            return None
        if key is None and provider.requires_key:
            self.add_error(
                "api_key",
                f"API key: {provider.name} needs one. Choose a key, or add one on the API keys "
                "page.",
            )
        return key

    def _add_wire_error(self, path: str, message: str) -> None:
        head = path.split(".", 1)[0]
        name = "tool_name" if path == "tool_choice.name" else _FIELD_OF_PATH.get(head)
        if name is None:
            self.add_error(None, message)
        elif name not in self.errors:  # the field's own check already said what is wrong
            self.add_error(name, message)

    # --- what validation produced ---

    @property
    def notices(self) -> list[str]:
        """What the provider ignores or refuses among what this page can send, as sentences."""
        profile = self.provider.profile
        sentences = [profile.field_notice(name) for name in _FORM_PROFILE_FIELDS]
        sentences += [
            profile.block_notice(kind)
            for kind in _FORM_PROFILE_BLOCKS
            if profile.block_support(kind) is not Support.HONOURED
        ]
        return [s for s in sentences if s and s not in self.warnings]

    def settings_json(self) -> dict[str, Any]:
        """The settings as Conversation.settings and UserPreferences.settings store them."""
        return {name: self.cleaned_data.get(name) for name in SETTINGS_FIELDS}

    def build_body(self, messages: list[dict[str, Any]]) -> BuiltRequest:
        """The streaming request for ``messages``; RequestInvalid if the history breaks a rule."""
        return build_request(self._params(messages), profile=self.provider.profile, stream=True)

    def _params(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        params: dict[str, Any] = {
            "model": data.get("model"),
            "max_tokens": data.get("max_tokens"),
            "messages": messages,
            "system": data.get("system") or None,
            "temperature": data.get("temperature"),
            "top_p": data.get("top_p"),
            "top_k": data.get("top_k"),
            "stop_sequences": data.get("stop_sequences") or None,
        }
        if data.get("thinking"):
            params["thinking"] = {"type": data["thinking"]}
        if data.get("effort"):
            params["output_config"] = {"effort": data["effort"]}
        if "tools" in data and self.tools_list:
            params["tools"] = self.tools_list
        choice = data.get("tool_choice")
        # Without tools "auto" and "none" mean nothing to send; "any" and "tool" are an error
        # the builder words, unless the tools themselves are what is wrong.
        wanted = "tools" in params or choice in ("any", "tool")
        if choice and wanted and "tools" not in self.errors:
            params["tool_choice"] = {"type": choice}
            if choice == "tool":
                params["tool_choice"]["name"] = data.get("tool_name") or None
        return params

    def _chosen_provider(self) -> Provider:
        slug = self.data.get("provider") if self.is_bound else self.initial.get("provider")
        chosen = self.providers.get(slug) if isinstance(slug, str) else None
        return chosen or next(iter(self.providers.values()))


class ComposeForm(forms.Form):
    message = forms.CharField(
        label="Message",
        max_length=MAX_MESSAGE_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Ask anything. Ctrl+Enter sends."}),
    )

    def __init__(self, data: Any = None, *, required: bool = True) -> None:
        """``required`` False: the text is optional (it follows tool results, or there is no
        new question at all when an answer is regenerated)."""
        super().__init__(data, label_suffix="")
        field = self.fields["message"]
        field.required = required
        field.error_messages["required"] = "Message: write something to send."
        field.error_messages["max_length"] = (
            "Message must be at most %(limit_value)s characters (it has %(show_value)s)."
        )
        field.widget.attrs["aria-describedby"] = "error-message"


class RenameForm(forms.Form):
    """A conversation's title; blank goes back to the title taken from the first message."""

    title = forms.CharField(label="Title", max_length=200, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["title"].error_messages["max_length"] = (
            "Title must be at most %(limit_value)s characters (it has %(show_value)s)."
        )


def _initial(provider: str, api_key_id: int | None, saved: dict[str, Any]) -> dict[str, Any]:
    known = {k: v for k, v in saved.items() if k in DEFAULT_SETTINGS}
    return {**DEFAULT_SETTINGS, **known, "provider": provider, "api_key": api_key_id}


def _name_the_field_in_errors(field: forms.Field) -> None:
    """Django's stock messages ("This field is required.") do not say which field they are on."""
    label = field.label
    if isinstance(field, forms.IntegerField):  # FloatField is one too
        whole = not isinstance(field, forms.FloatField)
        field.error_messages["invalid"] = f"{label} must be a {'whole ' if whole else ''}number."
    field.error_messages.update(
        {
            "required": f"{label} is required.",
            "invalid_choice": f"{label}: choose one of the options in the list.",
            "min_value": f"{label} must be at least %(limit_value)s.",
            "max_value": f"{label} must be at most %(limit_value)s.",
            "max_length": f"{label} must be at most %(limit_value)s characters "
            "(it has %(show_value)s).",
        }
    )
