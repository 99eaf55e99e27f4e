"""A sessions worksheet written before ``Session.cards_need_approval`` existed (the release with a
``version`` column but no approval column) opens, reads its sessions as "no approval", and gains
the column after its others the first time a session is saved."""

from __future__ import annotations

import pytest
from sheets_support import FAST

from partenariat_core.fake_sheets import FakeSheetsServer
from partenariat_core.model import SESSION_FIELDS, Session
from partenariat_core.store.sheets import SheetsStore


@pytest.fixture
def fake():
    with FakeSheetsServer() as server:
        server.quota.enabled = False
        yield server


@pytest.mark.parametrize(
    "missing",
    [("cards_need_approval",), ("agenda", "cards_need_approval")],
    ids=["before-approval", "before-agenda"],
)
def test_a_sessions_sheet_from_before_the_approval_setting_keeps_working(fake, tmp_path, missing):
    old_fields = [f for f in SESSION_FIELDS if f not in missing]
    record = Session("OLD234", "Feuille d'avant").to_record()
    fake.create_spreadsheet("old", "Old", sheets=["sessions", "responses"])
    fake.set_values("old", "sessions", [old_fields, [record[f] for f in old_fields]])
    store = SheetsStore("old", outbox_path=tmp_path / "o.db", api_url=fake.base_url, options=FAST)
    try:
        session = store.get_session("OLD234")
        assert session is not None and session.title == "Feuille d'avant"
        assert session.cards_need_approval is False
        saved = store.save_session(session.with_changes(cards_need_approval=True))
        assert store.flush(timeout=10), store.sync_status()
    finally:
        store.close()
    rows = fake.values("old", "sessions")
    assert rows[0] == [*old_fields, *missing]  # added after the others
    assert rows[1][: len(old_fields)] == [record[f] for f in old_fields]  # the old row is untouched
    reader = SheetsStore("old", outbox_path=tmp_path / "r.db", api_url=fake.base_url, options=FAST)
    try:
        assert reader.get_session("OLD234") == saved and saved.cards_need_approval is True
    finally:
        reader.close()
