"""Dependencies point one way: bot -> retrieval, storage; retrieval and storage import none of ours.

Checked structurally by walking every module's imports with ``ast``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
OURS = {"bot", "retrieval", "storage", "tests"}
ALLOWED = {
    "retrieval": set(),
    "storage": set(),
    "bot": {"retrieval", "storage"},
}
# Third-party packages each layer may use; anything else (telegram in storage, say) is a leak.
FORBIDDEN_THIRD_PARTY = {
    "retrieval": {"telegram", "aiosqlite", "sqlite3", "asyncio", "httpx", "storage", "bot"},
    "storage": {"telegram", "retrieval", "numpy", "bot"},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_what_the_layering_allows(package: str) -> None:
    files = sorted((REPO / package).rglob("*.py"))
    assert files
    for path in files:
        imported = imported_packages(path)
        ours = (imported & OURS) - {package}
        assert ours <= ALLOWED[package], f"{path.relative_to(REPO)} imports {sorted(ours)}"
        leaked = imported & FORBIDDEN_THIRD_PARTY.get(package, set())
        assert not leaked, f"{path.relative_to(REPO)} imports {sorted(leaked)}"


def test_public_api_lists_only_names_that_exist() -> None:
    import retrieval
    import storage

    for module in (retrieval, storage):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.__all__ names missing {name}"
