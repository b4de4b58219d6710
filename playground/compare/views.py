"""The compare page (``/compare/`` for the user's draft, ``/compare/<id>/`` for a session) and
what its htmx asks for: saving the settings as they change, the metrics once answers end, the
word diff of two lanes, the vote, and the stats page.

Sending and streaming go over the page's websocket (``playground.compare.consumers``). Every
view taking an id looks the object up for the signed-in user first: anyone else's is a 404.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.views.decorators.http import require_GET

from playground.compare import sessions
from playground.compare.lane_settings import settings_save
from playground.compare.presentation import (
    compare_overview,
    feedback_html,
    lane_last_text,
    metrics_context,
    page_context,
)
from playground.compare.votes import VoteRefused, vote_cast, vote_tally
from playground.compare.worddiff import word_diff

PAGE = "compare/page.html"


def _get_session(request: HttpRequest, compare_id: int) -> sessions.CompareSession:
    return sessions.compare_get_for_user(user=request.user, compare_id=compare_id)


@require_GET
def compare_new(request: HttpRequest) -> HttpResponse:
    """``/compare/``: the user's comparison not sent yet (a new one, flash against pro)."""
    session = sessions.compare_draft(user=request.user)
    return render(request, PAGE, page_context(user=request.user, session=session))


def compare_session(request: HttpRequest, compare_id: int) -> HttpResponse:
    session = _get_session(request, compare_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return render(request, PAGE, page_context(user=request.user, session=session))


def compare_save(request: HttpRequest, compare_id: int) -> HttpResponse:
    """Store the settings as typed and answer with their errors and what differs (swaps into
    their containers: no input the user is typing in is replaced)."""
    session = _get_session(request, compare_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    lanes = sessions.compare_lanes(session=session)
    settings_save(session=session, lanes=lanes, data=request.POST)
    return HttpResponse(feedback_html(user=request.user, session=session))


def compare_metrics(request: HttpRequest, compare_id: int) -> HttpResponse:
    session = _get_session(request, compare_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    context = metrics_context(user=request.user, session=session)
    return render(request, "compare/_metrics.html", context)


def compare_diff(request: HttpRequest, compare_id: int) -> HttpResponse:
    """A word-level diff of two lanes' last answers (``first`` and ``second``: lane ids)."""
    session = _get_session(request, compare_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    lanes = {str(lane.pk): lane for lane in sessions.compare_lanes(session=session)}
    first, second = (
        lanes.get(request.GET.get("first", "")),
        lanes.get(request.GET.get("second", "")),
    )
    context: dict = {"session": session}
    if first is None or second is None:
        context["problem"] = "Choose two of this comparison's lanes."
    elif first == second:
        context["problem"] = "Choose two different lanes."
    else:
        context["pieces"] = word_diff(lane_last_text(first), lane_last_text(second))
    return render(request, "compare/_word_diff.html", context)


def compare_vote(request: HttpRequest, compare_id: int) -> HttpResponse:
    session = _get_session(request, compare_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    overview = compare_overview(user=request.user, session=session)
    winner = request.POST.get("winner", "")
    context: dict = {"session": session, "lanes": overview.lanes}
    try:
        vote = vote_cast(
            session=session,
            lanes=[view.lane for view in overview.lanes],
            labels=[view.label for view in overview.lanes],
            winner_id=int(winner) if winner.isdigit() else None,
        )
    except VoteRefused as refused:
        context["problem"] = str(refused)
        return render(request, "compare/_vote_result.html", context, status=400)
    context["vote"] = vote
    return render(request, "compare/_vote_result.html", context)


@require_GET
def compare_stats(request: HttpRequest) -> HttpResponse:
    return render(request, "compare/stats.html", {"tallies": vote_tally(user=request.user)})
