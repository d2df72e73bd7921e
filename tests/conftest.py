"""Shared fixtures: a writable copy of the bundled data, and an in-process CLI runner."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from lufa_cli.cli.app import main

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


@pytest.fixture(autouse=True)
def _private_cache_home(tmp_path_factory, monkeypatch):
    """Each test gets its own per-user cache folder (the records cache), never ~/.cache."""
    home = tmp_path_factory.mktemp("cache-home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.setenv("LOCALAPPDATA", str(home))
    monkeypatch.delenv("LUFA_NO_CACHE", raising=False)
    return home


@pytest.fixture
def run(capsys, monkeypatch):
    """Run `lufa ARGS…` in-process; returns exit code, stdout, stderr."""
    monkeypatch.delenv("LUFA_DATA", raising=False)
    monkeypatch.delenv("LUFA_TODAY", raising=False)
    monkeypatch.setenv("COLUMNS", "120")

    def _run(*args: str, cwd: Path | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        assert "Traceback" not in captured.out + captured.err
        return Result(code, captured.out, captured.err)

    return _run


@pytest.fixture
def ws(tmp_path) -> Path:
    """A workspace folder `tmp/ws` holding a copy of the bundled data and templates."""
    root = tmp_path / "ws"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "templates", root / "templates")
    settings = root / "data" / "settings.yaml"  # as `lufa init --contact 张三` writes it: notices need a contact
    settings.write_text(settings.read_text(encoding="utf-8").replace('  name: ""', "  name: 张三", 1), encoding="utf-8")
    return root


def snapshot(folder: Path) -> dict[str, str]:
    """Path → sha256 of every file under `folder` (to prove nothing changed)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def pytest_addoption(parser):
    parser.addoption(
        "--update-readme",
        action="store_true",
        help="rewrite the outputs of README.md's console examples with the real output (tests/test_readme.py)",
    )
