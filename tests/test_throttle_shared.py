"""The passcode throttle shared by replicas: its counts in PostgreSQL, one count per address for all.

Two ``PostgresStore`` objects on one database stand for two app processes behind the proxy: before,
each process counted only its own failures, so N replicas gave an address N times the free guesses.
"""

from __future__ import annotations

import threading

import pytest

from partenariat_core.store.postgres import PostgresFailureCounts, PostgresStore
from partenariat_core.throttle import GuessThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0  # wall-clock seconds: replicas share no monotonic clock

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def replicas(postgres_url):
    first, second = PostgresStore(postgres_url, listen=False), PostgresStore(postgres_url, listen=False)
    yield first, second
    first.close()
    second.close()


def _throttle(store: PostgresStore, clock: Clock, **options) -> GuessThrottle:
    defaults = {"free_failures": 3, "first_delay": 2.0, "max_delay": 60.0, "forget_after": 600.0}
    return GuessThrottle(clock=clock, counts=PostgresFailureCounts(store), **{**defaults, **options})


def test_two_replicas_share_one_count_per_address(replicas):
    clock = Clock()
    a, b = (_throttle(store, clock) for store in replicas)
    for _ in range(3):  # the three free failures, all on replica A
        assert a.failed("tab-1", "203.0.113.7") == 0
    # replica B: a new tab at the same address is the 4th failure of the address → 2 s
    assert b.retry_after("tab-2", "203.0.113.7") == 0
    assert b.failed("tab-2", "203.0.113.7") == 2
    assert a.retry_after("tab-3", "203.0.113.7") == 2  # and replica A makes anyone there wait too
    assert a.failures("tab-2", "203.0.113.7") == (1, 4)
    assert a.retry_after("tab-9", "198.51.100.1") == 0  # another address is not slowed down
    clock.now += 2
    assert a.retry_after("tab-3", "203.0.113.7") == 0
    b.succeeded("tab-2", "203.0.113.7")  # the right passcode on B forgets the address on A too
    assert a.failures("tab-1", "203.0.113.7") == (3, 0)


def test_each_store_hands_out_one_throttle_and_it_uses_the_database(replicas):
    first, second = replicas
    assert first.passcode_throttle() is first.passcode_throttle()
    first.passcode_throttle().failed("tab-1", "192.0.2.5")
    assert second.passcode_throttle().failures("tab-2", "192.0.2.5") == (0, 1)


def test_failures_counted_at_once_on_two_replicas_are_all_counted(replicas):
    clock = Clock()
    throttles = [_throttle(store, clock) for store in replicas]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def guess(i: int) -> None:
        try:
            start.wait(timeout=30)
            for n in range(25):
                throttles[i].failed(f"tab-{i}-{n}", "203.0.113.50")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and not any(t.is_alive() for t in threads)
    assert throttles[0].failures("tab-x", "203.0.113.50") == (0, 50)


def test_an_idle_count_is_forgotten_and_the_table_stays_bounded(replicas):
    clock = Clock()
    a, b = (_throttle(store, clock, max_tracked=6) for store in replicas)
    for _ in range(5):
        a.failed("tab-1", "203.0.113.9")
    clock.now += 601  # idle past forget_after: the next failure starts over at one
    assert b.failed("tab-1", "203.0.113.9") == 0
    assert a.failures("tab-1", "203.0.113.9") == (1, 1)
    for n in range(10):  # ten more addresses, one new tab each: 22 counts, 6 kept, the newest
        clock.now += 1
        b.failed(f"tab-flood-{n}", f"198.51.100.{n}")
    with replicas[0]._connection() as conn:
        rows = conn.execute("SELECT kind, key FROM passcode_failures ORDER BY last_failure").fetchall()
    assert len(rows) == 6
    assert {(r["kind"], r["key"]) for r in rows} == {
        *(("session", f"tab-flood-{n}") for n in (7, 8, 9)),
        *(("address", f"198.51.100.{n}") for n in (7, 8, 9)),
    }


def test_the_passcode_page_uses_the_shared_throttle_on_postgresql_only(replicas, tmp_path):
    import ui.auth
    from partenariat_core.store import SQLiteStore

    first, second = replicas
    assert ui.auth.throttle_of(first) is first.passcode_throttle()
    ui.auth.throttle_of(first).failed("tab-1", "192.0.2.77")
    assert ui.auth.throttle_of(second).failures("tab-2", "192.0.2.77") == (0, 1)
    sqlite = SQLiteStore(tmp_path / "one-process.db")
    assert ui.auth.throttle_of(sqlite) is ui.auth.THROTTLE  # one process: its memory
