"""System checks: the server refuses to start with encryption keys it could not use."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from playground.accounts.crypto import build_multi_fernet, parse_keys


@checks.register(checks.Tags.security)
def check_encryption_keys(**kwargs: object) -> list[checks.CheckMessage]:
    try:
        build_multi_fernet(parse_keys(settings.PLAYGROUND_ENCRYPTION_KEYS))
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="accounts.E001")]
    return []
