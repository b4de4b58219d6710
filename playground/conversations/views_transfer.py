"""Export and import pages: a conversation downloaded as JSON or Markdown, a file imported.

Exports look the conversation up for the signed-in user first (404 for anyone else's) and are
downloads (``Content-Disposition: attachment``). Import refuses a body larger than the setting
``PLAYGROUND_IMPORT_MAX_BYTES`` from its Content-Length, before the upload is parsed, and reads a
smaller file in chunks up to that limit; a file it cannot import is named with every reason, and
nothing is saved.
"""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from playground.conversations.import_transfer import (
    ImportInvalid,
    conversation_import,
    too_large,
    upload_read,
)
from playground.conversations.models import Conversation
from playground.conversations.services import conversation_get_for_user
from playground.conversations.transfer import conversation_export, conversation_export_markdown

IMPORT_PAGE = "sharing/import.html"
# Room for the multipart envelope (boundaries, headers, the CSRF field) around the file itself.
_ENVELOPE_BYTES = 64 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Conversation file",
        help_text="A playground JSON export, or a Messages API request body (JSON).",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["file"].error_messages.update(
            required="Conversation file: choose a file to import.",
            empty="Conversation file: the file is empty.",
            invalid="Conversation file: that is not a file upload.",
        )


def _download(conversation: Conversation, body: str, *, extension: str, kind: str) -> HttpResponse:
    name = slugify(conversation.title)[:60] or f"conversation-{conversation.pk}"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


def conversation_export_json(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = conversation_get_for_user(user=request.user, conversation_id=conversation_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    document = conversation_export(conversation=conversation)
    body = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return _download(conversation, body, extension="json", kind="application/json")


def conversation_export_md(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = conversation_get_for_user(user=request.user, conversation_id=conversation_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    body = conversation_export_markdown(conversation=conversation)
    return _download(conversation, body, extension="md", kind="text/markdown; charset=utf-8")


@require_http_methods(["GET", "POST"])
def conversation_import_page(request: HttpRequest) -> HttpResponse:
    limit = settings.PLAYGROUND_IMPORT_MAX_BYTES
    context = {"form": ImportForm(), "errors": [], "limit_mb": f"{limit / 1e6:g}"}
    if request.method == "GET":
        return render(request, IMPORT_PAGE, context)
    if _declared_length(request) > limit + _ENVELOPE_BYTES:
        # Refused from the header alone: the upload is not parsed.
        context["errors"] = [too_large(limit)]
        return render(request, IMPORT_PAGE, context, status=413)
    form = ImportForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return render(request, IMPORT_PAGE, context, status=400)
    try:
        data = upload_read(form.cleaned_data["file"], limit=limit)
        imported = conversation_import(user=request.user, data=data)
    except ImportInvalid as invalid:
        context["errors"] = invalid.errors
        return render(request, IMPORT_PAGE, context, status=400)
    messages.success(request, f"Imported “{imported.conversation}”.")
    for notice in imported.notices:
        messages.info(request, notice)
    return redirect(reverse("conversation", kwargs={"conversation_id": imported.conversation.pk}))


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
