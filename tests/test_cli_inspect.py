"""Recording, listing, showing and amending inspections through the CLI."""

from __future__ import annotations

import io
import json

import pytest

from conftest import snapshot
from lufa_cli.records.inspections import load_records
from lufa_cli.workspace.loader import load_workspace

AS_OF = ("--as-of", "2026-11-28")
QUICK = ("--item", "3.3", "--deduction", "2", "--finding", "执法记录仪未全程开启")

SHEET = """\
date: 2026-04-14
kind: 日常监督
inspectors: [张三, 李四]
office: jiandu
methods: [查阅资料, 调阅案卷]
findings:
  - item: "5"
    deduction: 3
    description: 处罚决定书未载明救济途径
    case: 鲁发改罚决字〔2026〕第2号
    case_name: 某公司价格违法案
  - item: "1.1"
    deduction: 1
    description: 执法人员未规范着装
    fixed_on_spot: true
"""


def records(ws):
    w, _diags = load_workspace(ws / "data")
    rs = load_records(w)
    assert rs.ok, [d.format() for d in rs.diagnostics]
    return rs.inspections


def test_record_three_ways(ws, run, monkeypatch) -> None:
    r = run("inspect", "record", "司法局", "--date", "2026-04-13", "--inspector", "张三", "--office", "jiandu", "--method", "查阅资料", *QUICK, *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    assert "已写入检查记录 2026-04-13-sifaju（1 条问题）" in r.err
    (ws / "sheet.yaml").write_text(SHEET, encoding="utf-8")
    r = run("inspect", "record", "fagaiwei", "--from", "sheet.yaml", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    # inspectors, office, methods; categories 1, 2: no; 3: one finding on item 3.1 (no case, no requirement), then no more; 4–9: no
    header = ["王五、赵六", "fagui", "9", "1 3"]  # "9" is not a method number: asked again
    answers = "\n".join(header + ["n", "n", "y", "3.1", "执法公示信息未及时更新", "1.5", "", "", "n", "n"] + ["n"] * 6 + ["是"]) + "\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(answers))
    r = run("inspect", "record", "张良镇", "--date", "2026-03-03", "--interactive", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    got = {i.id: i for i in records(ws)}
    assert set(got) == {"2026-04-13-sifaju", "2026-04-14-fagaiwei", "2026-03-03-zhangliang-zhen"}
    a = got["2026-04-14-fagaiwei"]
    assert a.inspectors == ["张三", "李四"] and [f.item for f in a.findings] == ["5", "1.1"]
    assert a.findings[0].case == "鲁发改罚决字〔2026〕第2号" and a.findings[1].fixed_on_spot
    c = got["2026-03-03-zhangliang-zhen"]
    assert [(f.item, f.deduction, f.description) for f in c.findings] == [("3.1", 1.5, "执法公示信息未及时更新")]
    assert (c.inspectors, c.office, c.methods) == (["王五", "赵六"], "fagui", ["听取汇报", "调阅案卷"])
    r = run("check", cwd=ws)
    assert r.code == 0 and "检查 3 份" in r.out


def test_record_csv_sheet(ws, run) -> None:
    (ws / "f.csv").write_text("项目,扣分,问题,立行立改\n5,3,处罚决定书未载明救济途径,否\n1.1,1,执法人员未着装,是\n", encoding="utf-8-sig")
    r = run("inspect", "record", "张良镇", "--date", "2026-03-03", "--from", "f.csv", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    (i,) = records(ws)
    assert [(f.item, f.deduction, f.fixed_on_spot) for f in i.findings] == [("5", 3, False), ("1.1", 1, True)]


def test_same_unit_same_day_is_refused_unless_again(ws, run) -> None:
    assert run("inspect", "record", "司法局", "--date", "2026-04-13", *QUICK, *AS_OF, cwd=ws).code == 0
    before = snapshot(ws)
    r = run("inspect", "record", "司法局", "--date", "2026-04-13", *QUICK, *AS_OF, cwd=ws)
    assert (r.code, r.out) == (3, "")
    assert r.err == (
        "错误：鲁山县司法局 2026-04-13 已有检查记录 2026-04-13-sifaju（data/records/inspections/2026/2026-04-13-sifaju.yaml）；"
        "补充问题请用 lufa inspect amend 2026-04-13-sifaju，确是同一天的另一次检查请加 --again\n"
    )
    assert snapshot(ws) == before
    for _ in range(2):
        assert run("inspect", "record", "司法局", "--date", "2026-04-13", *QUICK, *AS_OF, "--again", cwd=ws).code == 0
    assert sorted(i.id for i in records(ws)) == ["2026-04-13-sifaju", "2026-04-13-sifaju-2", "2026-04-13-sifaju-3"]


def test_unscheduled_week_is_a_warning(ws, run) -> None:
    r = run("inspect", "record", "司法局", "--date", "2026-06-01", *QUICK, *AS_OF, cwd=ws)
    assert r.code == 0
    assert "警告：--date：鲁山县司法局按计划应在4月第二周（4月13日至4月19日）检查" in r.err


BAD_OPTIONS = [
    (("--item", "3.9", "--deduction", "1", "--finding", "x"), 2, "--item：检查项目“3.9”不在 checklist.yaml 中（该大类可用：3.1、3.2、3.3）"),
    (("--item", "1.1", "--deduction", "6", "--finding", "x"), 2, "--deduction：扣分 6 超过检查项目 1.1 文明执法 的分值 5 分"),
    (("--item", "1.1", "--deduction", "0.3", "--finding", "x"), 2, "--deduction 的值 0.3 无效"),
    (("--date", "2026-12-01", *QUICK), 2, "--date：检查日期 2026-12-01 晚于今天（2026-11-28），不能记录将来的检查"),
    (("--date", "2025-06-01", *QUICK), 2, "--date：检查日期 2025-06-01 不在 2026 年度内"),
    (("--date", "2026-13-01", *QUICK), 2, "--date 的值“2026-13-01”不是有效日期"),
    (("--kind", "专项", *QUICK), 2, "--kind 的值“专项”无效"),
    (("--office", "nope", *QUICK), 2, "--office 的值“nope”无效，可选：法治调研督察室（ducha）"),
    (("--method", "电话询问", *QUICK), 2, "--method：检查方式“电话询问”不在 checklist.yaml 的 methods 中"),
    (("--item", "3.3"), 2, "每条问题需要一组 --item、--deduction 和 --finding：现有 --item 1 个、--deduction 0 个、--finding 0 个，无法一一对应；未写入任何记录"),
]


@pytest.mark.parametrize(("args", "code", "message"), BAD_OPTIONS, ids=[m[:12] for _, _, m in BAD_OPTIONS])
def test_bad_record_options(ws, run, args, code, message) -> None:
    before = snapshot(ws)
    r = run("inspect", "record", "司法局", *args, *AS_OF, cwd=ws)
    assert r.code == code, r.text
    assert message in r.err
    assert snapshot(ws) == before


def test_unknown_unit(ws, run) -> None:
    before = snapshot(ws)
    r = run("inspect", "record", "司法句", *QUICK, *AS_OF, cwd=ws)
    assert r.code == 2 and "名册中没有“司法句”这个单位" in r.err
    assert snapshot(ws) == before


BAD_SHEETS = [
    (SHEET.replace('item: "5"', 'item: "5.1"'), "sheet.yaml:7:11: 错误：检查项目“5.1”不在 checklist.yaml 中（该大类可用：5）"),
    (SHEET.replace("deduction: 3", "deduction: 30"), "sheet.yaml:8:16: 错误：扣分 30 超过检查项目 5 处罚程序 的分值 15 分"),
    (SHEET.replace("deduction: 3", "deduction: '3'"), "sheet.yaml:8:16: 错误：“deduction”应为数字，实际是文字“3”"),
    (SHEET.replace("date: 2026-04-14", "date: 2026-04-31"), "sheet.yaml:1:7: 错误：日期“2026-04-31”不存在"),
    (SHEET.replace("fixed_on_spot: true", "fixed_on_spot: yes"), "sheet.yaml:15:20: 错误：“yes”含义不明确"),
    (SHEET.replace("kind: 日常监督", "kind: 专项"), "sheet.yaml:2:7: 错误：“kind”的值文字“专项”不在允许范围内"),
    (SHEET.replace("description: 处罚", "descripton: 处罚"), "sheet.yaml:9:5: 错误：未知的键“descripton”，是否想写“description”？"),
    (SHEET + "findings: []\n", "sheet.yaml:16:1: 错误：键“findings”重复（第 6 行已有）"),
    ("- 1\n- 2\n", "sheet.yaml:1:1: 错误：检查记录表顶层应为映射"),
]


@pytest.mark.parametrize(("text", "message"), BAD_SHEETS, ids=[m.split("错误：")[1][:10] for _, m in BAD_SHEETS])
def test_bad_sheet(ws, run, text, message) -> None:
    (ws / "sheet.yaml").write_text(text, encoding="utf-8")
    before = snapshot(ws)
    r = run("inspect", "record", "fagaiwei", "--from", "sheet.yaml", *AS_OF, cwd=ws)
    assert r.code == 1, r.text
    assert message in r.err
    assert "记录表 sheet.yaml 有误，未写入任何记录" in r.err
    assert snapshot(ws) == before


def test_bad_csv(ws, run) -> None:
    (ws / "f.csv").write_text("项目,扣分,问题,备注\n9.1,x,问题,\n", encoding="utf-8")
    before = snapshot(ws)
    r = run("inspect", "record", "张良镇", "--from", "f.csv", *AS_OF, cwd=ws)
    assert r.code == 1
    assert "f.csv:1:10: 错误：第 4 列：未知的列“备注”" in r.err
    assert snapshot(ws) == before
    (ws / "f.csv").write_text("项目,扣分,问题\n9.1,x,问题\n", encoding="utf-8")
    before = snapshot(ws)
    r = run("inspect", "record", "张良镇", "--from", "f.csv", *AS_OF, cwd=ws)
    assert "f.csv:2:5: 错误：扣分“x”不是数字" in r.err
    assert snapshot(ws) == before


def test_bundled_data_refuses_to_record(tmp_path, run) -> None:
    r = run("inspect", "record", "司法局", *QUICK, *AS_OF, cwd=tmp_path)
    assert r.code == 3 and "内置鲁山县数据（只读）" in r.err and "lufa init" in r.err


def test_list_show_amend(ws, run) -> None:
    (ws / "sheet.yaml").write_text(SHEET, encoding="utf-8")
    assert run("inspect", "record", "fagaiwei", "--from", "sheet.yaml", *AS_OF, cwd=ws).code == 0
    rows = json.loads(run("inspect", "list", "--format", "json", cwd=ws).out)
    assert rows == [{"id": "2026-04-14-fagaiwei", "date": "2026-04-14", "unit": "fagaiwei", "unit_name": "鲁山县发展和改革委员会", "unit_short": "发展和改革委员会", "kind": "日常监督", "type": "日常监督", "findings": 2, "deductions": 4, "open": 1}]
    r = run("inspect", "show", "fagaiwei", cwd=ws)
    assert "处罚决定书未载明救济途径" in r.out and "（案卷：某公司价格违法案鲁发改罚决字〔2026〕第2号）" in r.out
    path = ws / "data" / "records" / "inspections" / "2026" / "2026-04-14-fagaiwei.yaml"
    r = run("inspect", "amend", "2026-04-14-fagaiwei", "--withdraw", "1", "--reason", "经复核不属实", "--item", "3.1", "--deduction", "2", "--finding", "未公示裁量标准", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    (i,) = records(ws)
    assert [(f.id, f.item, f.withdrawn) for f in i.findings] == [(1, "5", "经复核不属实"), (2, "1.1", None), (3, "3.1", None)]
    assert i.amendments[-1].summary == "撤销第 1 条问题（经复核不属实）；增加第 3 条问题（3.1）"
    text_before = path.read_bytes()
    bad = [
        (("--withdraw", "1", "--reason", "再撤"), "第 1 条问题已于先前撤销，不能再次撤销"),
        (("--withdraw", "9", "--reason", "x"), "检查记录 2026-04-14-fagaiwei 中没有第 9 条问题"),
        (("--withdraw", "2"), "撤销问题必须用 --reason 写明原因"),
        (("--set-deduction", "2=9"), "扣分 9 超过检查项目 1.1 文明执法 的分值 5 分"),
        (("--set-deduction", "2"), "--set-deduction 的值“2”无效"),
        ((), "没有要修改的内容"),
    ]
    for args, message in bad:
        r = run("inspect", "amend", "2026-04-14-fagaiwei", *args, *AS_OF, cwd=ws)
        assert r.code == 2 and message in r.err, (args, r.err)
    assert path.read_bytes() == text_before
    r = run("inspect", "show", "nothing", cwd=ws)
    assert r.code == 2 and "没有编号为“nothing”的检查记录" in r.err


BAD_RECORDS = [  # (text to find, its replacement, message, the line the message must point at)
    ("unit: fagaiwei", "unit: fagaiwe", "“fagaiwe”不在名册 units.yaml 中", "unit:"),
    ("  item: '5'", "  item: '5.5'", "检查项目“5.5”不在 checklist.yaml 中", "  item: '5.5'"),
    ("  deduction: 3", "  deduction: 16", "扣分 16 超过检查项目 5 处罚程序 的分值 15 分", "  deduction: 16"),
    ("id: 2026-04-14-fagaiwei", "id: 2026-04-15-fagaiwei", "记录编号“2026-04-15-fagaiwei”与文件名“2026-04-14-fagaiwei.yaml”不一致", "id: 2026-04-15"),
    ("- id: 2\n", "- id: 1\n", "问题编号重复：1", "- id: 1"),
    ("kind: 日常监督", "kind: 日常", "“kind”的值文字“日常”不在允许范围内", "kind:"),
]


@pytest.mark.parametrize(("find", "replace", "message", "anchor"), BAD_RECORDS, ids=[m[:10] for _, _, m, _ in BAD_RECORDS])
def test_check_finds_bad_records(ws, run, find, replace, message, anchor) -> None:
    (ws / "sheet.yaml").write_text(SHEET, encoding="utf-8")
    assert run("inspect", "record", "fagaiwei", "--from", "sheet.yaml", *AS_OF, cwd=ws).code == 0
    path = ws / "data" / "records" / "inspections" / "2026" / "2026-04-14-fagaiwei.yaml"
    text = path.read_text(encoding="utf-8")
    assert find in text, text
    edited = text.replace(find, replace, 1)
    path.write_text(edited, encoding="utf-8")
    before = snapshot(ws)
    r = run("check", cwd=ws)
    assert r.code == 1
    line = edited[: edited.index(anchor)].count("\n") + 1
    hits = [ln for ln in r.err.splitlines() if message in ln]
    assert hits and hits[0].startswith("data/records/inspections/2026/2026-04-14-fagaiwei.yaml:"), r.err
    assert int(hits[0].split(":")[1]) == line
    assert snapshot(ws) == before
    # other commands refuse to work on a broken record set
    r = run("score", "report", "--year", "2026", *AS_OF, cwd=ws)
    assert r.code == 1 and "记录文件有误" in r.err


def test_office_by_name_or_id(ws, run) -> None:
    r = run("inspect", "record", "司法局", "--date", "2026-04-13", "--office", "行政执法协调监督室", *QUICK, *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    r = run("inspect", "record", "司法局", "--date", "2026-04-14", "--office", "fagui", *QUICK, *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    assert [i.office for i in records(ws)] == ["jiandu", "fagui"]
    (ws / "sheet.yaml").write_text(SHEET.replace("office: jiandu", "office: 政策法规室"), encoding="utf-8")
    assert run("inspect", "record", "fagaiwei", "--from", "sheet.yaml", *AS_OF, cwd=ws).code == 0
    assert [i.office for i in records(ws)][-1] == "fagui"


def test_records_are_readable_by_colleagues(ws, run) -> None:
    import os
    import stat

    assert run("inspect", "record", "司法局", "--date", "2026-04-13", *QUICK, *AS_OF, cwd=ws).code == 0
    path = ws / "data" / "records" / "inspections" / "2026" / "2026-04-13-sifaju.yaml"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--item", "3.3", "--deduction", "200", "--finding", "x"), "--item/--deduction/--finding 无效"),
        (("--item", "abc", "--deduction", "1", "--finding", "x"), "检查记录无效：“item”格式不对：文字“abc”"),
    ],
)
def test_values_the_model_refuses_are_usage_errors(ws, run, args, message) -> None:
    before = snapshot(ws)
    r = run("inspect", "record", "司法局", "--date", "2026-04-13", *args, *AS_OF, cwd=ws)
    assert r.code == 2 and message in r.err
    assert snapshot(ws) == before


def test_amend_with_impossible_deduction(ws, run) -> None:
    assert run("inspect", "record", "司法局", "--date", "2026-04-13", *QUICK, *AS_OF, cwd=ws).code == 0
    before = snapshot(ws)
    r = run("inspect", "amend", "2026-04-13-sifaju", "--item", "5", "--deduction", "300", "--finding", "x", *AS_OF, cwd=ws)
    assert r.code == 2 and "错误：--item/--deduction/--finding 无效：“deduction”不能大于 100.0，实际是 300.0" in r.err
    assert snapshot(ws) == before


def test_csv_error_line_after_a_quoted_line_break(ws, run) -> None:
    (ws / "f.csv").write_text('项目,扣分,问题\n5,1,"第一行\n第二行"\n5,x,问题\n', encoding="utf-8")
    r = run("inspect", "record", "张良镇", "--from", "f.csv", *AS_OF, cwd=ws)
    assert r.code == 1 and "f.csv:4:3: 错误：扣分“x”不是数字" in r.err


def test_interactive_office_by_name_and_chinese_messages(ws, run, monkeypatch) -> None:
    # a name that is no office is refused in Chinese and asked again; the office's name is taken as --office takes it
    header = ["王五", "不存在的科室", "协调监督室", "1"]
    answers = "\n".join(header + ["n"] * 9 + ["是"]) + "\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(answers))
    r = run("inspect", "record", "张良镇", "--date", "2026-03-03", "--interactive", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    assert "牵头科室 的值“不存在的科室”无效，可选：" in r.text and "Please" not in r.text
    (c,) = records(ws)
    assert (c.inspectors, c.office, c.methods) == (["王五"], "jiandu", ["听取汇报"])


@pytest.mark.parametrize("answers", ["", "王五\n", "王五\njiandu\n1\nn\ny\n3.1\n执法公示信息未及时更新\n"])
def test_interactive_end_of_input_is_refused(ws, run, monkeypatch, answers) -> None:
    before = snapshot(ws)
    monkeypatch.setattr("sys.stdin", io.StringIO(answers))
    r = run("inspect", "record", "张良镇", "--date", "2026-03-03", "--interactive", *AS_OF, cwd=ws)
    assert r.code == 2, r.text
    assert "错误：没有可读的输入：--interactive 逐项提问，要在终端上回答" in r.err and "已中止" not in r.text
    assert snapshot(ws) == before
