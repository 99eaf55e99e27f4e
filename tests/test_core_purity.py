"""The core stays pure Python: no module of ``partenariat_core`` imports streamlit."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import partenariat_core

CORE = Path(partenariat_core.__file__).resolve().parent
REPO = CORE.parent


def _sources() -> list[Path]:
    return sorted(p for p in CORE.rglob("*.py") if "__pycache__" not in p.parts)


def _imported_roots(tree: ast.AST) -> set[str]:
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            roots.add(node.args[0].value.split(".")[0])
    return roots


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def test_the_scan_finds_an_import_of_streamlit():
    # the checker itself must be able to fail
    for source in (
        "import streamlit as st",
        "from streamlit.testing import v1",
        "importlib.import_module('streamlit')",
    ):
        assert "streamlit" in _imported_roots(ast.parse(source))


def test_no_core_source_imports_streamlit():
    sources = _sources()
    assert len(sources) > 10
    offenders = [
        str(path.relative_to(REPO))
        for path in sources
        if "streamlit" in _imported_roots(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    ]
    assert offenders == []


CHILD = """
import importlib, json, pkgutil, sys
import partenariat_core
names = set(sys.argv[1:])
names.update(m.name for m in pkgutil.walk_packages(partenariat_core.__path__, "partenariat_core."))
names = sorted(n for n in names if n.split(".")[-1] != "__main__")
for name in names:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] == "streamlit")
print(json.dumps({"imported": names, "streamlit": loaded}))
"""


def test_importing_every_core_module_does_not_load_streamlit():
    names = [_module_name(p) for p in _sources()]
    result = subprocess.run(
        [sys.executable, "-c", CHILD, *names],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert "partenariat_core.scoring.summary" in report["imported"]
    assert "partenariat_core.store.sqlite" in report["imported"]
    assert report["streamlit"] == []
