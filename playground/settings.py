"""Settings for Playground, read from the environment through the helpers in ``playground.env``.

The embedded default (no environment at all) is SQLite, the in-memory channel layer, one Daphne
process and the Simulator as the default provider. ``DATABASE_URL`` and ``REDIS_URL`` switch to
PostgreSQL and Redis for scale-out.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

from playground.env import (
    ImproperlyConfiguredEnv,
    env_bool,
    env_float,
    env_int,
    env_json,
    env_list,
    env_secret,
    env_str,
    secret_file,
)

logger = logging.getLogger("playground.settings")

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("PLAYGROUND_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("PLAYGROUND_DEBUG", False)

_secret_key = env_secret("PLAYGROUND_SECRET_KEY")
if _secret_key is None:
    _secret_key, _ = secret_file(DATA_DIR / "secret_key", lambda: secrets.token_urlsafe(50))
SECRET_KEY = _secret_key

ALLOWED_HOSTS = env_list("PLAYGROUND_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("PLAYGROUND_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "django_htmx",
    "playground.simulator",
    "playground.accounts",
    "playground.conversations",
    "playground.compare",
    "playground.sharing",
    "playground.cluster",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "playground.urls"
ASGI_APPLICATION = "playground.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]


def _database_from_url(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfiguredEnv(
            f"DATABASE_URL must start with postgres:// or postgresql://, not {parts.scheme}://"
        )
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": env_int("PLAYGROUND_DB_CONN_MAX_AGE", 0),
    }


_database_url = env_secret("DATABASE_URL")
if _database_url:
    DATABASES = {"default": _database_from_url(_database_url)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "playground.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            "CONN_MAX_AGE": None,
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_redis_url = env_secret("REDIS_URL")
if _redis_url:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            # Redis pub/sub: a frame is one PUBLISH to its conversation's group, and each
            # process's one subscription hands it to that process's viewers. The list-based
            # layer (channels_redis.core) spends three round trips and a Lua script on every
            # frame (the group's members looked up, expired ones swept, each member's queue
            # pushed): with 100 answers across two processes, a third of each process's time,
            # and seconds between Send and the first token. Nothing is kept for a viewer that is
            # not listening; a viewer that misses frames resyncs, as with any layer.
            # redis-py 8 gives up reading after 5 s by default (django/channels_redis#422), and
            # its pools refuse a command past 100 connections at once.
            "CONFIG": {
                "hosts": [{"address": _redis_url, "socket_timeout": 30, "max_connections": 2000}],
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "playground.streaming.layers.SweepingInMemoryChannelLayer"}
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("PLAYGROUND_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("PLAYGROUND_LOG_LEVEL", "INFO")},
}

# --- Accounts -------------------------------------------------------------------------------

PLAYGROUND_SIGNUP = env_bool("PLAYGROUND_SIGNUP", True)
PLAYGROUND_LOGIN_FAILURES_PER_ACCOUNT = env_int("PLAYGROUND_LOGIN_FAILURES_PER_ACCOUNT", 5)
PLAYGROUND_LOGIN_FAILURES_PER_IP = env_int("PLAYGROUND_LOGIN_FAILURES_PER_IP", 20)
PLAYGROUND_LOGIN_LOCKOUT_SECONDS = env_int("PLAYGROUND_LOGIN_LOCKOUT_SECONDS", 900)

# API keys are encrypted with MultiFernet: the first key encrypts, every key decrypts. Several keys
# may be given comma-separated, newest first, which is how a rotation is rolled out.
_encryption_keys = env_secret("PLAYGROUND_ENCRYPTION_KEY")
PLAYGROUND_ENCRYPTION_KEY_GENERATED = False
if _encryption_keys is None:
    from cryptography.fernet import Fernet

    _encryption_keys, PLAYGROUND_ENCRYPTION_KEY_GENERATED = secret_file(
        DATA_DIR / "encryption.key", lambda: Fernet.generate_key().decode()
    )
PLAYGROUND_ENCRYPTION_KEYS = [k.strip() for k in _encryption_keys.split(",") if k.strip()]
PLAYGROUND_ENCRYPTION_KEY_FILE = env_str(
    "PLAYGROUND_ENCRYPTION_KEY_FILE",
    "" if env_secret("PLAYGROUND_ENCRYPTION_KEY") else str(DATA_DIR / "encryption.key"),
)

# --- Providers ------------------------------------------------------------------------------

PLAYGROUND_DEEPSEEK_BASE_URL = env_str(
    "PLAYGROUND_DEEPSEEK_BASE_URL", "https://api.deepseek.com/anthropic"
)
PLAYGROUND_EVOLINK_BASE_URL = env_str("PLAYGROUND_EVOLINK_BASE_URL", "https://direct.evolink.ai")
PLAYGROUND_SIMULATOR_BASE_URL = env_str(
    "PLAYGROUND_SIMULATOR_BASE_URL", "http://127.0.0.1:8000/simulator"
)
PLAYGROUND_ALLOW_PRIVATE_ENDPOINTS = env_bool("PLAYGROUND_ALLOW_PRIVATE_ENDPOINTS", False)
PLAYGROUND_UPSTREAM_TIMEOUT = env_float("PLAYGROUND_UPSTREAM_TIMEOUT", 600.0)
PLAYGROUND_UPSTREAM_RETRIES = env_int("PLAYGROUND_UPSTREAM_RETRIES", 2)

# --- Simulator ------------------------------------------------------------------------------

PLAYGROUND_SIMULATOR_TOKENS_PER_SECOND = env_float("PLAYGROUND_SIMULATOR_TOKENS_PER_SECOND", 60.0)
PLAYGROUND_SIMULATOR_FIRST_BYTE_DELAY = env_float("PLAYGROUND_SIMULATOR_FIRST_BYTE_DELAY", 0.2)
PLAYGROUND_SIMULATOR_SLOW_FIRST_BYTE_SECONDS = env_float(
    "PLAYGROUND_SIMULATOR_SLOW_FIRST_BYTE_SECONDS", 5.0
)
PLAYGROUND_SIMULATOR_QUEUE_SECONDS = env_float("PLAYGROUND_SIMULATOR_QUEUE_SECONDS", 5.0)
PLAYGROUND_SIMULATOR_KEEPALIVE_INTERVAL = env_float("PLAYGROUND_SIMULATOR_KEEPALIVE_INTERVAL", 1.0)
PLAYGROUND_SIMULATOR_RETRY_AFTER_SECONDS = env_int("PLAYGROUND_SIMULATOR_RETRY_AFTER_SECONDS", 2)

# --- Playground page ------------------------------------------------------------------------

# The operator's cap on max_tokens, whatever a provider allows (thinking counts toward it).
PLAYGROUND_MAX_TOKENS_CAP = env_int("PLAYGROUND_MAX_TOKENS_CAP", 384_000)

# Prices for the cost estimate shown on each answer, in US dollars per million tokens, by model
# name (see playground.conversations.pricing). The defaults are DeepSeek's published prices for
# the V4 models (api-docs.deepseek.com, "Models & Pricing"); an operator replaces or extends the
# table with a JSON object in PLAYGROUND_PRICES, e.g. {"my-model": {"input": 1, "output": 2}}.
PLAYGROUND_PRICES = {
    "deepseek-v4-flash": {"input": "0.14", "cache_read": "0.0028", "output": "0.28"},
    "deepseek-v4-pro": {"input": "0.435", "cache_read": "0.003625", "output": "0.87"},
    **env_json("PLAYGROUND_PRICES", {}),
}

# --- Sharing, export and import --------------------------------------------------------------

# The largest conversation file "Import" reads; a bigger upload is refused with a clear message
# before it is parsed (Django spools request bodies to disk, so it never sits in memory whole).
PLAYGROUND_IMPORT_MAX_BYTES = env_int("PLAYGROUND_IMPORT_MAX_BYTES", 10 * 1024 * 1024)

# --- Streaming ------------------------------------------------------------------------------

# Answers one user may have streaming at once, across all processes; more gets a clear refusal.
PLAYGROUND_MAX_CONCURRENT_GENERATIONS = env_int("PLAYGROUND_MAX_CONCURRENT_GENERATIONS", 4)
# A streaming answer's partial content is saved at most this often (never once per delta).
PLAYGROUND_CHECKPOINT_SECONDS = env_float("PLAYGROUND_CHECKPOINT_SECONDS", 1.0)
# Deltas arriving within this many milliseconds go to viewers as one frame (the first at once).
PLAYGROUND_COALESCE_MS = env_int("PLAYGROUND_COALESCE_MS", 25)
# Frames a second one process sends at most across its streaming answers: with many answers
# streaming, each one's window widens (100 answers at 1000 frames/s: 100 ms windows), so that a
# busy process spends its time reading and relaying tokens rather than framing them.
PLAYGROUND_FRAME_BUDGET = env_int("PLAYGROUND_FRAME_BUDGET", 1000)

# --- Scale-out ------------------------------------------------------------------------------

# This process's name among the playground's processes (see playground/cluster/identity.py):
# by default its host and the addresses Daphne listens on, the same after a restart.
PLAYGROUND_PROCESS_NAME = env_str("PLAYGROUND_PROCESS_NAME", "")
# A streaming answer is saved at least this often, which tells other processes it is alive; each
# serving process sweeps this often for answers nobody has saved for STALE_AFTER seconds (their
# process went away) and marks them interrupted.
PLAYGROUND_HEARTBEAT_SECONDS = env_float("PLAYGROUND_HEARTBEAT_SECONDS", 5.0)
PLAYGROUND_STALE_AFTER_SECONDS = env_float("PLAYGROUND_STALE_AFTER_SECONDS", 30.0)
if PLAYGROUND_STALE_AFTER_SECONDS <= 2 * PLAYGROUND_HEARTBEAT_SECONDS:
    raise ImproperlyConfiguredEnv(
        "PLAYGROUND_STALE_AFTER_SECONDS must be more than twice PLAYGROUND_HEARTBEAT_SECONDS, "
        "or answers still streaming would be taken for abandoned"
    )
