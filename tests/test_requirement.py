"""The 整改要求 of a finding, written down with the finding: `inspect record`/`amend --requirement`,
the field form's 整改要求 column, shown by `inspect show`, and printed by `notice issue`
(where `--requirement` still overrides it)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import docx
import pytest

from conftest import snapshot

AS_OF = ("--as-of", "2026-11-28")
INSPECTION = Path("data/records/inspections/2026/2026-04-13-sifaju.yaml")
NOTICE_DOCX = Path("output/notices/2026/鲁政行监字〔2026〕1号-司法局.docx")
TWO = ("--item", "3.3", "--deduction", "2", "--finding", "执法记录仪未全程开启",
       "--item", "5", "--deduction", "1", "--finding", "案卷未按规范立卷")
RECORD = ("inspect", "record", "司法局", "--date", "2026-04-13", *TWO)


def paragraphs(path: Path) -> list[str]:
    return [p.text.strip() for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def test_record_show_and_notice_issue(ws, run, monkeypatch) -> None:
    monkeypatch.setenv("LUFA_TODAY", "2026-12-30")
    r = run(*RECORD, "--requirement", "2=按立卷规范重新装订并编制卷内目录", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    text = (ws / INSPECTION).read_text(encoding="utf-8")
    assert text.count("requirement") == 1  # none written for finding 1
    assert "  description: 案卷未按规范立卷\n  requirement: 按立卷规范重新装订并编制卷内目录\n" in text
    r = run("inspect", "show", "2026-04-13-sifaju", cwd=ws)
    assert r.out.splitlines()[2:] == [
        "  1. [3.3 执法全过程记录制度] 扣 2 分：执法记录仪未全程开启",
        "  2. [5 处罚程序] 扣 1 分：案卷未按规范立卷",
        "     整改要求：按立卷规范重新装订并编制卷内目录",
    ]
    r = run("inspect", "show", "2026-04-13-sifaju", "--format", "json", cwd=ws)
    assert [f["requirement"] for f in json.loads(r.out)["findings"]] == ["", "按立卷规范重新装订并编制卷内目录"]

    r = run("notice", "issue", "--inspection", "2026-04-13-sifaju", "--date", "2026-04-20", cwd=ws)
    assert r.code == 0, r.text
    assert paragraphs(ws / NOTICE_DOCX)[5:7] == [
        "一是执法记录仪未全程开启。", "二是案卷未按规范立卷。整改要求：按立卷规范重新装订并编制卷内目录。"]
    r = run("notice", "show", "鲁政行监字〔2026〕1号", "--format", "json", cwd=ws)
    assert [f["requirement"] for f in json.loads(r.out)["findings"]] == ["", "按立卷规范重新装订并编制卷内目录"]
    assert run("check", cwd=ws).code == 0


def test_notice_requirement_overrides_the_records(ws, run, monkeypatch) -> None:
    monkeypatch.setenv("LUFA_TODAY", "2026-12-30")
    r = run(*RECORD, "--requirement", "1=立即开启执法记录仪", "--requirement", "2：按立卷规范重新装订", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    r = run("notice", "issue", "--inspection", "2026-04-13-sifaju", "--date", "2026-04-20",
            "--requirement", "2=十日内重新装订并编制卷内目录", cwd=ws)
    assert r.code == 0, r.text
    assert paragraphs(ws / NOTICE_DOCX)[5:7] == [
        "一是执法记录仪未全程开启。整改要求：立即开启执法记录仪。", "二是案卷未按规范立卷。整改要求：十日内重新装订并编制卷内目录。"]
    r = run("notice", "issue", "--help", cwd=ws)
    assert "--requirement 序号=要求 对该条另写，优先于检查记录中的。" in r.out


def test_notice_numbers_the_open_findings_not_the_records(ws, run, monkeypatch) -> None:
    """Finding 1 fixed on the spot: the notice's 一是 is finding 2, with the requirement it was recorded with."""
    monkeypatch.setenv("LUFA_TODAY", "2026-12-30")
    r = run("inspect", "record", "司法局", "--date", "2026-04-13", "--item", "3.3", "--deduction", "2", "--finding", "执法记录仪未全程开启",
            "--fixed", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    r = run("inspect", "amend", "2026-04-13-sifaju", "--item", "5", "--deduction", "1", "--finding", "案卷未按规范立卷",
            "--requirement", "2=按立卷规范重新装订", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    assert r.err == ("已修改检查记录 2026-04-13-sifaju：增加第 2 条问题（5）；填写第 2 条问题的整改要求"
                     "（data/records/inspections/2026/2026-04-13-sifaju.yaml）\n")
    r = run("notice", "issue", "--inspection", "2026-04-13-sifaju", "--date", "2026-04-20", "--dry-run", cwd=ws)
    assert r.code == 0 and "\n一是案卷未按规范立卷。整改要求：按立卷规范重新装订。\n" in r.out


RECORD_ERRORS = [
    (("--requirement", "3=按规范整改"),
     "错误：--requirement 的序号 3 超出范围：本次录入共 2 条问题（序号即第几组 --item/--deduction/--finding）\n"),
    (("--requirement", "0=按规范整改"),
     "错误：--requirement 的序号 0 超出范围：本次录入共 2 条问题（序号即第几组 --item/--deduction/--finding）\n"),
    (("--requirement", "1=甲", "--requirement", "1：乙"), "错误：--requirement 第 1 条写了两次\n"),
    (("--requirement", "1="), "错误：--requirement 的值“1=”无效：请写成 序号=整改要求，如 --requirement 2=按立卷规范重新装订并编制目录\n"),
    (("--requirement", "1=\u3000 "), "错误：--requirement 的值“1=\u3000 ”无效：请写成 序号=整改要求，如 --requirement 2=按立卷规范重新装订并编制目录\n"),
    (("--requirement", "1=按\x07规范"), "错误：--requirement 含有控制字符 U+0007，请删除后重试\n"),
]


@pytest.mark.parametrize(("extra", "message"), RECORD_ERRORS)
def test_record_bad_requirement_writes_nothing(ws, run, extra, message) -> None:
    before = snapshot(ws)
    r = run(*RECORD, *extra, *AS_OF, cwd=ws)
    assert (r.code, r.err) == (2, message)
    assert snapshot(ws) == before


def test_record_requirement_needs_findings_on_the_command_line(ws, run) -> None:
    (ws / "sheet.yaml").write_text("findings: []\n", encoding="utf-8")
    before = snapshot(ws)
    for extra in ((), ("--from", "sheet.yaml")):
        r = run("inspect", "record", "司法局", "--date", "2026-04-13", *extra, "--requirement", "1=按规范整改", *AS_OF, cwd=ws)
        assert (r.code, r.err) == (2, "错误：--requirement 要和 --item、--deduction、--finding 一起用（序号为本次录入的第几条问题）；"
                                      "用 --from 记录表时请填“整改要求”列\n")
    assert snapshot(ws) == before


def test_interactive_asks_for_the_requirement(ws, run, monkeypatch) -> None:
    # inspectors, office, methods; category 1: one finding on 1.1 (no case; a requirement, first with a control
    # character: asked again); then no to everything; save
    answers = ["张三", "jiandu", "2", "是", "1.1", "未规范着装", "1", "", "按\x07规定", "按规定着装", "否", "否", *["否"] * 8, "是"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(answers) + "\n"))
    r = run("inspect", "record", "司法局", "--date", "2026-04-13", "--interactive", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    assert "  整改要求（没有直接回车）:" in r.out and "  整改要求含有控制字符 U+0007，请删除后重试\n" in r.out
    assert "  1. [1.1 文明执法] 扣 1 分：未规范着装\n     整改要求：按规定着装\n" in r.out  # 请核对
    assert "  requirement: 按规定着装\n" in (ws / INSPECTION).read_text(encoding="utf-8")


def _recorded(ws, run) -> Path:
    r = run(*RECORD, "--requirement", "1=立即开启执法记录仪", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    return ws / INSPECTION


def test_amend_sets_and_changes_requirements_keeping_comments(ws, run) -> None:
    path = _recorded(ws, run)
    path.write_text(path.read_text(encoding="utf-8").replace("- id: 2\n", "# 第 2 条是现场补充的\n- id: 2\n"), encoding="utf-8")
    r = run("inspect", "amend", "2026-04-13-sifaju", "--requirement", "2=按立卷规范重新装订", "--requirement", "1=全程开启执法记录仪",
            "--item", "1.1", "--deduction", "1", "--finding", "执法人员未规范着装", "--requirement", "3=按规定着装", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    assert r.err == ("已修改检查记录 2026-04-13-sifaju：增加第 3 条问题（1.1）；修改第 1 条问题的整改要求；填写第 2 条问题的整改要求；"
                     "填写第 3 条问题的整改要求（data/records/inspections/2026/2026-04-13-sifaju.yaml）\n")
    text = path.read_text(encoding="utf-8")
    assert "# 第 2 条是现场补充的\n- id: 2\n" in text
    r = run("inspect", "show", "2026-04-13-sifaju", cwd=ws)
    assert [ln for ln in r.out.splitlines() if ln.startswith("     整改要求")] == [
        "     整改要求：全程开启执法记录仪", "     整改要求：按立卷规范重新装订", "     整改要求：按规定着装"]
    # the same requirement again changes nothing, and says so
    before = snapshot(ws)
    r = run("inspect", "amend", "2026-04-13-sifaju", "--requirement", "2=按立卷规范重新装订", *AS_OF, cwd=ws)
    assert (r.code, r.err) == (2, "错误：没有要修改的内容：请用 --finding、--withdraw、--deduction、--requirement、--clear-requirement、--confirm、--drop 或 --note\n")
    assert snapshot(ws) == before
    assert run("check", cwd=ws).code == 0


AMEND_ERRORS = [
    (("--requirement", "3=按规范整改"),
     "错误：--requirement：检查记录 2026-04-13-sifaju 中没有第 3 条问题（新增的问题编号接在记录中最后一条之后；lufa inspect show 2026-04-13-sifaju 可查）\n"),
    (("--item", "1.1", "--deduction", "1", "--finding", "执法人员未规范着装", "--requirement", "4=按规定着装"),
     "错误：--requirement：检查记录 2026-04-13-sifaju 中没有第 4 条问题（新增的问题编号接在记录中最后一条之后；lufa inspect show 2026-04-13-sifaju 可查）\n"),
    (("--withdraw", "2", "--reason", "经复核不属实", "--requirement", "2=按规范整改"), "错误：--requirement：第 2 条问题已撤销，不能填写整改要求\n"),
    (("--requirement", "2=甲", "--requirement", "2=乙"), "错误：--requirement 第 2 条写了两次\n"),
    (("--requirement", "2="), "错误：--requirement 的值“2=”无效：请写成 序号=整改要求，如 --requirement 2=按立卷规范重新装订并编制目录\n"),
    # --clear-requirement
    (("--clear-requirement", "3"), "错误：--clear-requirement：检查记录 2026-04-13-sifaju 中没有第 3 条问题（lufa inspect show 2026-04-13-sifaju 可查）\n"),
    (("--clear-requirement", "2"), "错误：--clear-requirement：第 2 条问题没有整改要求，无需删去\n"),
    (("--clear-requirement", "1", "--clear-requirement", "1"), "错误：--clear-requirement 第 1 条写了两次\n"),
    (("--requirement", "1=按规范整改", "--clear-requirement", "1"),
     "错误：第 1 条问题的整改要求不能同时用 --requirement 填写、用 --clear-requirement 删去\n"),
    (("--clear-requirement", "1", "--item", "1.1", "--deduction", "1", "--finding", "执法人员未规范着装", "--clear-requirement", "3"),
     "错误：--clear-requirement：第 3 条问题没有整改要求，无需删去\n"),  # the finding added by the same command
    (("--clear-requirement", "x"), "错误：--clear-requirement 的值不是整数\n用 'lufa inspect amend --help' 查看帮助。\n"),
]


@pytest.mark.parametrize(("extra", "message"), AMEND_ERRORS)
def test_amend_bad_requirement_writes_nothing(ws, run, extra, message) -> None:
    _recorded(ws, run)
    before = snapshot(ws)
    r = run("inspect", "amend", "2026-04-13-sifaju", *extra, *AS_OF, cwd=ws)
    assert (r.code, r.err) == (2, message)
    assert snapshot(ws) == before


def test_amend_refuses_a_requirement_for_a_finding_withdrawn_before(ws, run) -> None:
    _recorded(ws, run)
    assert run("inspect", "amend", "2026-04-13-sifaju", "--withdraw", "1", "--reason", "经复核不属实", *AS_OF, cwd=ws).code == 0
    before = snapshot(ws)
    r = run("inspect", "amend", "2026-04-13-sifaju", "--requirement", "1=按规范整改", *AS_OF, cwd=ws)
    assert (r.code, r.err) == (2, "错误：--requirement：第 1 条问题已撤销，不能填写整改要求\n")
    assert snapshot(ws) == before


def test_amend_clears_a_requirement_keeping_comments(ws, run, monkeypatch) -> None:
    """--clear-requirement takes a requirement away (the key goes from the file, comments stay);
    a notice issued afterwards no longer prints it; a withdrawn finding's requirement can go too."""
    path = _recorded(ws, run)  # finding 1 has a requirement
    path.write_text(path.read_text(encoding="utf-8").replace("- id: 2\n", "# 第 2 条是现场补充的\n- id: 2\n"), encoding="utf-8")
    r = run("inspect", "amend", "2026-04-13-sifaju", "--clear-requirement", "1", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    assert r.err == "已修改检查记录 2026-04-13-sifaju：删去第 1 条问题的整改要求（data/records/inspections/2026/2026-04-13-sifaju.yaml）\n"
    text = path.read_text(encoding="utf-8")
    assert "requirement" not in text and "# 第 2 条是现场补充的\n- id: 2\n" in text
    assert "  summary: 删去第 1 条问题的整改要求\n" in text
    r = run("inspect", "show", "2026-04-13-sifaju", "--format", "json", cwd=ws)
    assert [f["requirement"] for f in json.loads(r.out)["findings"]] == ["", ""]
    assert run("check", cwd=ws).code == 0
    monkeypatch.setenv("LUFA_TODAY", "2026-12-30")
    r = run("notice", "issue", "--inspection", "2026-04-13-sifaju", "--date", "2026-11-30", cwd=ws)
    assert r.code == 0, r.text
    assert not any("立即开启执法记录仪" in p for p in paragraphs(ws / NOTICE_DOCX))
    # a requirement of a finding withdrawn since can be taken away
    assert run("inspect", "amend", "2026-04-13-sifaju", "--requirement", "2=按立卷规范重新装订", *AS_OF, cwd=ws).code == 0
    assert run("inspect", "amend", "2026-04-13-sifaju", "--withdraw", "2", "--reason", "经复核不属实", *AS_OF, cwd=ws).code == 0
    r = run("inspect", "amend", "2026-04-13-sifaju", "--clear-requirement", "2", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    assert "requirement" not in path.read_text(encoding="utf-8")





# --- the field form ----------------------------------------------------------------------------


def test_form_csv_with_requirements(ws, run) -> None:
    assert run("inspect", "form", "司法局", "--date", "2026-04-13", "-o", "f.csv", cwd=ws).code == 0
    rows = list(csv.reader(io.StringIO((ws / "f.csv").read_text(encoding="utf-8-sig"))))
    assert rows[8][9] == "整改要求" and all(len(r) == 10 for r in rows[9:])
    for row in rows:
        if row and row[0] == "3.3":
            row[4], row[5], row[9] = "2", "执法记录仪未全程开启", "立即开启执法记录仪"
        if row and row[0] == "5":
            row[4], row[5] = "1", "案卷未按规范立卷"
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    (ws / "f.csv").write_text(buf.getvalue(), encoding="utf-8-sig")
    r = run("inspect", "record", "--from", "f.csv", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    r = run("inspect", "show", "2026-04-13-sifaju", "--format", "json", cwd=ws)
    assert [(f["item"], f["requirement"]) for f in json.loads(r.out)["findings"]] == [("3.3", "立即开启执法记录仪"), ("5", "")]


def test_form_xlsx_with_requirements_and_a_requirement_without_finding(ws, run) -> None:
    from openpyxl import load_workbook

    assert run("inspect", "form", "司法局", "--date", "2026-04-13", "-o", "f.xlsx", cwd=ws).code == 0
    wb = load_workbook(ws / "f.xlsx")
    sh = wb.active
    assert sh["J9"].value == "整改要求"
    sh["E15"], sh["F15"], sh["J15"] = 2, "执法记录仪未全程开启", "立即开启\n执法记录仪"  # 3.3; a pasted line break
    sh["J16"] = "按规范整改"  # 4: a requirement and nothing else
    wb.save(ws / "f.xlsx")
    before = snapshot(ws)
    r = run("inspect", "record", "--from", "f.xlsx", *AS_OF, cwd=ws)
    assert (r.code, r.err) == (1, "f.xlsx:第16行:J列: 错误：填了整改要求，但没有填扣分和问题描述\n错误：记录表 f.xlsx 有误，未写入任何记录\n")
    assert snapshot(ws) == before
    sh["J16"] = None
    wb.save(ws / "f.xlsx")
    r = run("inspect", "record", "--from", "f.xlsx", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    r = run("inspect", "show", "2026-04-13-sifaju", cwd=ws)
    assert "     整改要求：立即开启执法记录仪\n" in r.out


def test_form_yaml_with_requirements(ws, run) -> None:
    assert run("inspect", "form", "司法局", "--date", "2026-04-13", "-o", "f.yaml", cwd=ws).code == 0
    text = (ws / "f.yaml").read_text(encoding="utf-8")
    assert "# requirement（整改要求，下达意见书时印在该条问题之后）；" in text
    blank = '- item: "3.3"\n    deduction:\n    description: ""\n    fixed_on_spot: false\n    requirement: ""'
    assert blank in text
    bad = text.replace(blank, '- item: "3.3"\n    deduction: 2\n    description: 执法记录仪未全程开启\n    fixed_on_spot: false\n    requirement: "  "')
    bad = bad.replace('- item: "5"\n    deduction:\n    description: ""\n    fixed_on_spot: false\n    requirement: ""',
                      '- item: "5"\n    deduction:\n    description: ""\n    fixed_on_spot: false\n    requirement: 按规范整改')
    (ws / "f.yaml").write_text(bad, encoding="utf-8")
    line = next(i for i, ln in enumerate(bad.splitlines(), 1) if ln == '    requirement: "  "')
    line5 = next(i for i, ln in enumerate(bad.splitlines(), 1) if ln == "    requirement: 按规范整改")
    before = snapshot(ws)
    r = run("inspect", "record", "--from", "f.yaml", *AS_OF, cwd=ws)
    assert r.code == 1
    caret = "       |                  ^\n"
    assert r.err == (f"f.yaml:{line5}:18: 错误：填了整改要求，但没有填扣分和问题描述\n    {line5} |     requirement: 按规范整改\n{caret}"
                     f"f.yaml:{line}:18: 错误：整改要求只有空白：没有整改要求请留空\n    {line} |     requirement: \"  \"\n{caret}"
                     "错误：记录表 f.yaml 有误，未写入任何记录\n")
    assert snapshot(ws) == before
    good = text.replace(blank, '- item: "3.3"\n    deduction: 2\n    description: 执法记录仪未全程开启\n    fixed_on_spot: false\n'
                               "    requirement: 立即开启执法记录仪")
    (ws / "f.yaml").write_text(good, encoding="utf-8")
    r = run("inspect", "record", "--from", "f.yaml", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    rec = (ws / INSPECTION).read_text(encoding="utf-8")
    assert "  requirement: 立即开启执法记录仪\n" in rec


def test_prefill_into_form_has_the_column(ws, run) -> None:
    r = run("inspect", "prefill", "司法局", "--date", "2026-11-20", "--into", "现场.csv", cwd=ws)
    assert r.code == 0, r.text
    rows = list(csv.reader(io.StringIO((ws / "现场.csv").read_text(encoding="utf-8-sig"))))
    assert rows[8][-1] == "整改要求" and all(len(r) == 10 for r in rows[9:])


def test_issue_all_prints_each_records_requirements(ws, run, monkeypatch) -> None:
    monkeypatch.setenv("LUFA_TODAY", "2026-12-30")
    assert run(*RECORD, "--requirement", "2=按立卷规范重新装订", *AS_OF, cwd=ws).code == 0
    r = run("inspect", "record", "张良镇", "--date", "2026-03-03", "--item", "1.1", "--deduction", "1", "--finding", "执法人员未规范着装",
            "--requirement", "1=按规定着装", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    r = run("notice", "issue", "--all", "--since", "2026-01-01", "--date", "2026-06-01", "--dry-run", cwd=ws)
    assert r.code == 0, r.text
    assert "\n一是执法人员未规范着装。整改要求：按规定着装。\n" in r.out
    assert "\n一是执法记录仪未全程开启。\n二是案卷未按规范立卷。整改要求：按立卷规范重新装订。\n" in r.out


def test_check_refuses_a_blank_requirement_written_by_hand(ws, run) -> None:
    path = _recorded(ws, run)
    path.write_text(path.read_text(encoding="utf-8").replace("  requirement: 立即开启执法记录仪\n", "  requirement: '  '\n"), encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("  requirement: '  '") + 1
    r = run("check", cwd=ws)
    assert r.code == 1
    assert f"data/records/inspections/2026/2026-04-13-sifaju.yaml:{line}:16: 错误：整改要求只有空白：没有整改要求请留空\n" in r.err
