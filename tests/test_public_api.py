"""The core's public API is ``partenariat_core.__all__``: pinned, importable, and the only door the
shell (``pages/``, ``ui/``, ``app.py``, ``serve.py``) comes in by."""

from __future__ import annotations

import ast
from pathlib import Path

import partenariat_core

ROOT = Path(__file__).resolve().parents[1]
SHELL = [
    ROOT / "app.py",
    ROOT / "serve.py",
    *sorted((ROOT / "pages").glob("*.py")),
    *sorted((ROOT / "ui").glob("*.py")),
]


def _isort_key(name: str) -> tuple[int, str]:
    """ruff's RUF022 order: CONSTANTS, then Classes, then functions, each alphabetical."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[0].isupper() else (2, name)


def test_all_is_sorted_without_duplicates():
    names = list(partenariat_core.__all__)
    assert names == sorted(names, key=_isort_key)
    assert len(names) == len(set(names))


def test_every_public_name_is_importable():
    missing = [name for name in partenariat_core.__all__ if not hasattr(partenariat_core, name)]
    assert missing == []


def test_the_shell_imports_the_core_only_through_its_public_api():
    offenders = []
    for path in SHELL:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("partenariat_core")
            ):
                if node.module != "partenariat_core":
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} from {node.module}")
                else:
                    offenders += [
                        f"{path.relative_to(ROOT)}:{node.lineno} {alias.name} is not in __all__"
                        for alias in node.names
                        if alias.name not in partenariat_core.__all__
                    ]
            elif isinstance(node, ast.Import):
                offenders += [
                    f"{path.relative_to(ROOT)}:{node.lineno} import {alias.name}"
                    for alias in node.names
                    if alias.name.startswith("partenariat_core.")
                ]
    assert offenders == []
