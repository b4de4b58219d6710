"""Export and import URLs: ``/c/<id>/export.json``, ``/c/<id>/export.md`` and ``/import/``."""

from django.urls import path

from playground.conversations import views_transfer

urlpatterns = [
    path(
        "c/<int:conversation_id>/export.json",
        views_transfer.conversation_export_json,
        name="conversation_export_json",
    ),
    path(
        "c/<int:conversation_id>/export.md",
        views_transfer.conversation_export_md,
        name="conversation_export_markdown",
    ),
    path("import/", views_transfer.conversation_import_page, name="conversation_import"),
]
