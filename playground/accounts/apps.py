"""The accounts app: people, their encrypted API keys and their custom endpoints."""

import logging

from django.apps import AppConfig
from django.conf import settings

logger = logging.getLogger("playground.accounts")


class AccountsConfig(AppConfig):
    name = "playground.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from playground.accounts import checks, crypto, revocation  # noqa: F401  (registers receivers)

        if settings.PLAYGROUND_ENCRYPTION_KEY_GENERATED:
            # The operator must know: this file is the only way to read the stored API keys.
            logger.warning(
                "Generated a new encryption key for stored API keys in %s. Back this file up "
                "with the database: if it is lost, every stored API key is lost.",
                settings.PLAYGROUND_ENCRYPTION_KEY_FILE,
            )
