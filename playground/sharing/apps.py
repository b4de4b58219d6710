"""The sharing app: share links, the public read-only page, fork into one's own account."""

from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "playground.sharing"
    label = "sharing"
    verbose_name = "Sharing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from playground.sharing import signals  # noqa: F401  (registers receivers)
