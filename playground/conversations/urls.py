"""The playground's URLs: a new chat at ``/``, conversations under ``/c/<id>/``, and what the
page asks about one message (``/m/<id>/…``) or the request it would send (``/code/``)."""

from django.urls import path

from playground.conversations import code_views, message_views, views

urlpatterns = [
    path("", views.new_chat, name="home"),
    path("c/<int:conversation_id>/", views.conversation_detail, name="conversation"),
    path("c/<int:conversation_id>/rename/", views.conversation_rename, name="conversation_rename"),
    path("c/<int:conversation_id>/delete/", views.conversation_delete, name="conversation_delete"),
    path("settings/check/", views.settings_check, name="settings_check"),
    path("code/", code_views.code_show, name="code_show"),
    path("m/<int:message_id>/inspect/", message_views.message_inspect, name="message_inspect"),
    path("m/<int:message_id>/branch/", message_views.message_branch_show, name="message_branch"),
]
