"""Dependencies point one way: bot -> retrieval, storage; retrieval and storage import none of ours.

Checked structurally by walking every module's imports with ``ast``, by their full dotted paths:
``bot`` reaches ``retrieval`` and ``storage`` only through their package ``__init__`` (names listed
in ``__all__``), nothing shipped imports the development tools (``tools``, ``khabri_tools``) nor
anything but the standard library and its declared dependencies, and no module imports another
module's underscore names (bar the allow-list below).
"""

from __future__ import annotations

import ast
import importlib
import re
import sys
import tomllib
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path

import pytest
from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parent.parent
OURS = {"bot", "retrieval", "storage", "tests", "tools", "khabri_tools"}
SHIPPED = ("bot", "retrieval", "storage")
# The development tools: the scripts of tools/ and the khabri-tools package (tools/khabri_tools, the
# bench and eval runners), which no shipped module may import: a plain `pip install .` has neither.
DEVELOPMENT = {"tools", "khabri_tools"}
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
# Imports of another module's underscore names that are allowed, each with the reason why: keyed by
# the importing file, then the module imported from, then the name. Empty: the meeting extractor,
# which had the only ones, is one package now whose modules share public names. An entry needs a
# reason a reviewer accepts (the test below fails on an entry that no longer occurs, and on one
# without a reason).
PRIVATE_IMPORTS_ALLOWED: dict[str, dict[str, dict[str, str]]] = {}


@dataclass(frozen=True)
class Imported:
    """One imported module by its full dotted path, with the names taken from it (empty for ``import m``)."""

    module: str
    names: tuple[str, ...]
    line: int


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[Imported]:
    """Every import in the file (at any depth, lazy ones too), relative ones resolved to full paths."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[Imported] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Imported(alias.name, (), node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                package = module_name(path).split(".")
                if path.name != "__init__.py":
                    package = package[:-1]
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, module] if module else base)
            found.append(Imported(module, tuple(alias.name for alias in node.names), node.lineno))
    return found


def files(*packages: str) -> list[Path]:
    found = [path for package in packages for path in sorted((REPO / package).rglob("*.py"))]
    assert found
    return found


def where(path: Path, imported: Imported) -> str:
    return f"{path.relative_to(REPO)}:{imported.line} imports {imported.module}"


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_what_the_layering_allows(package: str) -> None:
    for path in files(package):
        imported = {i.module.split(".")[0] for i in imports(path)}
        ours = (imported & OURS) - {package}
        assert ours <= ALLOWED[package], f"{path.relative_to(REPO)} imports {sorted(ours)}"
        leaked = imported & FORBIDDEN_THIRD_PARTY.get(package, set())
        assert not leaked, f"{path.relative_to(REPO)} imports {sorted(leaked)}"


def test_bot_reaches_retrieval_and_storage_only_through_their_public_api() -> None:
    # `from retrieval.index.bm25 import Index` would tie bot to retrieval's insides; the package's
    # __init__ says what bot may use, and __all__ lists it.
    for path in files("bot"):
        for imported in imports(path):
            top = imported.module.split(".")[0]
            if top not in {"retrieval", "storage"}:
                continue
            assert imported.module == top, f"{where(path, imported)}: use `from {top} import ...`"
            assert imported.names, f"{where(path, imported)}: use `from {top} import ...`"
            public = set(importlib.import_module(top).__all__)
            hidden = sorted(set(imported.names) - public)
            assert not hidden, f"{where(path, imported)} names outside its __all__: {hidden}"


# Inside bot, the sub-packages by role: the archive core is reached by the Telegram front end, the
# notifier and the command line, and reaches none of them (nor Telegram), so that it can serve any
# front end; the rendering knows the archive's answers but not Telegram's objects or the senders.
BOT_INSIDE_FORBIDDEN = {
    "bot/archive": {"telegram", "bot.tg", "bot.notify", "bot.render", "bot.cli"},
    "bot/render": {"bot.tg", "bot.notify", "bot.cli"},
    "bot/notify": {"bot.tg", "bot.cli"},
    "bot/tg": {"bot.cli"},
}


def reaches(module: str, forbidden: str) -> bool:
    return module == forbidden or module.startswith(forbidden + ".")


@pytest.mark.parametrize("package", sorted(BOT_INSIDE_FORBIDDEN))
def test_bot_sub_packages_import_only_what_their_role_allows(package: str) -> None:
    for path in files(package):
        for imported in imports(path):
            for forbidden in BOT_INSIDE_FORBIDDEN[package]:
                assert not reaches(imported.module, forbidden), where(path, imported)


def development_imports(path: Path) -> list[Imported]:
    """The file's imports of the development tools."""
    return [i for i in imports(path) if i.module.split(".")[0] in DEVELOPMENT]


def test_nothing_shipped_imports_the_development_tools() -> None:
    # bot/cli finds `khabri bench` and `khabri eval` through entry points (bot/cli/tools.py) instead.
    found = [where(path, imported) for path in files(*SHIPPED) for imported in development_imports(path)]
    assert not found, "\n".join(found)


def test_the_development_import_check_sees_the_tools(tmp_path: Path) -> None:
    source = tmp_path / "example.py"
    source.write_text(
        "from khabri_tools.bench import run_bench\nimport tools.pg_server\nimport toolz\n", encoding="utf-8"
    )
    assert [i.module for i in development_imports(source)] == ["khabri_tools.bench", "tools.pg_server"]


def distribution_name(requirement: str) -> str:
    """A requirement's project name, normalised (PEP 503): ``lxml_html_clean>=0.4`` -> ``lxml-html-clean``."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert name, requirement
    return re.sub(r"[-_.]+", "-", name.group()).lower()


def installed_with_khabri() -> set[str]:
    """The distributions a plain `pip install .` brings: pyproject's dependencies, theirs, and so on.

    A requirement's extras count (python-telegram-bot[webhooks] brings tornado); the closure is read
    from the installed distributions' metadata, so it is this environment's.
    """
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    todo = [Requirement(line) for line in project["dependencies"]]
    seen: set[tuple[str, str]] = set()  # (distribution, one of its extras or "")
    while todo:
        requirement = todo.pop()
        name = distribution_name(requirement.name)
        for extra in {"", *requirement.extras} - {e for n, e in seen if n == name}:
            seen.add((name, extra))
            try:
                lines = requires(name) or []
            except PackageNotFoundError:  # a requirement for another platform or Python
                continue
            for line in lines:
                inner = Requirement(line)
                if inner.marker is None or inner.marker.evaluate({"extra": extra}):
                    todo.append(inner)
    return {name for name, _ in seen}


def test_shipped_code_imports_only_the_standard_library_ours_and_its_dependencies() -> None:
    # A plain `pip install .` brings only pyproject's dependencies (and theirs): a shipped import of
    # anything else (rank_bm25, which only the tests and the benchmark use, or pytest) fails there.
    declared = installed_with_khabri()
    providers = packages_distributions()
    found = []
    for path in files(*SHIPPED):
        for imported in imports(path):
            top = imported.module.split(".")[0]
            if top in OURS or top in sys.stdlib_module_names or top == "__future__":
                continue
            if not {distribution_name(d) for d in providers.get(top, [])} & declared:
                found.append(f"{where(path, imported)}, from {providers.get(top, ['nothing installed'])}")
    assert not found, "not a dependency of khabri:\n" + "\n".join(found)


def private_imports() -> dict[str, dict[str, set[str]]]:
    """Underscore names each file imports from another of our modules."""
    found: dict[str, dict[str, set[str]]] = {}
    for path in files(*SHIPPED, "tests", "tools/khabri_tools"):
        own = module_name(path)
        for imported in imports(path):
            if imported.module.split(".")[0] not in OURS or imported.module == own:
                continue
            names = {name for name in imported.names if is_private(name)}
            if is_private(imported.module.rsplit(".", 1)[-1]):
                names.add(imported.module)  # a private module of ours, whatever is taken from it
            if names:
                key = path.relative_to(REPO).as_posix()
                found.setdefault(key, {}).setdefault(imported.module, set()).update(names)
    return found


def unlisted(found: dict[str, dict[str, set[str]]], listed: dict[str, dict[str, set[str]]]) -> list[str]:
    """The names in ``found`` that ``listed`` does not hold, one line per file and module."""
    return sorted(
        f"{path}: from {module} import {sorted(extra)}"
        for path, modules in found.items()
        for module, names in modules.items()
        if (extra := names - listed.get(path, {}).get(module, set()))
    )


def allowed() -> dict[str, dict[str, set[str]]]:
    return {
        path: {module: set(names) for module, names in modules.items()}
        for path, modules in PRIVATE_IMPORTS_ALLOWED.items()
    }


def test_no_module_imports_another_modules_underscore_names() -> None:
    unexpected = unlisted(private_imports(), allowed())
    assert not unexpected, "export the name (without its underscore) instead:\n" + "\n".join(unexpected)


def test_the_allow_list_of_underscore_imports_is_not_stale() -> None:
    stale = unlisted(allowed(), private_imports())
    assert not stale, "no longer imported; remove from PRIVATE_IMPORTS_ALLOWED:\n" + "\n".join(stale)


def test_every_allowed_underscore_import_says_why() -> None:
    for path, modules in PRIVATE_IMPORTS_ALLOWED.items():
        for module, names in modules.items():
            for name, reason in names.items():
                assert len(reason.split()) >= 3, f"{path}: from {module} import {name} needs a reason"


def test_the_private_import_check_sees_an_underscore_import(tmp_path: Path) -> None:
    # The check must be able to fail: an underscore name taken from another module is found.
    source = tmp_path / "example.py"
    source.write_text(
        "from retrieval.tokenize import _tokens\nfrom retrieval import tokenize\n", encoding="utf-8"
    )
    found = [(i.module, i.names) for i in imports(source) if any(is_private(n) for n in i.names)]
    assert found == [("retrieval.tokenize", ("_tokens",))]


def underscore_module(module: str) -> bool:
    """Whether the dotted path goes through a private module (``telegram._utils.types``, say).

    The top package is not judged: ``_thread`` and the like are the standard library's public names.
    """
    return any(is_private(part) for part in module.split(".")[1:])


def test_nothing_shipped_imports_another_packages_underscore_module() -> None:
    # A private module (PTB's ``telegram._utils``, httpx's ``httpx._config``) may change in any release;
    # only what a package exports is ours to use. Our own private modules are judged above.
    found = [
        where(path, imported)
        for path in files(*SHIPPED)
        for imported in imports(path)
        if imported.module.split(".")[0] not in OURS and underscore_module(imported.module)
    ]
    assert not found, "use the package's public API instead:\n" + "\n".join(found)


def test_the_underscore_module_check_sees_a_private_module(tmp_path: Path) -> None:
    source = tmp_path / "example.py"
    source.write_text(
        "from telegram._utils.types import ODVInput\nimport httpx._config\nfrom telegram.request import"
        " BaseRequest\nimport _thread\n",
        encoding="utf-8",
    )
    found = [i.module for i in imports(source) if underscore_module(i.module)]
    assert found == ["telegram._utils.types", "httpx._config"]


def test_public_api_lists_only_names_that_exist() -> None:
    import retrieval
    import storage

    for module in (retrieval, storage):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.__all__ names missing {name}"


def test_the_meeting_package_is_reached_only_through_its_init() -> None:
    # retrieval.meetings is one subsystem: outside it, code names what its __init__ offers, so its
    # modules can be rearranged without touching anyone else.
    import retrieval.meetings

    public = set(retrieval.meetings.__all__)
    for path in files(*SHIPPED, "tests"):
        if path.is_relative_to(REPO / "retrieval" / "meetings") or path.is_relative_to(
            REPO / "tests" / "retrieval" / "meetings"
        ):
            continue
        for imported in imports(path):
            if reaches(imported.module, "retrieval.meetings"):
                assert imported.module == "retrieval.meetings", where(path, imported)
                hidden = sorted(set(imported.names) - public)
                assert not hidden, f"{where(path, imported)} names outside its __all__: {hidden}"


def test_callback_data_is_pure() -> None:
    # Buttons are built by the notifier as well as by the Telegram front end: no Telegram in it.
    for imported in imports(REPO / "bot" / "callbacks.py"):
        assert imported.module.split(".")[0] not in {"telegram", "storage"}, imported
        assert not reaches(imported.module, "bot"), imported


# Buttons rebuilt from what the outbox stored (their data was encoded when the row was written).
BUTTONS_FROM_STORED_DATA = {"bot/notify/sender.py"}


def test_every_button_takes_its_data_from_callbacks_encode() -> None:
    for path in files("bot"):
        if path.relative_to(REPO).as_posix() in BUTTONS_FROM_STORED_DATA:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "callback_data":
                value = node.value
                name = (
                    value.func.id
                    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                    else None
                )
                assert name == "encode", (
                    f"{path.relative_to(REPO)}:{value.lineno} builds callback data itself"
                )


def field_literals(path: Path) -> list[int]:
    """Lines where ``<something>.field`` is compared with a string literal (a field code spelt out)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Attribute) and s.attr == "field" for s in sides) and any(
                isinstance(s, ast.Constant) and isinstance(s.value, str) for s in sides
            ):
                lines.append(node.lineno)
    return lines


def test_bot_takes_the_field_codes_from_retrieval() -> None:
    # Retrieval owns the index's field scheme (retrieval.analyze): bot names FUNCTION_FIELD and
    # KEY_PREFIX from it rather than spelling "f" or "k:" again, so a change to a field is one edit.
    for path in files("bot"):
        assert not field_literals(path), (
            f"{path.relative_to(REPO)}:{field_literals(path)} spells a field code"
        )
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign):
                names = {t.id for t in node.targets if isinstance(t, ast.Name)}
                assert not names & {"FUNCTION_FIELD", "KEY_PREFIX"}, f"{path.relative_to(REPO)}:{node.lineno}"


def test_the_field_code_check_sees_a_literal(tmp_path: Path) -> None:
    source = tmp_path / "example.py"
    source.write_text(
        'keep = [g for g in groups if g.field != "f"]\nok = g.field == FIELD\n', encoding="utf-8"
    )
    assert field_literals(source) == [1]


def transactions(path: Path) -> list[int]:
    """The lines where a module opens a store transaction (``….transaction(…)``)."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "transaction"
    ]


def test_telegram_handlers_never_write_to_the_store() -> None:
    # Every store write must run inside a transaction (the store refuses one outside), so a handler
    # that opens none writes nothing: the archive (note_question) and bot.notify (subscribing,
    # feeds) do the writing, and handlers only read and render.
    for path in (REPO / "bot" / "tg" / "handlers").glob("*.py"):
        assert not transactions(path), f"{path.relative_to(REPO)}:{transactions(path)} writes to the store"


def test_the_transaction_check_sees_one(tmp_path: Path) -> None:
    source = tmp_path / "example.py"
    source.write_text("async def f(store):\n    async with store.transaction(at_once=True):\n        pass\n")
    assert transactions(source) == [2]
