"""Import: a conversation file read, checked whole, and saved as a new conversation or not at all.

Two kinds of file are read. A playground export (``"format": "playground.conversation"``,
see ``transfer``) rebuilds the tree of messages and the current leaf exactly; its ``request`` is
what the conversation stands for and is not read back. A bare Messages API request body
(``{"model", "messages": [...], ...}``) becomes a linear conversation whose settings come from
the request's fields, checked by the wire builder with the provider's profile.

Every problem is collected before anything is saved, each naming where it is
(``messages[3].content[0].type: unsupported block type "image_url"``); the settings are checked by
the playground's own settings form, so that an imported conversation can be continued as it is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

from playground.accounts.providers import providers_for_user
from playground.conversations.forms import DEFAULT_SETTINGS, RequestSettingsForm
from playground.conversations.models import Conversation, Message, UserPreferences
from playground.conversations.services import automatic_title, message_text
from playground.conversations.transfer import FORMAT, VERSION, MessageRecord, conversation_build
from playground.wire.profiles import PROFILE_BLOCKS, SERVER_TOOL_BLOCKS
from playground.wire.providers import Provider
from playground.wire.request import RequestInvalid, build_request

MAX_ERRORS = 50
_ASSISTANT_ONLY = frozenset({"thinking", "redacted_thinking", "tool_use", *SERVER_TOOL_BLOCKS})
_USER_ONLY = frozenset({"tool_result", "image", "document", "search_result"})
_TOOL_RESULT_BLOCKS = ("text", "image", "document", "search_result")
_STATES = tuple(Message.State.values)
# Settings form field -> where its value sits in a Messages request, for error messages.
_REQUEST_PATHS = {
    "thinking": "thinking.type",
    "effort": "output_config.effort",
    "tool_choice": "tool_choice.type",
    "tool_name": "tool_choice.name",
}
# Request fields kept as settings; the rest of a request has no place in a conversation.
_KEPT_FIELDS = frozenset(
    {"model", "max_tokens", "system", "messages", "temperature", "top_p", "top_k"}
    | {"stop_sequences", "thinking", "output_config", "tools", "tool_choice", "stream"}
)


class ImportInvalid(ValueError):
    """The file cannot be imported; ``errors`` says every reason found, each naming its place."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class Imported:
    conversation: Conversation
    notices: list[str]  # what was changed or left out on the way in


def upload_read(upload: Any, *, limit: int) -> bytes:
    """The bytes of an uploaded file, read in chunks; ImportInvalid past ``limit`` bytes."""
    if upload.size is not None and upload.size > limit:
        raise ImportInvalid([too_large(limit)])
    data = bytearray()
    for chunk in upload.chunks():
        data += chunk
        if len(data) > limit:
            raise ImportInvalid([too_large(limit)])
    return bytes(data)


def too_large(limit: int) -> str:
    return f"The file is too large: this server imports files of at most {limit / 1e6:g} MB."


def conversation_import(*, user: AbstractBaseUser, data: bytes) -> Imported:
    """Save the conversation in ``data`` as a new one of ``user``'s; ImportInvalid otherwise."""
    document = _parse(data)
    if not isinstance(document, dict):
        raise ImportInvalid(
            [
                "The file must hold a JSON object (a playground export or a Messages API "
                f"request body), not {_describe(document)}."
            ]
        )
    providers = providers_for_user(user)
    if "format" in document:
        plan = _from_export(document, user=user, providers=providers)
    elif "messages" in document:
        plan = _from_request(document, user=user, provider=_preferred_provider(user, providers))
    else:
        raise ImportInvalid(
            [
                'The file is neither a playground export (it has no "format") nor a Messages '
                'API request body (it has no "messages").'
            ]
        )
    conversation = conversation_build(
        user=user,
        title=plan.title,
        provider=plan.provider.slug,
        settings=plan.settings,
        records=plan.records,
        current=plan.current,
    )
    return Imported(conversation=conversation, notices=plan.notices)


class _NotJSON(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _NotJSON(f"{name} is not a number JSON allows")


def _parse(data: bytes) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportInvalid(
            [f"The file is not UTF-8 text (an invalid byte at position {error.start})."]
        ) from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise ImportInvalid([f"The file is not valid JSON: {error.msg} ({where})."]) from None
    except _NotJSON as error:
        raise ImportInvalid([f"The file is not valid JSON: {error}."]) from None
    except RecursionError:
        raise ImportInvalid(["The file's JSON is nested too deeply to be read."]) from None


@dataclass
class _Plan:
    title: str
    provider: Provider
    settings: dict[str, Any]
    records: list[MessageRecord]
    current: int | None
    notices: list[str]


class _Problems:
    """Every error found, each as "path: what is wrong"."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def add(self, path: str, words: str) -> None:
        self.errors.append(f"{path}: {words}" if path else words)

    def raise_any(self) -> None:
        if self.errors:
            shown = self.errors[:MAX_ERRORS]
            if len(self.errors) > MAX_ERRORS:
                shown.append(f"… and {len(self.errors) - MAX_ERRORS} more problems.")
            raise ImportInvalid(shown)

    def expect(self, value: Any, path: str, kinds: tuple[type, ...], words: str) -> bool:
        if isinstance(value, bool) and bool not in kinds:
            ok = False
        else:
            ok = isinstance(value, kinds)
        if not ok:
            self.add(path, f"must be {words}, not {_describe(value)}")
        return ok


def _at(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, int | float):
        return f"the number {value}"
    return {dict: "an object", list: "a list"}.get(type(value), type(value).__name__)


# --- a playground export ----------------------------------------------------------------------


def _from_export(
    document: dict[str, Any], *, user: AbstractBaseUser, providers: dict[str, Provider]
) -> _Plan:
    problems = _Problems()
    if document.get("format") != FORMAT:
        problems.add("format", f'{_describe(document.get("format"))} is not "{FORMAT}"')
    if document.get("version") != VERSION:
        problems.add(
            "version",
            f"{_describe(document.get('version'))} is not supported "
            f"(this server reads version {VERSION})",
        )
    problems.raise_any()

    about = document.get("conversation", {})
    title, slug, saved_settings = "", "simulator", {}
    if problems.expect(about, "conversation", (dict,), "an object"):
        title = about.get("title") or ""
        if problems.expect(title, "conversation.title", (str,), "text"):
            title = " ".join(title.split())
            if len(title) > 200:
                problems.add("conversation.title", "must be at most 200 characters")
        slug = about.get("provider") or "simulator"
        problems.expect(slug, "conversation.provider", (str,), "text")
        saved_settings = about.get("settings") or {}
        problems.expect(saved_settings, "conversation.settings", (dict,), "an object")

    records, ids = _records(document.get("messages"), problems)
    current = None
    leaf = document.get("current")
    if records and leaf not in ids:
        problems.add("current", f"{_describe(leaf)} is not the id of one of the messages")
    elif records:
        current = ids[leaf]
    problems.raise_any()

    notices = []
    provider = providers.get(slug) if isinstance(slug, str) else None
    if provider is None:
        provider = providers["simulator"]
        notices.append(f"The provider {slug!r} is not one of yours: the Simulator is used instead.")
    if any(record.fields.get("_was_streaming") for record in records):
        notices.append("Answers that were still being written are imported as interrupted.")
    records = [_without_marker(record) for record in records]
    settings = _checked_settings(
        user=user,
        provider=provider,
        settings=saved_settings,
        where=lambda field: f"conversation.settings.{field}",
    )
    return _Plan(
        title=title or _title_of(records),
        provider=provider,
        settings=settings,
        records=records,
        current=current,
        notices=notices,
    )


def _records(value: Any, problems: _Problems) -> tuple[list[MessageRecord], dict[Any, int]]:
    """The message records of an export and their export ids -> index."""
    if not problems.expect(value, "messages", (list,), "a list"):
        return [], {}
    records: list[MessageRecord] = []
    ids: dict[Any, int] = {}
    for index, item in enumerate(value):
        path = _at("messages", index)
        if not problems.expect(item, path, (dict,), "an object"):
            continue
        local_id = item.get("id")
        if not isinstance(local_id, int | str) or isinstance(local_id, bool):
            problems.add(_at(path, "id"), f"must be a number or text, not {_describe(local_id)}")
            continue
        if local_id in ids:
            problems.add(_at(path, "id"), f"{_describe(local_id)} is the id of an earlier message")
            continue
        parent = item.get("parent")
        if parent is not None and parent not in ids:
            problems.add(
                _at(path, "parent"), f"{_describe(parent)} is not the id of an earlier message"
            )
        role = item.get("role")
        if role not in ("user", "assistant"):
            problems.add(_at(path, "role"), f'must be "user" or "assistant", not {_describe(role)}')
            role = ""
        content = _content(item.get("content"), _at(path, "content"), role, problems)
        fields = _record_fields(item, path, problems)
        ids[local_id] = len(records)
        records.append(
            MessageRecord(parent=ids.get(parent), role=role, content=content, fields=fields)
        )
    return records, ids


def _record_fields(item: dict[str, Any], path: str, problems: _Problems) -> dict[str, Any]:
    state = item.get("state") or Message.State.COMPLETE
    if state not in _STATES:
        listed = ", ".join(f'"{s}"' for s in _STATES)
        problems.add(_at(path, "state"), f"must be one of {listed}, not {_describe(state)}")
    fields: dict[str, Any] = {"state": state}
    if state == Message.State.STREAMING:
        # Nothing writes it any more: it is what an answer whose process went away is.
        fields.update(state=Message.State.INTERRUPTED, _was_streaming=True)
    checks: list[tuple[str, tuple[type, ...], str, Any]] = [
        ("model", (str,), "text", ""),
        ("provider", (str,), "text", ""),
        ("stop_reason", (str,), "text", ""),
        ("stop_sequence", (str,), "text", None),
        ("usage", (dict,), "an object", None),
        ("error", (dict,), "an object", None),
        ("first_token_ms", (int,), "a whole number", None),
        ("duration_ms", (int,), "a whole number", None),
        ("output_tokens_per_second", (int, float), "a number", None),
    ]
    limits = {"model": 256, "provider": 40, "stop_reason": 32}
    for name, kinds, words, empty in checks:
        value = item.get(name)
        if value is None:
            fields[name] = empty
            continue
        if not problems.expect(value, _at(path, name), kinds, words):
            continue
        if name in limits and len(value) > limits[name]:
            problems.add(_at(path, name), f"must be at most {limits[name]} characters")
        elif isinstance(value, int | float) and value < 0:
            problems.add(_at(path, name), f"must not be negative, not {value}")
        else:
            fields[name] = value
    return fields


def _without_marker(record: MessageRecord) -> MessageRecord:
    fields = {k: v for k, v in record.fields.items() if k != "_was_streaming"}
    return MessageRecord(
        parent=record.parent, role=record.role, content=record.content, fields=fields
    )


def _content(value: Any, path: str, role: str, problems: _Problems) -> list[dict[str, Any]]:
    if isinstance(value, str):
        value = [{"type": "text", "text": value}] if value else []
    if not problems.expect(value, path, (list,), "a list of content blocks"):
        return []
    if not value and role == "user":
        problems.add(path, "a user message must have content")
    for index, block in enumerate(value):
        _block(block, _at(path, index), role, problems)
    return value


def _block(block: Any, path: str, role: str, problems: _Problems) -> None:
    if not problems.expect(block, path, (dict,), "a content block (an object)"):
        return
    kind = block.get("type")
    if kind not in PROFILE_BLOCKS:
        problems.add(
            _at(path, "type"),
            f"unsupported block type {_describe(kind)} (expected one of "
            f"{', '.join(PROFILE_BLOCKS[:4])}, or another Messages API block type)",
        )
        return
    if kind in _ASSISTANT_ONLY and role == "user":
        problems.add(path, f"{kind} blocks belong in assistant messages")
    if kind in _USER_ONLY and role == "assistant":
        problems.add(path, f"{kind} blocks belong in user messages")
    for key, kinds, words in _BLOCK_FIELDS.get(kind, ()):
        value = block.get(key)
        if value is None and key in _OPTIONAL_BLOCK_FIELDS:
            continue
        if value is None:
            problems.add(_at(path, key), "is required")
        else:
            problems.expect(value, _at(path, key), kinds, words)
    if kind == "tool_result" and isinstance(block.get("content"), list):
        for index, item in enumerate(block["content"]):
            item_path = _at(_at(path, "content"), index)
            if isinstance(item, dict) and item.get("type") not in _TOOL_RESULT_BLOCKS:
                problems.add(
                    _at(item_path, "type"),
                    f"a tool_result cannot hold a {_describe(item.get('type'))} block",
                )
            else:
                _block(item, item_path, "user", problems)


_BLOCK_FIELDS: dict[str, tuple[tuple[str, tuple[type, ...], str], ...]] = {
    "text": (("text", (str,), "text"),),
    # A thinking block cut short (a stopped answer) has no signature yet.
    "thinking": (("thinking", (str,), "text"), ("signature", (str,), "text")),
    "redacted_thinking": (("data", (str,), "text"),),
    "tool_use": (("id", (str,), "text"), ("name", (str,), "text"), ("input", (dict,), "an object")),
    "server_tool_use": (("id", (str,), "text"), ("name", (str,), "text")),
    "tool_result": (("tool_use_id", (str,), "text"), ("content", (str, list), "text or a list")),
}
_OPTIONAL_BLOCK_FIELDS = frozenset({"signature", "content"})


# --- a bare Messages API request ----------------------------------------------------------------


def _preferred_provider(user: AbstractBaseUser, providers: dict[str, Provider]) -> Provider:
    """The provider the user last sent with (what "New chat" starts from), else the Simulator."""
    preferences = UserPreferences.objects.filter(user=user).first()
    slug = preferences.provider if preferences else "simulator"
    return providers.get(slug) or providers["simulator"]


def _from_request(document: dict[str, Any], *, user: AbstractBaseUser, provider: Provider) -> _Plan:
    try:
        built = build_request(document, profile=provider.profile, stream=False)
    except RequestInvalid as invalid:
        errors = [_bracketed(e.field, e.message) for e in invalid.errors]
        raise ImportInvalid(errors[:MAX_ERRORS]) from None
    body = built.body
    records = []
    for index, message in enumerate(body["messages"]):
        content = message["content"]
        if isinstance(content, str):
            content = [{"type": "text", "text": content}]
        records.append(
            MessageRecord(
                parent=index - 1 if index else None,
                role=message["role"],
                content=content,
                fields={"state": Message.State.COMPLETE},
            )
        )
    settings, notices = _request_settings(body)
    notices = list(built.warnings) + notices
    notices += [
        f"{key} is not kept: a conversation has no setting for it."
        for key in body
        if key not in _KEPT_FIELDS
    ]
    checked = _checked_settings(
        user=user,
        provider=provider,
        settings=settings,
        where=lambda field: _REQUEST_PATHS.get(field, field),
    )
    return _Plan(
        title=_title_of(records),
        provider=provider,
        settings=checked,
        records=records,
        current=len(records) - 1,
        notices=notices,
    )


def _bracketed(path: str, message: str) -> str:
    """A wire error as import errors read: ``messages.3.content.0`` becomes
    ``messages[3].content[0]``, in the path and wherever the message repeats it."""
    shown = re.sub(r"\.(\d+)", r"[\1]", path)
    message = message.replace(path, shown) if path else message
    return f"{shown}: {message}" if shown and not message.startswith(shown) else message


def _request_settings(body: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    notices = []
    system = body.get("system") or ""
    if isinstance(system, list):
        system = "\n\n".join(block.get("text", "") for block in system)
        notices.append("The system prompt's blocks were joined into one text.")
    thinking = body.get("thinking") or {}
    if thinking.get("budget_tokens") is not None:
        notices.append("thinking.budget_tokens is not kept: the playground sends no budget.")
    choice = body.get("tool_choice") or {}
    tools = body.get("tools")
    settings = {
        **DEFAULT_SETTINGS,
        "model": body["model"],
        "system": system,
        "max_tokens": body["max_tokens"],
        "temperature": body.get("temperature"),
        "top_p": body.get("top_p"),
        "top_k": body.get("top_k"),
        "stop_sequences": body.get("stop_sequences") or [],
        "thinking": thinking.get("type", DEFAULT_SETTINGS["thinking"]),
        "effort": (body.get("output_config") or {}).get("effort", ""),
        "tools": json.dumps(tools, indent=2, ensure_ascii=False) if tools else "",
        "tool_choice": choice.get("type", "auto"),
        "tool_name": choice.get("name", ""),
    }
    return settings, notices


# --- both kinds ---------------------------------------------------------------------------------


def _checked_settings(
    *,
    user: AbstractBaseUser,
    provider: Provider,
    settings: dict[str, Any],
    where: Callable[[str], str],
) -> dict[str, Any]:
    """The settings as the playground's settings form cleans them; ImportInvalid naming each
    field (``where(field)`` says where it is in the file) that the form refuses. The key is not
    part of a file: an imported conversation has none until its owner chooses one."""
    known = {**DEFAULT_SETTINGS, **{k: v for k, v in settings.items() if k in DEFAULT_SETTINGS}}
    data = {name: "" if value is None else value for name, value in known.items()}
    form = RequestSettingsForm({**data, "provider": provider.slug, "api_key": ""}, user=user)
    form.is_valid()
    errors = [
        f"{where(field) if field != '__all__' else where('settings')}: {message}"
        for field, messages in form.errors.items()
        if field != "api_key"
        for message in messages
    ]
    if errors:
        raise ImportInvalid(errors)
    return form.settings_json()


def _title_of(records: Iterable[MessageRecord]) -> str:
    first = next((r for r in records if r.role == Message.Role.USER), None)
    return automatic_title(message_text(first.content)) if first else ""
