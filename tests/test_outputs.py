"""Every list command writes `-o 文件.csv|.xlsx|.json` chosen by the suffix; CSV files carry a BOM;
numbers look the same in CSV, sheets and tables (3, not 3.0; 0.5 stays 0.5)."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys

import pytest

from conftest import REPO, snapshot

AS_OF = ("--as-of", "2026-11-28")


def _csv(path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV files start with a BOM for Excel/WPS"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def _xlsx(path) -> list[list]:
    from openpyxl import load_workbook

    return [list(r) for r in load_workbook(path).active.iter_rows(values_only=True)]


@pytest.fixture
def recorded(ws, run):
    for unit, date, item, points in (("司法局", "2026-04-13", "3.3", "3"), ("张良镇", "2026-03-03", "3.1", "0.5")):
        r = run("inspect", "record", unit, "--date", date, "--item", item, "--deduction", points, "--finding", "执法记录仪未全程开启", *AS_OF, cwd=ws)
        assert r.code == 0, r.text
    assert run("notice", "issue", "--inspection", "2026-04-13-sifaju", "--date", "2026-09-03", cwd=ws).code == 0
    return ws


def test_inspect_list_numbers_like_the_table(recorded, run) -> None:
    ws = recorded
    r = run("inspect", "list", "--format", "csv", cwd=ws)
    assert r.out.splitlines()[1:] == ["2026-03-03-zhangliang-zhen,张良镇,日常监督,日常监督,1,0.5,1", "2026-04-13-sifaju,司法局,日常监督,日常监督,1,3,1"]
    assert not r.out.startswith("\ufeff"), "CSV on stdout has no BOM"
    table = run("inspect", "list", cwd=ws).out
    assert "│ 3    │" in table and "│ 0.5  │" in table
    assert run("inspect", "list", "-o", "记录.csv", cwd=ws).code == 0
    assert _csv(ws / "记录.csv")[2] == ["2026-04-13-sifaju", "司法局", "日常监督", "日常监督", "1", "3", "1"]
    r = run("inspect", "list", "-o", "记录.xlsx", cwd=ws)
    assert r.code == 0 and r.err == "已写入 记录.xlsx\n"
    rows = _xlsx(ws / "记录.xlsx")
    assert rows[0] == ["编号", "单位", "类别", "监督类型", "问题", "扣分", "待整改"]
    assert rows[1] == ["2026-03-03-zhangliang-zhen", "张良镇", "日常监督", "日常监督", 1, 0.5, 1]
    assert rows[2] == ["2026-04-13-sifaju", "司法局", "日常监督", "日常监督", 1, 3, 1]
    assert isinstance(rows[2][5], int)


@pytest.mark.parametrize(
    ("args", "header"),
    [
        (("units",), ["序号", "编号", "全称", "简称", "类别", "检查周", "免检原因"]),
        (("notice", "list"), ["文号", "单位", "下达", "期限", "状态"]),
        (("rectify", "overdue", "--as-of", "2026-11-28"), ["文号", "单位", "事项", "期限", "逾期天数", "催办科室", "电话", "移交线索候选"]),
        (("selfcheck", "missing", "--as-of", "2026-04-01"), ["编号", "单位", "类别", "状态"]),
        (("plan", "spotcheck", "--year", "2026", "--count", "3", "--seed", "1"), ["序号", "编号", "单位", "类别"]),
        (("plan", "week", "--date", "2026-04-13"), ["周次", "开始日期", "结束日期", "序号", "单位编号", "受监督单位", "类别"]),
        (("score", "report", "--year", "2026", "--as-of", "2026-11-28"), ["类别", "名次", "编号", "单位", "总分", "等级", "问题数"]),
    ],
)
def test_every_list_command_writes_csv_and_xlsx(recorded, run, args, header) -> None:
    ws = recorded
    r = run(*args, "-o", "表.csv", cwd=ws)
    assert r.code == 0, r.text
    rows = _csv(ws / "表.csv")
    assert rows[0][: len(header)] == header and len(rows) > 1
    r = run(*args, "-o", "表.xlsx", cwd=ws)
    assert r.code == 0, r.text
    sheet = _xlsx(ws / "表.xlsx")
    if args[0] == "score":  # the score workbook has one sheet per kind of unit, without the 类别 column
        assert [str(c) for c in sheet[0][: len(header) - 1]] == header[1:]
    else:
        assert [["" if c is None else str(c) for c in row] for row in sheet] == rows
    r = run(*args, "-o", "表.json", cwd=ws)
    assert r.code == 0 and json.loads((ws / "表.json").read_text(encoding="utf-8"))


def test_output_files_are_not_overwritten(recorded, run) -> None:
    ws = recorded
    (ws / "表.csv").write_text("旧", encoding="utf-8")
    r = run("units", "-o", "表.csv", cwd=ws)
    assert r.code == 3 and (ws / "表.csv").read_text(encoding="utf-8") == "旧"
    assert run("units", "-o", "表.csv", "--force", cwd=ws).code == 0
    assert _csv(ws / "表.csv")[1][1] == "xianzhengfuban"


def test_suffix_and_format_must_agree(recorded, run) -> None:
    ws = recorded
    r = run("notice", "list", "--format", "json", "-o", "x.csv", cwd=ws)
    assert r.code == 2 and "错误：--format json 与 -o 文件“x.csv”的后缀不一致；只写 -o 即可，格式按后缀选择" in r.err
    r = run("units", "-o", "x.docx", cwd=ws)
    assert r.code == 2 and "错误：-o 的文件“x.docx”应以 .csv、.xlsx 或 .json 结尾（格式按后缀选择），或用 --format 指定格式" in r.err
    assert not (ws / "x.csv").exists() and not (ws / "x.docx").exists()


def _lufa(ws, *args, stdout) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "COLUMNS": "200"}
    env.pop("LUFA_DATA", None)
    return subprocess.run([sys.executable, "-m", "lufa_cli", *args], cwd=ws, env=env, stdout=stdout, stderr=subprocess.PIPE, timeout=120)


def test_format_xlsx_writes_the_workbook_to_a_pipe_and_refuses_a_terminal(recorded, tmp_path) -> None:
    """--format xlsx is the same workbook as -o 文件.xlsx, on stdout when it is a file or a pipe;
    on a terminal (a pty here) it is refused, so no binary reaches the clerk's screen."""
    ws = recorded
    for args, name in ((("inspect", "list"), "检查.xlsx"), (("units",), "名册.xlsx"), (("review", "summary", "--year", "2026", *AS_OF), "评查.xlsx")):
        with open(tmp_path / name, "wb") as f:
            p = _lufa(ws, *args, "--format", "xlsx", stdout=f)
        assert p.returncode == 0, p.stderr.decode()
        rows = _xlsx(tmp_path / name)
        assert len(rows) > (args[0] != "review") and all(isinstance(c, str) and c for c in rows[0]), rows[:2]  # header, rows (no reviews yet)
        if args[0] != "review":
            q = _lufa(ws, *args, "-o", tmp_path / f"o-{name}", stdout=subprocess.DEVNULL)
            assert q.returncode == 0, q.stderr.decode()
            assert _xlsx(tmp_path / f"o-{name}") == rows
    assert [r[:2] for r in _xlsx(tmp_path / "检查.xlsx")] == [["编号", "单位"], ["2026-03-03-zhangliang-zhen", "张良镇"], ["2026-04-13-sifaju", "司法局"]]
    main, child = pty.openpty()
    try:
        before = snapshot(ws)
        p = _lufa(ws, "inspect", "list", "--format", "xlsx", stdout=child)
        assert p.returncode == 2
        assert p.stderr.decode() == "错误：--format xlsx 输出的是 Excel 文件，不能显示在终端上：请加 -o 文件.xlsx，或重定向到文件（> 名单.xlsx）\n"
        assert snapshot(ws) == before
    finally:
        os.close(main)
        os.close(child)


@pytest.mark.parametrize("text", [
    "司法局（最长逾期 3 天）\n  鲁政行监字〔2026〕1号  逾期\x07未报送\r，期限 2026-10-08；  \n共 1 项逾期。  \n\n",
    "甲\t乙（含制表符：Rich 展开）\n",
    "甲\x0c乙\x0b丙\x08丁\n",  # each other control code Rich strips, without a bell or carriage return
    "干净的一行\n",
    "",
])
def test_styled_lines_written_straight_are_what_rich_prints(text) -> None:
    """print_styled writes the characters itself where Rich would print only them: same bytes."""
    import io

    from rich.console import Console
    from rich.text import Text

    from lufa_cli.render.terminal import print_styled

    parts = [(line, "bold" if i % 2 else "") for i, line in enumerate(text.splitlines(keepends=True))]
    fast = io.StringIO()
    print_styled(Console(file=fast, width=40, highlight=False, emoji=False), parts)
    rich = io.StringIO()
    out = Text()
    for line, style in parts:
        out.append(line, style=style or None)
    out.rstrip()
    Console(file=rich, width=40, highlight=False, emoji=False).print(out, soft_wrap=True)
    assert fast.getvalue() == rich.getvalue()
    coloured = io.StringIO()  # on a terminal Rich draws it, with its colour codes
    print_styled(Console(file=coloured, width=40, force_terminal=True, color_system="standard"), parts)
    assert ("\x1b[" in coloured.getvalue()) == any(style for _, style in parts)


def test_styled_lines_respect_a_capture_and_a_quiet_console() -> None:
    """Where Rich would buffer (a capture) or print nothing (quiet), so does print_styled."""
    import io

    from rich.console import Console

    from lufa_cli.render.terminal import print_styled

    c = Console(file=io.StringIO())
    with c.capture() as cap:
        print_styled(c, [("甲\n", "bold"), ("乙", "")])
    assert cap.get() == "甲\n乙\n" and c.file.getvalue() == ""
    quiet = Console(file=io.StringIO(), quiet=True)
    print_styled(quiet, [("甲", "")])
    assert quiet.file.getvalue() == ""
