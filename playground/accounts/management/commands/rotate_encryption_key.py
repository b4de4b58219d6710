"""``manage.py rotate_encryption_key``: a new encryption key, and every stored secret re-encrypted.

With a key file (the generated default, or ``PLAYGROUND_ENCRYPTION_KEY_FILE``) the file is
rewritten as "new,old" first, atomically, and then every secret is re-encrypted in one
transaction: if anything fails, the old key is still in the file and every secret still opens.
Running servers pick the new file up by themselves (see ``playground.accounts.crypto``).

With ``PLAYGROUND_ENCRYPTION_KEY`` in the environment the command cannot change it: it
re-encrypts and prints the value to set (``PLAYGROUND_ENCRYPTION_KEY="new,old"``); restart every
process with it. To avoid the gap, set "new,old" first, restart, then run this command with
``--new-key=new`` (with "=": a Fernet key may begin with "-", which would otherwise read as an
option). API keys are never printed.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from playground.accounts.crypto import build_multi_fernet, parse_keys
from playground.accounts.models import ApiKey

_BATCH = 500


class Command(BaseCommand):
    help = "Generate a new encryption key (or use --new-key) and re-encrypt every stored API key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--new-key",
            help="the Fernet key to rotate to, as --new-key=KEY (a key may begin with '-'); "
            "default: a freshly generated one",
        )

    def handle(self, *args: object, new_key: str | None, **options: object) -> None:
        new_key = (new_key or Fernet.generate_key().decode()).strip()
        old_keys = parse_keys(settings.PLAYGROUND_ENCRYPTION_KEYS)
        keys = [new_key, *(key for key in old_keys if key != new_key)]
        try:
            multi = build_multi_fernet(keys)
        except ImproperlyConfigured as error:
            raise CommandError(str(error).replace("key #1", "--new-key")) from None

        key_file = _key_file_holding(old_keys)
        if key_file is not None:
            _write_atomically(key_file, ",".join(keys))

        count = _reencrypt_all(multi)
        self.stdout.write(f"Re-encrypted {count} stored API key{'s' if count != 1 else ''}.")
        if key_file is not None:
            self.stdout.write(
                f"{key_file} now holds the new key first and the old ones after it; running "
                "servers pick it up by themselves. Back the file up."
            )
        else:
            self.stdout.write(
                "Set this in the environment of every Playground process and restart them; "
                "until then they cannot read the re-encrypted keys:"
            )
            self.stdout.write(f'PLAYGROUND_ENCRYPTION_KEY="{",".join(keys)}"')


def _key_file_holding(keys: list[str]) -> Path | None:
    """The configured key file, if the keys in use came from it (and not from the environment)."""
    path = settings.PLAYGROUND_ENCRYPTION_KEY_FILE
    if not path:
        return None
    try:
        held = parse_keys(Path(path).read_text())
    except OSError:
        return None
    return Path(path) if held == keys else None


def _write_atomically(path: Path, content: str) -> None:
    temporary = path.with_name(f".{path.name}.rotating.{os.getpid()}")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(content + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise CommandError(
            f"cannot write the key file {path}: {error}; nothing was changed"
        ) from None


def _reencrypt_all(multi: MultiFernet) -> int:
    count = 0
    with transaction.atomic():
        batch: list[ApiKey] = []
        for key in ApiKey.objects.select_for_update().only("pk", "secret_ciphertext").iterator():
            try:
                key.secret_ciphertext = multi.rotate(key.secret_ciphertext.encode()).decode()
            except InvalidToken:
                raise CommandError(
                    f"stored API key #{key.pk} cannot be decrypted with any configured key; "
                    "no key was re-encrypted (delete that key, or configure the key it needs)"
                ) from None
            batch.append(key)
            if len(batch) >= _BATCH:
                ApiKey.objects.bulk_update(batch, ["secret_ciphertext"])
                count += len(batch)
                batch = []
        ApiKey.objects.bulk_update(batch, ["secret_ciphertext"])
        count += len(batch)
    return count
