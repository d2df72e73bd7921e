"""record_files walks records/<kind>/ with os.scandir: the same files, in the same order, as the
rglob it replaces."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lufa_cli.records.store import record_files, sorted_paths


@pytest.mark.skipif(os.name == "nt", reason="Windows keeps Path.rglob")
def test_record_files_are_rglobs_files_in_path_order(tmp_path: Path) -> None:
    kind = tmp_path / "records" / "notices"
    for rel in ("2026/2026-0001.yaml", "2026-x/a.yaml", "2026/b/c.yaml", ".hidden/q.yaml", "2026/.draft.yaml",
                "dir.yaml/k.yaml", "UPPER.YAML", "n.yaml", "2026/notice-tongzhishu/2026-0002.yaml", "20260/u.yaml",
                "a b/中文.yaml", "notes.txt"):
        path = kind / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    os.symlink(kind / "2026", kind / "linked")  # a symlinked folder is not entered
    os.symlink(kind / "n.yaml", kind / "link.yaml")
    os.symlink(kind / "nowhere", kind / "broken.yaml")
    expected = sorted_paths(p for p in kind.rglob("*.yaml") if not p.name.startswith("."))
    got = record_files(tmp_path, "notices")
    assert got == expected
    assert [p.relative_to(kind).as_posix() for p in got] == [
        ".hidden/q.yaml", "2026/2026-0001.yaml", "2026/b/c.yaml", "2026/notice-tongzhishu/2026-0002.yaml",
        "2026-x/a.yaml", "20260/u.yaml", "a b/中文.yaml", "broken.yaml", "dir.yaml", "dir.yaml/k.yaml",
        "link.yaml", "n.yaml",
    ]
    assert record_files(tmp_path, "inspections") == []
