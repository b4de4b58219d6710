"""Sign-in throttling on the Django cache: failures counted per account and per IP.

After ``PLAYGROUND_LOGIN_FAILURES_PER_ACCOUNT`` failures for one username, or
``PLAYGROUND_LOGIN_FAILURES_PER_IP`` from one address, within ``PLAYGROUND_LOGIN_LOCKOUT_SECONDS``,
that username (or address) is locked for ``PLAYGROUND_LOGIN_LOCKOUT_SECONDS``; while locked, the
password is not even checked. The address is ``REMOTE_ADDR``: behind a reverse proxy, run Daphne
with ``--proxy-headers`` so that it is the client's address (only when the proxy is trusted to
set ``X-Forwarded-For``). With several processes, the cache must be shared (Redis) for the limits
to hold across them.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache

_PREFIX = "signin"


def _account_key(username: str) -> str:
    # Hashed so that whatever a stranger types never becomes a raw cache key.
    digest = hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]
    return f"account:{digest}"


def _ip_key(ip: str) -> str:
    return f"ip:{ip}"


def _scopes(*, username: str, ip: str | None) -> list[tuple[str, int]]:
    scopes = [(_account_key(username), settings.PLAYGROUND_LOGIN_FAILURES_PER_ACCOUNT)]
    if ip:
        scopes.append((_ip_key(ip), settings.PLAYGROUND_LOGIN_FAILURES_PER_IP))
    return scopes


def signin_lockout_remaining(*, username: str, ip: str | None) -> int:
    """Seconds until this username and address may try again; 0 when neither is locked."""
    now = time.time()
    remaining = 0.0
    for scope, _limit in _scopes(username=username, ip=ip):
        until = cache.get(f"{_PREFIX}:lock:{scope}")
        if until is not None:
            remaining = max(remaining, float(until) - now)
    return math.ceil(remaining) if remaining > 0 else 0


def signin_failure_record(*, username: str, ip: str | None) -> None:
    """Count one failed sign-in; lock the username or address that reaches its limit."""
    window = settings.PLAYGROUND_LOGIN_LOCKOUT_SECONDS
    for scope, limit in _scopes(username=username, ip=ip):
        counter = f"{_PREFIX}:failures:{scope}"
        cache.add(counter, 0, timeout=window)
        try:
            failures = cache.incr(counter)
        except ValueError:  # the counter expired between add() and incr()
            cache.set(counter, 1, timeout=window)
            failures = 1
        if failures >= limit:
            cache.set(f"{_PREFIX}:lock:{scope}", time.time() + window, timeout=window)
            cache.delete(counter)


def signin_success_record(*, username: str) -> None:
    """Forget the username's failures after a good sign-in (the address keeps its count)."""
    cache.delete(f"{_PREFIX}:failures:{_account_key(username)}")


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed sign-ins. Try again in {minutes} {unit}."
