""" "View code": the request the page's current state would send, as JSON, curl, Python, TypeScript.

The page posts its compose form here (htmx); the answer is the code panel's content. A
conversation id in the form that is not the user's is a 404, like everywhere else.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from playground.conversations.code_view import code_view


@require_POST
def code_show(request: HttpRequest) -> HttpResponse:
    view = code_view(user=request.user, data=request.POST)
    return render(request, "conversations/_code_view.html", {"code": view})
