"""Repository rules: every query file is used, ruff is clean, no SQL is built from strings."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = ("ioc", "pages", "benchmarks")


def code_text() -> str:
    files = [ROOT / "app.py", *[p for d in CODE_DIRS for p in (ROOT / d).rglob("*.py")]]
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def test_every_query_file_is_used():
    text = code_text()
    unused = [
        q.stem
        for q in sorted((ROOT / "queries").glob("*.sql"))
        if not re.search(rf"[\"']{q.stem}[\"']", text)
    ]
    assert unused == []


def test_ruff_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pages_hold_no_sql():
    for page in (ROOT / "pages").glob("*.py"):
        text = page.read_text(encoding="utf-8").lower()
        assert not re.search(r"\b(select|insert|update|delete)\b[^\n]*\b(from|into|set)\b", text), (
            page
        )
        assert "duckdb" not in text, page


def test_readme_has_exactly_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:bash|sh)\n(.*?)```", readme, flags=re.S)
    commands = [line for b in blocks for line in b.splitlines() if line.strip()]
    assert len(commands) == 2, commands
    assert "bash .ci/run" in commands[1]


def test_every_setting_is_documented():
    used = set(re.findall(r"environ\.get\(\s*\"(IOC_[A-Z_]+)\"", code_text()))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert used and not [name for name in sorted(used) if name not in readme]
