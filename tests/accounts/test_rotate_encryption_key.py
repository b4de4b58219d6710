"""``manage.py rotate_encryption_key`` re-encrypts every secret and never prints one."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from playground.accounts.models import ApiKey
from playground.accounts.services import api_key_reveal


def rotate(*args: str) -> str:
    out = StringIO()
    call_command("rotate_encryption_key", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def key_file(settings, tmp_path: Path) -> tuple[Path, str]:
    old = Fernet.generate_key().decode()
    path = tmp_path / "encryption.key"
    path.write_text(old + "\n")
    settings.PLAYGROUND_ENCRYPTION_KEY_FILE = str(path)
    settings.PLAYGROUND_ENCRYPTION_KEYS = [old]
    return path, old


def test_with_a_key_file_the_file_becomes_new_then_old_and_every_secret_moves_to_new(
    settings, key_file, alice, bob, make_key, alices_secret
):
    path, old = key_file
    make_key(alice, secret=alices_secret)
    make_key(bob, secret="sk-bobs-own-secret-5678")
    output = rotate()

    new, kept = path.read_text().strip().split(",")
    assert kept == old and new != old
    assert path.stat().st_mode & 0o777 == 0o600
    assert "Re-encrypted 2 stored API keys." in output
    assert alices_secret not in output and alices_secret[:8] not in output
    assert new not in output, "the key file's content is not echoed"

    settings.PLAYGROUND_ENCRYPTION_KEY_FILE = ""
    settings.PLAYGROUND_ENCRYPTION_KEYS = [new]  # the new key alone opens every secret
    secrets = sorted(api_key_reveal(key=key) for key in ApiKey.objects.all())
    assert secrets == sorted([alices_secret, "sk-bobs-own-secret-5678"])


def test_a_given_new_key_is_used(settings, key_file, alice, make_key, alices_secret):
    path, old = key_file
    make_key(alice)
    new = Fernet.generate_key().decode()
    rotate(f"--new-key={new}")
    assert path.read_text().strip() == f"{new},{old}"
    token = ApiKey.objects.get().secret_ciphertext.encode()
    assert Fernet(new).decrypt(token).decode() == alices_secret


def test_with_keys_from_the_environment_it_prints_the_value_to_set(
    settings, alice, make_key, alices_secret
):
    old = Fernet.generate_key().decode()
    settings.PLAYGROUND_ENCRYPTION_KEY_FILE = ""
    settings.PLAYGROUND_ENCRYPTION_KEYS = [old]
    make_key(alice)
    new = Fernet.generate_key().decode()
    output = rotate(f"--new-key={new}")
    assert f'PLAYGROUND_ENCRYPTION_KEY="{new},{old}"' in output
    assert alices_secret not in output and alices_secret[:8] not in output
    settings.PLAYGROUND_ENCRYPTION_KEYS = [new, old]
    assert api_key_reveal(key=ApiKey.objects.get()) == alices_secret


def test_an_invalid_new_key_changes_nothing(key_file, alice, make_key):
    path, old = key_file
    make_key(alice)
    before = ApiKey.objects.get().secret_ciphertext
    with pytest.raises(CommandError, match="--new-key is not a valid Fernet key"):
        rotate("--new-key", "too-short")
    assert path.read_text().strip() == old
    assert ApiKey.objects.get().secret_ciphertext == before


def test_a_secret_no_key_opens_stops_the_rotation_before_anything_is_re_encrypted(
    settings, key_file, alice, make_key
):
    path, old = key_file
    make_key(alice, label="Readable")
    lost = Fernet(Fernet.generate_key()).encrypt(b"sk-under-a-lost-key").decode()
    ApiKey.objects.create(
        user=alice, label="Lost", provider="deepseek", secret_ciphertext=lost, last4="-key"
    )
    readable_before = ApiKey.objects.get(label="Readable").secret_ciphertext
    with pytest.raises(CommandError, match="cannot be decrypted with any configured key"):
        rotate()
    assert ApiKey.objects.get(label="Readable").secret_ciphertext == readable_before
    assert path.read_text().strip().endswith(old), "the old key stays in the file"
