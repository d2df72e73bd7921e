from __future__ import annotations

import csv
import io
import json

from conftest import REPO, snapshot


def test_plan_week_2021_04_12(run) -> None:
    r = run("plan", "week", "--date", "2021-04-12", cwd=REPO)
    assert r.code == 0, r.text
    assert "2021年4月第二周" in r.out and "2021年4月12日至4月18日" in r.out
    assert "鲁山县司法局" in r.out and "鲁山县发展和改革委员会" in r.out
    assert "4月12日至4月16日，共5个工作日" in r.out
    assert "行政执法协调监督室" in r.out and "0375-7653158" in r.out
    assert "听取汇报、查阅资料、调阅案卷、现场询问、公共法律知识考核" in r.out


def test_plan_week_national_day_2026(run) -> None:
    r = run("plan", "week", "--date", "2026-10-05", cwd=REPO)
    assert r.code == 0, r.text
    assert "2026年10月第一周" in r.out
    assert "国庆节" in r.out and "调休上班" in r.out
    assert "本周无检查安排（国庆节）" in r.out
    assert "下一安排周：2026年10月第二周" in r.out
    assert "鲁山县人力资源和社会保障局" in r.out


def test_plan_week_json(run) -> None:
    r = run("plan", "week", "--week", "2021-4-2", "--format", "json", cwd=REPO)
    assert r.code == 0, r.text
    v = json.loads(r.out)
    assert (v["start"], v["end"]) == ("2021-04-12", "2021-04-18")
    assert [u["id"] for u in v["units"]] == ["sifaju", "fagaiwei"]
    assert v["workdays"] == ["2021-04-12", "2021-04-13", "2021-04-14", "2021-04-15", "2021-04-16"]
    assert v["calendar_source"] == "official"
    assert {o["name"]: o["category_numbers"] for o in v["offices"]} == {
        "法治调研督察室": [7, 8, 9],
        "政策法规室": [6],
        "行政执法协调监督室": [1, 2, 3, 4, 5],
    }


def test_plan_week_csv(run) -> None:
    r = run("plan", "week", "--date", "2021-04-12", "--format", "csv", cwd=REPO)
    rows = list(csv.reader(io.StringIO(r.out)))
    assert rows[0] == ["周次", "开始日期", "结束日期", "序号", "单位编号", "受监督单位", "类别"]
    assert rows[1][5] == "鲁山县司法局" and rows[2][5] == "鲁山县发展和改革委员会"


def test_plan_week_guessed_calendar_warns(run) -> None:
    r = run("plan", "week", "--date", "2030-03-04", cwd=REPO)
    assert r.code == 0
    assert "警告" in r.err and "2030 年的法定节假日尚未收录" in r.err
    assert "推测" in r.out


def test_plan_week_calendar_override(ws, run) -> None:
    (ws / "data" / "calendar.yaml").write_text(
        "years:\n  - year: 2030\n    holidays:\n      - {start: 2030-03-04, end: 2030-03-05, name: 测试假日}\n    workdays: [2030-03-09]\n",
        encoding="utf-8",
    )
    r = run("plan", "week", "--date", "2030-03-04", "--format", "json", cwd=ws)
    assert r.code == 0, r.text
    v = json.loads(r.out)
    assert v["calendar_source"] == "override" and v["warnings"] == []
    assert v["workdays"] == ["2030-03-06", "2030-03-07", "2030-03-08", "2030-03-09"]
    assert v["days"][0]["status"] == "法定节假日（测试假日）" and v["days"][5]["status"] == "调休上班"


def test_plan_year_2021(run) -> None:
    r = run("plan", "year", "--year", "2021", "--format", "json", cwd=REPO)
    assert r.code == 0, r.text
    v = json.loads(r.out)
    assert len(v["rows"]) == 37
    assert v["rows"][0]["dates"] == "3月1日至3月7日" and v["rows"][0]["units"] == ["鲁山县张良镇人民政府"]
    assert v["note"] == "注：共计有县直单位35家、乡镇20家。"
    may = [r["week"] for r in v["rows"] if r["month"] == 5]
    assert may == [2, 3, 4]


def test_plan_year_table_and_csv(run) -> None:
    r = run("plan", "year", "--year", "2021", cwd=REPO)
    assert r.code == 0 and "2021年依法行政日常监督分组计划表" in r.out and "鲁山县消防救援大队" in r.out
    r = run("plan", "year", "--year", "2021", "--format", "csv", cwd=REPO)
    rows = list(csv.reader(io.StringIO(r.out)))
    assert rows[0][0] == "月份" and len(rows) == 38


def test_plan_output_file_never_overwritten(tmp_path, run) -> None:
    out = tmp_path / "plan.json"
    r = run("plan", "week", "--date", "2021-04-12", "--format", "json", "-o", out, cwd=REPO)
    assert r.code == 0 and json.loads(out.read_text(encoding="utf-8"))["label"] == "2021年4月第二周"
    out.write_text("clerk's own notes", encoding="utf-8")
    before = snapshot(tmp_path)
    r = run("plan", "week", "--date", "2021-04-19", "--format", "json", "-o", out, cwd=REPO)
    assert r.code == 3 and "文件已存在" in r.err and "--force" in r.err
    assert snapshot(tmp_path) == before
    r = run("plan", "week", "--date", "2021-04-19", "--format", "json", "-o", out, "--force", cwd=REPO)
    assert r.code == 0 and json.loads(out.read_text(encoding="utf-8"))["label"] == "2021年4月第三周"


def test_plan_bad_options(tmp_path, run) -> None:
    before = snapshot(REPO / "data")
    cases = [
        (("plan", "week", "--date", "2021-02-30"), "--date 的值“2021-02-30”不是有效日期"),
        (("plan", "week", "--date", "12/04/2021"), "请写成 YYYY-MM-DD"),
        (("plan", "week", "--week", "2021-4"), "--week 的值“2021-4”无效"),
        (("plan", "week", "--week", "2021-2-5"), "2021年2月没有第五周"),
        (("plan", "week", "--week", "2021-4-2", "--date", "2021-04-12"), "--date 和 --week 只能用一个"),
        (("plan", "week", "--format", "pdf"), "--format 的值“pdf”无效"),
        (("plan", "year", "--year", "abc"), "--year 的值不是整数"),
        (("plan", "year", "--year", "1800"), "超出范围"),
        (("plan", "week", "--pdf"), "--pdf 只能和 --format docx 一起用"),
        (("plan", "week", "-o", tmp_path / "x.txt"), "错误：-o 的文件“x.txt”应以 .csv、.xlsx、.json、.md 或 .docx 结尾（格式按后缀选择），或用 --format 指定格式"),
        (("plan", "weak"), "没有这个命令：weak"),
    ]
    for args, message in cases:
        r = run(*args, cwd=REPO)
        assert r.code == 2, (args, r.text)
        assert message in r.err, (args, r.err)
        assert "错误：" in r.err and "Error" not in r.err and "Usage" not in r.err
    assert not (tmp_path / "x.txt").exists()
    assert snapshot(REPO / "data") == before
