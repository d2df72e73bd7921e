"""Notices: numbering, the Annex 3 document, deadlines, the loop, overdue, merges."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, snapshot

AS_OF = ("--as-of", "2026-11-28")


def _inspection(run, ws, unit="司法局", date="2026-04-13", extra=()):
    r = run("inspect", "record", unit, "--date", date, "--office", "jiandu", "--item", "3.3", "--deduction", "2",
            "--finding", "执法记录仪未全程开启", "--case", "鲁司罚决字〔2026〕第3号", *extra, *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    return r.err.split("检查记录 ")[1].split("（")[0]


def _docx_text(path: Path) -> list[str]:
    import docx

    return [p.text.strip() for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def test_issue_from_inspection_matches_annex3(ws, run) -> None:
    ref = _inspection(run, ws)
    r = run("inspect", "amend", ref, "--item", "5", "--deduction", "1", "--finding", "行政处罚决定书未载明救济途径。", *AS_OF, cwd=ws)
    assert r.code == 0
    r = run("notice", "issue", "--inspection", ref, "--date", "2026-09-03", cwd=ws)
    assert r.code == 0, r.text
    assert "已下达 鲁政行监字〔2026〕1号：鲁山县司法局，2 条问题，整改期限 2026-10-08" in r.err
    record = ws / "data" / "records" / "notices" / "2026" / "2026-0001.yaml"
    assert record.is_file()
    doc = ws / "output" / "notices" / "2026" / "鲁政行监字〔2026〕1号-司法局.docx"
    text = _docx_text(doc)
    assert text[:3] == ["行政执法监督意见书", "鲁政行监字〔2026〕1号", "鲁山县司法局："]
    assert text[3] == ("根据《行政执法监督条例》和《关于在全县开展依法行政监督考核的工作制度》（鲁法政办〔2021〕4号）的规定，"
                       "2026年4月13日，鲁山县法治政府建设领导小组办公室对你单位开展了日常监督检查。")
    # the findings come from one case and from none: the opening is general, the case stays with its finding
    assert text[4] == "经监督检查，发现你单位存在以下问题："
    assert text[5:7] == ["一是在鲁司罚决字〔2026〕第3号案件中，执法记录仪未全程开启。", "二是行政处罚决定书未载明救济途径。"]
    # 3 Oct 2026 is in the National Day holiday: the deadline moves to 8 October
    assert text[7] == ("请你单位接到本意见书后进行研究，制定具体措施、进一步完善制度，并于2026年10月8日前（30日内）将整改情况书面报送至"
                       "鲁山县司法局行政执法协调监督室（司法大楼504）。逾期未整改或者整改不到位的，将予以通报，并视情况约谈你单位负责人、"
                       "向县纪委监委移交有关问题线索。")
    assert text[8:12] == ["（印章）", "鲁山县法治政府建设领导小组办公室", "2026年9月3日", "（联系人：张三，联系方式：0375-7653158）"]
    # the 版记: no 抄送 configured, so only the printing office and date
    import docx

    banji = docx.Document(str(doc)).tables[-1]
    assert [c.text for row in banji.rows for c in row.cells] == ["鲁山县司法局行政执法协调监督室\t2026年9月3日印发"]
    # the findings are now taken: a second notice from the same inspection is refused
    before = snapshot(ws)
    r = run("notice", "issue", "--inspection", ref, "--date", "2026-09-04", cwd=ws)
    assert r.code == 2 and "没有需要下达意见书的问题" in r.err
    assert snapshot(ws) == before
    assert run("check", cwd=ws).code == 0


def test_dry_run_takes_no_number(ws, run) -> None:
    ref = _inspection(run, ws)
    before = snapshot(ws)
    r = run("notice", "issue", "--inspection", ref, "--date", "2026-11-27", "--dry-run", cwd=ws)
    assert r.code == 0
    assert "鲁政行监字〔2026〕1号" in r.out and "一是执法记录仪未全程开启。" in r.out and "2026年12月28日前" in r.out
    assert snapshot(ws) == before


def test_ad_hoc_with_case_and_days(ws, run) -> None:
    r = run("notice", "issue", "张良镇", "--finding", "案卷未按立卷规范装订", "--finding", "未建立普法责任清单",
            "--case-name", "某公司违法占地案", "--case-number", "鲁张罚决字〔2026〕第1号", "--date", "2026-11-02", "--days", "15", cwd=ws)
    assert r.code == 0, r.text
    doc = next((ws / "output" / "notices" / "2026").glob("*.docx"))
    text = _docx_text(doc)
    assert "你单位某公司违法占地案（鲁张罚决字〔2026〕第1号）经审查后发现：" in text
    assert any("于2026年11月17日前（15日内）" in t for t in text)


def test_numbers_are_consecutive_and_void_keeps_its_number(ws, run) -> None:
    for d in ("2026-10-09", "2026-10-10", "2026-10-12"):
        assert run("notice", "issue", "司法局", "--finding", f"问题{d}", "--date", d, cwd=ws).code == 0
    r = run("notice", "void", "2", "--reason", "单位名称写错", "--date", "2026-10-13", cwd=ws)
    assert r.code == 0, r.text
    assert run("notice", "issue", "司法局", "--finding", "再次下达", "--date", "2026-10-14", cwd=ws).code == 0
    rows = json.loads(run("notice", "list", "--format", "json", cwd=ws).out)
    assert [(r["doc_number"], r["status"]) for r in rows] == [
        ("鲁政行监字〔2026〕1号", "待反馈"), ("鲁政行监字〔2026〕2号", "已作废"),
        ("鲁政行监字〔2026〕3号", "待反馈"), ("鲁政行监字〔2026〕4号", "待反馈"),
    ]
    before = snapshot(ws)
    r = run("notice", "void", "鲁政行监字〔2026〕2号", "--reason", "again", cwd=ws)
    assert r.code == 2 and "已于先前作废，不能再次作废" in r.err
    r = run("notice", "void", "3", cwd=ws)
    assert r.code == 2 and "作废必须用 --reason 写明原因" in r.err
    assert snapshot(ws) == before
    # documents are regenerated from the records, except for the voided one
    shutil.rmtree(ws / "output")
    r = run("notice", "render", "--year", "2026", cwd=ws)
    assert "生成 3 份" in r.err and "已作废的 1 份不再生成" in r.err
    assert not list((ws / "output" / "notices" / "2026").glob("鲁政行监字〔2026〕2号*"))


def test_concurrent_issue_gets_distinct_consecutive_numbers(ws) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    env.pop("LUFA_DATA", None)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "lufa_cli", "notice", "issue", "司法局", "--finding", f"并发问题{i}", "--date", "2026-11-02"],
            cwd=ws, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        for i in range(12)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    files = sorted((ws / "data" / "records" / "notices" / "2026").glob("*.yaml"))
    assert [f.name for f in files] == [f"2026-{n:04d}.yaml" for n in range(1, 13)]
    import yaml

    texts = sorted(yaml.safe_load(f.read_text(encoding="utf-8"))["findings"][0]["text"] for f in files)
    assert texts == sorted(f"并发问题{i}" for i in range(12))
    assert not list((ws / "data" / "records" / "notices" / "2026").glob(".*"))  # no temp files left
    check = subprocess.run([sys.executable, "-m", "lufa_cli", "check"], cwd=ws, env=env, capture_output=True)
    assert check.returncode == 0, check.stderr.decode()


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-c", "user.name=测试", "-c", "user.email=t@example.invalid", *args], cwd=cwd, capture_output=True, text=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git 未安装")
def test_git_merge_with_duplicate_number(tmp_path, run) -> None:
    origin = tmp_path / "origin"
    assert run("init", origin, "--contact", "张三", cwd=tmp_path).code == 0
    _git(origin, "init", "-q", "-b", "main")
    _git(origin, "add", ".")
    _git(origin, "commit", "-qm", "初始数据")
    a, b, bare = tmp_path / "a", tmp_path / "b", tmp_path / "shared.git"
    _git(tmp_path, "clone", "-q", "--bare", str(origin), str(bare))
    _git(tmp_path, "clone", "-q", str(bare), str(a))
    _git(tmp_path, "clone", "-q", str(bare), str(b))
    assert run("notice", "issue", "司法局", "--finding", "甲电脑下达", "--date", "2026-11-02", cwd=a).code == 0
    assert run("notice", "issue", "张良镇", "--finding", "乙电脑下达", "--date", "2026-11-03", cwd=b).code == 0
    for clone, msg in ((a, "甲"), (b, "乙")):
        _git(clone, "add", "data")
        _git(clone, "commit", "-qm", msg)
    _git(b, "push", "-q", "origin", "main")
    _git(a, "pull", "-q", "--no-rebase", "origin", "main")
    # git sees the same file name added twice: an add/add conflict, never a silent duplicate
    status = _git(a, "status", "--porcelain").stdout
    assert "AA data/records/notices/2026/2026-0001.yaml" in status
    r = run("check", cwd=a)
    assert r.code == 1 and "data/records/notices/2026/2026-0001.yaml:7:1: 错误：文件含有 git 合并冲突标记" in r.err
    # a clerk "resolves" it by keeping both files: check names both, issuing refuses
    conflicted = a / "data" / "records" / "notices" / "2026" / "2026-0001.yaml"
    ours = _git(a, "show", ":2:data/records/notices/2026/2026-0001.yaml").stdout
    theirs = _git(a, "show", ":3:data/records/notices/2026/2026-0001.yaml").stdout
    conflicted.write_text(ours, encoding="utf-8")
    (conflicted.parent / "2026-0001-乙.yaml").write_text(theirs, encoding="utf-8")
    r = run("check", cwd=a)
    assert r.code == 1
    assert "文号重复：鲁政行监字〔2026〕1号 同时出现在 data/records/notices/2026/2026-0001-乙.yaml 和 data/records/notices/2026/2026-0001.yaml" in r.err or \
        "文号重复：鲁政行监字〔2026〕1号 同时出现在 data/records/notices/2026/2026-0001.yaml 和 data/records/notices/2026/2026-0001-乙.yaml" in r.err
    before = snapshot(a / "data")
    r = run("notice", "issue", "司法局", "--finding", "新问题", "--date", "2026-11-04", cwd=a)
    assert r.code == 1 and "文号重复" in r.err
    assert snapshot(a / "data") == before


def _loop_fixture(run, ws) -> None:
    """A year: 1 closed, 2 overdue (long), 3 feedback awaiting verification, 4 reopened, 5 due soon, 6 void."""
    issue = [("司法局", "2026-06-01"), ("张良镇", "2026-09-03"), ("发展和改革委员会", "2026-10-09"),
             ("工业和信息化局", "2026-09-01"), ("下汤镇", "2026-11-02"), ("磙子营乡", "2026-10-09")]
    for unit, d in issue:
        assert run("notice", "issue", unit, "--finding", f"{unit}的问题", "--date", d, cwd=ws).code == 0
    steps = [
        ("rectify", "feedback", "1", "--date", "2026-06-20", "--doc", "鲁司文〔2026〕3号"),
        ("rectify", "verify", "1", "--method", "书面审阅", "--result", "通过", "--date", "2026-06-25"),
        ("rectify", "feedback", "3", "--date", "2026-10-20"),
        ("rectify", "feedback", "4", "--date", "2026-09-20"),
        ("rectify", "verify", "4", "--method", "实地查验", "--result", "未通过", "--date", "2026-09-28", "--days", "15"),
        ("notice", "void", "6", "--reason", "重复下达", "--date", "2026-10-10"),
    ]
    for args in steps:
        r = run(*args, cwd=ws)
        assert r.code == 0, (args, r.text)


def test_overdue_report(ws, run) -> None:
    _loop_fixture(run, ws)
    r = run("rectify", "overdue", "--as-of", "2026-11-28", "--due-within", "10", "--format", "json", cwd=ws)
    assert r.code == 0, r.text
    v = json.loads(r.out)
    got = [(x["doc_number"], x["what"], x["due"], x["days_overdue"], x["referral"]) for x in v["overdue"]]
    assert got == [
        ("鲁政行监字〔2026〕2号", "逾期未报送整改情况", "2026-10-08", 51, True),
        # failed verification on 28 Sept with 15 more days → 13 Oct
        ("鲁政行监字〔2026〕4号", "逾期未报送整改情况", "2026-10-13", 46, True),
        # feedback on 20 Oct, 15 days to verify → 4 Nov
        ("鲁政行监字〔2026〕3号", "整改报告待核查（回头看）超期", "2026-11-04", 24, False),
    ]
    assert [(x["doc_number"], x["days_left"]) for x in v["due_soon"]] == [("鲁政行监字〔2026〕5号", 4)]
    assert v["referrals"] == ["鲁山县张良镇人民政府", "鲁山县工业和信息化局"]
    assert v["overdue"][0]["office"] == {"name": "鲁山县司法局行政执法协调监督室", "phone": "0375-7653158"}
    r = run("rectify", "overdue", "--as-of", "2026-11-28", "--fail-if-any", cwd=ws)
    assert r.code == 5 and "移交线索候选" in r.out
    r = run("rectify", "overdue", "--as-of", "2026-06-02", "--fail-if-any", cwd=ws)
    assert r.code == 0 and "没有逾期事项" in r.out
    md = run("rectify", "overdue", "--as-of", "2026-11-28", "--format", "md", cwd=ws).out
    assert "## 鲁山县张良镇人民政府（最长逾期 51 天） — 移交线索候选" in md
    r = run("rectify", "show", "4", cwd=ws)
    assert "实地查验" in r.out and "新期限 2026-10-13" in r.out


LOOP_ERRORS = [
    (("rectify", "feedback", "9", "--date", "2026-11-20"), 2, "没有 2026 年第 9 号文书"),
    (("rectify", "feedback", "x9", "--date", "2026-11-20"), 2, "无法识别文书编号“x9”"),
    (("rectify", "verify", "5", "--method", "书面审阅", "--result", "通过", "--date", "2026-11-20"), 2, "还没有收到整改情况报告，不能核查"),
    (("rectify", "feedback", "5", "--date", "2026-11-01"), 2, "整改情况报告日期 2026-11-01 早于意见书下达日期 2026-11-02"),
    (("rectify", "feedback", "3", "--date", "2026-11-21"), 2, "已登记整改情况报告，正等待核查"),
    (("rectify", "verify", "3", "--method", "书面审阅", "--result", "通过", "--date", "2026-10-19"), 2, "核查日期 2026-10-19 早于整改情况报告日期 2026-10-20"),
    (("rectify", "feedback", "1", "--date", "2026-11-21"), 2, "已核查通过并办结"),
    (("rectify", "feedback", "6", "--date", "2026-11-21"), 2, "已作废，不能登记整改情况"),
    (("rectify", "verify", "3", "--method", "电话", "--result", "通过"), 2, "--method 的值“电话”无效"),
    (("rectify", "verify", "3", "--method", "书面审阅", "--result", "基本通过"), 2, "--result 的值“基本通过”无效"),
    (("rectify", "feedback", "5", "--date", "2099-01-01"), 2, "晚于今天"),
    (("notice", "issue", "司法局", "--date", "2026-11-20"), 2, "直接下达需要至少一个 --finding 问题描述"),
    (("notice", "issue", "--inspection", "2026-01-01-nobody", "--date", "2026-11-20"), 2, "没有编号为“2026-01-01-nobody”的检查记录"),
    (("notice", "issue", "司法局", "--finding", "x", "--kind", "chufa"), 2, "--kind 的值“chufa”无效，可选：yijianshu、tongzhishu、jueding"),
    (("notice", "issue", "司法局", "--finding", "x", "--case-name", "某案"), 2, "写了 --case-name 时也要写 --case-number"),
    (("notice", "issue", "--all"), 2, "--all 需要 --since 日期"),
]


@pytest.mark.parametrize(("args", "code", "message"), LOOP_ERRORS, ids=[m[:14] for _, _, m in LOOP_ERRORS])
def test_loop_errors_change_nothing(ws, run, args, code, message) -> None:
    _loop_fixture(run, ws)
    before = snapshot(ws)
    r = run(*args, cwd=ws)
    assert r.code == code, r.text
    assert message in r.err
    assert snapshot(ws) == before


def test_batch_issue_and_render(ws, run) -> None:
    _inspection(run, ws, "司法局", "2026-04-13")
    _inspection(run, ws, "张良镇", "2026-03-03")
    _inspection(run, ws, "发展和改革委员会", "2026-04-14", extra=("--fixed",))  # fixed on the spot: no notice
    r = run("notice", "issue", "--all", "--since", "2026-04-01", "--date", "2026-11-02", "--yes", cwd=ws)
    assert r.code == 0, r.text
    assert "共下达 1 份意见书" in r.err
    r = run("notice", "issue", "--all", "--since", "2026-01-01", "--date", "2026-11-02", "--yes", cwd=ws)
    assert "共下达 1 份意见书" in r.err  # only 张良镇 is left
    r = run("notice", "issue", "--all", "--since", "2026-01-01", "--date", "2026-11-02", cwd=ws)
    assert "没有需要下达意见书的检查" in r.err
    out = ws / "output" / "notices" / "2026"
    for f in out.glob("*.docx"):
        f.unlink()
    r = run("notice", "render", "--year", "2026", cwd=ws)
    assert "生成 2 份（各附送达回证）" in r.err and len(list(out.glob("*.docx"))) == 4
    assert len(list(out.glob("*-送达回证.docx"))) == 2
    r = run("notice", "render", "--year", "2026", cwd=ws)
    assert "已存在跳过 2 份" in r.err


def test_broken_template_takes_no_number(ws, run) -> None:
    tpl = ws / "templates" / "notice-yijianshu.docx"
    tpl.write_bytes(b"not a zip")
    before = snapshot(ws)
    r = run("notice", "issue", "司法局", "--finding", "x", "--date", "2026-11-02", cwd=ws)
    assert r.code == 4 and "notice-yijianshu.docx" in r.err
    assert snapshot(ws) == before


def test_check_finds_loop_inconsistencies(ws, run) -> None:
    _loop_fixture(run, ws)
    path = ws / "data" / "records" / "notices" / "2026" / "2026-0001.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("date: 2026-06-20", "date: 2026-05-20"), encoding="utf-8")
    r = run("check", cwd=ws)
    assert r.code == 1 and "data/records/notices/2026/2026-0001.yaml:" in r.err and "早于上一步（2026-06-01）" in r.err
    path.write_text(text, encoding="utf-8")
    (path.parent / "2026-0003.yaml").unlink()
    r = run("check", cwd=ws)
    assert r.code == 0 and "2026 年文号不连续，缺少第 3 号" in r.err


def test_check_flags_hand_edited_deadline_and_misnamed_file(ws, run) -> None:
    assert run("notice", "issue", "司法局", "--finding", "x", "--date", "2026-09-03", cwd=ws).code == 0
    path = ws / "data" / "records" / "notices" / "2026" / "2026-0001.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("deadline: 2026-10-08", "deadline: 2026-10-03"), encoding="utf-8")
    r = run("check", cwd=ws)
    assert r.code == 0
    assert "警告：整改期限 2026-10-03 与下达日期 2026-09-03 起算 30 日的法定期限 2026-10-08 不一致" in r.err
    path.write_text(text, encoding="utf-8")
    path.rename(path.with_name("2026-0007.yaml"))
    before = snapshot(ws)
    r = run("check", cwd=ws)
    assert r.code == 1 and "错误：文件名应为 notices/2026/2026-0001.yaml" in r.err
    r = run("notice", "issue", "司法局", "--finding", "y", "--date", "2026-09-04", cwd=ws)
    assert r.code == 1
    assert snapshot(ws) == before


def test_invalid_inspection_is_not_reported_as_missing(ws, run) -> None:
    ref = _inspection(run, ws)
    assert run("notice", "issue", "--inspection", ref, "--date", "2026-09-03", cwd=ws).code == 0
    insp = ws / "data" / "records" / "inspections" / "2026" / f"{ref}.yaml"
    insp.write_text(insp.read_text(encoding="utf-8").replace("item: '3.3'", "item: '3.9'"), encoding="utf-8")
    r = run("check", cwd=ws)
    assert r.code == 1 and "检查项目“3.9”不在 checklist.yaml 中" in r.err
    assert "不存在" not in r.err


def test_batch_skips_inspections_after_the_issue_date(ws, run) -> None:
    _inspection(run, ws, "司法局", "2026-04-13")
    r = run("notice", "issue", "--all", "--since", "2026-01-01", "--date", "2026-04-01", cwd=ws)
    assert r.code == 0 and "没有需要下达意见书的检查" in r.err


def test_bare_number_resolves_in_the_year_of_today(ws, run) -> None:
    assert run("notice", "issue", "司法局", "--finding", "x", "--date", "2025-12-01", cwd=ws).code == 0
    assert run("notice", "issue", "司法局", "--finding", "y", "--date", "2026-01-05", cwd=ws).code == 0
    r = run("--today", "2026-01-10", "rectify", "feedback", "1", "--date", "2026-01-10", cwd=ws)
    assert r.code == 0, r.text
    assert r.err.startswith("按 2026 年理解：1 即 鲁政行监字〔2026〕1号（2026-0001）；其他年度请写成 年份-1\n")
    before = snapshot(ws)
    r = run("--today", "2027-02-01", "rectify", "feedback", "1", "--date", "2027-01-10", cwd=ws)
    assert r.code == 2
    assert "错误：没有 2027 年第 1 号文书；2025、2026 年有第 1 号，请写成 2026-1（lufa notice list 可列出全部文书）" in r.err
    r = run("--today", "2026-01-10", "notice", "void", "2026-1", "--reason", "x", "--date", "2026-01-11", cwd=ws)
    assert r.code == 2 and "错误：--date：日期 2026-01-11 晚于今天（2026-01-10）" in r.err
    assert snapshot(ws) == before
    assert run("--today", "2026-01-10", "rectify", "feedback", "2025-1", "--date", "2026-01-10", cwd=ws).code == 0


def test_short_periods_count_working_days(ws, run) -> None:
    # 5 days from Wed 30 Sept 2026: 1–7 Oct are holidays; 8, 9, 10 (调休 Saturday), 12, 13 → 13 Oct
    r = run("notice", "issue", "司法局", "--finding", "x", "--date", "2026-09-30", "--days", "5", cwd=ws)
    assert r.code == 0 and "整改期限 2026-10-13" in r.err
    assert run("check", cwd=ws).code == 0


def test_render_one_notice_or_a_year(ws, run) -> None:
    r = run("notice", "render", cwd=ws)
    assert r.code == 2 and r.err == "错误：请指定 --year 年份（该年度全部文书）或一个文号（只生成这一份），二者选一\n", r.err
    assert run("notice", "issue", "司法局", "--finding", "x", "--date", "2026-11-02", cwd=ws).code == 0
    r = run("--today", "2026-11-30", "notice", "render", "1", cwd=ws)
    assert r.code == 0 and r.err == "按 2026 年理解：1 即 鲁政行监字〔2026〕1号（2026-0001）；其他年度请写成 年份-1\n鲁政行监字〔2026〕1号 的文档已存在，跳过：output/notices/2026/鲁政行监字〔2026〕1号-司法局.docx（--force 可覆盖）\n", r.err
    assert run("notice", "void", "1", "--reason", "重复下达", "--date", "2026-11-03", cwd=ws).code == 0
    r = run("notice", "render", "2026-1", cwd=ws)
    assert r.code == 2 and r.err == "错误：鲁政行监字〔2026〕1号 已作废，不再生成文档\n", r.err


def _no_contact(ws: Path) -> None:
    settings = ws / "data" / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  name: 张三", '  name: ""', 1), encoding="utf-8")


CONTACT_WARNING = (
    'data/settings.yaml:22:9: 警告：contact.name（联系人）未填写：文书的附注只印联系方式、不印联系人；填写前 lufa notice issue 拒绝下达\n'
    '    22 |   name: ""\n'
    "       |         ^\n"
)


def test_empty_contact_check_warns_and_issue_refuses(ws, run) -> None:
    ref = _inspection(run, ws)
    _no_contact(ws)
    r = run("check", cwd=ws)
    assert r.code == 0 and r.err == CONTACT_WARNING
    before = snapshot(ws)
    r = run("notice", "issue", "--inspection", ref, "--date", "2026-09-03", "--dry-run", cwd=ws)
    assert r.code == 0 and r.err == CONTACT_WARNING
    assert "（联系方式：0375-7653158）" in r.out and "联系人：" not in r.out  # no empty field, even in the preview
    r = run("notice", "issue", "--inspection", ref, "--date", "2026-09-03", cwd=ws)
    assert r.code == 1
    assert r.err == CONTACT_WARNING + CONTACT_WARNING.replace("警告", "错误", 1) + "错误：未下达，没有占用文号：请先在 settings.yaml 填写联系人 contact.name\n"
    assert snapshot(ws) == before


def test_working_day_period_single_case_requirement_and_cc(ws, run) -> None:
    import docx

    settings = ws / "data" / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  cc: []", "  cc:\n    - 县纪委监委\n    - 县人民政府办公室", 1),
                        encoding="utf-8")
    r = run("notice", "issue", "司法局", "--finding", "案卷未编页码", "--finding", "未告知陈述申辩权利", "--days", "7",
            "--case-name", "某某公司违法案", "--case-number", "鲁司罚决字〔2026〕第5号", "--date", "2026-09-03", cwd=ws)
    assert r.code == 0, r.text
    doc = ws / "output" / "notices" / "2026" / "鲁政行监字〔2026〕1号-司法局.docx"
    text = _docx_text(doc)
    assert text[3] == ("根据《行政执法监督条例》和《关于在全县开展依法行政监督考核的工作制度》（鲁法政办〔2021〕4号）的规定，"
                       "鲁山县法治政府建设领导小组办公室对你单位的行政执法工作进行了监督。")
    # every finding is from the case given: the opening names it, the findings do not repeat it
    assert text[4:7] == ["你单位某某公司违法案（鲁司罚决字〔2026〕第5号）经审查后发现：", "一是案卷未编页码。", "二是未告知陈述申辩权利。"]
    assert "（7个工作日内）" in text[7] and "7日内" not in text[7]  # 7 days count working days (行政处罚法 Art. 85)
    banji = docx.Document(str(doc)).tables[-1]
    assert [c.text for row in banji.rows for c in row.cells] == [
        "抄送：县纪委监委，县人民政府办公室。", "鲁山县司法局行政执法协调监督室\t2026年9月3日印发"]
