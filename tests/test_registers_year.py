"""Issue 10's "done when": one test year exercises every register from sheet import (.xlsx and .csv)
to the proposed findings of each unit, their confirmation in the inspection record, the score,
`lufa status` and the year-end circular's figures."""

from __future__ import annotations

import csv
from pathlib import Path

from conftest import snapshot

D = ("--as-of", "2026-11-20")

# (kind, format, sheet): every register is imported from both an .xlsx and a .csv sheet
SHEETS = [
    ("penalty", "xlsx", """单位,案号,决定日期,收到日期,备案材料,审查结果,审查日期,审查人
司法局,鲁司罚〔2026〕1号,2026-03-02,2026-03-17,备案报告、决定书复印件、备案表,合法适当,2026-03-20,张三
司法局,鲁司罚〔2026〕2号,2026-03-02,2026-03-18,备案报告、决定书复印件、备案表,,,
森林公安局,鲁森公罚〔2026〕3号,2026-07-01,2026-07-10,备案报告、决定书复印件、备案表,存在问题,2026-07-20,李四
森林公安局,鲁森公罚〔2026〕4号,2026-10-30,,,,,
"""),
    ("penalty", "csv", """单位,案号,决定日期,收到日期,备案材料
张良镇,张政罚〔2026〕5号,2026-09-01,2026-09-10,备案报告
"""),
    ("normative", "csv", """单位,文号,文件名称,印发日期,报送日期,审查结果,审查日期
司法局,鲁司〔2026〕3号,关于甲的规定,2026-02-10,2026-03-20,,
森林公安局,鲁森公〔2026〕1号,关于乙的规定,2026-06-01,2026-06-20,合法适当,2026-06-30
"""),
    ("normative", "xlsx", """单位,文号,文件名称,印发日期
张良镇,张政〔2026〕8号,关于丙的办法,2026-08-03
"""),
    ("training", "xlsx", """单位,年度,培训计划,培训日期,学时,培训内容,考试日期,考试形式,试卷归档
司法局,2026,鲁司〔2026〕1号,2026-03-05,8,行政处罚法,,,
司法局,2026,,2026-06-10,6,行政许可法,2026-11-10,单选、判断,否
"""),
    ("training", "csv", """单位,年度,培训计划,培训日期,学时,考试日期,考试形式,试卷归档
森林公安局,2026,鲁森公〔2026〕2号,2026-03-12,8,,,
森林公安局,2026,,2026-06-18,8,,,
森林公安局,2026,,2026-09-24,6,2026-11-05,单选、论述,是
"""),
    ("staff", "csv", """单位,姓名,执法证号,发证日期,有效期至,审验日期,状态,离岗日期,注销日期
司法局,张三,41042300001,2024-05-01,2029-04-30,2025-05-01,在岗,,
司法局,李四,41042300002,2020-05-01,2025-04-30,,在岗,,
司法局,王五,41042300003,2022-05-01,2027-04-30,2025-06-01,离岗,2026-06-30,
"""),
    ("staff", "xlsx", """单位,姓名,执法证号,发证日期,有效期至,审验日期,状态,离岗日期,注销日期,遗失日期,公告日期,公告媒体
森林公安局,赵六,41042300011,2024-05-01,2029-04-30,2025-05-01、2026-04-20,在岗,,,2026-03-01,2026-03-20,鲁山县人民政府网站
森林公安局,钱七,41042300012,2024-05-01,2029-04-30,2025-05-01,离岗,2026-05-01,2026-05-20,,,
张良镇,孙九,41042300021,2024-06-01,2029-05-31,2025-06-01、2026-05-20,在岗,,,2026-09-01,,
"""),
]


def _write(ws: Path, name: str, fmt: str, text: str) -> Path:
    path = ws / f"{name}.{fmt}"
    if fmt == "csv":
        path.write_text(text, encoding="utf-8")
        return path
    from openpyxl import Workbook

    wb = Workbook()
    for row in csv.reader(text.splitlines()):
        wb.active.append(row)
    wb.save(path)
    return path


def _prefill(run, ws: Path, unit: str) -> list[str]:
    r = run("inspect", "prefill", unit, "--date", "2026-11-20", "--format", "csv", cwd=ws)
    assert r.code == 0, r.text
    return r.out.splitlines()[1:]


def test_a_year_of_registers(ws, run) -> None:
    for n, (kind, fmt, text) in enumerate(SHEETS):
        r = run("register", kind, "record", "--from", _write(ws, f"{kind}-{n}", fmt, text), *D, cwd=ws)
        assert r.code == 0, r.text
        if kind == "staff" and fmt == "xlsx":  # the lost certificate with no announcement is named at once
            assert "警告：孙九的证件于 2026-09-01 遗失，尚未登记遗失公告；公告后请运行 lufa register staff amend zhangliang-zhen-001" in r.err
            assert "赵六的证件" not in r.err
    r = run("check", cwd=ws)
    assert r.code == 0, r.text
    assert "registers/staff/zhangliang-zhen-001.yaml:10:7: 警告：证件于 2026-09-01 遗失，尚未登记遗失公告" in r.err
    assert "记录：检查 0 份、自查 0 份、登记簿 16 条" in r.out

    # the proposed findings of each unit, with their evidence
    assert _prefill(run, ws, "司法局") == [
        "1.2,在编在岗,执法人员,sifaju-001,张三（执法证 41042300001）证件未按期年度审验：上次审验 2025-05-01，应于 2026-05-01 前审验",
        "1.2,在编在岗,执法人员,sifaju-002,李四（执法证 41042300002）在岗，证件已于 2025-04-30 过期",
        "1.2,在编在岗,执法人员,sifaju-003,王五（执法证 41042300003）已于 2026-06-30 离岗，证件未交回注销（应于 2026-07-30 前注销）",
        "2,培训考核,培训考核,sifaju-2026,截至 2026-11-20 2026 年度培训 2 次共 14 学时，少于全年 20 学时",
        "2,培训考核,培训考核,sifaju-2026,2026-11-10 的考试试卷未归档",
        "4,重大行政处罚备案,重大行政处罚备案,sifaju-2026-002,重大行政处罚 鲁司罚〔2026〕2号（2026-03-02 作出决定）2026-03-18 才报送备案，超过备案期限 2026-03-17 1 天",
        "6,规范性文件备案,规范性文件备案,sifaju-2026-001,规范性文件 鲁司〔2026〕3号《关于甲的规定》（2026-02-10 印发）2026-03-20 才报送备案，超过备案期限 2026-03-12 8 天",
    ]
    # day 15 after 2026-10-30 is Saturday 11-14: the deadline rolls to Monday 11-16
    assert _prefill(run, ws, "森林公安局") == [
        "4,重大行政处罚备案,重大行政处罚备案,senlin-gonganju-2026-002,重大行政处罚 鲁森公罚〔2026〕4号（2026-10-30 作出决定）未报县司法局备案，备案期限 2026-11-16 已过 4 天",
    ]
    # day 30 after 2026-09-01 is 10-01, in the National Day holiday (10-01 to 10-07): the deadline rolls to 10-08
    assert _prefill(run, ws, "张良镇") == [
        "1.2,在编在岗,执法人员,zhangliang-zhen-001,孙九（执法证 41042300021）证件于 2026-09-01 遗失，未公告作废（应于 2026-10-08 前公告）",
        "2,培训考核,培训考核,,登记簿中没有 2026 年度的培训计划和培训记录",
        "4,重大行政处罚备案,重大行政处罚备案,zhangliang-zhen-2026-001,重大行政处罚 张政罚〔2026〕5号（2026-09-01 作出决定）备案材料不全：缺决定书复印件、备案表",
        "6,规范性文件备案,规范性文件备案,zhangliang-zhen-2026-001,规范性文件 张政〔2026〕8号《关于丙的办法》（2026-08-03 印发）未报送备案，备案期限 2026-09-02 已过 79 天",
    ]

    # into the inspection record: proposed, not scored, until confirmed
    r = run("inspect", "record", "张良镇", "--date", "2026-11-20", "--office", "jiandu", "--ack-out-of-plan", *D, cwd=ws)
    assert r.code == 0, r.text
    score = lambda: [x for x in run("score", "report", "--year", "2026", *D, "--format", "csv", cwd=ws).out.splitlines() if "zhangliang-zhen" in x]  # noqa: E731
    unscored = score()
    r = run("inspect", "prefill", "张良镇", "--record", "2026-11-20-zhangliang-zhen", *D, cwd=ws)
    assert r.code == 0, r.text
    assert "写入登记簿拟定问题 4 条（第 1—4 条，登记簿截至 2026-11-20）" in r.err
    assert score() == unscored
    r = run("inspect", "amend", "2026-11-20-zhangliang-zhen", "--confirm", "2=2", "--confirm", "4=1", "--drop", "1", "--drop", "3",
            "--reason", "经现场核实已补正", *D, cwd=ws)
    assert r.code == 0, r.text
    r = run("inspect", "show", "2026-11-20-zhangliang-zhen", "--format", "json", cwd=ws)
    import json

    rec = json.loads(r.out)
    assert [(f["item"], f["deduction"]) for f in rec["findings"]] == [("2", 2.0), ("6", 1.0)]
    assert [f["description"] for f in rec["findings"]] == ["【登记簿】登记簿中没有 2026 年度的培训计划和培训记录",
                                                          "【登记簿】规范性文件 张政〔2026〕8号《关于丙的办法》（2026-08-03 印发）未报送备案，备案期限 2026-09-02 已过 79 天"]
    assert score() != unscored

    # the bureau's own backlog and the year's figures
    r = run("register", "overdue", *D, "--format", "csv", cwd=ws)
    assert r.out.splitlines() == [
        "编号,登记簿,单位,案号/文号,收到日期,审查期限,逾期天数",
        "sifaju-2026-002,重大行政处罚备案,鲁山县司法局,鲁司罚〔2026〕2号,2026-03-18,2026-04-02,232",
        "sifaju-2026-001,规范性文件备案,鲁山县司法局,鲁司〔2026〕3号,2026-03-20,2026-04-07,227",
        "zhangliang-zhen-2026-001,重大行政处罚备案,鲁山县张良镇人民政府,张政罚〔2026〕5号,2026-09-10,2026-09-28,53",  # 09-25 is 中秋节
    ]
    r = run("status", *D, cwd=ws)
    assert "重大行政处罚备案：已收到 4 件（按时 3、逾期 1），逾期未报 1 件；已审查 2 件，逾期未审查 2 件" in r.out
    assert "规范性文件备案：已收到 2 件（按时 1、逾期 1），逾期未报 1 件；已审查 1 件，逾期未审查 1 件" in r.out
    assert "培训考核：已登记 2 个单位，不足 20 学时 1 个，未考试 0 个" in r.out
    assert "本局逾期未审查的备案 3 件：lufa register overdue --as-of 2026-11-20" in r.out
    r = run("status", *D, "--format", "json", cwd=ws)
    figures = json.loads(r.out)["registers"]["figures"]
    assert figures["training"]["units"] == [
        {"unit": "鲁山县司法局", "hours": 14.0, "enough": False, "exam": True},
        {"unit": "鲁山县森林公安局", "hours": 22.0, "enough": True, "exam": True},
    ]
    from docx import Document

    before = snapshot(ws / "data")
    r = run("report", "circular", "--year", "2026", "--date", "2026-12-31", "-o", "通报.docx", cwd=ws)
    assert r.code == 0, r.text
    text = [p.text for p in Document(str(ws / "通报.docx")).paragraphs]
    assert "重大行政处罚备案方面，共收到4件，其中按时报送3件、逾期报送1件，另有1件逾期未报；县司法局已审查2件。" in text
    assert "规范性文件备案方面，共收到2件，其中按时报送1件、逾期报送1件，另有1件逾期未报；县司法局已审查1件。" in text
    assert "培训考核方面，登记培训考核的2个单位中，全年培训不足20学时的1个（鲁山县司法局），均组织了考试。" in text
    assert snapshot(ws / "data") == before
