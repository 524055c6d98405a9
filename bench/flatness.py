"""What the benchmarks of pages that must stay flat in their size share (``bench/reports.py``,
``bench/certificate_pages.py``): their throwaway database, timed GETs with their queries, and the table
of each page at a small and a large size with the ratio of their medians.

The database is as the demo runs: an SQLite file in WAL mode in a temporary folder, or PostgreSQL (its JIT
off, analysed after each bulk build as its autovacuum would) when DATABASE_URL is set; unmigrated, its
tables made from the models. Each GET is timed alone, outside any transaction, after warm-up requests,
inside ``CaptureQueriesContext``: its wall-clock time and this process's CPU time. On SQLite the database
works inside this process, so the CPU time is the whole cost of the page, and what is compared with the
goal: on a machine shared with other work the wall-clock times of the two sizes, taken a minute apart,
wander more than the goal allows. On PostgreSQL the database works in another process and the
wall-clock time is compared.
"""

import contextlib
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

#: The most a page's large-size median may be of its small-size one.
RATIO_GOAL = 1.15
WARMUP = 3


@contextlib.contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """Create the database, yield what it is (``"sqlite 3.x file (WAL)"``, ``"postgresql"``), then drop it."""
    test_settings = settings.DATABASES["default"].setdefault("TEST", {})
    test_settings["MIGRATE"] = False
    if connection.vendor == "postgresql":
        # PostgreSQL's JIT compiles the status query's plan afresh each time, for ten times its run time.
        settings.DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        if connection.vendor == "sqlite":
            test_settings["NAME"] = str(Path(folder) / "bench.sqlite3")
        test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
                if journal != "wal":
                    raise SystemExit(f"The SQLite database is in {journal} mode, not WAL")
                yield f"sqlite {connection.Database.sqlite_version} file (WAL)"
            else:
                yield connection.vendor
        finally:
            connection.creation.destroy_test_db(test_database, verbosity=0)


@dataclass
class Sample:
    """Query counts and wall times of repeated GETs of one page."""

    counts: list[int] = field(default_factory=list)
    millis: list[float] = field(default_factory=list)
    cpu_millis: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.millis)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_millis)

    @property
    def compared(self) -> float:
        """The median the goal is checked on: CPU time on SQLite, wall-clock time on PostgreSQL."""
        return self.cpu_median if connection.vendor == "sqlite" else self.median

    @property
    def queries(self) -> str:
        low, high = min(self.counts), max(self.counts)
        return str(low) if low == high else f"{low}-{high}"


def timed_gets(client: Client, url: str, repeat: int) -> Sample:
    """``repeat`` GETs of ``url`` after the warm-up ones, each timed alone with its queries."""
    for _ in range(WARMUP):
        client.get(url)
    sample = Sample()
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            elapsed, cpu = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        sample.counts.append(len(queries))
        sample.millis.append(elapsed)
        sample.cpu_millis.append(cpu)
    return sample


def flatness_table(rows: list[tuple[str, Sample, Sample]], small: str, large: str) -> list[str]:
    """Print each page's small and large medians (wall-clock, CPU), queries and ratios; return what misses the
    goals (the ratio of the compared medians, the queries)."""
    print(f"{'page':<44} {small:>25} {large:>25} {'ratio':>6} {'ratio':>5}")
    print(f"{'':<44} {'wall':>8} {'CPU':>8} {'':>6} {'wall':>8} {'CPU':>8} {'':>6} {'wall':>6} {'CPU':>5}")
    failures = []
    for page, before, after in rows:
        ratio, cpu_ratio = after.median / before.median, after.cpu_median / before.cpu_median
        print(
            f"{page:<44} {before.median:5.1f} ms {before.cpu_median:5.1f} ms {before.queries:>4} q"
            f" {after.median:5.1f} ms {after.cpu_median:5.1f} ms {after.queries:>4} q {ratio:6.2f} {cpu_ratio:5.2f}"
        )
        if (compared := after.compared / before.compared) > RATIO_GOAL:
            failures.append(f"{page}: {compared:.2f} times slower at the large size (goal {RATIO_GOAL})")
        if before.queries != after.queries or "-" in after.queries:
            failures.append(f"{page}: {before.queries} queries at the small size, {after.queries} at the large")
    return failures


def settled() -> None:
    """After bulk writes, give PostgreSQL the statistics its autovacuum would gather on a live database; SQLite
    gathers none unless told to, and the demo's database never is."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
