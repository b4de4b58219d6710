"""ASGI entry point: Django for pages, Channels for websockets, the Simulator under /simulator.

Order matters: ``get_asgi_application()`` runs before anything that imports models.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

from playground.routing import websocket_urlpatterns  # noqa: E402
from playground.simulator.app import SimulatorApp  # noqa: E402
from playground.simulator.mount import mount_simulator  # noqa: E402

http_app = mount_simulator(
    ASGIStaticFilesHandler(django_asgi_app), SimulatorApp.from_settings(), prefix="/simulator"
)

application = ProtocolTypeRouter(
    {
        "http": http_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
