"""Every URL taking an id of alice's objects: bob gets a 404 whatever the method, strangers sign in.

The URL patterns are walked, so a new URL with an id fails here until its argument is registered
in ``alices_objects`` (tests/accounts/conftest.py) and its view checks the owner.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse


def test_every_url_with_an_id_refuses_bob_and_strangers_on_alices_objects(
    project_routes, alices_objects, alices_public_objects, alice_client, bob_client
):
    routes = [
        route
        for route in project_routes
        if route.arguments and not set(route.arguments) & set(alices_public_objects)
    ]
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


def test_a_url_taking_a_token_opens_nothing_with_a_made_up_one_nor_alices_other_objects(
    project_routes, alices_objects, alices_public_objects, bob_client
):
    """A token is the permission to one thing: a made-up token is a 404 for everyone (or a
    sign-in first, where signing in is needed anyway), and alice's real token with the id of
    another of her objects is a 404 too."""
    routes = [
        route for route in project_routes if set(route.arguments) & set(alices_public_objects)
    ]
    assert routes, "the share page takes a token"
    for route in routes:
        ids = {name: alices_objects[name]() for name in route.arguments if name in alices_objects}
        made_up = {name: "A" * 43 for name in route.arguments if name in alices_public_objects}
        url = reverse(route.name, kwargs={**ids, **made_up})
        for method in ("get", "post"):
            assert getattr(bob_client, method)(url).status_code == 404, f"bob {method} {url}"
            stranger = getattr(Client(), method)(url)
            assert stranger.status_code == 404 or stranger.url.startswith("/accounts/login/")
        if ids:
            real = {name: alices_public_objects[name]() for name in made_up}
            url = reverse(route.name, kwargs={**ids, **real})
            assert bob_client.get(url).status_code == 404, f"bob reaches {url}"
            assert Client().get(url).status_code == 404, f"a stranger reaches {url}"
