"""One decision, in one place: render the whole page, or only the fragment htmx asked for."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def wants_fragment(request: HttpRequest) -> bool:
    """True for an htmx swap; a history restore (back button, cache miss) needs the page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def render_page_or_fragment(
    request: HttpRequest, template_name: str, context: dict, *, fragment: str, status: int = 200
) -> HttpResponse:
    """Render ``template_name``, or its ``{% partialdef fragment %}`` for an htmx request."""
    if wants_fragment(request):
        template_name = f"{template_name}#{fragment}"
    return render(request, template_name, context, status=status)
