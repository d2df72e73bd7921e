"""Readable at 80 columns: help prose wraps at character boundaries, example commands are never
broken mid-command, and the unit table keeps every full name readable."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from conftest import REPO
from lufa_cli.cli.app import app


def _commands():
    import typer.main

    def walk(cmd, path):
        yield path, cmd
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, (*path, name))

    return list(walk(typer.main.get_command(app), ()))


COMMANDS = _commands()


@pytest.fixture
def run80(run, monkeypatch):
    def _run(*args):
        monkeypatch.setenv("COLUMNS", "80")
        return run(*args, cwd=REPO)

    return _run


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[" ".join(p) or "lufa" for p, _ in COMMANDS])
def test_help_at_80_columns(run80, path, cmd) -> None:
    r = run80(*path, "--help")
    assert r.code == 0
    lines = r.out.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    shown = {" ".join(line.split()) for line in lines}
    for line in (cmd.help or "").splitlines():
        if line.startswith("  ") and line.strip():  # an example (or its continuation): one line on screen
            assert " ".join(line.split()) in shown, f"示例在 80 列被折断：{line.strip()}"


def test_prose_wraps_at_characters_not_whole_sentences(run80) -> None:
    r = run80("inspect", "record", "--help")
    lines = [line.strip() for line in r.out.splitlines()]
    # the paragraph is reflowed: its lines are filled to the width, not cut where the source broke them
    start = next(i for i, line in enumerate(lines) if line.startswith("三种方式："))
    para = lines[start: lines.index("", start)]
    assert len(para) >= 3 and all(cell_len(line) >= 70 for line in para[:-1]), para
    assert "".join(para).replace(" ", "").startswith("三种方式：用选项录入一条问题（--item/--deduction/--finding）；用--from读取在现场填好的记录表")


def test_unit_table_keeps_full_names(run80) -> None:
    import yaml

    names = [u["name"] for u in yaml.safe_load((REPO / "data" / "units.yaml").read_text(encoding="utf-8"))["units"]]
    r = run80("units")
    assert max(cell_len(line) for line in r.out.splitlines()) <= 80
    rows: list[str] = []
    for line in r.out.splitlines():
        cells = line.split("│")
        if len(cells) < 4:
            continue
        if cells[1].strip():
            rows.append("")
        rows[-1] += cells[3].strip()
    assert rows == names
    assert "…" not in r.out
