"""Honest views (issue 16 §2–3, issue 14 §2): --as-of is the state of that day, --today fixes
"today" for every command, no silent fallback or drop, the workspace is found like git finds
its repository."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO, snapshot

BUNDLED = "提示：未使用工作区，正在读取内置鲁山县数据（只读）；lufa where 可查看原因，lufa init 目录 可建立工作区。\n"


def no_contact(settings: str) -> str:
    """The warning the bundled data carries: its settings.yaml names no contact (issue 15 item 5)."""
    return (f'{settings}:22:9: 警告：contact.name（联系人）未填写：文书的附注只印联系方式、不印联系人；填写前 lufa notice issue 拒绝下达\n'
            '    22 |   name: ""\n       |         ^\n')
GUESS_2027 = (
    "警告：2027 年的法定节假日尚未收录（chinese-calendar 只到已公布的年份），工作日按周一至周五推测"
    "（只含元旦、五一、国庆的固定假日）；国务院公布放假安排后，请在 data/calendar.yaml 中补录\n"
)

# A year of work, each step run on its own day with --today (no --date anywhere).
YEAR = [
    ("2026-03-10", ("selfcheck", "record", "司法局", "--doc", "自查报告")),
    ("2026-03-20", ("inspect", "record", "司法局", "--item", "3.3", "--deduction", "2", "--finding", "执法记录仪未全程开启")),
    ("2026-03-25", ("notice", "issue", "--inspection", "2026-03-20-sifaju")),
    ("2026-04-10", ("selfcheck", "record", "金融工作局")),
    ("2026-04-13", ("inspect", "record", "金融工作局", "--item", "1.1", "--deduction", "1", "--finding", "未亮证执法",
                    "--item", "5", "--deduction", "1", "--finding", "处罚决定书未载明救济途径")),
    ("2026-04-20", ("notice", "issue", "--inspection", "2026-04-13-")),
    ("2026-05-06", ("rectify", "feedback", "1", "--doc", "整改报告")),
    ("2026-05-15", ("inspect", "record", "机要保密局")),
    ("2026-05-20", ("rectify", "verify", "1", "--method", "书面审阅", "--result", "通过")),
    ("2026-06-01", ("inspect", "record", "人民防空办公室", "--item", "3.3", "--deduction", "1", "--finding", "记录仪未开启")),
    ("2026-06-02", ("notice", "issue", "--inspection", "2026-06-01-")),
    ("2026-06-10", ("notice", "void", "3", "--reason", "单位名称写错")),
    ("2026-07-01", ("rectify", "feedback", "2")),
    ("2026-07-20", ("rectify", "verify", "2", "--method", "实地查验", "--result", "未通过")),
    ("2026-09-01", ("inspect", "record", "发展和改革委员会", "--item", "1.1", "--deduction", "1", "--finding", "x")),
    ("2026-11-20", ("selfcheck", "record", "发展和改革委员会")),
    ("2026-12-20", ("notice", "issue", "司法局", "--finding", "年终发现的问题")),
]


def _play(run, ws: Path, until: str | None = None) -> None:
    for day, args in YEAR:
        if until is not None and day > until:
            break
        r = run("--today", day, *args, cwd=ws)
        assert r.code == 0, (day, args, r.text)


VIEWS = [
    ("status", "--format", "json"),
    ("status",),
    ("rectify", "overdue", "--due-within", "30", "--format", "json"),
    ("rectify", "overdue", "--due-within", "30"),
    ("score", "report", "--year", "2026", "--format", "json"),
    ("selfcheck", "missing", "--format", "json"),
]


def test_as_of_is_the_workspace_as_it_stood_that_day(tmp_path, ws, run) -> None:
    _play(run, ws)
    for day in ("2026-05-15", "2026-06-30", "2026-07-10"):
        short = tmp_path / f"ws-{day}"
        shutil.copytree(REPO / "data", short / "data")
        shutil.copytree(REPO / "templates", short / "templates")
        _settings = short / "data" / "settings.yaml"  # a contact, as lufa init --contact writes it
        _settings.write_text(_settings.read_text(encoding="utf-8").replace('  name: ""', "  name: 张三", 1), encoding="utf-8")
        _play(run, short, until=day)
        for view in VIEWS:
            full = run(*view, "--as-of", day, cwd=ws)
            cut = run(*view, "--as-of", day, cwd=short)
            assert full.code == cut.code == 0, full.text
            assert full.out == cut.out, (day, view)
            # --today alone gives the same view
            assert run("--today", day, *view, cwd=short).out == cut.out
    # the numbers the issue measured: mid-May counts what existed in mid-May
    v = json.loads(run("status", "--format", "json", "--as-of", "2026-05-15", cwd=ws).out)
    assert v["inspections"]["recorded_this_year"] == 3
    assert {k: v["notices"][k] for k in ("待反馈", "待核查", "已办结", "已作废")} == {"待反馈": 1, "待核查": 1, "已办结": 0, "已作废": 0}
    assert v["selfchecks"]["filed"] == 2


def test_as_of_drops_later_events_of_a_notice(ws, run) -> None:
    _play(run, ws)
    # on 30 June notice 2 had no feedback yet (it came on 1 July): it is overdue, not waiting for verification
    r = run("rectify", "overdue", "--as-of", "2026-06-30", "--format", "json", cwd=ws)
    report = json.loads(r.out)
    assert [(i["key"], i["what"]) for i in report["overdue"]] == [("2026-0002", "逾期未报送整改情况")]
    # notice 3 was live before it was voided on 10 June
    v = json.loads(run("status", "--as-of", "2026-06-05", "--format", "json", cwd=ws).out)
    assert v["notices"]["已作废"] == 0 and v["notices"]["待反馈"] == 2


def test_today_is_validated(ws, run) -> None:
    r = run("--today", "2026-13-01", "status", cwd=ws)
    assert r.code == 2 and r.err == "错误：--today 的值“2026-13-01”不是有效日期，请写成 YYYY-MM-DD，如 2026-03-05\n"


def test_lufa_today_environment_variable(ws, run, monkeypatch) -> None:
    monkeypatch.setenv("LUFA_TODAY", "2026-03-20")
    r = run("inspect", "record", "司法局", "--item", "3.3", "--deduction", "2", "--finding", "x", cwd=ws)
    assert r.code == 0 and "已写入检查记录 2026-03-20-sifaju" in r.err
    # --today wins over the variable
    r = run("--today", "2026-03-21", "notice", "issue", "--inspection", "2026-03-20-sifaju", "--dry-run", cwd=ws)
    assert r.code == 0 and "2026年3月21日" in r.out
    monkeypatch.setenv("LUFA_TODAY", "明天")
    r = run("status", cwd=ws)
    assert r.code == 2 and r.err == "错误：环境变量 LUFA_TODAY 的值“明天”不是有效日期，请写成 YYYY-MM-DD，如 2026-03-05\n"


def test_a_future_step_is_refused_against_the_fixed_today(ws, run) -> None:
    _play(run, ws, until="2026-03-25")
    before = snapshot(ws)
    r = run("--today", "2026-04-01", "rectify", "feedback", "1", "--date", "2026-04-02", cwd=ws)
    assert r.code == 2 and r.err.endswith("错误：--date：日期 2026-04-02 晚于今天（2026-04-01）\n")
    r = run("--today", "2026-03-01", "notice", "issue", "司法局", "--finding", "x", "--date", "2026-03-02", cwd=ws)
    assert r.code == 2 and r.err == "错误：--date：下达日期 2026-03-02 晚于今天（2026-03-01）\n"
    assert snapshot(ws) == before


# --- dates in a year the official calendar does not cover ---------------------------------


def test_deadline_in_an_uncovered_year_warns_everywhere(ws, run) -> None:
    r = run("--today", "2026-12-20", "notice", "issue", "司法局", "--finding", "年终发现的问题", cwd=ws)
    assert r.code == 0
    assert r.err.startswith(GUESS_2027) and "整改期限 2027-01-19" in r.err
    for args in (("notice", "show", "1"), ("rectify", "show", "1"), ("notice", "list"), ("rectify", "overdue"), ("status",)):
        r = run("--today", "2026-12-21", *args, cwd=ws)
        assert r.code == 0 and GUESS_2027 in r.err, args
    v = json.loads(run("--today", "2026-12-21", "notice", "show", "1", "--format", "json", cwd=ws).out)
    assert v["warnings"] == [GUESS_2027.removeprefix("警告：").rstrip("\n")]
    v = json.loads(run("--today", "2026-12-21", "rectify", "overdue", "--format", "json", cwd=ws).out)
    assert v["warnings"] == [GUESS_2027.removeprefix("警告：").rstrip("\n")]
    v = json.loads(run("--today", "2026-12-21", "status", "--format", "json", cwd=ws).out)
    assert v["warnings"] == [GUESS_2027.removeprefix("警告：").rstrip("\n")]
    r = run("check", cwd=ws)
    assert r.code == 0 and r.err == "data/records/notices: " + GUESS_2027
    v = json.loads(run("check", "--format", "json", cwd=ws).out)
    assert [(p["severity"], p["message"]) for p in v["problems"]] == [("warning", GUESS_2027.removeprefix("警告：").rstrip("\n"))]


def test_long_period_into_an_uncovered_year_warns(ws, run) -> None:
    r = run("--today", "2026-11-02", "notice", "issue", "司法局", "--finding", "x", "--days", "70", "--dry-run", cwd=ws)
    assert r.code == 0 and r.err == GUESS_2027
    r = run("--today", "2026-11-02", "notice", "issue", "司法局", "--finding", "x", "--days", "30", "--dry-run", cwd=ws)
    assert r.code == 0 and r.err == ""


def test_a_2026_deadline_follows_the_official_calendar(ws, run) -> None:
    # 30 days from 1 Sept is 1 Oct: National Day (2026 is in chinese-calendar >= 1.11) moves it to 8 Oct
    r = run("--today", "2026-09-01", "notice", "issue", "司法局", "--finding", "x", cwd=ws)
    assert r.code == 0 and "整改期限 2026-10-08" in r.err and "尚未收录" not in r.err


# --- no silent drop ----------------------------------------------------------------------


def test_every_finding_group_is_recorded(ws, run) -> None:
    r = run("--today", "2026-04-13", "inspect", "record", "司法局", "--item", "1.1", "--deduction", "1", "--finding", "甲",
            "--item", "5", "--deduction", "2", "--finding", "乙", "--case", "案一", "--case", "案二", cwd=ws)
    assert r.code == 0 and "（2 条问题）" in r.err
    v = json.loads(run("inspect", "show", "2026-04-13-sifaju", "--format", "json", cwd=ws).out)
    assert [(f["id"], f["item"], f["deduction"], f["description"], f["case"]) for f in v["findings"]] == [
        (1, "1.1", 1.0, "甲", "案一"), (2, "5", 2.0, "乙", "案二")]


@pytest.mark.parametrize("args, message", [
    (("--item", "1.1", "--deduction", "1", "--finding", "甲", "--item", "5", "--finding", "乙"),
     "错误：每条问题需要一组 --item、--deduction 和 --finding：现有 --item 2 个、--deduction 1 个、--finding 2 个，无法一一对应；未写入任何记录\n"),
    (("--item", "1.1", "--deduction", "1", "--finding", "甲", "--item", "5", "--deduction", "1", "--finding", "乙", "--case", "案一"),
     "错误：--case 有 1 个，问题有 2 条：请每条问题写一个，或都不写\n"),
    (("--item", "1.1", "--deduction", "1", "--finding", "甲", "--item", "5", "--deduction", "1", "--finding", "乙", "--fixed"),
     "错误：--fixed 只能用于一条问题；多条问题的立行立改请用 --from 记录表逐条填写\n"),
    (("--case", "案一",), "错误：--case、--case-name 和 --fixed 要和 --item、--deduction、--finding 一起用\n"),
])
def test_unpaired_finding_groups_are_refused(ws, run, args, message) -> None:
    before = snapshot(ws)
    r = run("--today", "2026-04-13", "inspect", "record", "司法局", *args, cwd=ws)
    assert (r.code, r.out, r.err) == (2, "", message)
    assert snapshot(ws) == before


def test_amend_adds_every_group(ws, run) -> None:
    assert run("--today", "2026-04-13", "inspect", "record", "司法局", cwd=ws).code == 0
    r = run("--today", "2026-04-14", "inspect", "amend", "2026-04-13-sifaju", "--item", "1.1", "--deduction", "1", "--finding", "甲",
            "--item", "5", "--deduction", "1", "--finding", "乙", cwd=ws)
    assert r.code == 0 and "增加第 1 条问题（1.1）；增加第 2 条问题（5）" in r.err


@pytest.mark.parametrize("row, message", [
    ("5,1,x,否", "f.csv:2:8: 错误：第 2 行只有 4 个单元格，少于表头的 5 列（第 5 列“立行立改”起没有值）；空的单元格也要保留逗号"),
    ("5,1,x,,否,多余", "f.csv:2:10: 错误：第 2 行有 6 个单元格，多于表头的 5 列（第 6 列没有列名）；单元格中的逗号请用英文双引号把整格括起"),
])
def test_csv_row_with_wrong_cell_count(ws, run, row, message) -> None:
    (ws / "f.csv").write_text(f"项目,扣分,问题,案卷,立行立改\n{row}\n1.1,1,y,,是\n", encoding="utf-8")
    before = snapshot(ws)
    r = run("--today", "2026-04-13", "inspect", "record", "司法局", "--from", "f.csv", cwd=ws)
    assert r.code == 1
    assert r.err.splitlines()[0] == message
    assert "错误：记录表 f.csv 有误，未写入任何记录" in r.err
    assert snapshot(ws) == before


# --- no silent fallback ---------------------------------------------------------------------


@pytest.mark.parametrize("make", ["missing", "directory"])
def test_broken_workspace_is_an_error_not_the_bundled_data(ws, run, make) -> None:
    units = ws / "data" / "units.yaml"
    units.unlink()
    if make == "directory":
        units.mkdir()
    before = snapshot(ws)
    why = "文件不存在" if make == "missing" else "这是一个目录，不是文件"
    r = run("check", cwd=ws)
    assert (r.code, r.out) == (1, "")
    assert r.err == f"data/units.yaml: 错误：{why}\n共发现 1 个问题，请逐条修改后重新运行 lufa check。\n"
    r = run("notice", "list", cwd=ws / "data")
    assert r.code == 1
    assert r.err == f"units.yaml: 错误：{why}\n错误：数据有误（数据目录：.，从当前目录向上查找到工作区 {ws}）\n"
    assert snapshot(ws) == before


@pytest.mark.parametrize("make", ["missing", "directory"])
def test_missing_template_is_an_error_naming_it(ws, run, make) -> None:
    t = ws / "templates" / "overdue.md.j2"
    t.unlink()
    if make == "directory":
        t.mkdir()
    before = snapshot(ws)
    r = run("rectify", "overdue", "--format", "md", cwd=ws)
    what = "不存在；运行" if make == "missing" else "不是普通文件；请移走它，再运行"
    assert (r.code, r.out) == (4, "")
    assert r.err == f"错误：模板 templates/overdue.md.j2 {what} lufa template add-missing 补上内置模板\n"
    assert snapshot(ws) == before


def test_reading_the_bundled_data_says_so(tmp_path, run) -> None:
    r = run("notice", "list", cwd=tmp_path)
    assert r.code == 0 and r.err == BUNDLED + no_contact(f"{REPO / 'data' / 'settings.yaml'}")
    r = run("--data", REPO / "data", "units", "司法局", cwd=tmp_path)
    assert r.code == 0 and r.err == BUNDLED + no_contact(f"{REPO / 'data' / 'settings.yaml'}")


# --- workspace discovery ---------------------------------------------------------------------


def test_workspace_found_from_any_folder_inside(tmp_path, run) -> None:
    root = tmp_path / "监督考核2026"
    assert run("init", root, "--contact", "张三", cwd=tmp_path).code == 0
    assert (root / ".lufa-workspace").is_file()
    deep = root / "output" / "notices" / "2026"
    deep.mkdir(parents=True)
    for cwd in (root, root / "data", root / "templates", deep):
        r = run("--today", "2026-04-13", "inspect", "record", "司法局", "--again", "--item", "3.3", "--deduction", "1", "--finding", "x", cwd=cwd)
        assert r.code == 0, r.text
    assert len(list((root / "data" / "records" / "inspections" / "2026").glob("*.yaml"))) == 4
    r = run("where", cwd=deep)
    assert r.out == (
        f"工作区：{root}\n数据目录：{root / 'data'}\n模板目录：{root / 'templates'}\n输出目录：{root / 'output'}\n"
        f"查找方式：从当前目录向上查找到工作区 {root}\n"
    )
    # documents go to the workspace's output/, not the current folder's
    r = run("--today", "2026-04-14", "notice", "issue", "--inspection", "2026-04-13-sifaju", cwd=root / "data")
    assert r.code == 0, r.text
    assert list((root / "output" / "notices" / "2026").glob("*.docx"))
    assert not (root / "data" / "output").exists()


def test_a_lone_generic_data_file_is_not_a_workspace(tmp_path, run) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "settings.yaml").write_text("other: program\n", encoding="utf-8")
    v = json.loads(run("where", "--format", "json", cwd=tmp_path).out)
    assert v["origin"] == "bundled"
    (tmp_path / "data" / "checklist.yaml").write_text("x: 1\n", encoding="utf-8")  # two of them: a broken workspace
    r = run("check", cwd=tmp_path)
    assert r.code == 1 and r.err.startswith("data/units.yaml: 错误：文件不存在\n")


def test_concurrent_records_of_one_visit_write_one(ws) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "LUFA_TODAY": "2026-04-13"}
    env.pop("LUFA_DATA", None)
    procs = [subprocess.Popen([sys.executable, "-m", "lufa_cli", "inspect", "record", "司法局", "--item", "3.3", "--deduction", "1",
                               "--finding", f"问题{i}"], cwd=ws, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for i in range(4)]
    codes = sorted(p.wait(timeout=120) for p in procs)
    assert codes == [0, 3, 3, 3]
    assert [f.name for f in (ws / "data" / "records" / "inspections" / "2026").iterdir()] == ["2026-04-13-sifaju.yaml"]


def test_workspace_without_units_found_by_its_marker(tmp_path, run) -> None:
    root = tmp_path / "ws"
    assert run("init", root, "--contact", "张三", cwd=tmp_path).code == 0
    shutil.rmtree(root / "data")
    r = run("check", cwd=root / "templates")
    assert (r.code, r.err) == (1, f"{root / 'data'}: 错误：数据目录不存在\n共发现 1 个问题，请逐条修改后重新运行 lufa check。\n")


def test_data_option_takes_the_workspace_root(ws, tmp_path, run, monkeypatch) -> None:
    for given in (ws, ws / "data"):
        v = json.loads(run("--data", given, "where", "--format", "json", cwd=tmp_path).out)
        assert (v["data"], v["workspace"], v["origin"], v["writable"]) == (str(ws / "data"), str(ws), "option", True)
    monkeypatch.setenv("LUFA_DATA", str(ws))
    v = json.loads(run("where", "--format", "json", cwd=tmp_path).out)
    assert (v["data"], v["origin"]) == (str(ws / "data"), "env")
    assert run("--data", ws, "check", cwd=tmp_path).code == 0


def test_source_checkout_is_read_only_bundled_data(run) -> None:
    before = snapshot(REPO / "data")
    for cwd in (REPO, REPO / "data", REPO / "src"):
        v = json.loads(run("where", "--format", "json", cwd=cwd).out)
        assert (v["origin"], v["workspace"], v["writable"]) == ("bundled", None, False)
        assert v["how"] == f"当前目录在 lufa 的源代码目录 {REPO} 中，其 data/ 是内置数据（只读）"
    r = run("--today", "2026-04-13", "inspect", "record", "司法局", cwd=REPO / "data")
    assert r.code == 3 and r.err == BUNDLED + no_contact("settings.yaml") + (
        "错误：当前使用的是内置鲁山县数据（只读），不能写入记录。请先运行 lufa init 目录 建立自己的工作区，再在该目录下运行本命令或用 --data 指定\n")
    r = run("--data", REPO, "--today", "2026-04-13", "selfcheck", "record", "司法局", cwd=REPO)
    assert r.code == 3
    assert snapshot(REPO / "data") == before


def test_where_outside_any_workspace(tmp_path, run) -> None:
    r = run("where", cwd=tmp_path)
    assert r.out == (
        f"工作区：（无，使用内置数据）\n数据目录：{REPO / 'data'}（只读）\n模板目录：{REPO / 'templates'}\n"
        f"输出目录：{tmp_path / 'output'}\n查找方式：当前目录及其上级目录都不是工作区，使用内置数据（只读）\n"
    )


def test_xlsx_cell_under_no_column_name_is_an_error(ws, run) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    sh = wb.active
    sh.append(["受检单位", "司法局"])
    sh.append(["检查日期", "2026-04-13"])
    sh.append([])
    sh.append(["项目", "扣分", "问题描述"])
    sh.append(["3.3", 1, "执法记录仪未全程开启", None, "漏写在表外的问题"])
    wb.save(ws / "f.xlsx")
    before = snapshot(ws)
    r = run("--today", "2026-04-14", "inspect", "record", "--from", "f.xlsx", cwd=ws)
    assert (r.code, r.err) == (1, "f.xlsx:第5行:E列: 错误：第 5 列有内容“漏写在表外的问题”，但表头这一列没有列名；请删去，或在表头补上列名\n"
                                  "错误：记录表 f.xlsx 有误，未写入任何记录\n")
    assert snapshot(ws) == before


def test_receipt_row_with_a_missing_cell_is_an_error(ws, run) -> None:
    (ws / "r.csv").write_text("单位,收到日期,自查材料\n司法局,2026-03-20\n", encoding="utf-8")
    before = snapshot(ws)
    r = run("--today", "2026-04-14", "selfcheck", "record", "--from", "r.csv", cwd=ws)
    assert r.code == 1
    assert r.err.splitlines()[0] == "r.csv:2:15: 错误：第 2 行只有 2 个单元格，少于表头的 3 列（第 3 列“自查材料”起没有值）；空的单元格也要保留逗号"
    assert snapshot(ws) == before
