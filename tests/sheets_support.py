"""What several Google Sheets test modules share: store timings fast enough for tests, quotas off."""

from __future__ import annotations

from partenariat_core.store.sheets import SheetsOptions

# Quotas are exercised in test_sheets_faults.py; these modules test what is written, not how fast.
FAST = SheetsOptions(
    read_seconds=0.05,
    sessions_seconds=0.3,
    flush_seconds=0.02,
    backoff_base=0.02,
    backoff_cap=0.2,
    timeout=2.0,
    quota_per_minute=6000,
    batch_size=500,
)
