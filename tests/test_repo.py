"""Promises the repository makes about itself: the README's quick start and what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _quick_start_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_quick_start_is_exactly_two_commands() -> None:
    commands = _quick_start_commands()
    assert len(commands) == 2, commands
    assert all("\n" not in c for c in commands)
    assert "translate run articles/fr/" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert _quick_start_commands()[1] in ci


def test_bundled_article_is_the_shared_one_verbatim() -> None:
    shared = REPO.parent / "shared" / "articles" / "fr-grandes-entreprises-exchanges-crypto.txt"
    ours = REPO / "articles" / "fr" / "grandes-entreprises-exchanges-crypto.txt"
    assert ours.exists()
    if shared.exists():
        assert ours.read_bytes() == shared.read_bytes()
