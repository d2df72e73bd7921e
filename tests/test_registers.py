"""Registers (issue 10): sheet import of every register, the legal calendar, proposed findings,
the bureau's review backlog, status figures; and bad input refused with nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import snapshot

PENALTY = """单位,案号,决定日期,收到日期,备案材料,审查结果,审查日期,审查人
司法局,鲁司罚〔2026〕1号,2026-03-02,2026-03-17,备案报告、决定书复印件、备案表,合法适当,2026-03-20,张三
司法局,鲁司罚〔2026〕2号,2026-03-02,2026-03-18,备案报告、决定书复印件、备案表,,,
司法局,鲁司罚〔2026〕3号,2026-03-06,2026-03-23,备案报告,,,
司法局,鲁司罚〔2026〕4号,2026-05-06,,,,,
"""
NORMATIVE = """单位,文号,文件名称,印发日期,报送日期
司法局,鲁司〔2026〕3号,关于甲的规定,2026-02-10,2026-03-20
司法局,鲁司〔2026〕4号,关于乙的规定,2026-04-01,2026-04-20
"""
TRAINING = """单位,年度,培训计划,培训日期,学时,培训内容,考试日期,考试形式,试卷归档
司法局,2026,鲁司〔2026〕1号,2026-03-05,8,行政处罚法,,,
司法局,2026,,2026-06-10,6,行政许可法,2026-11-10,单选、判断,否
"""
STAFF = """单位,姓名,执法证号,发证日期,有效期至,审验日期,状态,离岗日期,注销日期
司法局,张三,41042300001,2024-05-01,2029-04-30,2025-05-01,在岗,,
司法局,李四,41042300002,2020-05-01,2025-04-30,,在岗,,
司法局,王五,41042300003,2022-05-01,2027-04-30,2025-06-01,离岗,2026-06-30,
"""
SHEETS = {"penalty": PENALTY, "normative": NORMATIVE, "training": TRAINING, "staff": STAFF}
D = "--as-of"


def _sheet(ws: Path, name: str, text: str) -> Path:
    path = ws / name
    path.write_text(text, encoding="utf-8")
    return path


def _year(ws: Path, run, *, xlsx: bool = False) -> None:
    for kind, text in SHEETS.items():
        path = _sheet(ws, f"{kind}.csv", text)
        if xlsx:
            import csv

            from openpyxl import Workbook

            wb = Workbook()
            for row in csv.reader(text.splitlines()):
                wb.active.append(row)
            path = ws / f"{kind}.xlsx"
            wb.save(path)
        r = run("register", kind, "record", "--from", path, D, "2026-11-20", cwd=ws)
        assert r.code == 0, r.text


def test_year_from_sheets_to_proposed_findings(ws, run) -> None:
    _year(ws, run, xlsx=True)
    assert run("check", cwd=ws).code == 0
    r = run("inspect", "prefill", "司法局", "--date", "2026-11-20", "--format", "csv", cwd=ws)
    assert r.code == 0, r.text
    assert r.out.splitlines() == [
        "项目,检查内容,登记簿,登记编号,线索",
        "1.2,在编在岗,执法人员,sifaju-001,张三（执法证 41042300001）证件未按期年度审验：上次审验 2025-05-01，应于 2026-05-01 前审验",
        "1.2,在编在岗,执法人员,sifaju-002,李四（执法证 41042300002）在岗，证件已于 2025-04-30 过期",
        "1.2,在编在岗,执法人员,sifaju-003,王五（执法证 41042300003）已于 2026-06-30 离岗，证件未交回注销（应于 2026-07-30 前注销）",
        "2,培训考核,培训考核,sifaju-2026,截至 2026-11-20 2026 年度培训 2 次共 14 学时，少于全年 20 学时",
        "2,培训考核,培训考核,sifaju-2026,2026-11-10 的考试试卷未归档",
        # day 16 after the decision is late; day 15 is the last day
        "4,重大行政处罚备案,重大行政处罚备案,sifaju-2026-002,重大行政处罚 鲁司罚〔2026〕2号（2026-03-02 作出决定）2026-03-18 才报送备案，超过备案期限 2026-03-17 1 天",
        # 2026-03-21 is a Saturday: the deadline rolls to Monday 03-23, so only the materials are short
        "4,重大行政处罚备案,重大行政处罚备案,sifaju-2026-003,重大行政处罚 鲁司罚〔2026〕3号（2026-03-06 作出决定）备案材料不全：缺决定书复印件、备案表",
        "4,重大行政处罚备案,重大行政处罚备案,sifaju-2026-004,重大行政处罚 鲁司罚〔2026〕4号（2026-05-06 作出决定）未报县司法局备案，备案期限 2026-05-21 已过 183 天",
        "6,规范性文件备案,规范性文件备案,sifaju-2026-001,规范性文件 鲁司〔2026〕3号《关于甲的规定》（2026-02-10 印发）2026-03-20 才报送备案，超过备案期限 2026-03-12 8 天",
    ]
    # the proposed findings in a field form: refused until the inspectors confirm or drop each
    r = run("inspect", "prefill", "司法局", "--date", "2026-11-20", "--into", "现场.csv", cwd=ws)
    assert r.code == 0, r.text
    assert "鲁山县司法局：登记簿线索 9 条，已作为拟定问题写入（扣分留空）" in r.err
    form = (ws / "现场.csv").read_text(encoding="utf-8-sig")
    assert "2,培训考核,10,,,【登记簿】2026-11-10 的考试试卷未归档,,," in form
    before = snapshot(ws / "data")
    r = run("inspect", "record", "--from", "现场.csv", cwd=ws)
    assert r.code == 1 and r.err.count("写了问题描述但没有填扣分（不扣分请填 0）") == 9
    assert snapshot(ws / "data") == before
    # confirm one (deduction 1), drop the others
    lines = []
    for line in form.splitlines():
        if "【登记簿】" in line:
            if "鲁司罚〔2026〕2号" not in line:
                continue
            cells = line.split(",")
            cells[4] = "1"
            line = ",".join(cells)
        lines.append(line)
    (ws / "现场.csv").write_text("\n".join(lines).replace("检查日期,2026-11-20", "检查日期,2026-11-20") + "\n", encoding="utf-8")
    r = run("inspect", "record", "--from", "现场.csv", "--as-of", "2026-11-20", cwd=ws)
    assert r.code == 0, r.text
    insp = next((ws / "data/records/inspections/2026").glob("*.yaml")).read_text(encoding="utf-8")
    assert "description: 【登记簿】重大行政处罚 鲁司罚〔2026〕2号" in insp and "deduction: 1" in insp


def test_status_and_backlog_honour_as_of(ws, run) -> None:
    _year(ws, run)
    r = run("status", D, "2026-11-20", cwd=ws)
    assert "重大行政处罚备案：已收到 3 件（按时 2、逾期 1），逾期未报 1 件；已审查 1 件，逾期未审查 2 件" in r.out
    assert "规范性文件备案：已收到 2 件（按时 1、逾期 1），逾期未报 0 件；已审查 0 件，逾期未审查 2 件" in r.out
    assert "培训考核：已登记 1 个单位，不足 20 学时 1 个，未考试 0 个" in r.out
    assert "本局逾期未审查的备案 4 件：lufa register overdue --as-of 2026-11-20" in r.out
    r = run("register", "overdue", D, "2026-11-20", "--format", "csv", cwd=ws)
    assert r.out.splitlines() == [
        "编号,登记簿,单位,案号/文号,收到日期,审查期限,逾期天数",
        "sifaju-2026-002,重大行政处罚备案,鲁山县司法局,鲁司罚〔2026〕2号,2026-03-18,2026-04-02,232",
        "sifaju-2026-001,规范性文件备案,鲁山县司法局,鲁司〔2026〕3号,2026-03-20,2026-04-07,227",
        "sifaju-2026-003,重大行政处罚备案,鲁山县司法局,鲁司罚〔2026〕3号,2026-03-23,2026-04-07,227",
        "sifaju-2026-002,规范性文件备案,鲁山县司法局,鲁司〔2026〕4号,2026-04-20,2026-05-06,198",
    ]
    # on 2026-04-02 the first filing's review is still within its period; nothing received later counts
    r = run("register", "overdue", D, "2026-04-03", "--format", "csv", cwd=ws)
    assert r.out.splitlines()[1:] == ["sifaju-2026-002,重大行政处罚备案,鲁山县司法局,鲁司罚〔2026〕2号,2026-03-18,2026-04-02,1"]
    r = run("register", "penalty", "list", D, "2026-03-10", "--format", "csv", cwd=ws)
    assert r.out.splitlines()[1:] == [
        "sifaju-2026-001,鲁山县司法局,鲁司罚〔2026〕1号,2026-03-02,2026-03-17,,未报送（期限 2026-03-17）,,,,",
        "sifaju-2026-002,鲁山县司法局,鲁司罚〔2026〕2号,2026-03-02,2026-03-17,,未报送（期限 2026-03-17）,,,,",
        "sifaju-2026-003,鲁山县司法局,鲁司罚〔2026〕3号,2026-03-06,2026-03-23,,未报送（期限 2026-03-23）,,,,",
    ]


def test_amend_keeps_comments_and_records_the_change(ws, run) -> None:
    _year(ws, run)
    path = ws / "data/records/registers/penalty/2026/sifaju-2026-002.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("case:", "# 电话催报过\ncase:"), encoding="utf-8")
    r = run("register", "penalty", "amend", "sifaju-2026-002", "--review", "存在问题", "--reviewed", "2026-11-21",
            "--reviewer", "李四", D, "2026-11-21", cwd=ws)
    assert r.code == 0, r.text
    assert "已修改重大行政处罚备案 sifaju-2026-002：审查结果改为存在问题；审查日期改为2026-11-21；审查人改为李四" in r.err
    text = path.read_text(encoding="utf-8")
    assert "# 电话催报过" in text and "review: 存在问题" in text and "summary: 审查结果改为存在问题" in text
    r = run("register", "training", "amend", "sifaju-2026", "--session", "2026-11-15:6:行政复议法", "--papers-archived", "是", D, "2026-11-21", cwd=ws)
    assert r.code == 0, r.text
    r = run("inspect", "prefill", "司法局", "--date", "2026-11-21", "--format", "csv", cwd=ws)
    assert "培训考核" not in r.out.split("\n", 1)[1]


BAD = [
    ("penalty", "单位,案号,决定日期,收到日期\n某某局,鲁罚〔2026〕1号,2026-03-02,2026-03-10\n司法局,鲁罚〔2026〕2号,2026-03-20,2026-03-10\n",
     ["bad.csv:2:1: 错误：名册中没有“某某局”这个单位（lufa units 可列出全部单位）", "bad.csv:3:27: 错误：收到日期 2026-03-10 早于处罚决定日期 2026-03-20"]),
    ("training", "单位,年度,培训日期,学时\n司法局,2026,2026-03-05,-2\n",
     ["bad.csv:2:21: 错误：学时应为 0.5 至 24 之间、以 0.5 为单位的数字，实际是“-2”"]),
    ("penalty", "单位,案号,决定日期\n司法局,鲁罚〔2026〕9号,2026-03-02\n司法局,鲁罚〔2026〕9号,2026-03-05\n",
     ["bad.csv:3:1: 错误：案号“鲁罚〔2026〕9号”在第 2 行已填过"]),
]


@pytest.mark.parametrize(("kind", "text", "expected"), BAD)
def test_bad_sheets_refused_with_positions_and_nothing_written(ws, run, kind, text, expected) -> None:
    _sheet(ws, "bad.csv", text)
    before = snapshot(ws)
    r = run("register", kind, "record", "--from", "bad.csv", D, "2026-11-20", cwd=ws)
    assert r.code == 1, r.text
    lines = [x for x in r.err.splitlines() if "错误：" in x]
    assert lines == [*expected, "错误：表格 bad.csv 有误，没有登记任何一条"]
    assert snapshot(ws) == before


def test_unknown_unit_message(ws, run) -> None:
    _sheet(ws, "bad.csv", "单位,案号,决定日期\n某某局,鲁罚〔2026〕1号,2026-03-02\n")
    before = snapshot(ws)
    r = run("register", "penalty", "record", "--from", "bad.csv", D, "2026-11-20", cwd=ws)
    assert r.code == 1
    assert [x for x in r.err.splitlines() if "错误：" in x] == [
        "bad.csv:2:1: 错误：名册中没有“某某局”这个单位（lufa units 可列出全部单位）", "错误：表格 bad.csv 有误，没有登记任何一条"]
    assert snapshot(ws) == before


# the bad input, each refused by option with its exact message and nothing written
OPTION_BAD = [
    (("penalty", "record", "--unit", "某某局", "--case", "鲁司罚〔2026〕1号", "--decided", "2026-03-02"),
     "错误：名册中没有“某某局”这个单位（lufa units 可列出全部单位）"),
    (("normative", "record", "--unit", "司法局", "--number", "鲁司〔2026〕9号", "--title", "甲", "--issued", "2026-02-10", "--filed", "2026-02-01"),
     "错误：--filed：报送备案日期 2026-02-01 早于印发日期 2026-02-10；没有登记任何内容"),
    (("penalty", "amend", "sifaju-2026-004", "--received", "2026-05-01"),
     "错误：--received：收到日期 2026-05-01 早于处罚决定日期 2026-05-06；没有做任何修改"),
    (("training", "amend", "sifaju-2026", "--session", "2026-04-01:-3"),
     "错误：--session：学时应为 0.5 至 24 之间、以 0.5 为单位的数字，实际是“-3”；没有做任何修改"),
    (("penalty", "record", "--unit", "司法局", "--case", "鲁司罚（2026）2号", "--decided", "2026-04-02"),
     "错误：案号“鲁司罚（2026）2号”已登记（sifaju-2026-002，data/records/registers/penalty/2026/sifaju-2026-002.yaml）；没有登记任何内容"),
    (("normative", "record", "--unit", "司法局", "--number", "鲁司〔2026〕3号", "--title", "丙", "--issued", "2026-05-10"),
     "错误：文号“鲁司〔2026〕3号”已登记（sifaju-2026-001，data/records/registers/normative/2026/sifaju-2026-001.yaml）；没有登记任何内容"),
    (("staff", "record", "--unit", "司法局", "--name", "周八", "--certificate", "41042300001", "--issued", "2024-05-01", "--expires", "2029-04-30"),
     "错误：执法证号“41042300001”已登记（sifaju-001，data/records/registers/staff/sifaju-001.yaml）；没有登记任何内容"),
]


@pytest.mark.parametrize(("args", "message"), OPTION_BAD)
def test_bad_options_refused_exactly_and_nothing_written(ws, run, args, message) -> None:
    _year(ws, run)
    before = snapshot(ws)
    r = run("register", *args, D, "2026-11-20", cwd=ws)
    assert (r.code, r.err.strip()) == (2, message)
    assert snapshot(ws) == before


def test_a_sheet_repeating_registered_cases_is_refused_whole(ws, run) -> None:
    _year(ws, run)
    _sheet(ws, "again.csv", "单位,案号,决定日期\n司法局,鲁司罚〔2026〕7号,2026-06-02\n司法局,鲁司罚〔2026〕1号,2026-03-02\n")
    before = snapshot(ws)
    r = run("register", "penalty", "record", "--from", "again.csv", D, "2026-11-20", cwd=ws)
    assert r.code == 1
    assert [x for x in r.err.splitlines() if "错误：" in x] == [
        "again.csv:3:1: 错误：案号“鲁司罚〔2026〕1号”已登记（sifaju-2026-001）", "错误：表格 again.csv 有误，没有登记任何一条"]
    assert snapshot(ws) == before


def test_same_case_in_two_files_names_both(ws, run) -> None:
    _year(ws, run)
    folder = ws / "data/records/registers/penalty/2026"
    text = (folder / "sifaju-2026-001.yaml").read_text(encoding="utf-8")
    (folder / "sifaju-2026-009.yaml").write_text(text.replace("鲁司罚〔2026〕1号", "鲁司罚[2026]1号"), encoding="utf-8")
    before = snapshot(ws)
    r = run("check", cwd=ws)
    assert r.code == 1
    assert ("data/records/registers/penalty/2026/sifaju-2026-009.yaml:3:7: 错误：案号“鲁司罚[2026]1号”重复登记："
            "data/records/registers/penalty/2026/sifaju-2026-001.yaml 与 data/records/registers/penalty/2026/sifaju-2026-009.yaml") in r.err
    assert snapshot(ws) == before


def test_options_refused_all_at_once(ws, run) -> None:
    before = snapshot(ws)
    r = run("register", "penalty", "record", "--unit", "司法局", "--case", "鲁罚〔2026〕1号", "--decided", "2026-03-20",
            "--received", "2026-03-10", D, "2026-11-20", cwd=ws)
    assert r.code == 2
    assert r.err.strip() == "错误：--received：收到日期 2026-03-10 早于处罚决定日期 2026-03-20；没有登记任何内容"
    r = run("register", "training", "record", "--unit", "司法局", "--year", "2026", "--session", "2026-03-05:-1", "--session", "2026-13-01:2", D, "2026-11-20", cwd=ws)
    assert r.code == 2
    assert r.err.strip() == ("错误：--session：学时应为 0.5 至 24 之间、以 0.5 为单位的数字，实际是“-1”；"
                             "--session：培训日期“2026-13-01”不是有效日期，请写成 YYYY-MM-DD，如 2026-04-13；没有登记任何内容")
    assert snapshot(ws) == before


def test_registers_settings_checked_and_copied_by_init(ws, run, tmp_path) -> None:
    (ws / "data/registers.yaml").write_text("penalty_filing_days: 0\n", encoding="utf-8")
    r = run("check", cwd=ws)
    assert r.code == 1 and "data/registers.yaml:1:22: 错误：“penalty_filing_days”不能小于 1，实际是 0" in r.err
    r = run("init", tmp_path / "新", cwd=tmp_path)
    assert (tmp_path / "新/data/registers.yaml").is_file()


def test_concurrent_amends_both_land(ws) -> None:
    env_root = ws
    code = "from lufa_cli.cli.app import main; import sys; main(sys.argv[1:])"
    subprocess.run([sys.executable, "-c", code, "register", "training", "record", "--unit", "司法局", "--year", "2026", D, "2026-11-20"],
                   cwd=env_root, check=True, capture_output=True)
    procs = [subprocess.Popen([sys.executable, "-c", code, "register", "training", "amend", "sifaju-2026", "--session", f"2026-0{m}-01:2", D, "2026-11-20"],
                              cwd=env_root, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for m in (3, 4, 5)]
    codes = [p.wait(timeout=60) for p in procs]
    text = (ws / "data/records/registers/training/2026/sifaju-2026.yaml").read_text(encoding="utf-8")
    assert codes == [0, 0, 0]
    assert all(f"2026-0{m}-01" in text for m in (3, 4, 5))


def test_circular_reports_the_registers(ws, run) -> None:
    from docx import Document

    _year(ws, run)
    r = run("report", "circular", "--year", "2026", "--date", "2026-12-31", "-o", "通报.docx", cwd=ws)
    assert r.code == 0, r.text
    text = [p.text for p in Document(str(ws / "通报.docx")).paragraphs]
    assert "重大行政处罚备案方面，共收到3件，其中按时报送2件、逾期报送1件，另有1件逾期未报；县司法局已审查1件。" in text
    assert "规范性文件备案方面，共收到2件，其中按时报送1件、逾期报送1件；县司法局已审查0件。" in text
    assert "培训考核方面，登记培训考核的1个单位中，全年培训不足20学时的1个（鲁山县司法局），均组织了考试。" in text
    i = text.index("四、工作要求")
    assert text[i - 1].startswith("培训考核方面")


YAML_BAD = [
    ("penalty/2026/sifaju-2026-001.yaml", "unit: nosuch\ncase: 鲁罚〔2026〕1号\ndecided: 2026-03-02\n",
     "data/records/registers/penalty/2026/sifaju-2026-001.yaml:1:7: 错误：单位编号“nosuch”不在名册中"),
    ("penalty/2026/sifaju-2026-001.yaml", "unit: sifaju\ncase: 鲁罚〔2026〕1号\ndecided: 2026-03-20\nreceived: 2026-03-10\n",
     "data/records/registers/penalty/2026/sifaju-2026-001.yaml:4:11: 错误：收到日期 2026-03-10 早于处罚决定日期 2026-03-20"),
    ("training/2026/sifaju-2026.yaml", "unit: sifaju\nyear: 2026\nsessions:\n- date: 2026-03-05\n  hours: -2\n",
     "data/records/registers/training/2026/sifaju-2026.yaml:5:10: 错误：“hours”不能小于 0.5，实际是 -2"),
    ("staff/sifaju-001.yaml", "unit: sifaju\nname: 王五\ncertificate: '1'\nissued: 2022-05-01\nexpires: 2027-04-30\nstatus: 离岗\n",
     "data/records/registers/staff/sifaju-001.yaml:1:1: 错误：状态为“离岗”时应填离岗日期，“在岗”时不应填"),
    ("penalty/2025/sifaju-2026-001.yaml", "unit: sifaju\ncase: 鲁罚〔2026〕1号\ndecided: 2026-03-02\n",
     "data/records/registers/penalty/2025/sifaju-2026-001.yaml:1:7: 错误：文件应放在 registers/penalty/2026/ 目录中"),
]


@pytest.mark.parametrize(("rel", "text", "expected"), YAML_BAD)
def test_bad_entries_reported_by_check(ws, run, rel, text, expected) -> None:
    path = ws / "data/records/registers" / rel
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    before = snapshot(ws)
    r = run("check", cwd=ws)
    assert r.code == 1
    assert r.err.splitlines()[0] == expected
    # every command that reads the registers refuses too, and writes nothing
    r = run("inspect", "prefill", "司法局", "--date", "2026-11-20", cwd=ws)
    assert r.code == 1 and expected in r.err
    assert snapshot(ws) == before


def test_list_to_xlsx_and_show(ws, run) -> None:
    from openpyxl import load_workbook

    _year(ws, run)
    r = run("register", "staff", "list", D, "2026-11-20", "-o", "人员.xlsx", cwd=ws)
    assert r.code == 0, r.text
    rows = list(load_workbook(ws / "人员.xlsx").active.iter_rows(values_only=True))
    assert rows[1][:5] == ("编号", "单位", "姓名", "执法证号", "状态") or rows[0][:5] == ("编号", "单位", "姓名", "执法证号", "状态")
    r = run("register", "training", "show", "sifaju-2026", D, "2026-04-01", cwd=ws)
    assert r.code == 0, r.text
    assert r.out.splitlines()[1:6] == ["  单位：鲁山县司法局", "  年度：2026", "  培训计划：鲁司〔2026〕1号", "  培训次数：1", "  学时：8"]
    assert "  培训 2026-06-10：6 学时，行政许可法（在截至日期之后）" in r.out
    r = run("register", "training", "show", "nosuch-2026", cwd=ws)
    assert r.code == 2 and r.err.strip() == "错误：培训考核登记“nosuch-2026”不存在（lufa register training list 可列出全部登记）"


def test_amend_refusals_write_nothing(ws, run) -> None:
    _year(ws, run)
    before = snapshot(ws)
    r = run("register", "penalty", "amend", "sifaju-2026-002", "--case", "鲁司罚 〔2026〕1号", D, "2026-11-21", cwd=ws)
    assert r.code == 2
    assert r.err.strip() == ("错误：案号“鲁司罚 〔2026〕1号”已登记（sifaju-2026-001，data/records/registers/penalty/2026/sifaju-2026-001.yaml）；"
                             "没有做任何修改")
    r = run("register", "penalty", "amend", "sifaju-2026-002", "--decided", "2025-12-30", "--received", "2026-01-05", D, "2026-11-21", cwd=ws)
    assert r.code == 2 and "修改会使登记改属 2025 年（现在是 2026 年，文件按年份存放）" in r.err
    r = run("register", "penalty", "amend", "sifaju-2026-002", "--received", "2026-02-01", D, "2026-11-21", cwd=ws)
    assert r.code == 2 and r.err.strip() == "错误：--received：收到日期 2026-02-01 早于处罚决定日期 2026-03-02；没有做任何修改"
    assert snapshot(ws) == before


def test_missing_training_only_when_the_register_is_used(ws, run) -> None:
    r = run("inspect", "prefill", "张良镇", "--date", "2026-11-20", cwd=ws)
    assert r.out.strip() == "鲁山县张良镇人民政府，截至 2026-11-20：登记簿线索 0 条。"
    _year(ws, run)
    r = run("inspect", "prefill", "张良镇", "--date", "2026-11-20", "--format", "csv", cwd=ws)
    assert r.out.splitlines()[1:] == ["2,培训考核,培训考核,,登记簿中没有 2026 年度的培训计划和培训记录"]


def test_lost_certificate_needs_an_announcement(ws, run) -> None:
    _sheet(ws, "人员.csv", "单位,姓名,执法证号,发证日期,有效期至,审验日期,遗失日期,公告日期,公告媒体\n"
                          "司法局,赵六,41042300009,2024-05-01,2029-04-30,2025-06-01、2026-04-01,2026-03-01,,\n"
                          "司法局,钱七,41042300010,2024-05-01,2029-04-30,2025-06-01、2026-04-01,2026-03-01,2026-03-20,鲁山县人民政府网站\n")
    r = run("register", "staff", "record", "--from", "人员.csv", D, "2026-11-20", cwd=ws)
    assert r.code == 0, r.text
    assert ("警告：赵六的证件于 2026-03-01 遗失，尚未登记遗失公告；公告后请运行 lufa register staff amend sifaju-001 "
            "--announced 日期 --announced-in 公告媒体（遗失后 30 日内应公告作废）") in r.err
    assert "钱七的证件" not in r.err
    r = run("check", cwd=ws)
    assert r.code == 0
    assert r.err.splitlines()[0] == ("data/records/registers/staff/sifaju-001.yaml:10:7: 警告：证件于 2026-03-01 遗失，尚未登记遗失公告（公告日期、公告媒体）；"
                                     "遗失后 30 日内应公告作废")
    # within the 30 days no finding yet; after them, one; the announcement ends it (late: the delay is the finding)
    r = run("inspect", "prefill", "司法局", "--date", "2026-03-31", "--format", "csv", cwd=ws)
    assert r.out.splitlines()[1:] == []
    r = run("inspect", "prefill", "司法局", "--date", "2026-04-01", "--format", "csv", cwd=ws)
    assert r.out.splitlines()[1:] == ["1.2,在编在岗,执法人员,sifaju-001,赵六（执法证 41042300009）证件于 2026-03-01 遗失，未公告作废（应于 2026-03-31 前公告）"]
    before = snapshot(ws)
    r = run("register", "staff", "amend", "sifaju-001", "--announced", "2026-02-20", "--announced-in", "鲁山县人民政府网站", D, "2026-11-20", cwd=ws)
    assert r.code == 2
    assert r.err.strip() == "错误：--announced：遗失公告日期 2026-02-20 早于遗失日期 2026-03-01；没有做任何修改"
    r = run("register", "staff", "amend", "sifaju-001", "--announced", "2026-04-20", D, "2026-11-20", cwd=ws)
    assert r.code == 2 and r.err.strip() == "错误：--announced-in：遗失公告日期和公告媒体应同时填写；没有做任何修改"
    assert snapshot(ws) == before
    r = run("register", "staff", "amend", "sifaju-001", "--announced", "2026-04-20", "--announced-in", "平顶山日报", D, "2026-11-20", cwd=ws)
    assert r.code == 0, r.text
    assert "遗失" not in run("check", cwd=ws).err
    r = run("inspect", "prefill", "司法局", "--date", "2026-11-20", "--format", "csv", cwd=ws)
    assert r.out.splitlines()[1:] == ["1.2,在编在岗,执法人员,sifaju-001,赵六（执法证 41042300009）证件于 2026-03-01 遗失，2026-04-20 才在平顶山日报公告，超过期限 2026-03-31 20 天"]
    r = run("register", "staff", "list", D, "2026-11-20", "--format", "csv", cwd=ws)
    assert r.out.splitlines()[1].endswith(",2026-03-01,2026-04-20（平顶山日报）")


def test_prefill_into_a_yaml_field_form(ws, run) -> None:
    _year(ws, run)
    r = run("inspect", "prefill", "司法局", "--date", "2026-11-20", "--into", "现场.yaml", cwd=ws)
    assert r.code == 0, r.text
    text = (ws / "现场.yaml").read_text(encoding="utf-8")
    assert text.count("【登记簿】") == 9 and text.count("  # 4 重大行政处罚备案") == 1
    assert '  - item: "2"\n    deduction:\n    description: 【登记簿】2026-11-10 的考试试卷未归档\n' in text
    before = snapshot(ws / "data")
    r = run("inspect", "record", "--from", "现场.yaml", "--as-of", "2026-11-20", cwd=ws)
    assert r.code == 1 and r.err.count("写了问题描述但没有填扣分（不扣分请填 0）") == 9
    assert snapshot(ws / "data") == before
    # confirm the late filing (0.5), drop the rest by clearing their descriptions
    kept = text.replace("description: 【登记簿】重大行政处罚 鲁司罚〔2026〕2号", "@@")
    kept = "\n".join(line.split("description: 【登记簿】")[0] + 'description: ""' if "description: 【登记簿】" in line else line for line in kept.splitlines())
    kept = kept.replace("    deduction:\n    @@", "    deduction: 0.5\n    description: 【登记簿】重大行政处罚 鲁司罚〔2026〕2号")
    (ws / "现场.yaml").write_text(kept + "\n", encoding="utf-8")
    r = run("inspect", "record", "--from", "现场.yaml", "--as-of", "2026-11-20", "--ack-out-of-plan", cwd=ws)
    assert r.code == 0, r.text
    assert "已写入检查记录 2026-11-20-sifaju（1 条问题）" in r.err


def test_prefill_into_the_inspection_record_scores_only_what_is_confirmed(ws, run) -> None:
    _year(ws, run)
    r = run("inspect", "record", "司法局", "--date", "2026-11-20", "--office", "jiandu", "--item", "3.3", "--deduction", "2",
            "--finding", "执法记录仪未全程开启", "--ack-out-of-plan", D, "2026-11-20", cwd=ws)
    assert r.code == 0, r.text
    score = lambda: run("score", "report", "--year", "2026", D, "2026-11-21", "--format", "csv", cwd=ws).out  # noqa: E731
    before_score = score()
    r = run("inspect", "prefill", "司法局", "--record", "2026-11-20-sifaju", D, "2026-11-21", cwd=ws)
    assert r.code == 0, r.text
    assert r.err.splitlines() == [
        "已写入检查记录 2026-11-20-sifaju：写入登记簿拟定问题 9 条（第 1—9 条，登记簿截至 2026-11-20）（data/records/inspections/2026/2026-11-20-sifaju.yaml）",
        "拟定问题不计分；核实后确认或删去：lufa inspect amend 2026-11-20-sifaju --confirm 1=扣分 或 --drop 1 --reason 原因（待确认 9 条，lufa inspect show 2026-11-20-sifaju 可查）",
    ]
    path = ws / "data/records/inspections/2026/2026-11-20-sifaju.yaml"
    text = path.read_text(encoding="utf-8")
    assert "- id: 6\n  item: '4'\n  source: penalty\n  entry: sifaju-2026-002\n  evidence: 重大行政处罚 鲁司罚〔2026〕2号" in text
    assert score() == before_score  # proposals are not findings: the score does not move
    r = run("check", cwd=ws)
    assert r.code == 0
    assert ("警告：有 9 条登记簿拟定问题（第 1、2、3、4、5、6、7、8、9 条）尚未确认或删去，确认前不计分："
            "lufa inspect amend 2026-11-20-sifaju --confirm 号=扣分 或 --drop 号 --reason 原因") in r.err
    # a second prefill adds nothing and writes nothing
    before = snapshot(ws / "data")
    r = run("inspect", "prefill", "司法局", "--record", "2026-11-20-sifaju", D, "2026-11-21", cwd=ws)
    assert r.code == 0
    assert r.err.strip() == "鲁山县司法局：登记簿线索 9 条，均已写入过检查记录 2026-11-20-sifaju，没有新的拟定问题；记录未改动"
    assert snapshot(ws / "data") == before
    # refusals write nothing
    for args, message in [
        (("张良镇", "--record", "2026-11-20-sifaju"), "错误：检查记录 2026-11-20-sifaju 是鲁山县司法局的，不是鲁山县张良镇人民政府的；没有做任何修改"),
        (("司法局", "--record", "2026-11-20-sifaju", "--date", "2026-11-25"),
         "错误：--record 按检查记录的检查日期 2026-11-20 读取登记簿，--date 2026-11-25 与之不符；去掉 --date 即可；没有做任何修改"),
        (("司法局", "--record", "2026-11-20-sifaju", "--into", "x.csv"), "错误：--into、--record 只能选一个"),
        (("司法局", "--into", "x.docx"), "错误：--into 的文件“x.docx”应以 .xlsx、.csv 或 .yaml 结尾"),
    ]:
        r = run("inspect", "prefill", *args, cwd=ws)
        assert (r.code, r.err.strip()) == (2, message), r.text
    for args, message in [
        (("--confirm", "10=1"), "错误：检查记录 2026-11-20-sifaju 中没有第 10 条登记簿拟定问题（lufa inspect show 2026-11-20-sifaju 可查）"),
        (("--drop", "2"), "错误：删去登记簿拟定问题必须用 --reason 写明原因（如 经现场核实不属实）"),
        (("--confirm", "2=1", "--drop", "2", "--reason", "x"), "错误：第 2 条登记簿拟定问题不能同时确认和删去"),
        (("--confirm", "1=x"), "错误：--confirm 的值“1=x”无效，应写成 拟定问题号=扣分，如 1=2（不扣分写 1=0）"),
    ]:
        r = run("inspect", "amend", "2026-11-20-sifaju", *args, D, "2026-11-21", cwd=ws)
        assert (r.code, r.err.strip()) == (2, message), r.text
    r = run("inspect", "amend", "2026-11-20-sifaju", "--confirm", "1=99", D, "2026-11-21", cwd=ws)
    assert r.code == 2 and "--deduction/--set-deduction/--confirm：" in r.err
    assert snapshot(ws / "data") == before
    # confirm one, drop the rest: only the confirmed one is scored
    r = run("inspect", "amend", "2026-11-20-sifaju", "--confirm", "6=1", *[x for n in (1, 2, 3, 4, 5, 7, 8, 9) for x in ("--drop", str(n))],
            "--reason", "经现场核实已整改", D, "2026-11-21", cwd=ws)
    assert r.code == 0, r.text
    assert r.err.strip() == ("已修改检查记录 2026-11-20-sifaju：确认登记簿拟定问题第 6 条为第 2 条问题（4，扣 1 分）；"
                             "删去登记簿拟定问题第 1、2、3、4、5、7、8、9 条（经现场核实已整改）（data/records/inspections/2026/2026-11-20-sifaju.yaml）")
    r = run("inspect", "show", "2026-11-20-sifaju", cwd=ws)
    assert "  2. [4 重大行政处罚备案] 扣 1 分：【登记簿】重大行政处罚 鲁司罚〔2026〕2号（2026-03-02 作出决定）2026-03-18 才报送备案，超过备案期限 2026-03-17 1 天" in r.out
    assert "  拟6. [4 重大行政处罚备案] 重大行政处罚 鲁司罚〔2026〕2号" in r.out and "已确认为第 2 条问题" in r.out
    assert r.out.count("已删去：经现场核实已整改") == 8
    assert score() != before_score
    assert "尚未确认或删去" not in run("check", cwd=ws).err
    r = run("inspect", "amend", "2026-11-20-sifaju", "--confirm", "6=1", D, "2026-11-21", cwd=ws)
    assert (r.code, r.err.strip()) == (2, "错误：第 6 条登记簿拟定问题已确认为第 2 条问题，不能再次确认或删去")


def test_a_hand_edited_proposal_is_checked(ws, run) -> None:
    _year(ws, run)
    run("inspect", "record", "司法局", "--date", "2026-11-20", "--office", "jiandu", "--ack-out-of-plan", D, "2026-11-20", cwd=ws)
    assert run("inspect", "prefill", "司法局", "--record", "2026-11-20-sifaju", D, "2026-11-21", cwd=ws).code == 0
    path = ws / "data/records/inspections/2026/2026-11-20-sifaju.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  as_of: 2026-11-20\n", "  as_of: 2026-11-20\n  finding: 7\n", 1), encoding="utf-8")
    before = snapshot(ws)
    r = run("check", cwd=ws)
    assert r.code == 1
    assert "2026-11-20-sifaju.yaml:11:1: 错误：拟定问题确认为第 7 条问题，但记录中没有这条问题" in r.err
    assert snapshot(ws) == before


def test_a_symlinked_year_folder_is_read_not_skipped(ws, run, tmp_path) -> None:
    import os

    _year(ws, run)
    folder = ws / "data/records/registers/penalty/2026"
    moved = ws / "data/records/elsewhere-2026"
    folder.rename(moved)
    os.symlink(moved, folder, target_is_directory=True)
    r = run("register", "penalty", "list", D, "2026-11-20", "--format", "csv", cwd=ws)
    assert r.code == 0 and len(r.out.splitlines()) == 5, r.text
    r = run("register", "penalty", "show", "sifaju-2026-004", D, "2026-11-20", cwd=ws)
    assert r.code == 0 and "鲁司罚〔2026〕4号" in r.out
