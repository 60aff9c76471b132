"""The Dockerfile: a failed install fails the build, and compiled bytecode is kept for fast starts."""

from __future__ import annotations

import re
from pathlib import Path

DOCKERFILE = (Path(__file__).resolve().parent.parent / "Dockerfile").read_text(encoding="utf-8")


def _run_steps() -> list[str]:
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [line[4:] for line in joined.splitlines() if line.startswith("RUN ")]


def test_install_step_chains_with_and_so_a_failure_fails_the_build() -> None:
    [install] = [step for step in _run_steps() if "pip install" in step]
    assert ";" not in install
    assert "useradd" in install
    assert install.count("&&") >= 2


def test_bytecode_compiled_at_install_is_not_removed() -> None:
    assert "__pycache__" not in "".join(_run_steps())


def test_runs_as_a_user_with_the_store_on_a_volume() -> None:
    assert "USER khabri" in DOCKERFILE
    assert 'VOLUME ["/data"]' in DOCKERFILE
    assert 'CMD ["khabri", "run"]' in DOCKERFILE
