"""The playground's URLs: a new chat at ``/``, conversations under ``/c/<id>/``."""

from django.urls import path

from playground.conversations import views

urlpatterns = [
    path("", views.new_chat, name="home"),
    path("c/<int:conversation_id>/", views.conversation_detail, name="conversation"),
    path("c/<int:conversation_id>/rename/", views.conversation_rename, name="conversation_rename"),
    path("c/<int:conversation_id>/delete/", views.conversation_delete, name="conversation_delete"),
    path("settings/check/", views.settings_check, name="settings_check"),
]
