"""Sign-up: Django's password validators, and the operator's switch to turn it off."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client


@pytest.mark.django_db
def test_signing_up_creates_the_account_and_signs_in(password):
    client = Client()
    page = client.get("/accounts/signup/").content.decode()
    for label in (
        'for="id_username">Username',
        'for="id_password1">Password<',
        'for="id_password2">Password confirmation',
        ">Sign up</button>",
    ):
        assert label in page
    response = client.post(
        "/accounts/signup/", {"username": "carol", "password1": password, "password2": password}
    )
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").context["user"].username == "carol"


@pytest.mark.django_db
def test_a_weak_password_is_refused_with_the_validators_words_and_the_username_kept():
    response = Client().post(
        "/accounts/signup/", {"username": "carol", "password1": "password", "password2": "password"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This password is too common." in page
    assert 'value="carol"' in page
    assert not User.objects.filter(username="carol").exists()


@pytest.mark.django_db
def test_mismatched_passwords_are_refused(password):
    response = Client().post(
        "/accounts/signup/", {"username": "carol", "password1": password, "password2": "other"}
    )
    assert "The two password fields didn\u2019t match." in response.content.decode()


@pytest.mark.django_db
def test_when_the_operator_turns_sign_up_off_nobody_can_sign_up(settings, password):
    settings.PLAYGROUND_SIGNUP = False
    client = Client()
    page = client.get("/accounts/signup/")
    assert page.status_code == 403
    assert "The operator of this server has turned sign-up off." in page.content.decode()
    response = client.post(
        "/accounts/signup/", {"username": "carol", "password1": password, "password2": password}
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="carol").exists()
    assert 'href="/accounts/signup/"' not in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_the_sign_in_page_links_to_sign_up_while_it_is_on():
    assert 'href="/accounts/signup/"' in Client().get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_createsuperuser_still_works_with_sign_up_off(settings, monkeypatch, password):
    settings.PLAYGROUND_SIGNUP = False
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", password)
    call_command("createsuperuser", interactive=False, username="root", email="root@example.org")
    client = Client()
    response = client.post("/accounts/login/", {"username": "root", "password": password})
    assert response.status_code == 302
