"""Benchmarks: ``make bench`` (``python -m tests.bench``) runs each module's ``main()``."""
