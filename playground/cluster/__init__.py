"""Several playground processes as one: each process's name, what a serving process does besides
serving (recovery, the stale sweep, Stop from other processes), the real PostgreSQL and Redis
servers for tests, benchmarks and ``make run-cluster``, and that cluster on loopback."""
