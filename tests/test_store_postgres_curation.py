"""The PostgreSQL migration for ``Session.cards_need_approval``: a database made before it keeps its
sessions, which read as "no approval", and then stores the setting like any other field."""

from __future__ import annotations

import datetime as dt

import psycopg

from partenariat_core.model import Session
from partenariat_core.store.postgres import MIGRATIONS, PostgresStore, migrate

T0 = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)


def test_a_database_from_before_the_approval_setting_is_migrated_and_keeps_its_sessions(postgres_url):
    index = next(i for i, sql in enumerate(MIGRATIONS) if "cards_need_approval" in sql)
    before = MIGRATIONS[:index]
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        assert migrate(conn, before) == list(range(1, index + 1))
        columns = [
            row[0]
            for row in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'sessions'"
            )
        ]
        assert "cards_need_approval" not in columns
        # a row written by the older app (columns added later by other migrations take their defaults)
        values = {
            "code": "OLD234",
            "title": "Atelier d'avant",
            "date": dt.date(2026, 11, 25),
            "language": "fr",
            "instruments": ["keep_throw"],
            "keep_throw_preset": "garder_jeter",
            "sectors": [],
            "is_open": True,
            "hidden_boards": [],
            "created_at": T0,
        }
        known = [c for c in values if c in columns]
        assert len(known) == len(values)
        conn.execute(
            f"INSERT INTO sessions ({', '.join(known)}) VALUES ({', '.join('%s' for _ in known)})",
            [values[c] for c in known],
        )
    store = PostgresStore(postgres_url)  # applies the missing migrations at start
    try:
        old = store.get_session("OLD234")
        assert old is not None and old.title == "Atelier d'avant" and old.cards_need_approval is False
        saved = store.save_session(old.with_changes(cards_need_approval=True))
        assert store.get_session("OLD234") == saved and saved.cards_need_approval is True
        fresh = Session("NEW234", "Nouvel atelier", created_at=T0, cards_need_approval=True)
        store.create_session(fresh)
        assert store.get_session("NEW234") == fresh
    finally:
        store.close()
