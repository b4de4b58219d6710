"""Run every benchmark in ``tests/bench`` and print its figures.

A benchmark is a module of this package whose name does not start with "_" and that defines
``main() -> None``; they run one after another, in name order, in this one process.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).resolve().parent
    names = sorted(
        module.name
        for module in pkgutil.iter_modules([str(here)])
        if not module.name.startswith("_")
    )
    for name in names:
        benchmark = importlib.import_module(f"{__package__}.{name}")
        run = getattr(benchmark, "main", None)
        if run is None:
            continue
        title = (benchmark.__doc__ or name).strip().splitlines()[0]
        sys.stdout.write(f"\n== {name}: {title}\n")
        sys.stdout.flush()
        run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
