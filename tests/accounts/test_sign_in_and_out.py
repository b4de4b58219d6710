"""Every page but sign-in and sign-up needs a signed-in user; sign-out and password change work."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {"login", "signup", "healthz"}


def _patterns_without_arguments(resolver: URLResolver, prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _patterns_without_arguments(pattern, route)
        elif isinstance(pattern, URLPattern) and not pattern.pattern.converters:
            found.append((pattern.name or route, "/" + route.lstrip("^").rstrip("$")))
    return found


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "path"),
    [
        (name, path)
        for name, path in _patterns_without_arguments(get_resolver())
        if name not in PUBLIC
    ],
)
def test_a_stranger_is_sent_to_sign_in_from_every_page(name, path):
    for method in ("get", "post"):
        response = getattr(Client(), method)(path)
        assert response.status_code == 302, f"{method.upper()} {path} ({name})"
        assert response.url.startswith("/accounts/login/?next="), f"{method.upper()} {path}"


@pytest.mark.django_db
def test_the_sign_in_page_has_its_labels_and_signs_in(alice, password):
    client = Client()
    page = client.get("/accounts/login/").content.decode()
    assert 'for="id_username">Username' in page and 'for="id_password">Password' in page
    assert ">Sign in</button>" in page
    response = client.post("/accounts/login/", {"username": "alice", "password": password})
    assert response.status_code == 302
    assert "Sign out" in client.get("/").content.decode()


def test_signing_out_is_a_post_that_ends_the_session(alice_client):
    assert alice_client.get("/accounts/logout/").status_code == 405
    response = alice_client.post("/accounts/logout/")
    assert response.status_code == 302 and response.url == "/accounts/login/"
    assert alice_client.get("/keys/").status_code == 302


def test_changing_the_password_keeps_this_session_and_ends_the_others(alice, password):
    here, elsewhere = Client(), Client()
    here.force_login(alice)
    elsewhere.force_login(alice)
    page = here.get("/accounts/password/").content.decode()
    for label in ("Old password", "New password", "New password confirmation"):
        assert f">{label}:" in page or f">{label}<" in page
    response = here.post(
        "/accounts/password/",
        {
            "old_password": password,
            "new_password1": "an entirely new passphrase 7",
            "new_password2": "an entirely new passphrase 7",
        },
    )
    assert response.status_code == 302
    assert "Your password was changed." in here.get("/").content.decode()
    assert elsewhere.get("/keys/").status_code == 302


def test_a_wrong_old_password_is_refused(alice_client):
    response = alice_client.post(
        "/accounts/password/",
        {
            "old_password": "nope",
            "new_password1": "x y z 12345 q",
            "new_password2": "x y z 12345 q",
        },
    )
    assert "Your old password was entered incorrectly." in response.content.decode()
