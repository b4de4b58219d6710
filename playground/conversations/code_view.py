""" "View code": the request the page would send next, as JSON, curl, Python and TypeScript.

The request is built from the compose form's current values by the same ``build_body`` a send
uses, over the conversation's current path plus the turn the page would add (the tool results
and the Message box's text, "…" for what is not typed yet). The snippets never hold a key: they
read it from an environment variable named after the provider (``DEEPSEEK_API_KEY``), and call
the provider's real URL. The curl command is meant to be pasted into a shell as it is.
"""

from __future__ import annotations

import json
import pprint
import re
import shlex
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

from playground.conversations.forms import RequestSettingsForm
from playground.conversations.services import conversation_get_for_user, conversation_path
from playground.conversations.services import request_messages as path_request_messages
from playground.conversations.tool_loop import PLACEHOLDER, pending_tool_calls, tool_results_turn
from playground.wire.providers import ANTHROPIC_VERSION, AuthScheme, Provider
from playground.wire.request import RequestInvalid

# What ``messages.create`` of the Python SDK takes by name; anything else goes in ``extra_body``
# (the SDK sends it as is), so that the snippet runs whatever the request holds.
_PYTHON_SDK_PARAMS = frozenset(
    {
        "model",
        "max_tokens",
        "messages",
        "system",
        "stop_sequences",
        "stream",
        "thinking",
        "tool_choice",
        "tools",
        "metadata",
        "output_config",
    }
)


@dataclass(frozen=True)
class CodeView:
    """The snippets, or why the request cannot be built (``errors``, sentences)."""

    errors: list[str]
    json: str = ""
    curl: str = ""
    python: str = ""
    typescript: str = ""
    key_variable: str = ""


def code_view(*, user: AbstractBaseUser, data: Any) -> CodeView:
    """The code for the request the page's form (``data``, as a send would get it) describes.
    Http404 if ``data`` names a conversation that is not ``user``'s."""
    settings_form = RequestSettingsForm(data=data, user=user)
    if not settings_form.is_valid():
        return CodeView(errors=_form_errors(settings_form))
    try:
        built = settings_form.build_body(_next_messages(user=user, data=data))
    except RequestInvalid as invalid:
        return CodeView(errors=[error.message for error in invalid.errors])
    return code_snippets(provider=settings_form.provider, body=built.body)


def code_snippets(*, provider: Provider, body: dict[str, Any]) -> CodeView:
    variable = key_variable(provider)
    return CodeView(
        errors=[],
        json=json.dumps(body, indent=2, ensure_ascii=False),
        curl=_curl(provider, variable, body),
        python=_python(provider, variable, body),
        typescript=_typescript(provider, variable, body),
        key_variable=variable,
    )


def key_variable(provider: Provider) -> str:
    """``DEEPSEEK_API_KEY`` for the provider ``deepseek``; a shell-safe name for any slug."""
    stem = re.sub(r"[^A-Z0-9]+", "_", provider.slug.upper()).strip("_") or "PROVIDER"
    return f"{'_' if stem[0].isdigit() else ''}{stem}_API_KEY"


def _next_messages(*, user: AbstractBaseUser, data: Any) -> list[dict[str, Any]]:
    """The conversation's path as sent, plus the user turn the page would add now."""
    conversation_id = str(data.get("conversation_id") or "").strip()
    path = []
    if conversation_id.isdigit():
        conversation = conversation_get_for_user(user=user, conversation_id=int(conversation_id))
        path = conversation_path(conversation=conversation)
    text = str(data.get("message") or "").strip()
    calls = pending_tool_calls(path[-1] if path else None)
    if calls:
        content, _ = tool_results_turn(calls=calls, data=data, text=text, placeholder=True)
    else:
        content = [{"type": "text", "text": text or PLACEHOLDER}]
    messages = path_request_messages(path=path)
    if messages and messages[-1]["role"] == "user":
        messages[-1]["content"] += content  # as a send after a failed answer joins them
    else:
        messages.append({"role": "user", "content": content})
    return messages


def _form_errors(form: RequestSettingsForm) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


def _auth_header(provider: Provider, variable: str) -> str:
    if provider.auth_scheme is AuthScheme.BEARER:
        return f"authorization: Bearer ${variable}"
    return f"x-api-key: ${variable}"


def _curl(provider: Provider, variable: str, body: dict[str, Any]) -> str:
    headers = {"content-type": "application/json", "anthropic-version": ANTHROPIC_VERSION}
    lines = [f"curl --no-buffer {shlex.quote(provider.messages_url())}"]
    lines += [f"  -H {shlex.quote(f'{name}: {value}')}" for name, value in headers.items()]
    # Double quotes, so that the shell puts the key in from the environment.
    lines.append(f'  -H "{_auth_header(provider, variable)}"')
    lines.append(f"  -d {shlex.quote(json.dumps(body, indent=2, ensure_ascii=False))}")
    return " \\\n".join(lines)


def _python(provider: Provider, variable: str, body: dict[str, Any]) -> str:
    named = {k: v for k, v in body.items() if k in _PYTHON_SDK_PARAMS}
    extra = {k: v for k, v in body.items() if k not in _PYTHON_SDK_PARAMS}
    key_argument = "auth_token" if provider.auth_scheme is AuthScheme.BEARER else "api_key"
    arguments = pprint.pformat(named, indent=1, width=92, sort_dicts=False)
    lines = [
        "import os",
        "",
        "import anthropic",
        "",
        "client = anthropic.Anthropic(",
        f"    base_url={provider.base_url.rstrip('/')!r},",
        f"    {key_argument}=os.environ[{variable!r}],",
        ")",
        "",
        f"body = {arguments}",
    ]
    call = "client.messages.create(**body)"
    if extra:
        lines.append(f"extra_body = {pprint.pformat(extra, width=92, sort_dicts=False)}")
        call = "client.messages.create(**body, extra_body=extra_body)"
    if body.get("stream"):
        lines += ["", f"for event in {call}:", "    print(event.to_json(indent=None))"]
    else:
        lines += ["", f"print({call}.to_json())"]
    return "\n".join(lines) + "\n"


def _typescript(provider: Provider, variable: str, body: dict[str, Any]) -> str:
    key_option = (
        f'apiKey: null,\n  authToken: process.env["{variable}"],'
        if provider.auth_scheme is AuthScheme.BEARER
        else f'apiKey: process.env["{variable}"],'
    )
    request = json.dumps(body, indent=2, ensure_ascii=False)
    lines = [
        'import Anthropic from "@anthropic-ai/sdk";',
        "",
        "const client = new Anthropic({",
        f"  baseURL: {json.dumps(provider.base_url.rstrip('/'))},",
        f"  {key_option}",
        "});",
        "",
        f"const response = await client.messages.create({request});",
    ]
    if body.get("stream"):
        lines += ["for await (const event of response) {", "  console.log(JSON.stringify(event));"]
        lines.append("}")
    else:
        lines.append("console.log(JSON.stringify(response, null, 2));")
    return "\n".join(lines) + "\n"
