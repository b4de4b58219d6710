"""Encryption at rest for API keys: Fernet (AES-CBC + HMAC) through MultiFernet.

``settings.PLAYGROUND_ENCRYPTION_KEYS`` lists Fernet keys, newest first: the first encrypts, every
key decrypts. When the keys come from a key file, a token that no configured key opens makes this
process re-read the file once, so that ``rotate_encryption_key`` (which writes "new,old" into the
file before re-encrypting) takes effect in running servers without a restart.
"""

from __future__ import annotations

import threading
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

_lock = threading.Lock()
_state: dict[str, object] = {}


class SecretUnreadable(Exception):
    """A stored secret cannot be decrypted with any configured encryption key."""

    def __init__(self) -> None:
        super().__init__(
            "This key was encrypted with an encryption key the server no longer has; "
            "delete it and add it again."
        )


def parse_keys(raw: str | list[str]) -> list[str]:
    """Split a comma-separated key list (or clean a list), newest first."""
    items = raw.split(",") if isinstance(raw, str) else raw
    return [item.strip() for item in items if item.strip()]


def build_multi_fernet(keys: list[str]) -> MultiFernet:
    """A MultiFernet over ``keys``; ImproperlyConfigured names the bad key's position."""
    if not keys:
        raise ImproperlyConfigured("PLAYGROUND_ENCRYPTION_KEY holds no key")
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key))
        except (ValueError, TypeError):
            raise ImproperlyConfigured(
                f"PLAYGROUND_ENCRYPTION_KEY: key #{position} is not a valid Fernet key "
                "(32 url-safe base64-encoded bytes, as made by Fernet.generate_key())"
            ) from None
    return MultiFernet(fernets)


def _current() -> MultiFernet:
    with _lock:
        multi = _state.get("multi")
        if multi is None:
            keys = parse_keys(settings.PLAYGROUND_ENCRYPTION_KEYS)
            multi = build_multi_fernet(keys)
            _state.update(multi=multi, keys=keys)
        return multi  # type: ignore[return-value]


def _reload_from_key_file() -> bool:
    """Re-read the key file if it now holds other keys; True when the keys changed."""
    path = settings.PLAYGROUND_ENCRYPTION_KEY_FILE
    if not path:
        return False
    try:
        keys = parse_keys(Path(path).read_text())
    except OSError:
        return False
    with _lock:
        if not keys or keys == _state.get("keys"):
            return False
        _state.update(multi=build_multi_fernet(keys), keys=keys)
    return True


@receiver(setting_changed)
def _forget_keys_on_setting_change(*, setting: str, **kwargs: object) -> None:
    if setting in {"PLAYGROUND_ENCRYPTION_KEYS", "PLAYGROUND_ENCRYPTION_KEY_FILE"}:
        with _lock:
            _state.clear()


def encrypt_secret(plaintext: str) -> str:
    """Encrypt ``plaintext`` under the newest key; returns the Fernet token as text."""
    return _current().encrypt(plaintext.encode()).decode()


def decrypt_secret(ciphertext: str) -> str:
    """Decrypt a token made by ``encrypt_secret``; SecretUnreadable if no key opens it."""
    token = ciphertext.encode()
    try:
        return _current().decrypt(token).decode()
    except InvalidToken:
        if not _reload_from_key_file():
            raise SecretUnreadable() from None
    try:
        return _current().decrypt(token).decode()
    except InvalidToken:
        raise SecretUnreadable() from None
