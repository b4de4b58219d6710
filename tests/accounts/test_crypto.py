"""API keys are encrypted at rest with Fernet keys from settings, rotated through MultiFernet."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core import checks
from django.db import connection

from playground.accounts.crypto import SecretUnreadable, decrypt_secret, encrypt_secret
from playground.accounts.services import api_key_reveal


def test_the_database_column_holds_ciphertext_not_the_secret(alice, make_key, alices_secret):
    key = make_key(alice)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT secret_ciphertext, last4 FROM accounts_apikey WHERE id = %s", [key.pk]
        )
        ciphertext, last4 = cursor.fetchone()
    assert alices_secret not in ciphertext
    assert alices_secret[:8] not in ciphertext
    assert last4 == alices_secret[-4:]
    assert api_key_reveal(key=key) == alices_secret


def test_two_encryptions_of_one_secret_differ():
    assert encrypt_secret("sk-same-secret-1234") != encrypt_secret("sk-same-secret-1234")


def test_a_secret_encrypted_under_an_older_key_still_opens(settings):
    old = Fernet.generate_key().decode()
    settings.PLAYGROUND_ENCRYPTION_KEYS = [old]
    token = encrypt_secret("sk-written-long-ago")
    settings.PLAYGROUND_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old]
    assert decrypt_secret(token) == "sk-written-long-ago"


def test_a_secret_no_configured_key_opens_is_reported_as_unreadable(settings):
    settings.PLAYGROUND_ENCRYPTION_KEY_FILE = ""
    settings.PLAYGROUND_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    token = encrypt_secret("sk-lost-with-its-key")
    settings.PLAYGROUND_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(SecretUnreadable, match="no longer has"):
        decrypt_secret(token)


def test_a_running_process_picks_up_a_rotated_key_file(settings, tmp_path: Path):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    key_file = tmp_path / "encryption.key"
    key_file.write_text(old)
    settings.PLAYGROUND_ENCRYPTION_KEY_FILE = str(key_file)
    settings.PLAYGROUND_ENCRYPTION_KEYS = [old]
    encrypt_secret("warm the cache with the old key")
    rotated = Fernet(new).encrypt(b"sk-encrypted-by-the-rotation").decode()
    key_file.write_text(f"{new},{old}\n")
    assert decrypt_secret(rotated) == "sk-encrypted-by-the-rotation"


def test_an_invalid_encryption_key_stops_the_server_with_a_named_error(settings):
    settings.PLAYGROUND_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), "not-a-fernet-key"]
    errors = checks.run_checks(tags=[checks.Tags.security])
    messages = [error.msg for error in errors if error.id == "accounts.E001"]
    assert messages == [
        "PLAYGROUND_ENCRYPTION_KEY: key #2 is not a valid Fernet key (32 url-safe base64-encoded "
        "bytes, as made by Fernet.generate_key())"
    ]
