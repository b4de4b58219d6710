"""What reached the database: every write of the message table, as the database itself records it
(SQLite triggers, whatever code path makes them), and every trip that wrote checkpoints (the
``checkpoints_written`` signal, sent on the database thread after each trip)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection

from playground.conversations.models import Message
from playground.streaming.store import Checkpoint, checkpoints_written


@dataclass(frozen=True)
class Write:
    """One INSERT or UPDATE of a message row, with the row as written."""

    kind: str
    seq: int
    state: str
    content: list[dict[str, Any]]

    @property
    def text(self) -> str:
        return "".join(block.get("text", "") for block in self.content)


@contextmanager
def message_writes() -> Iterator[Callable[[int], list[Write]]]:
    """``writes(message_id)``: every write of that message row, in order. SQLite only: on
    another database, the test that asks is skipped."""
    if connection.vendor != "sqlite":
        pytest.skip("writes are counted with SQLite triggers")
    table = Message._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE test_message_writes (kind TEXT, message_id INT, seq INT, state TEXT, "
            "content TEXT)"
        )
        for kind in ("INSERT", "UPDATE"):
            cursor.execute(
                f"CREATE TRIGGER test_count_{kind.lower()} AFTER {kind} ON {table} BEGIN "  # noqa: S608
                f"INSERT INTO test_message_writes VALUES "
                f"('{kind}', NEW.id, NEW.seq, NEW.state, NEW.content); END"
            )

    def writes(message_id: int) -> list[Write]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT kind, seq, state, content FROM test_message_writes "
                "WHERE message_id = %s ORDER BY rowid",
                [message_id],
            )
            return [
                Write(kind=kind, seq=seq, state=state, content=json.loads(content))
                for kind, seq, state, content in cursor.fetchall()
            ]

    try:
        yield writes
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER test_count_insert")
            cursor.execute("DROP TRIGGER test_count_update")
            cursor.execute("DROP TABLE test_message_writes")


@dataclass(frozen=True)
class Trip:
    """One database trip of the checkpoint writer: the thread it ran on, and each checkpoint it
    wrote with its outcome (True saved, False no longer streaming, or the error)."""

    thread: int
    written: list[tuple[Checkpoint, bool | Exception]]

    def ids(self) -> set[int]:
        return {checkpoint.message_id for checkpoint, _ in self.written}

    def outcome(self, message_id: int) -> bool | Exception | None:
        return next((o for c, o in self.written if c.message_id == message_id), None)


@contextmanager
def checkpoint_trips() -> Iterator[list[Trip]]:
    """The trips made while in the block, in the order they were made."""
    trips: list[Trip] = []

    def record(*, checkpoints: list[Checkpoint], outcomes: list[Any], **_: Any) -> None:
        trips.append(Trip(threading.get_ident(), list(zip(checkpoints, outcomes, strict=True))))

    checkpoints_written.connect(record, weak=False, dispatch_uid="test-checkpoint-trips")
    try:
        yield trips
    finally:
        checkpoints_written.disconnect(dispatch_uid="test-checkpoint-trips")
