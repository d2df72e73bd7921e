"""plan generate / plan ics / calendar show / status / report circular through the CLI."""

from __future__ import annotations

import json
import shutil

from conftest import REPO, snapshot
from test_cli_notice import _loop_fixture

AS_OF = ("--as-of", "2026-11-28")


def test_generate_2021_reproduces_annex1(ws, run) -> None:
    r = run("plan", "generate", "--year", "2021", cwd=ws)
    assert r.code == 0, r.text
    assert "与当前计划表相比没有变化" in r.err
    assert "跳过 5月第1周" in r.err and "跳过 10月第1周" in r.err
    out = ws / "data" / "schedule.yaml"
    before = snapshot(ws)
    r = run("plan", "generate", "--year", "2021", "-o", out, cwd=ws)
    assert r.code == 3 and "文件已存在" in r.err
    assert snapshot(ws) == before
    r = run("plan", "generate", "--year", "2021", "-o", out, "--force", cwd=ws)
    assert r.code == 0
    assert run("check", cwd=ws).code == 0
    r = run("plan", "year", "--year", "2021", "--format", "json", cwd=ws)
    assert len(json.loads(r.out)["rows"]) == 37


def test_generate_2026_with_pin_and_exemption(ws, run) -> None:
    r = run("plan", "generate", "--year", "2026", "--pin", "司法局=4-3", "--exempt", "气象局=垂直管理，由上级部门检查", "-o", ws / "data" / "schedule-2026.yaml", cwd=ws)
    assert r.code == 0, r.text
    assert "5月第一周：2026年新启用" in r.err
    text = (ws / "data" / "schedule-2026.yaml").read_text(encoding="utf-8")
    assert "reason: 垂直管理，由上级部门检查" in text
    # the generated file is a valid schedule: swap it in and check
    shutil.move(ws / "data" / "schedule-2026.yaml", ws / "data" / "schedule.yaml")
    r = run("check", cwd=ws)
    assert r.code == 0 and "（免检 1 个）" in r.out
    v = json.loads(run("units", "司法局", "--format", "json", cwd=ws).out)
    assert v[0]["slot"] == "4月第三周"


def test_generate_impossible_constraints(ws, run) -> None:
    before = snapshot(ws)
    for args, message in [
        (("--pin", "司法局=5-1"), "无法生成 2021 年分组计划表"),
        (("--pin", "司法局=4"), "--pin 的值“司法局=4”无效"),
        (("--pin", "无此单位=4-2"), "名册中没有“无此单位”这个单位"),
        (("--exempt", "司法局"), "--exempt 的值“司法局”无效"),
    ]:
        r = run("plan", "generate", "--year", "2021", *args, "-o", ws / "data" / "new.yaml", cwd=ws)
        assert r.code == 2 and message in r.err, (args, r.err)
    assert snapshot(ws) == before


def test_ics_export(ws, run) -> None:
    out = ws / "plan.ics"
    r = run("plan", "ics", "--year", "2021", "-o", out, cwd=ws)
    assert r.code == 0, r.text
    from icalendar import Calendar

    cal = Calendar.from_ical(out.read_bytes())
    events = [e for e in cal.walk("VEVENT")]
    assert len(events) == 59  # 55 visits; in 4 of their weeks a holiday splits the working days (one event per run)
    assert len({str(e["SUMMARY"]) for e in events}) == 55
    sifaju = next(e for e in events if "鲁山县司法局" in str(e["SUMMARY"]))
    assert sifaju["DTSTART"].dt.isoformat() == "2021-04-12" and sifaju["DTEND"].dt.isoformat() == "2021-04-17"
    uids = {str(e["UID"]) for e in events}
    out2 = ws / "plan2.ics"
    assert run("plan", "ics", "--year", "2021", "--office", "政策法规室", "-o", out2, cwd=ws).code == 0
    assert {str(e["UID"]) for e in Calendar.from_ical(out2.read_bytes()).walk("VEVENT")} == uids
    r = run("plan", "ics", "--year", "2021", "--office", "财务室", cwd=ws)
    assert r.code == 2 and "--office 的值“财务室”无效" in r.err


def test_calendar_show(run) -> None:
    v = json.loads(run("calendar", "show", "--year", "2026", "--format", "json", cwd=REPO).out)
    assert v["source"] == "official"
    assert {"name": "国庆节", "start": "2026-10-01", "end": "2026-10-07", "days": 7} in v["holidays"]
    assert "2026-10-10" in v["workdays"]
    r = run("calendar", "show", "--year", "2031", cwd=REPO)
    assert r.code == 0 and "推测" in r.out and "2031 年的法定节假日尚未收录" in r.err


def test_status_counts(ws, run) -> None:
    _loop_fixture(run, ws)
    r = run("inspect", "record", "司法局", "--date", "2026-04-13", "--item", "3.3", "--deduction", "2", "--finding", "x", *AS_OF, cwd=ws)
    assert r.code == 0
    v = json.loads(run("status", "--as-of", "2026-11-28", "--format", "json", cwd=ws).out)
    assert v["this_week"]["label"] == "2026年11月第四周"
    assert [u["id"] for u in v["this_week"]["units"]] == ["zhaocun-zhen"]
    assert v["next_week"]["label"] == "2026年11月第五周" and v["next_week"]["units"] == []
    assert v["inspections"]["planned_so_far"] == 50 and v["inspections"]["done"] == 1
    n = v["notices"]
    assert (n["待反馈"], n["待核查"], n["已办结"], n["已作废"], n["overdue"], n["due_soon"]) == (3, 1, 1, 1, 3, 1)
    assert n["inspections_without_notice"] == 1
    assert v["selfchecks"] == {"deadline": "2026-03-31", "filed": 0, "missing": 55}
    assert any(s.startswith("lufa rectify overdue") for s in v["next_steps"])
    r = run("status", "--as-of", "2026-11-28", cwd=ws)
    assert r.code == 0 and "移交线索候选" in r.out


def test_report_circular(ws, run) -> None:
    for unit, date, item, d in [("司法局", "2026-04-13", "3.3", "2"), ("发展和改革委员会", "2026-04-14", "3.3", "10"), ("张良镇", "2026-03-03", "5", "15")]:
        assert run("inspect", "record", unit, "--date", date, "--item", item, "--deduction", d, "--finding", "问题", *AS_OF, cwd=ws).code == 0
    assert run("inspect", "amend", "2026-03-03-zhangliang-zhen", "--item", "4", "--deduction", "10", "--finding", "未备案", *AS_OF, cwd=ws).code == 0
    assert run("inspect", "amend", "2026-03-03-zhangliang-zhen", "--item", "6", "--deduction", "10", "--finding", "未备案", *AS_OF, cwd=ws).code == 0
    assert run("inspect", "amend", "2026-03-03-zhangliang-zhen", "--item", "7", "--deduction", "8", "--finding", "无清单", *AS_OF, cwd=ws).code == 0
    out = ws / "通报.docx"
    r = run("report", "circular", "--year", "2026", "--kind", "年终", "--date", "2026-11-28", "-o", out, cwd=ws)
    assert r.code == 0, r.text
    import docx

    d = docx.Document(str(out))
    text = [p.text.strip() for p in d.paragraphs if p.text.strip()]
    assert text[0] == "关于2026年度依法行政监督考核情况的通报"
    assert any("其中优秀2个、良好0个、合格0个、不合格1个" in t for t in text)
    county, township = d.tables[0], d.tables[1]
    rows = [[c.text.strip() for c in row.cells] for row in county.rows]
    assert rows[1:] == [["1", "鲁山县司法局", "98", "优秀", "1"], ["2", "鲁山县发展和改革委员会", "90", "优秀", "1"]]
    assert [[c.text.strip() for c in row.cells] for row in township.rows][1:] == [["1", "鲁山县张良镇人民政府", "57", "不合格", "4"]]
    r = run("report", "circular", "--year", "2026", "--kind", "年底", cwd=ws)
    assert r.code == 2 and "--kind 的值“年底”无效" in r.err


def test_year_schedule_file_applies_to_its_year_only(ws, run) -> None:
    r = run("plan", "generate", "--year", "2027", "-o", ws / "data" / "schedule-2027.yaml", cwd=ws)
    assert r.code == 0, r.text
    r = run("check", cwd=ws)
    assert r.code == 0 and "另有年度计划表 2027 年" in r.out
    y2027 = json.loads(run("plan", "year", "--year", "2027", "--format", "json", cwd=ws).out)
    y2026 = json.loads(run("plan", "year", "--year", "2026", "--format", "json", cwd=ws).out)
    assert [(r["month"], r["week"]) for r in y2027["rows"]][:9] == [(3, 1), (3, 2), (3, 3), (3, 4), (4, 1), (4, 2), (4, 3), (4, 4), (5, 1)]
    assert (5, 1) not in {(r["month"], r["week"]) for r in y2026["rows"]}  # 2026 keeps the standing plan
    # the week view and next-week search read the 2027 plan too
    v = json.loads(run("plan", "week", "--week", "2027-5-1", "--format", "json", cwd=ws).out)
    assert v["units"] and v["units"][0]["kind"] == "township"
    # a broken year file is reported by name, and stops the commands that read it
    bad = ws / "data" / "schedule-2027.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("week_rule: monday", "week_rule: sunday"), encoding="utf-8")
    before = snapshot(ws)
    r = run("check", cwd=ws)
    assert r.code == 1 and "data/schedule-2027.yaml:" in r.err and "week_rule" in r.err
    assert snapshot(ws) == before
