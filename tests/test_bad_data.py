"""Every bad data file gets exact `path:line:col` diagnostics, exit code 1,
no traceback, and leaves every file byte-identical."""

from __future__ import annotations

import pytest

from bad_data_cases import CASES, Case
from conftest import snapshot


def _line_of(text: str, needle: str, start: int = 0) -> int:
    return text.count("\n", 0, text.index(needle, start)) + 1


def _apply(case: Case, data) -> dict[str, int]:
    path = data / case.file
    marks: dict[str, int] = {}
    if case.content is not None:
        path.write_bytes(case.content)
        marks["L"] = int(case.extra.get("line", "1"))
        return marks
    text = path.read_text(encoding="utf-8")
    assert case.find in text, f"{case.id}: snippet not found in {case.file}"
    marks["L"] = _line_of(text, case.find)
    new = text.replace(case.find, case.replace, 1)
    path.write_text(new, encoding="utf-8")
    for key, needle in (("S", "\nslots:"), ("C", "\ncategories:"), ("G", "\ngrades:")):
        if needle in new:
            marks[key] = _line_of(new, needle) + 1
    return marks


def _expand(line: str, marks: dict[str, int]) -> str:
    import re

    def sub(m: re.Match) -> str:
        base = marks[m.group(1)]
        return str(base + int(m.group(2) or 0))

    return re.sub(r"\{([LSCG])([+-]\d+)?\}", sub, line)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_data_file(case: Case, ws, run) -> None:
    marks = _apply(case, ws / "data")
    before = snapshot(ws)
    result = run("check", cwd=ws)
    assert result.code == 1, result.text
    expected = [f"data/{case.file}:{_expand(e, marks)}" for e in case.expect]
    got = [line for line in result.err.splitlines() if ": 错误：" in line or ": 警告：" in line]
    assert got == expected
    assert snapshot(ws) == before


def test_catalogue_is_large_enough() -> None:
    assert len(CASES) >= 25
    assert len({c.id for c in CASES}) == len(CASES)


def test_all_problems_of_a_run_are_listed(ws, run) -> None:
    units = ws / "data" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("short: 司法局", "shrot: 司法局"), encoding="utf-8")
    checklist = ws / "data" / "checklist.yaml"
    checklist.write_text(checklist.read_text(encoding="utf-8").replace("points: 5\n", "points: \"5\"\n", 1), encoding="utf-8")
    settings = ws / "data" / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("reply_room: 司法大楼504", "reply_room: no"), encoding="utf-8")
    result = run("check", cwd=ws)
    assert result.code == 1
    files = {line.split(":")[0] for line in result.err.splitlines() if ": 错误：" in line}
    assert files == {"data/units.yaml", "data/checklist.yaml", "data/settings.yaml"}
    assert "共发现 3 个问题" in result.err


def test_json_lists_problems_with_positions(ws, run) -> None:
    import json

    units = ws / "data" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("kind: county", "kind: city", 1), encoding="utf-8")
    result = run("check", "--format", "json", cwd=ws)
    assert result.code == 1
    report = json.loads(result.out)
    assert report["ok"] is False
    (problem,) = report["problems"]
    assert problem["path"] == "data/units.yaml"
    assert problem["line"] > 0 and problem["col"] == 11
    assert "city" in problem["message"]


def test_source_line_and_caret_are_shown(ws, run) -> None:
    units = ws / "data" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("short: 司法局", "shrot: 司法局"), encoding="utf-8")
    err = run("check", cwd=ws).err
    assert "| " in err and "shrot: 司法局" in err and "^" in err


def test_other_commands_refuse_bad_data_too(ws, run) -> None:
    units = ws / "data" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("kind: county", "kind: city", 1), encoding="utf-8")
    before = snapshot(ws)
    result = run("plan", "week", "--date", "2021-04-12", cwd=ws)
    assert result.code == 1
    assert "data/units.yaml:" in result.err and "city" in result.err
    assert result.out == ""
    assert snapshot(ws) == before
