"""Facts the documentation states about the code, checked against the code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DESIGN = REPO / "docs" / "design.md"


def exception_classes(package: Path, root: Path = REPO) -> dict[str, str]:
    """Every class under ``package`` that derives from an ``…Error``/``…Exception``: its module, by name."""
    found: dict[str, str] = {}
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(_raises_like(base) for base in node.bases):
                found[node.name] = str(path.relative_to(root))
    return found


def _raises_like(base: ast.expr) -> bool:
    name = base.attr if isinstance(base, ast.Attribute) else base.id if isinstance(base, ast.Name) else ""
    return bool(re.search(r"(Error|Exception)$", name))


def errors_section() -> str:
    text = DESIGN.read_text(encoding="utf-8")
    start = text.index("### The bot's own errors")
    return text[start : text.index("\n## ", start)]


def test_every_exception_bot_defines_is_in_the_documented_tree() -> None:
    section = errors_section()
    for name, module in exception_classes(REPO / "bot").items():
        assert re.search(rf"\b{name}\s+{re.escape(module)}\b", section), (
            f"{name} ({module}) is not in design.md"
        )


def test_the_tree_names_no_class_that_is_gone() -> None:
    defined = exception_classes(REPO / "bot")
    listed = re.findall(r"[├└]── (\w+)\s+(bot/\S+\.py)", errors_section())
    assert listed
    for name, module in listed:
        assert defined.get(name) == module, f"design.md lists {name} in {module}"


def test_the_exception_finder_sees_a_subclass_of_an_error(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "m.py").write_text("class Oops(ValueError):\n    pass\nclass Fine:\n    pass\n")
    assert exception_classes(package, tmp_path) == {"Oops": "pkg/m.py"}
