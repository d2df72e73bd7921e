"""Score report, self-inspection and spot-check commands."""

from __future__ import annotations

import csv
import io
import json

from conftest import snapshot

AS_OF = ("--as-of", "2026-11-28")


def _record(run, ws, unit, date, *findings, kind="日常监督"):
    for n, (item, d) in enumerate(findings):
        if n == 0:
            r = run("inspect", "record", unit, "--date", date, "--kind", kind, "--item", item, "--deduction", str(d), "--finding", f"问题{n}", *AS_OF, cwd=ws)
            assert r.code == 0, r.text
            ref = r.err.split("检查记录 ")[1].split("（")[0]
        else:
            r = run("inspect", "amend", ref, "--item", item, "--deduction", str(d), "--finding", f"问题{n}", *AS_OF, cwd=ws)
            assert r.code == 0, r.text


def test_score_report(ws, run, tmp_path) -> None:
    _record(run, ws, "司法局", "2026-04-13", ("3.3", 2), ("1.1", 4), ("1.1", 3))  # 1.1 floors at 0: -5
    _record(run, ws, "司法局", "2026-07-01", ("5", 1.5), kind="年中抽查")
    _record(run, ws, "发展和改革委员会", "2026-04-14", ("3.3", 30 / 3))
    _record(run, ws, "张良镇", "2026-03-03", ("8", 7), ("7", 8), ("6", 10), ("5", 15), ("4", 10))
    r = run("score", "report", "--year", "2026", "--format", "json", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    v = json.loads(r.out)
    # 司法局: 100 − 2 (3.3) − 5 (1.1 floored: 4 + 3 > 5) − 1.5 (spot check, 5) = 91.5
    assert [(x["id"], x["rank"], x["total"], x["grade"]) for x in v["county"]] == [
        ("sifaju", 1, 91.5, "优秀"),
        ("fagaiwei", 2, 90, "优秀"),
    ]
    assert [(x["id"], x["total"], x["grade"]) for x in v["township"]] == [("zhangliang-zhen", 50, "不合格")]
    sifaju = next(x for x in v["county"] if x["id"] == "sifaju")
    assert sifaju["category_losses"]["1"] == 5 and sifaju["category_losses"]["3"] == 2 and sifaju["category_losses"]["5"] == 1.5
    assert v["frequent_problems"][0]["item"] == "3.3" and v["frequent_problems"][0]["units"] == 2
    assert len(v["not_inspected"]) == 52
    # mid-year cut: the spot check of 1 July is not counted before it happened
    v = json.loads(run("score", "report", "--year", "2026", "--as-of", "2026-06-30", "--format", "json", cwd=ws).out)
    assert next(x for x in v["county"] if x["id"] == "sifaju")["total"] == 93
    # table, md and csv show the same numbers
    r = run("score", "report", "--year", "2026", *AS_OF, cwd=ws)
    assert "司法局" in r.out and "91.5" in r.out and "不合格" in r.out and "尚未检查（52 个）" in r.out
    r = run("score", "report", "--year", "2026", "--format", "md", *AS_OF, cwd=ws)
    assert "| 1 | 鲁山县司法局 | 91.5 | 优秀 | 4 |" in r.out
    rows = list(csv.reader(io.StringIO(run("score", "report", "--year", "2026", "--format", "csv", *AS_OF, cwd=ws).out)))
    assert rows[0][:6] == ["类别", "名次", "编号", "单位", "总分", "等级"] and len(rows) == 4
    # xlsx opens with openpyxl and holds the same numbers
    out = tmp_path / "得分.xlsx"
    r = run("score", "report", "--year", "2026", "--format", "xlsx", "-o", out, *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    from openpyxl import load_workbook

    wb = load_workbook(out)
    assert wb.sheetnames == ["县直单位", "乡镇", "常见问题", "未检查"]
    county = [[c.value for c in row] for row in wb["县直单位"].iter_rows(min_row=2)]
    assert [(r[1], r[3], r[4]) for r in county] == [("sifaju", 91.5, "优秀"), ("fagaiwei", 90, "优秀")]
    assert wb["乡镇"]["D2"].value == 50 and wb["未检查"].max_row == 53
    r = run("score", "report", "--year", "2026", "--format", "xlsx", "-o", out, *AS_OF, cwd=ws)
    assert r.code == 3 and "文件已存在" in r.err


def test_score_report_errors(ws, run) -> None:
    before = snapshot(ws)
    for args, message in [
        (("--format", "xlsx"), "--format xlsx 需要用 -o 指定输出文件"),
        (("--format", "pdf"), "--format 的值“pdf”无效"),
        (("--year", "1999"), "超出范围"),
    ]:
        r = run("score", "report", *args, *AS_OF, cwd=ws)
        assert r.code == 2 and message in r.err, (args, r.err)
    assert snapshot(ws) == before


def test_selfcheck(ws, run) -> None:
    r = run("selfcheck", "record", "司法局", "--date", "2026-03-20", "--doc", "鲁司〔2026〕5号", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    r = run("selfcheck", "record", "发展和改革委员会", "--date", "2026-04-02", *AS_OF, cwd=ws)
    assert "已超过 3 月 31 日" in r.err
    v = json.loads(run("selfcheck", "missing", "--as-of", "2026-04-01", "--format", "json", cwd=ws).out)
    assert len(v) == 54 and "sifaju" not in {u["id"] for u in v} and v[0]["status"] == "逾期 1 天"
    v = json.loads(run("selfcheck", "missing", "--as-of", "2026-04-03", "--format", "json", cwd=ws).out)
    assert len(v) == 53
    v = json.loads(run("selfcheck", "missing", "--as-of", "2026-03-21", "--format", "json", cwd=ws).out)
    assert len(v) == 54 and v[0]["status"] == "距期限 10 天"
    before = snapshot(ws)
    r = run("selfcheck", "record", "司法局", "--date", "2026-03-25", *AS_OF, cwd=ws)
    assert r.code == 3 and "文件已存在" in r.err
    r = run("selfcheck", "record", "司法局", "--date", "2026-12-25", *AS_OF, cwd=ws)
    assert r.code == 2 and "晚于今天" in r.err
    assert snapshot(ws) == before


def test_spotcheck(ws, run) -> None:
    a = json.loads(run("plan", "spotcheck", "--year", "2026", "--count", "10", "--seed", "20260701", "--format", "json", cwd=ws).out)
    b = json.loads(run("plan", "spotcheck", "--year", "2026", "--count", "10", "--seed", "20260701", "--format", "json", cwd=ws).out)
    assert a == b and len(a) == 10
    assert sum(u["kind_label"] == "县直单位" for u in a) == 6
    r = run("plan", "spotcheck", "--year", "2026", "--count", "10", "--seed", "20260701", "--save", *AS_OF, cwd=ws)
    assert r.code == 0 and "已保存抽查名单" in r.err
    assert run("check", cwd=ws).code == 0
    before = snapshot(ws)
    r = run("plan", "spotcheck", "--year", "2026", "--count", "5", "--seed", "x", "--save", *AS_OF, cwd=ws)
    assert r.code == 3
    r = run("plan", "spotcheck", "--year", "2026", "--count", "56", "--seed", "x", cwd=ws)
    assert r.code == 2 and "超过单位总数 55" in r.err
    assert snapshot(ws) == before
