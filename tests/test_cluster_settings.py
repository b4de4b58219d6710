"""With ``REDIS_URL`` the processes share Redis's pub/sub channel layer (settings only: no server
is needed to build the layer, and the cluster tests in tests/scale show it carrying frames)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import django\n"
    "django.setup()\n"
    "from channels.layers import get_channel_layer\n"
    "layer = get_channel_layer()\n"
    "print(type(layer).__module__, type(layer).__name__)\n"
)


@pytest.mark.skipif(
    importlib.util.find_spec("channels_redis") is None, reason="channels-redis not installed"
)
def test_redis_url_makes_the_layer_redis_pub_sub(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "playground.settings",
        "PLAYGROUND_DATA_DIR": str(tmp_path),
        "REDIS_URL": "redis://127.0.0.1:1/0",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["channels_redis.pubsub", "RedisPubSubChannelLayer"]
