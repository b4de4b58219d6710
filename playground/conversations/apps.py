from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "playground.conversations"
    label = "conversations"
    verbose_name = "Conversations"
