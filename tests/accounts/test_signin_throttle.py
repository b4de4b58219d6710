"""Failed sign-ins are throttled per account and per IP address, on the Django cache."""

from __future__ import annotations

import time

import pytest
from django.test import Client

LOCKED = "Too many failed sign-ins. Try again in"


@pytest.fixture(autouse=True)
def _small_limits(settings) -> None:
    settings.PLAYGROUND_LOGIN_FAILURES_PER_ACCOUNT = 3
    settings.PLAYGROUND_LOGIN_FAILURES_PER_IP = 5
    settings.PLAYGROUND_LOGIN_LOCKOUT_SECONDS = 900


def sign_in(username: str, password: str, *, ip: str = "198.51.100.7") -> tuple[int, str]:
    response = Client(REMOTE_ADDR=ip).post(
        "/accounts/login/", {"username": username, "password": password}
    )
    return response.status_code, response.content.decode()


def test_an_account_is_locked_after_too_many_wrong_passwords(alice, password):
    for _ in range(2):
        status, page = sign_in("alice", "wrong password")
        assert status == 200 and "Please enter a correct username and password" in page
    status, page = sign_in("alice", "wrong password")
    assert "Too many failed sign-ins. Try again in 15 minutes." in page
    status, page = sign_in("alice", password, ip="203.0.113.9")
    assert status == 200 and LOCKED in page, "the right password from elsewhere is refused too"


def test_a_locked_account_does_not_even_check_the_password(
    alice, password, django_assert_num_queries
):
    for _ in range(3):
        sign_in("alice", "wrong password")
    client = Client(REMOTE_ADDR="198.51.100.7")
    with django_assert_num_queries(0):
        response = client.post("/accounts/login/", {"username": "alice", "password": password})
    assert LOCKED in response.content.decode()


def test_the_account_lock_covers_other_spellings_of_the_username(alice):
    for _ in range(3):
        sign_in("alice", "wrong password")
    assert LOCKED in sign_in("  ALICE ", "wrong password")[1]


def test_one_address_is_locked_after_failing_on_many_accounts(alice, bob, password):
    for name in ["carol", "dave", "erin", "frank", "grace"]:
        sign_in(name, "guess")
    status, page = sign_in("bob", password)
    assert LOCKED in page
    status, page = sign_in("bob", password, ip="198.51.100.8")
    assert status == 302, "another address may still sign in as bob"


def test_a_good_sign_in_forgets_the_accounts_earlier_failures(alice, password):
    sign_in("alice", "wrong password")
    sign_in("alice", "wrong password")
    assert sign_in("alice", password)[0] == 302
    sign_in("alice", "wrong password", ip="203.0.113.1")
    sign_in("alice", "wrong password", ip="203.0.113.1")
    assert sign_in("alice", password, ip="203.0.113.1")[0] == 302


def test_the_lock_ends_after_the_lockout_time(settings, alice, password):
    settings.PLAYGROUND_LOGIN_LOCKOUT_SECONDS = 2
    for _ in range(3):
        sign_in("alice", "wrong password")
    page = sign_in("alice", password)[1]
    assert "Too many failed sign-ins. Try again in 1 minute." in page
    time.sleep(2.1)
    assert sign_in("alice", password)[0] == 302
