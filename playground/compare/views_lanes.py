"""Lane changes from the compare page: add, duplicate, remove, vary a field or stop varying it,
copy a setting to every lane, and "Continue in playground".

Each POST carries the page's settings as typed (htmx ``hx-include``), stored first so that
nothing typed is lost; then the page reloads its lanes (a plain form post gets a redirect).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from playground.accounts.partials import wants_fragment
from playground.compare import sessions
from playground.compare.lane_settings import settings_save
from playground.compare.models import CompareSession, Lane


def _get_lane(request: HttpRequest, lane_id: int) -> Lane:
    return sessions.lane_get_for_user(user=request.user, lane_id=lane_id)


def _saved(request: HttpRequest, session: CompareSession) -> None:
    settings_save(session=session, lanes=sessions.compare_lanes(session=session), data=request.POST)


def _reload(request: HttpRequest, session: CompareSession) -> HttpResponse:
    if wants_fragment(request):
        return HttpResponseClientRefresh()
    return redirect("compare_session", compare_id=session.pk)


def _refused(request: HttpRequest, session: CompareSession, words: str) -> HttpResponse:
    if wants_fragment(request):
        return HttpResponse(
            format_html(
                '<div id="compare-errors" class="form-errors" role="alert" hx-swap-oob="true">'
                "<p>{}</p></div>",
                words,
            )
        )
    messages.error(request, words)
    return redirect("compare_session", compare_id=session.pk)


def lane_add(request: HttpRequest, compare_id: int) -> HttpResponse:
    session = sessions.compare_get_for_user(user=request.user, compare_id=compare_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _saved(request, session)
    try:
        sessions.lane_add(session=session)
    except sessions.LaneRefused as refused:
        return _refused(request, session, str(refused))
    return _reload(request, session)


def lane_change(request: HttpRequest, lane_id: int) -> HttpResponse:
    """``op``: duplicate, remove, vary, unvary or copy (the last three with ``field``)."""
    lane = _get_lane(request, lane_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    session = lane.session
    _saved(request, session)
    lane.refresh_from_db()
    op, field = request.POST.get("op", ""), request.POST.get("field", "")
    try:
        if op == "duplicate":
            sessions.lane_duplicate(lane=lane)
        elif op == "remove":
            sessions.lane_remove(lane=lane)
        elif op == "vary":
            sessions.lane_vary(lane=lane, field=field)
        elif op == "unvary":
            sessions.lane_unvary(lane=lane, field=field)
        elif op == "copy":
            sessions.setting_copy_to_all(lane=lane, field=field)
        else:
            return HttpResponse(f"Unknown lane change {op!r}.", status=400)
    except sessions.LaneRefused as refused:
        return _refused(request, session, str(refused))
    return _reload(request, session)


def lane_continue(request: HttpRequest, lane_id: int) -> HttpResponse:
    """The lane becomes a normal conversation, opened in the playground."""
    lane = _get_lane(request, lane_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    conversation = sessions.lane_continue(lane=lane)
    url = reverse("conversation", kwargs={"conversation_id": conversation.pk})
    if wants_fragment(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)
