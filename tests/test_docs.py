"""Cheap checks that keep the README honest (as sqlite-utils' test_docs.py does)."""

from __future__ import annotations

import re
from pathlib import Path

from partenariat_core.config import ENV_PREFIX, SETTINGS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    documented = set(re.findall(r"`(PARTENARIAT_[A-Z_]+)`", README))
    expected = {ENV_PREFIX + s.name.upper() for s in SETTINGS}
    assert sorted(expected - documented) == []


def test_readme_documents_no_setting_that_does_not_exist():
    documented = set(re.findall(r"\| `(PARTENARIAT_[A-Z_]+)` \|", README))
    expected = {ENV_PREFIX + s.name.upper() for s in SETTINGS} | {"PARTENARIAT_SECRETS_FILE"}
    assert sorted(documented - expected) == []


def test_ci_runs_exactly_the_readme_test_command():
    assert "bash scripts/test.sh" in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^exec bash scripts/test\.sh$", ci, re.M)
    test_sh = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert "requirements-dev.txt" in test_sh and "chromium" in test_sh and "pytest" in test_sh


def test_readme_run_command_starts_the_app():
    assert "bash scripts/run.sh" in README
    run_sh = (ROOT / "scripts" / "run.sh").read_text(encoding="utf-8")
    assert "requirements.txt" in run_sh and "python3 serve.py" in run_sh


def test_readme_images_exist():
    for image in re.findall(r"\]\((docs/[^)]+\.png)\)", README):
        assert (ROOT / image).is_file(), image
