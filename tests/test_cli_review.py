"""Scoring rules (per occurrence, ranges, bonus, veto, weights) and case-file review (lufa review)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import snapshot

AS_OF = ("--as-of", "2026-12-20")

RULE_EDITS = [
    ("        name: 文明执法\n        points: 5\n", "        name: 文明执法\n        points: 5\n        per_occurrence: 1\n"),
    ("        name: 重大执法决定法制审核制度\n        points: 10\n",
     "        name: 重大执法决定法制审核制度\n        points: 10\n        range: {min: 2, max: 6}\n"),
]
RULE_TAIL = """  - "no": 10
    name: 一票否决事项
    office: jiandu
    items:
      - id: "10"
        name: 拒不配合监督检查
        points: 0
        veto: true
  - "no": 11
    name: 加分项
    office: jiandu
    bonus: true
    items:
      - id: "11.1"
        name: 法治建设创新工作
        points: 3
      - id: "11.2"
        name: 获上级表彰
        points: 4
bonus_cap: 5
"""
WEIGHTS = """weights:
  - {name: 日常, kinds: [日常监督, 年中抽查], weight: 20}
  - {name: 年终, kinds: [年终总结], weight: 80}
"""


@pytest.fixture
def rules(ws: Path) -> Path:
    """The workspace with a per-occurrence item, a range, a veto item and two bonus items (cap 5)."""
    path = ws / "data" / "checklist.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in RULE_EDITS:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text + RULE_TAIL, encoding="utf-8")
    return ws


def ok(r):
    assert r.code == 0, r.text
    return r


def _year(run, ws: Path) -> None:
    """A test year: 司法局 with counts, a range, bonus over the cap and a failed case file; 张良镇 vetoed."""
    ok(run("inspect", "record", "司法局", "--date", "2026-04-13", "--item", "1.1", "--deduction", "1", "--count", "3",
           "--finding", "执法人员未着制式服装", *AS_OF, cwd=ws))
    ok(run("inspect", "amend", "2026-04-13-sifaju", "--item", "11.1", "--deduction", "3", "--finding", "推行说理式执法", *AS_OF, cwd=ws))
    ok(run("inspect", "record", "司法局", "--date", "2026-12-01", "--kind", "年终总结", "--item", "3.2", "--deduction", "4",
           "--finding", "法制审核记录不全", *AS_OF, cwd=ws))
    ok(run("inspect", "amend", "2026-12-01-sifaju", "--item", "11.2", "--deduction", "4", "--finding", "获省级表彰", *AS_OF, cwd=ws))
    ok(run("inspect", "record", "张良镇", "--date", "2026-03-03", "--item", "10", "--deduction", "0", "--finding", "拒不提供案卷", *AS_OF, cwd=ws))
    ok(run("review", "record", "司法局", "--case", "鲁司罚决字〔2026〕第3号", "--case-name", "某某无证经营案", "--reviewer", "张三",
           "--date", "2026-11-20", "--defect", "1.3：违法事实无证据证明", *AS_OF, cwd=ws))
    ok(run("review", "record", "司法局", "--case", "鲁司罚决字〔2026〕第5号", "--case-name", "某某违规执业案", "--reviewer", "张三",
           "--reviewer", "李四", "--date", "2026-11-21", "--defect", "2.3×2", *AS_OF, cwd=ws))


def test_review_record_list_show_summary(ws, run) -> None:
    r = ok(run("review", "record", "市场监督管理局", "--case", "鲁市监罚决字〔2026〕第12号", "--case-name", "某某超市销售过期食品案",
               "--reviewer", "张三", "--date", "2026-11-20", "--defect", "2.3×4", "--defect", "3.2=8：询问笔录未签名", *AS_OF, cwd=ws))
    assert r.err.strip() == "已写入评查记录 2026-R001（鲁市监罚决字〔2026〕第12号，90 分，优秀卷）：data/records/reviews/2026/2026-R001.yaml"
    text = (ws / "data/records/reviews/2026/2026-R001.yaml").read_text(encoding="utf-8")
    assert text == (
        "# 案卷评查记录（lufa review record 生成；可手工修改，改后请运行 lufa check）\n"
        "id: 2026-R001\nunit: shijianju\ndate: 2026-11-20\ncase: 鲁市监罚决字〔2026〕第12号\ncase_name: 某某超市销售过期食品案\n"
        "reviewers:\n- 张三\nfindings:\n- id: 1\n  item: '2.3'\n  count: 4\n  deduction: 0.5\n"
        "- id: 2\n  item: '3.2'\n  deduction: 8\n  description: 询问笔录未签名\nnote: ''\n"
    )
    r = ok(run("review", "record", "司法局", "--case", "鲁司罚决字〔2026〕第3号", "--case-name", "某某无证经营案", "--reviewer", "张三",
               "--date", "2026-11-21", "--defect", "1.3", *AS_OF, cwd=ws))
    assert "2026-R002（鲁司罚决字〔2026〕第3号，100 分，不合格卷，一票否决：主要事实不清、证据不足）" in r.err
    rows = json.loads(ok(run("review", "list", "--format", "json", cwd=ws)).out)
    assert [(x["id"], x["unit"], x["total"], x["grade"], x["veto_text"]) for x in rows] == [
        ("2026-R001", "shijianju", 90, "优秀", ""),
        ("2026-R002", "sifaju", 100, "不合格", "主要事实不清、证据不足"),
    ]
    assert ok(run("review", "list", "--unit", "司法局", "--format", "csv", cwd=ws)).out.splitlines() == [
        "编号,日期,单位,案卷文号,案件名称,得分,等级,一票否决",
        "2026-R002,2026-11-21,司法局,鲁司罚决字〔2026〕第3号,某某无证经营案,100,不合格,主要事实不清、证据不足",
    ]
    out = ok(run("review", "show", "2026-R001", cwd=ws)).out
    assert out.splitlines() == [
        "2026-R001  鲁山县市场监督管理局  2026-11-20  评查人：张三",
        "案卷：某某超市销售过期食品案（鲁市监罚决字〔2026〕第12号）",
        "得分：90 分（卷面 18/20、内容 72/80），等级：优秀卷",
        "  1. [2.3 页码编写、装订不规范] 4 处×0.5 分＝扣 2 分",
        "  2. [3.2 调查取证不全面、不规范] 扣 8 分：询问笔录未签名",
    ]
    out = ok(run("review", "show", "鲁司罚决字〔2026〕第3号", cwd=ws)).out
    assert "一票否决：主要事实不清、证据不足，不论得分评为不合格卷" in out
    v = json.loads(ok(run("review", "summary", "--year", "2026", "--format", "json", *AS_OF, cwd=ws)).out)
    assert v["files"] == 2 and v["units_reviewed"] == 2 and v["grades"] == {"优秀": 1, "合格": 0, "不合格": 1}
    assert [(u["id"], u["files"], u["grades"]["不合格"], u["average"], u["deduction"], u["reviews"]) for u in v["by_unit"]] == [
        ("shijianju", 1, 0, 90, 0, []),
        ("sifaju", 1, 1, 100, 3, ["2026-R002"]),
    ]
    assert [(d["item"], d["occurrences"], d["files"]) for d in v["defects"]] == [("2.3", 4, 1), ("1.3", 1, 1), ("3.2", 1, 1)]
    out = ok(run("review", "summary", "--year", "2026", *AS_OF, cwd=ws)).out
    assert "合计：2 个单位、2 卷；优秀 1 卷、合格 0 卷、不合格 1 卷" in out
    assert ok(run("review", "summary", "--year", "2026", "--format", "csv", *AS_OF, cwd=ws)).out.splitlines() == [
        "编号,单位,评查卷数,优秀卷,合格卷,不合格卷,平均分,计入考核扣分",
        "shijianju,市场监督管理局,1,1,0,0,90,0",
        "sifaju,司法局,1,0,0,1,100,3",
    ]
    # --as-of: the state as it stood before the second review
    v = json.loads(ok(run("review", "summary", "--year", "2026", "--as-of", "2026-11-20", "--format", "json", cwd=ws)).out)
    assert v["files"] == 1
    assert "尚无案卷评查记录" in ok(run("review", "summary", "--year", "2025", *AS_OF, cwd=ws)).out
    r = ok(run("check", cwd=ws))
    assert "案卷评查 2 份" in r.out
    # no inspection of 司法局 yet: the deduction is listed as waiting, not silently dropped
    v = json.loads(ok(run("score", "report", "--year", "2026", "--format", "json", *AS_OF, cwd=ws)).out)
    assert v["review_pending"] == [{"id": "sifaju", "name": "鲁山县司法局", "points": 3, "reviews": ["2026-R002"]}]
    assert "鲁山县司法局：案卷评查应扣 3 分（2026-R002），该单位尚无检查记录，检查后计入" in ok(run("score", "report", "--year", "2026", *AS_OF, cwd=ws)).out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--case", "鲁司罚决字2026第3号"), "--case：案卷文号“鲁司罚决字2026第3号”格式不对，应写成 机关代字〔年份〕第N号，如 鲁市监罚决字〔2026〕第12号"),
        (("--case", "鲁司罚决字【2026】第3号"), "--case：案卷文号“鲁司罚决字【2026】第3号”的年份应使用六角括号〔〕，不能用“【”，应如 鲁市监罚决字〔2026〕第12号"),
        (("--defect", "9.9=1"), "--defect “9.9=1”：评查项目“9.9”不在案卷评查标准 case-standard.yaml 中（可用：1.1、1.2、1.3、1.4、2.1、2.2、2.3、2.4、3.1、3.2、3.3、3.4、3.5、3.6）"),
        (("--defect", "2.1×0"), "--defect “2.1×0”：处数应为正整数，实际是 0"),
        (("--defect", "2.1x-2"), "--defect “2.1x-2”：处数应为正整数，实际是 -2"),
        (("--defect", "3.2=20"), "--defect “3.2=20”：扣分 20 不在评查项目 3.2 调查取证不全面、不规范 允许的范围 5—15 分之内"),
        (("--defect", "3.2"), "--defect “3.2”：评查项目 3.2 调查取证不全面、不规范 须写明每处扣分，如 3.2=…（范围 5—15 分）"),
        (("--defect", "2.1=3"), "--defect “2.1=3”：评查项目 2.1 封面、卷内目录、备考表填写不完整 每处扣分 1 分，本条写的是 3 分"),
        (("--defect", "3.4×9"), None),  # 9 × 2 = 18 > 15: allowed, the item floors at 0 (扣完为止)
        (("--date", "2026-12-25"), "--date：评查日期 2026-12-25 晚于今天（2026-12-20），不能记录将来的评查"),
    ],
)
def test_review_bad_input_writes_nothing(ws, run, args, message) -> None:
    before = snapshot(ws)
    base = ["review", "record", "司法局", "--case", "鲁司罚决字〔2026〕第3号", "--case-name", "某某案", "--reviewer", "张三", *AS_OF]
    if args[0] == "--case":
        base[4] = args[1]
        args = ()
    r = run(*base, *args, cwd=ws)
    if message is None:
        assert r.code == 0, r.text
        v = json.loads(run("review", "show", "2026-R001", "--format", "json", cwd=ws).out)
        assert v["part_scores"]["3"] == 65 and v["total"] == 85
        return
    assert r.code == 2, r.text
    assert r.err.strip() == f"错误：{message}"
    assert snapshot(ws) == before


def test_review_errors_are_listed_together(ws, run) -> None:
    before = snapshot(ws)
    r = run("review", "record", "司法局", "--case", "鲁司罚决字〔2026〕第3号", "--case-name", "某某案", "--reviewer", "张三",
            "--defect", "2.1×0", "--defect", "3.2=20", "--defect", "7.1=1", *AS_OF, cwd=ws)
    assert r.code == 2
    assert r.err.strip().splitlines() == [
        "错误：--defect “2.1×0”：处数应为正整数，实际是 0；",
        "--defect “3.2=20”：扣分 20 不在评查项目 3.2 调查取证不全面、不规范 允许的范围 5—15 分之内；",
        "--defect “7.1=1”：评查项目“7.1”不在案卷评查标准 case-standard.yaml 中（可用：1.1、1.2、1.3、1.4、2.1、2.2、2.3、2.4、3.1、3.2、3.3、3.4、3.5、3.6）",
    ]
    assert snapshot(ws) == before


def test_check_flags_hand_edited_reviews(ws, run) -> None:
    ok(run("review", "record", "司法局", "--case", "鲁司罚决字〔2026〕第3号", "--case-name", "某某案", "--reviewer", "张三",
           "--date", "2026-11-20", "--defect", "3.2=8", *AS_OF, cwd=ws))
    path = ws / "data/records/reviews/2026/2026-R001.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("deduction: 8", "deduction: 18").replace("case: 鲁司罚决字〔2026〕第3号", "case: 鲁司罚决字(2026)第3号"), encoding="utf-8")
    (ws / "data/records/reviews/2026/2026-R003.yaml").write_text(text.replace("2026-R001", "2026-R003").replace("item: '3.2'", "item: '3.9'").replace("deduction: 8", "deduction: 8\n  count: 0"), encoding="utf-8")
    before = snapshot(ws)
    r = run("check", cwd=ws)
    assert r.code == 1
    got = [line for line in r.err.splitlines() if "错误：" in line or "警告：" in line]
    assert got == [
        "data/records/reviews/2026/2026-R001.yaml:5:7: 错误：案卷文号“鲁司罚决字(2026)第3号”的年份应使用六角括号〔〕，不能用“(”，应如 鲁市监罚决字〔2026〕第12号",
        "data/records/reviews/2026/2026-R003.yaml:13:10: 错误：“count”不能小于 1，实际是 0",
        "data/records/reviews/2026: 警告：2026 年评查编号不连续，缺少第 2 号（记录被删除？）",
    ]
    assert snapshot(ws) == before


def test_review_needs_a_standard(ws, run) -> None:
    (ws / "data" / "case-standard.yaml").unlink()
    before = snapshot(ws)
    r = run("review", "record", "司法局", "--case", "鲁司罚决字〔2026〕第3号", "--case-name", "某某案", "--reviewer", "张三", *AS_OF, cwd=ws)
    assert r.code == 1
    assert r.err.strip() == "错误：数据目录中没有案卷评查标准 case-standard.yaml（data）；可从新建的工作区（lufa init 新目录）复制一份，按本地标准修改后再用"
    assert snapshot(ws) == before
    ok(run("score", "report", "--year", "2026", *AS_OF, cwd=ws))  # scores do not need it


# --- the richer scoring rules ----------------------------------------------------------------


def test_rules_score_report(rules, run, tmp_path) -> None:
    _year(run, rules)
    v = json.loads(ok(run("score", "report", "--year", "2026", "--format", "json", *AS_OF, cwd=rules)).out)
    sifaju = next(x for x in v["county"] if x["id"] == "sifaju")
    # 100 − 1.1: 3 × 1 − 3.2: 4 − item 5: 3 (one 不合格卷, case-standard.yaml) + bonus 3 + 4 = 7, capped at 5
    assert (sifaju["total"], sifaju["grade"], sifaju["bonus"], sifaju["bonus_claimed"]) == (95, "优秀", 5, 7)
    assert sifaju["review_loss"] == {"item": "5", "points": 3, "reviews": ["2026-R001"]}
    assert sifaju["category_losses"]["5"] == 3 and sifaju["findings"] == 2
    (zl,) = v["township"]
    assert (zl["total"], zl["grade"]) == (100, "不合格")
    assert zl["veto_text"] == "一票否决：10 拒不配合监督检查（检查记录 2026-03-03-zhangliang-zhen 第 1 条）"
    out = ok(run("score", "report", "--year", "2026", *AS_OF, cwd=rules)).out
    assert "司法局：加分 5 分（记录 7 分，按上限计）；案卷评查扣 3 分（计入 5；2026-R001）" in out
    assert "张良镇：一票否决：10 拒不配合监督检查（检查记录 2026-03-03-zhangliang-zhen 第 1 条），等级为不合格" in out
    assert "案卷评查：1 个单位 2 卷，优秀 1 卷、合格 0 卷、不合格 1 卷（lufa review summary 查看明细）" in out
    md = ok(run("score", "report", "--year", "2026", "--format", "md", *AS_OF, cwd=rules)).out
    assert "- 鲁山县司法局：加分 5 分（记录 7 分，按上限计）；案卷评查扣 3 分（计入 5；2026-R001）" in md
    csv_lines = ok(run("score", "report", "--year", "2026", "--format", "csv", *AS_OF, cwd=rules)).out.splitlines()
    assert csv_lines[0].endswith(",9.其他失分,10.一票否决事项失分,加分,案卷评查扣分,评查记录,一票否决")
    assert csv_lines[1].endswith(",0,5,3,2026-R001,")
    # --as-of before the review and the year-end inspection
    v = json.loads(ok(run("score", "report", "--year", "2026", "--as-of", "2026-06-30", "--format", "json", cwd=rules)).out)
    sifaju = next(x for x in v["county"] if x["id"] == "sifaju")
    assert (sifaju["total"], sifaju["bonus"], sifaju["review_loss"]) == (100, 3, None)

    # the xlsx: extra columns and the review sheets
    from openpyxl import load_workbook

    out = tmp_path / "得分.xlsx"
    ok(run("score", "report", "--year", "2026", "--format", "xlsx", "-o", out, *AS_OF, cwd=rules))
    wb = load_workbook(out)
    assert wb.sheetnames == ["县直单位", "乡镇", "常见问题", "案卷评查", "评查常见问题", "未检查"]
    head = [c.value for c in wb["县直单位"][1]]
    assert head[-4:] == ["加分", "案卷评查扣分", "评查记录", "一票否决"]
    assert [c.value for c in wb["县直单位"][2]][:5] == [1, "sifaju", "鲁山县司法局", 95, "优秀"]
    assert [c.value for c in wb["县直单位"][2]][-4:] == [5, 3, "2026-R001", None]
    assert [c.value for c in wb["乡镇"][2]][-1] == "一票否决：10 拒不配合监督检查（检查记录 2026-03-03-zhangliang-zhen 第 1 条）"
    assert [[c.value for c in row] for row in wb["案卷评查"].iter_rows()] == [
        ["编号", "单位", "评查卷数", "优秀卷", "合格卷", "不合格卷", "平均分", "计入考核扣分", "评查记录"],
        ["sifaju", "鲁山县司法局", 2, 1, 0, 1, 99.5, 3, "2026-R001"],
        ["合计", None, 2, 1, 0, 1, None, None, None],
    ]
    assert [[c.value for c in row] for row in wb["评查常见问题"].iter_rows(min_row=2)] == [
        ["2.3", "页码编写、装订不规范", "卷面", 2, 1, 1],
        ["1.3", "主要事实不清、证据不足", "基本要求", 1, 1, 1],
    ]

    # the circular
    from docx import Document

    docx = tmp_path / "通报.docx"
    ok(run("report", "circular", "--year", "2026", "--kind", "年终", "--date", "2026-12-20", "-o", docx, cwd=rules))
    lines = [p.text for p in Document(str(docx)).paragraphs if p.text]
    at = lines.index("（三）加分、一票否决和案卷评查")
    assert lines[at + 1 : at + 4] == [
        "加分情况：鲁山县司法局加5分。",
        "一票否决：鲁山县张良镇人民政府（拒不配合监督检查），不论得分评为不合格。",
        "案卷评查：共评查1个单位的行政处罚案卷2卷，其中优秀1卷、合格0卷、不合格1卷。按评查结果扣减第5项（处罚程序）分数：鲁山县司法局3分。"
        "案卷中较为突出的问题有：页码编写、装订不规范（2处）；主要事实不清、证据不足（1处）。",
    ]
    assert lines[at + 4] == "二、表现较好的单位"
    assert "表现较差的单位：鲁山县张良镇人民政府。上述单位要认真查找原因，知耻而后进，切实抓好整改。" in lines


def test_weighted_parts(rules, run) -> None:
    path = rules / "data" / "checklist.yaml"
    path.write_text(path.read_text(encoding="utf-8") + WEIGHTS, encoding="utf-8")
    _year(run, rules)
    v = json.loads(ok(run("score", "report", "--year", "2026", "--format", "json", *AS_OF, cwd=rules)).out)
    sifaju = next(x for x in v["county"] if x["id"] == "sifaju")
    # 日常 100 − 3 − 3 (review, item 5) = 94; 年终 100 − 4 − 3 = 93; 0.2 × 94 + 0.8 × 93 = 93.2; + bonus 5
    assert [(p["name"], p["score"]) for p in sifaju["parts"]] == [("日常", 94), ("年终", 93)]
    assert sifaju["total"] == 98.2
    (zl,) = v["township"]  # only 日常 so far: its weight stands for the whole
    assert [(p["name"], p["score"]) for p in zl["parts"]] == [("日常", 100), ("年终", None)] and zl["total"] == 100
    out = ok(run("score", "report", "--year", "2026", *AS_OF, cwd=rules)).out
    assert "计分权重：日常 20%（日常监督、年中抽查）、年终 80%（年终总结）；尚无某部分检查的单位按已检查部分的权重折算" in out
    assert "  张良镇：日常 100、年终 未检查" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--item", "1.1", "--deduction", "2"), "--deduction：检查项目 1.1 文明执法 每处扣分 1 分，本条写的是 2 分"),
        (("--item", "3.2", "--deduction", "8"), "--deduction：扣分 8 不在检查项目 3.2 重大执法决定法制审核制度 允许的范围 2—6 分之内"),
        (("--item", "11.2", "--deduction", "5"), "--deduction：加分 5 超过加分项 11.2 获上级表彰 的上限 4 分"),
        (("--item", "11.1", "--deduction", "1.5", "--count", "3"), "--deduction：加分 4.5 超过加分项 11.1 法治建设创新工作 的上限 3 分"),
        (("--item", "1.1", "--deduction", "1", "--count", "0"), "--count 的值 0 无效：处数应为正整数"),
        (("--item", "1.1", "--deduction", "1", "--count", "-1"), "--count 的值 -1 无效：处数应为正整数"),
    ],
)
def test_inspection_rules_refused(rules, run, args, message) -> None:
    before = snapshot(rules)
    r = run("inspect", "record", "司法局", "--date", "2026-04-13", "--finding", "问题", *args, *AS_OF, cwd=rules)
    assert r.code == 2, r.text
    assert r.err.strip() == f"错误：{message}"
    assert snapshot(rules) == before


def test_bonus_over_overall_cap_refused(rules, run) -> None:
    path = rules / "data" / "checklist.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("bonus_cap: 5", "bonus_cap: 2"), encoding="utf-8")
    before = snapshot(rules)
    r = run("inspect", "record", "司法局", "--date", "2026-04-13", "--item", "11.1", "--deduction", "3", "--finding", "创新", *AS_OF, cwd=rules)
    assert r.code == 2 and r.err.strip() == "错误：--deduction：加分 3 超过全年加分上限 2 分（bonus_cap）"
    assert snapshot(rules) == before


def test_amend_outside_range_refused_and_check_flags_hand_edits(rules, run) -> None:
    ok(run("inspect", "record", "司法局", "--date", "2026-04-13", "--item", "3.2", "--deduction", "4", "--finding", "问题", *AS_OF, cwd=rules))
    before = snapshot(rules)
    r = run("inspect", "amend", "2026-04-13-sifaju", "--set-deduction", "1=7", *AS_OF, cwd=rules)
    assert r.code == 2 and r.err.strip() == "错误：--deduction/--set-deduction：扣分 7 不在检查项目 3.2 重大执法决定法制审核制度 允许的范围 2—6 分之内"
    assert snapshot(rules) == before
    path = rules / "data/records/inspections/2026/2026-04-13-sifaju.yaml"
    text = path.read_text(encoding="utf-8")
    line = text[: text.index("deduction: 4")].count("\n") + 1
    path.write_text(text.replace("deduction: 4", "deduction: 1"), encoding="utf-8")
    r = run("check", cwd=rules)
    assert r.code == 1
    assert (f"data/records/inspections/2026/2026-04-13-sifaju.yaml:{line}:14: 错误：扣分 1 不在检查项目 3.2 重大执法决定法制审核制度 "
            "允许的范围 2—6 分之内") in r.err


def test_inspect_show_counts_and_bonus(rules, run) -> None:
    _year(run, rules)
    out = ok(run("inspect", "show", "2026-04-13-sifaju", cwd=rules)).out
    assert "  1. [1.1 文明执法] 扣 3 分（3 处×1）：执法人员未着制式服装" in out
    assert "  2. [11.1 法治建设创新工作] 加 3 分：推行说理式执法" in out
    rows = json.loads(ok(run("inspect", "list", "--format", "json", cwd=rules)).out)
    assert next(x for x in rows if x["id"] == "2026-04-13-sifaju")["deductions"] == 3


README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_review_examples_are_real_output(ws, run) -> None:
    """The console examples of README's `lufa review` section are what lufa prints."""
    readme = README.read_text(encoding="utf-8")
    r = ok(run("review", "record", "市场监督管理局", "--case", "鲁市监罚决字〔2026〕第12号", "--case-name", "某某超市销售过期食品案",
               "--reviewer", "张三", "--date", "2026-11-20", "--defect", "2.3×4", "--defect", "3.2=8：询问笔录未签名", *AS_OF, cwd=ws))
    assert f"\n{r.err.strip()}\n$ lufa review show 2026-R001\n{ok(run('review', 'show', '2026-R001', cwd=ws)).out}```" in readme
    r = run("review", "record", "司法局", "--case", "鲁司罚决字〔2026〕第3号", "--case-name", "某某案", "--reviewer", "张三",
            "--defect", "2.1×0", "--defect", "3.2=20", *AS_OF, cwd=ws)
    assert f"--defect 2.1×0 --defect 3.2=20\n{r.err}```" in readme


def test_readme_scoring_rules_example_is_real_output(rules, run) -> None:
    readme = README.read_text(encoding="utf-8")
    _year(run, rules)
    out = ok(run("score", "report", "--year", "2026", *AS_OF, cwd=rules)).out
    block = readme.split("$ lufa score report --year 2026\n……\n", 1)[1].split("……\n```", 1)[0]
    assert block and block in out


def test_concurrent_reviews_get_distinct_consecutive_numbers(ws) -> None:
    import os
    import subprocess
    import sys

    import yaml

    env = {**os.environ, "PYTHONPATH": str(README.parent / "src")}
    env.pop("LUFA_DATA", None)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "lufa_cli", "review", "record", "司法局", "--case", f"鲁司罚决字〔2026〕第{i + 1}号", "--case-name", f"并发案{i}",
             "--reviewer", "张三", "--date", "2026-11-20", "--defect", "2.1×2", *AS_OF],
            cwd=ws, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        for i in range(8)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    folder = ws / "data" / "records" / "reviews" / "2026"
    files = sorted(folder.glob("*.yaml"))
    assert [f.name for f in files] == [f"2026-R{n:03d}.yaml" for n in range(1, 9)]
    names = sorted(yaml.safe_load(f.read_text(encoding="utf-8"))["case_name"] for f in files)
    assert names == sorted(f"并发案{i}" for i in range(8))
    assert not list(folder.glob(".*"))  # no temp files left
    check = subprocess.run([sys.executable, "-m", "lufa_cli", "check"], cwd=ws, env=env, capture_output=True)
    assert check.returncode == 0, check.stderr.decode()


def test_init_copies_the_case_standard(tmp_path, run) -> None:
    target = tmp_path / "新工作区"
    ok(run("init", target, cwd=tmp_path))
    shipped = README.parent / "data" / "case-standard.yaml"
    assert (target / "data" / "case-standard.yaml").read_bytes() == shipped.read_bytes()
    ok(run("review", "record", "司法局", "--case", "鲁司罚决字〔2026〕第3号", "--case-name", "某某案", "--reviewer", "张三",
           "--date", "2026-11-20", *AS_OF, cwd=target))
    assert json.loads(ok(run("check", "--format", "json", cwd=target)).out)["reviews"] == 1
    # the bundled (read-only) data set lists reviews but refuses to record one
    r = run("review", "record", "司法局", "--case", "鲁司罚决字〔2026〕第3号", "--case-name", "某某案", "--reviewer", "张三", *AS_OF, cwd=tmp_path)
    assert r.code == 3 and "内置鲁山县数据（只读）" in r.err
    assert ok(run("review", "list", "--format", "json", cwd=tmp_path)).out.strip() == "[]"


def test_field_sheet_counts(rules, run, tmp_path) -> None:
    sheet = tmp_path / "问题清单.csv"
    sheet.write_text("项目,扣分,问题描述,处数\n1.1,1,未着制式服装,3\n5,1,决定书缺救济途径,\n", encoding="utf-8")
    ok(run("inspect", "record", "司法局", "--date", "2026-04-13", "--from", sheet, *AS_OF, cwd=rules))
    v = json.loads(ok(run("inspect", "show", "2026-04-13-sifaju", "--format", "json", cwd=rules)).out)
    assert [(f["item"], f["deduction"], f["count"]) for f in v["findings"]] == [("1.1", 1, 3), ("5", 1, 1)]
    sheet.write_text("项目,扣分,问题描述,处数\n1.1,1,未着制式服装,两\n", encoding="utf-8")
    before = snapshot(rules)
    r = run("inspect", "record", "司法局", "--date", "2026-04-14", "--from", sheet, *AS_OF, cwd=rules)
    assert r.code == 1 and "问题清单.csv:2:14: 错误：处数“两”不是正整数" in r.err
    assert snapshot(rules) == before
