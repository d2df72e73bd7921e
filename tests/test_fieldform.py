"""Field forms: `inspect form` writes a blank sheet, `inspect record --from` reads it back
(.xlsx, .csv, .yaml); self-inspection receipts from a sheet (`selfcheck record --from`)."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import snapshot

AS_OF = ("--as-of", "2026-11-28")

EXPECTED_SHOW = """\
2026-04-13-sifaju  鲁山县司法局  2026-04-13  日常监督
检查人员：张三、李四；科室：行政执法协调监督室；检查方式：查阅资料、调阅案卷
  1. [1.1 文明执法] 扣 1 分：执法人员未规范着装
  2. [3.3 执法全过程记录制度] 扣 0.5 分：执法记录仪未全程开启（案卷：某公司违法案鲁司罚决字〔2026〕第3号）  已立行立改
"""


def _fill_xlsx(path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    sh = wb.active
    rows = {sh.cell(r, 1).value: r for r in range(10, sh.max_row + 1)}
    sh["B4"], sh["B5"], sh["B6"] = "张三、李四", "监督室", "查阅资料、调阅案卷"
    sh.cell(rows["1.1"], 5).value = 1
    sh.cell(rows["1.1"], 6).value = "执法人员未规范着装"
    r = rows["3.3"]
    sh.cell(r, 5).value, sh.cell(r, 6).value, sh.cell(r, 7).value, sh.cell(r, 8).value, sh.cell(r, 9).value = (
        0.5, "执法记录仪未全程开启", "鲁司罚决字〔2026〕第3号", "某公司违法案", "是")
    wb.save(path)


def _fill_csv(path) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    rows[3][1], rows[4][1], rows[5][1] = "张三、李四", "监督室", "查阅资料、调阅案卷"
    for row in rows:
        if row and row[0] == "1.1":
            row[4], row[5] = "1", "执法人员未规范着装"
        if row and row[0] == "3.3":
            row[4:9] = ["0.5", "执法记录仪未全程开启", "鲁司罚决字〔2026〕第3号", "某公司违法案", "是"]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig")


def _fill_yaml(path) -> None:
    text = path.read_text(encoding="utf-8")
    text = text.replace("inspectors: []", "inspectors: [张三, 李四]").replace("office:  #", "office: 监督室  #")
    text = text.replace("methods: []", "methods: [查阅资料, 调阅案卷]")
    text = text.replace('- item: "1.1"\n    deduction:\n    description: ""', '- item: "1.1"\n    deduction: 1\n    description: 执法人员未规范着装')
    text = text.replace(
        '- item: "3.3"\n    deduction:\n    description: ""\n    fixed_on_spot: false',
        '- item: "3.3"\n    deduction: 0.5\n    description: 执法记录仪未全程开启\n    case: 鲁司罚决字〔2026〕第3号\n'
        "    case_name: 某公司违法案\n    fixed_on_spot: true",
    )
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(("suffix", "fill"), [(".xlsx", _fill_xlsx), (".csv", _fill_csv), (".yaml", _fill_yaml)])
def test_form_round_trip(ws, run, suffix, fill) -> None:
    name = f"现场记录{suffix}"
    r = run("inspect", "form", "司法局", "--date", "2026-04-13", "-o", name, cwd=ws)
    assert r.code == 0, r.text
    assert r.err == f"已写入 {name}\n共 12 个检查项目；填好后运行：lufa inspect record --from {name}\n"
    fill(ws / name)
    r = run("inspect", "record", "--from", name, *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    assert "已写入检查记录 2026-04-13-sifaju（2 条问题）" in r.err
    r = run("inspect", "show", "2026-04-13-sifaju", cwd=ws)
    assert r.out == EXPECTED_SHOW


def test_blank_form_is_an_inspection_without_findings(ws, run) -> None:
    assert run("inspect", "form", "张良镇", "--date", "2026-03-03", "-o", "f.csv", cwd=ws).code == 0
    r = run("inspect", "record", "--from", "f.csv", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    assert "已写入检查记录 2026-03-03-zhangliang-zhen（0 条问题）" in r.err


def test_form_lists_every_item_with_checkpoints(ws, run) -> None:
    assert run("inspect", "form", "-o", "f.csv", cwd=ws).code == 0
    rows = list(csv.reader(io.StringIO((ws / "f.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["受检单位", "", "编号、全称或简称"]
    assert rows[8] == ["项目", "检查内容", "分值", "检查要点", "扣分", "问题描述", "案卷文号", "案件名称", "立行立改", "整改要求"]
    assert [r[0] for r in rows[9:]] == ["1.1", "1.2", "2", "3.1", "3.2", "3.3", "4", "5", "6", "7", "8", "9"]
    assert rows[9][1:3] == ["人员素质：文明执法", "5"] and rows[9][3].startswith("制定有《×××（单位）行政执法规范用语》；")
    assert (ws / "f.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_form_refuses_unknown_suffix_and_existing_file(ws, run) -> None:
    r = run("inspect", "form", "-o", "f.docx", cwd=ws)
    assert r.code == 2 and "错误：-o 的文件“f.docx”应以 .xlsx、.csv 或 .yaml 结尾" in r.err
    (ws / "f.csv").write_text("旧内容", encoding="utf-8")
    r = run("inspect", "form", "-o", "f.csv", cwd=ws)
    assert r.code == 3 and (ws / "f.csv").read_text(encoding="utf-8") == "旧内容"


def _bad_xlsx(ws, run):
    from openpyxl import load_workbook

    assert run("inspect", "form", "司法局", "--date", "2026-04-13", "-o", "f.xlsx", cwd=ws).code == 0
    wb = load_workbook(ws / "f.xlsx")
    sh = wb.active
    sh["F10"] = "只写了问题"  # 1.1: no deduction
    sh["E11"] = 1  # 1.2: no finding
    sh["G12"] = "鲁司罚〔2026〕1号"  # 2: a case but nothing else
    sh["E13"], sh["F13"] = "两分", "扣分不是数字"  # 3.1
    sh["E14"], sh["F14"], sh["I14"] = 1, "立行立改写错", "可能"  # 3.2
    sh["E15"], sh["F15"] = 11, "超过分值"  # 3.3
    wb.save(ws / "f.xlsx")


def test_bad_xlsx_lists_every_cell_and_writes_nothing(ws, run) -> None:
    _bad_xlsx(ws, run)
    before = snapshot(ws)
    r = run("inspect", "record", "--from", "f.xlsx", *AS_OF, cwd=ws)
    assert r.code == 1
    assert r.err == (
        "f.xlsx:第10行:E列: 错误：写了问题描述但没有填扣分（不扣分请填 0）\n"
        "f.xlsx:第11行:F列: 错误：填了扣分但没有写问题描述\n"
        "f.xlsx:第12行:G列: 错误：填了案卷或立行立改，但没有填扣分和问题描述\n"
        "f.xlsx:第13行:E列: 错误：扣分“两分”不是数字\n"
        "f.xlsx:第14行:I列: 错误：立行立改应填“是”或“否”，实际是“可能”\n"
        "f.xlsx:第15行:E列: 错误：扣分 11 超过检查项目 3.3 执法全过程记录制度 的分值 10 分\n"
        "错误：记录表 f.xlsx 有误，未写入任何记录\n"
    )
    assert snapshot(ws) == before


def test_formula_without_a_computed_result_is_refused(ws, run) -> None:
    """A workbook written by a program holds formulas without their results: each such cell is
    named, never read as empty. (A formula Excel or WPS has computed is read as its result.)"""
    from openpyxl import load_workbook

    assert run("inspect", "form", "财政局", "--date", "2026-04-13", "-o", "f.xlsx", cwd=ws).code == 0
    wb = load_workbook(ws / "f.xlsx")
    sh = wb.active
    sh["E10"], sh["F10"] = 1, "问题"
    sh["G10"] = '=CONCAT("鲁财罚决字","〔2026〕第1号")'
    sh["I10"] = '=IF(1,"是","否")'
    wb.save(ws / "f.xlsx")
    before = snapshot(ws)
    r = run("inspect", "record", "--from", "f.xlsx", *AS_OF, cwd=ws)
    assert r.code == 1
    why = ("错误：单元格是公式，但文件里没有它的计算结果（由程序生成、没有在 Excel/WPS 中打开保存过），或结果是空白；"
           "请把公式换成它的结果（复制后“选择性粘贴—数值”），或在 Excel/WPS 中打开后保存一次\n")
    assert r.err == f"f.xlsx:第10行:G列: {why}f.xlsx:第10行:I列: {why}错误：记录表 f.xlsx 有误，未写入任何记录\n", r.err
    assert snapshot(ws) == before


def test_xlsx_header_errors(ws, run) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    sh = wb.active
    sh.append(["受检单位", "不存在的单位"])
    sh.append(["检查日期", "2026/4/13"])
    sh.append(["检查组长", "张三"])
    sh.append([])
    sh.append(["项目", "扣分", "问题描述", "备忘"])
    wb.create_sheet("草稿")["A1"] = "另记的问题"
    wb.save(ws / "a.xlsx")
    r = run("inspect", "record", "--from", "a.xlsx", *AS_OF, cwd=ws)
    assert r.code == 1
    assert "a.xlsx: 错误：只读第一个工作表“Sheet”，但工作表“草稿”也有内容；请删去或移到别的文件，以免漏录" in r.err
    del wb["草稿"]
    wb.save(ws / "a.xlsx")
    r = run("inspect", "record", "--from", "a.xlsx", *AS_OF, cwd=ws)
    assert r.code == 1
    assert "a.xlsx:第2行:B列: 错误：日期“2026/4/13”无效，请写成 YYYY-MM-DD，如 2026-04-13" in r.err
    assert "a.xlsx:第3行:A列: 错误：未知的栏目“检查组长”" in r.err
    assert "a.xlsx:第5行:D列: 错误：第 4 列：未知的列“备忘”" in r.err


def test_not_an_xlsx(ws, run) -> None:
    (ws / "x.xlsx").write_text("项目,扣分\n", encoding="utf-8")
    r = run("inspect", "record", "司法局", "--from", "x.xlsx", *AS_OF, cwd=ws)
    assert r.code == 1
    assert "x.xlsx: 错误：不是有效的 Excel 工作簿（.xlsx）：BadZipFile；WPS 请“另存为 Excel 工作簿（*.xlsx）”" in r.err


def test_unit_from_form_must_match_the_command_line(ws, run) -> None:
    assert run("inspect", "form", "司法局", "--date", "2026-04-13", "-o", "f.csv", cwd=ws).code == 0
    r = run("inspect", "record", "张良镇", "--from", "f.csv", *AS_OF, cwd=ws)
    assert r.code == 1 and "f.csv:1:6: 错误：记录表中的单位“鲁山县司法局”与命令行的“张良镇”不一致" in r.err
    assert run("inspect", "form", "-o", "g.csv", cwd=ws).code == 0
    r = run("inspect", "record", "--from", "g.csv", *AS_OF, cwd=ws)
    assert r.code == 1 and "g.csv:1:6: 错误：记录表没有填受检单位，命令行也没有写单位" in r.err


def test_help_lists_the_columns(run) -> None:
    for cmd in (("inspect", "form"), ("inspect", "record")):
        r = run(*cmd, "--help")
        text = "".join(r.out.split())
        assert "项目（必填）、扣分（必填，不扣分填0）、问题描述（必填）、处数（可选，默认1）、案卷文号、案件名称、立行立改（是/否）" in text, cmd


RECEIPTS = "单位,收到日期,自查材料,备注\n司法局,2026-03-20,鲁司〔2026〕5号,\n张良镇,2026-04-02,,电话催报后补交\n\n"


def test_selfcheck_receipts_from_csv(ws, run) -> None:
    (ws / "r.csv").write_text(RECEIPTS, encoding="utf-8-sig")
    r = run("selfcheck", "record", "--from", "r.csv", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    assert r.err == (
        "已登记 鲁山县司法局 2026 年自查材料，收到日期 2026-03-20：data/records/selfchecks/2026/sifaju.yaml\n"
        "已登记 鲁山县张良镇人民政府 2026 年自查材料，收到日期 2026-04-02（已超过 3 月 31 日）："
        "data/records/selfchecks/2026/zhangliang-zhen.yaml\n"
        "共登记 2 个单位。\n"
    )
    assert "document: 鲁司〔2026〕5号" in (ws / "data/records/selfchecks/2026/sifaju.yaml").read_text(encoding="utf-8")
    r = run("selfcheck", "missing", "--as-of", "2026-04-05", "--format", "json", cwd=ws)
    assert "sifaju" not in r.out and "zhangliang-zhen" not in r.out


def test_selfcheck_receipts_from_xlsx(ws, run) -> None:
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    sh = wb.active
    sh.append(["单位", "收到日期", "自查材料"])
    sh.append(["司法局", dt.datetime(2026, 3, 20), "自查报告"])  # Excel turns a typed date into a date cell
    wb.save(ws / "r.xlsx")
    r = run("selfcheck", "record", "--from", "r.xlsx", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    assert "已登记 鲁山县司法局 2026 年自查材料，收到日期 2026-03-20" in r.err


def test_selfcheck_receipts_all_or_nothing(ws, run) -> None:
    bad = RECEIPTS + "不存在局,2026-03-01,,\n司法局,2026/3/1,,\n发展和改革委员会,2026-12-01,,\n司法局,2026-03-02,,\n,2026-03-02,,\n"
    (ws / "r.csv").write_text(bad, encoding="utf-8")
    before = snapshot(ws)
    r = run("selfcheck", "record", "--from", "r.csv", *AS_OF, cwd=ws)
    assert r.code == 1
    lines = [line for line in r.err.splitlines() if "错误：" in line]
    assert lines == [
        "r.csv:5:1: 错误：名册中没有“不存在局”这个单位（lufa units 可列出全部单位）",
        "r.csv:6:5: 错误：日期“2026/3/1”无效，请写成 YYYY-MM-DD，如 2026-04-13",
        "r.csv:7:1: 错误：收到日期 2026-12-01 晚于今天（2026-11-28）",
        "r.csv:8:1: 错误：鲁山县司法局在第 2 行已登记过 2026 年的自查材料",
        "r.csv:9:1: 错误：没有填单位",
        "错误：表格 r.csv 有误，未登记任何单位",
    ]
    assert snapshot(ws) == before
    (ws / "r.csv").write_text(RECEIPTS, encoding="utf-8")
    assert run("selfcheck", "record", "--from", "r.csv", *AS_OF, cwd=ws).code == 0
    before = snapshot(ws)
    r = run("selfcheck", "record", "--from", "r.csv", *AS_OF, cwd=ws)
    assert r.code == 1 and "r.csv:2:1: 错误：鲁山县司法局 2026 年的自查材料已登记（--force 可覆盖）" in r.err
    assert snapshot(ws) == before
    assert run("selfcheck", "record", "--from", "r.csv", "--force", *AS_OF, cwd=ws).code == 0


def test_selfcheck_receipts_bad_header(ws, run) -> None:
    (ws / "r.csv").write_text("单位,日子\n司法局,2026-03-01\n", encoding="utf-8")
    r = run("selfcheck", "record", "--from", "r.csv", *AS_OF, cwd=ws)
    assert r.code == 1
    assert "r.csv:1:4: 错误：第 2 列：未知的列“日子”；可用的列：单位、收到日期、自查材料、备注" in r.err
    assert "r.csv:1:1: 错误：缺少列“收到日期”" in r.err


def test_xlsx_limits(ws, run) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    sh = wb.active
    sh.append(["项目", "扣分", "问题描述"])
    sh.cell(2, 70).value = "远处的一格"
    wb.save(ws / "wide.xlsx")
    r = run("inspect", "record", "司法局", "--from", "wide.xlsx", *AS_OF, cwd=ws)
    assert r.code == 1 and "wide.xlsx:第1行:BM列: 错误：表格有 70 列（上限 64 列）；请删去右边多余的列后另存" in r.err
    wb = Workbook()
    sh = wb.active
    sh.append(["项目", "扣分", "问题描述"])
    sh.cell(5002, 1).value = "1.1"
    wb.save(ws / "long.xlsx")
    r = run("inspect", "record", "司法局", "--from", "long.xlsx", *AS_OF, cwd=ws)
    assert r.code == 1 and "long.xlsx:第5001行:A列: 错误：行数过多：表格有 5002 行（上限 5000 行）；请删去下面多余的行后另存" in r.err
    assert not (ws / "data" / "records").exists()


@pytest.mark.parametrize(("raw", "expect"), [
    # old Mac line ends (CR alone): read as lines, not refused in the csv module's English
    (b"\xe9\xa1\xb9\xe7\x9b\xae,\xe6\x89\xa3\xe5\x88\x86,\xe9\x97\xae\xe9\xa2\x98\r1.1,1,\xe9\x97\xae\xe9\xa2\x98\xe4\xb8\x80\r", None),
    ("项目,扣分,问题\n\"1.1,1,问题一\n".encode(),
     "c.csv:2:1: 错误：引号没有成对：这一格以引号开始，但直到文件末尾都没有结尾的引号；请补上引号或删去它\n"),
    ("项目,扣分,问题\n\"1.1\"x,1,问题一\n".encode(),
     "c.csv:2:1: 错误：引号用法有误：用引号括起的一格，结尾的引号后面应紧跟逗号或换行（格内的引号要写成两个：\"\"）\n"),
    ("项目,扣分,问题\n\n\"1.1\n\",1\n".encode(),  # the row starts on line 3, its cell holds a line break
     "c.csv:3:5: 错误：第 3 行只有 2 个单元格，少于表头的 3 列（第 3 列“问题”起没有值）；空的单元格也要保留逗号\n"),
])
def test_csv_line_ends_and_quotes(ws, run, raw, expect) -> None:
    (ws / "c.csv").write_bytes(raw)
    before = snapshot(ws)
    r = run("inspect", "record", "财政局", "--date", "2026-09-21", "--from", "c.csv", *AS_OF, cwd=ws)
    if expect is None:
        assert r.code == 0 and "已写入检查记录 2026-09-21-caizhengju（1 条问题）" in r.err, r.text
        return
    assert r.code == 1 and r.err.startswith(expect) and r.err.endswith("错误：记录表 c.csv 有误，未写入任何记录\n"), r.err
    assert "Error" not in r.err and "expected" not in r.err
    assert snapshot(ws) == before
