"""The typed environment helpers behind settings."""

import os
import stat

import pytest

from playground.env import (
    ImproperlyConfiguredEnv,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_secret,
    secret_file,
)


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "yes", "on", " True "])
def test_env_bool_reads_true_words(monkeypatch, raw):
    monkeypatch.setenv("PG_TEST_FLAG", raw)
    assert env_bool("PG_TEST_FLAG", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "no", "off", ""])
def test_env_bool_reads_false_words(monkeypatch, raw):
    monkeypatch.setenv("PG_TEST_FLAG", raw)
    assert env_bool("PG_TEST_FLAG", True) is False


def test_env_bool_refuses_a_typo_naming_the_variable(monkeypatch):
    monkeypatch.setenv("PG_TEST_FLAG", "ture")
    with pytest.raises(ImproperlyConfiguredEnv, match="PG_TEST_FLAG"):
        env_bool("PG_TEST_FLAG", False)


def test_missing_variables_take_the_default(monkeypatch):
    monkeypatch.delenv("PG_TEST_MISSING", raising=False)
    assert env_bool("PG_TEST_MISSING", True) is True
    assert env_int("PG_TEST_MISSING", 7) == 7
    assert env_float("PG_TEST_MISSING", 1.5) == 1.5
    assert env_list("PG_TEST_MISSING", ["a"]) == ["a"]
    assert env_secret("PG_TEST_MISSING") is None


def test_env_int_refuses_words_naming_the_variable(monkeypatch):
    monkeypatch.setenv("PG_TEST_INT", "ten")
    with pytest.raises(ImproperlyConfiguredEnv, match="PG_TEST_INT must be a whole number"):
        env_int("PG_TEST_INT", 1)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("PG_TEST_LIST", "a.example, b.example,,")
    assert env_list("PG_TEST_LIST", []) == ["a.example", "b.example"]


def test_env_secret_reads_the_file_named_by_the_file_variable(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.delenv("PG_TEST_SECRET", raising=False)
    monkeypatch.setenv("PG_TEST_SECRET_FILE", str(secret))
    assert env_secret("PG_TEST_SECRET") == "s3cret"


def test_env_secret_prefers_the_variable_over_the_file(monkeypatch, tmp_path):
    monkeypatch.setenv("PG_TEST_SECRET", "direct")
    monkeypatch.setenv("PG_TEST_SECRET_FILE", str(tmp_path / "absent"))
    assert env_secret("PG_TEST_SECRET") == "direct"


def test_env_secret_says_which_file_cannot_be_read(monkeypatch, tmp_path):
    monkeypatch.delenv("PG_TEST_SECRET", raising=False)
    monkeypatch.setenv("PG_TEST_SECRET_FILE", str(tmp_path / "absent"))
    with pytest.raises(ImproperlyConfiguredEnv, match="PG_TEST_SECRET_FILE"):
        env_secret("PG_TEST_SECRET")


def test_secret_file_is_created_once_private_and_then_reused(tmp_path):
    path = tmp_path / "sub" / "key"
    first, created = secret_file(path, lambda: "one")
    again, created_again = secret_file(path, lambda: "two")
    assert (first, created) == ("one", True)
    assert (again, created_again) == ("one", False)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["key"]
