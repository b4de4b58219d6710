"""The tabs a test opened, closed after it by the streaming tests' clean-up fixture.

Apart from conftest.py on purpose: pytest loads a conftest as a module of its own, and test files
that import ``tests.streaming.conftest`` get a second copy of it. A list defined there would be
two lists, one filled by the tests and another emptied by the fixture.
"""

from __future__ import annotations

from typing import Any

OPEN_TABS: list[Any] = []
