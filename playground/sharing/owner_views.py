"""The owner's side of sharing: the Share form of a conversation or of a comparison, the list of
their links, Revoke.

Every view looks the conversation, comparison or link up for the signed-in user before anything
else, so that someone else's id is a 404 whatever the method. The Share form is fetched into the
playground's (or the compare page's) "Share" dialog by htmx, and works as a page of its own
without script.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from playground.accounts.partials import wants_fragment
from playground.compare.sessions import compare_get_for_user
from playground.conversations.services import conversation_get_for_user, conversation_path
from playground.sharing import services
from playground.sharing.forms import CompareShareForm, LinkOptionsForm, ShareForm
from playground.sharing.models import ShareLink

SHARE_PAGE = "sharing/share.html"
LIST_PAGE = "sharing/shares.html"


def share_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("share_page", kwargs={"token": token}))


def share_create(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """GET: the Share form; POST: a new link, shown with a Copy button (or the form's errors)."""
    conversation = conversation_get_for_user(user=request.user, conversation_id=conversation_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    path = conversation_path(conversation=conversation)
    form = ShareForm(request.POST if request.method == "POST" else None, path=path)
    context = {
        "title": conversation.title or "Untitled",
        "subject": "conversation",
        "form_url": reverse("share_create", kwargs={"conversation_id": conversation.pk}),
        "panel_id": f"share-panel-{conversation.pk}",
        "back_url": reverse("conversation", kwargs={"conversation_id": conversation.pk}),
    }

    def create() -> services.CreatedShare:
        return services.share_create(
            conversation=conversation,
            mode=form.cleaned_data["mode"],
            up_to_message=form.up_to_message,
            show_system=form.cleaned_data["show_system"],
            expires_in=form.expires_in,
        )

    return _share_form(request, form, context, create=create)


def compare_share_create(request: HttpRequest, compare_id: int) -> HttpResponse:
    """GET: a comparison's Share form; POST: a new live link to it (or the form's errors). A
    comparison never sent (the draft) has nothing to share yet: its form says so."""
    session = compare_get_for_user(user=request.user, compare_id=compare_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = CompareShareForm(request.POST if request.method == "POST" else None)
    context = {
        "title": session.title or "New comparison",
        "subject": "comparison",
        "form_url": reverse("compare_share_create", kwargs={"compare_id": session.pk}),
        "panel_id": f"compare-share-panel-{session.pk}",
        "back_url": reverse("compare_session", kwargs={"compare_id": session.pk}),
        "nothing_yet": not session.title,
    }

    def create() -> services.CreatedShare:
        return services.share_create_for_comparison(
            session=session,
            show_system=form.cleaned_data["show_system"],
            expires_in=form.expires_in,
        )

    return _share_form(request, form, context, create=None if not session.title else create)


def _share_form(
    request: HttpRequest,
    form: LinkOptionsForm,
    context: dict[str, Any],
    *,
    create: Callable[[], services.CreatedShare] | None,
) -> HttpResponse:
    """The form (GET), or on POST the new link made by ``create`` (None: nothing to share) or
    the form's errors; the panel alone when htmx asks."""
    context = {**context, "form": form, "created": None, "url": ""}
    status = 200
    if request.method == "POST":
        if create is not None and form.is_valid():
            created = create()
            context.update(created=created.link, url=share_url(request, created.token))
        else:
            status = 400
    template = f"{SHARE_PAGE}#share-panel" if wants_fragment(request) else SHARE_PAGE
    return render(request, template, context, status=status)


@require_GET
def shares_list(request: HttpRequest) -> HttpResponse:
    rows = []
    for link in services.share_list(user=request.user):
        token = services.share_token(link=link)
        rows.append({"link": link, "url": share_url(request, token) if token else ""})
    return render(request, LIST_PAGE, {"rows": rows, "Mode": ShareLink.Mode})


def share_revoke(request: HttpRequest, share_id: int) -> HttpResponse:
    """POST: close the link for good; the page, its fragments and its socket all refuse it."""
    link = services.share_get_for_owner(user=request.user, share_id=share_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.share_revoke(link=link)
    if wants_fragment(request):
        row = {"link": link, "url": ""}
        return render(request, f"{LIST_PAGE}#share-row", {"row": row, "Mode": ShareLink.Mode})
    messages.success(request, "Revoked: the link opens nothing any more.")
    return redirect("shares")
