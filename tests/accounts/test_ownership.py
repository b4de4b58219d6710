"""Every URL taking an id of alice's objects: bob gets a 404 whatever the method, strangers sign in.

The URL patterns are walked, so a new URL with an id fails here until its argument is registered
in ``alices_objects`` (tests/accounts/conftest.py) and its view checks the owner.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse


def test_every_url_with_an_id_refuses_bob_and_strangers_on_alices_objects(
    project_routes, alices_objects, alice_client, bob_client
):
    routes = [route for route in project_routes if route.arguments]
    assert routes, "the accounts app alone has URLs with ids; the walk found none"
    for route in routes:
        unregistered = [name for name in route.arguments if name not in alices_objects]
        assert not unregistered, (
            f"URL {route.route!r} takes {unregistered}: register a factory for it in "
            "alices_objects (tests/accounts/conftest.py) so that its owner check is tested"
        )
        assert route.name, f"URL {route.route!r} has no name; name it so that it can be reversed"
        url = reverse(route.name, kwargs={name: alices_objects[name]() for name in route.arguments})
        for method in ("get", "post"):
            response = getattr(bob_client, method)(url)
            assert response.status_code == 404, (
                f"bob {method.upper()} {url}: {response.status_code}"
            )
            htmx = getattr(bob_client, method)(url, HTTP_HX_REQUEST="true")
            assert htmx.status_code == 404, f"bob htmx {method.upper()} {url}"
        for method in ("get", "post"):
            stranger = getattr(Client(), method)(url)
            assert stranger.status_code == 302, f"anonymous {method.upper()} {url}"
            assert stranger.url.startswith("/accounts/login/?next=")
        # The control: the object exists, so the 404 above was the owner check, not a bad id.
        assert alice_client.get(url).status_code != 404, f"alice GET {url}"
