"""Directives come from the system prompt and the last user message, hidden from the model."""

from __future__ import annotations

import pytest

from playground.simulator.directives import (
    FAULTS,
    DirectiveError,
    Directives,
    parse_directives,
    strip_directives,
)


def test_no_directive_means_defaults():
    assert parse_directives("just a question") == Directives()


def test_every_directive_is_read():
    found = parse_directives("[[echo]] [[fault:rate_limit:3]] [[speed:250]] text")

    assert found == Directives(echo=True, fault="rate_limit", fault_times=3, speed=250.0)


@pytest.mark.parametrize("name", FAULTS)
def test_every_named_fault_is_known(name):
    assert parse_directives(f"[[fault:{name}]]").fault == name


def test_directives_and_the_blanks_after_them_are_stripped():
    assert strip_directives("[[echo]]  hello [[speed:9]]\tworld") == "hello world"


def test_text_that_only_looks_like_a_directive_is_left_alone():
    text = "[[echoes]] and [[ fault:drop ]] and [[wiki link]]"

    assert parse_directives(text) == Directives()
    assert strip_directives(text) == text


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[[fault:meltdown]]", "names no known fault"),
        ("[[fault:drop:0]]", "must be 1 or more"),
        ("[[fault:drop:x]]", "must be 1 or more"),
        ("[[speed:fast]]", "must be a positive number"),
        ("[[speed:-3]]", "must be a positive number"),
        ("[[speed:inf]]", "must be a positive number"),
    ],
)
def test_a_bad_argument_is_an_error_that_says_why(text, problem):
    with pytest.raises(DirectiveError, match=problem):
        parse_directives(text)


def test_the_message_overrides_the_system_prompt_and_keeps_the_rest():
    system = parse_directives("[[fault:drop]] [[speed:10]]")
    message = parse_directives("[[fault:queued:2]] [[echo]]")

    assert message.merged_over(system) == Directives(
        echo=True, fault="queued", fault_times=2, speed=10.0
    )
