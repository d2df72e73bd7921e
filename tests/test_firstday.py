"""The clerk's first day (issue 14): next steps, the small things found on the way."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time

from conftest import snapshot

AS_OF = ("--as-of", "2026-11-28")
QUICK = ("--item", "3.3", "--deduction", "2", "--finding", "执法记录仪未全程开启")


def _record(run, ws, unit="司法局", date="2026-04-13", *extra):
    r = run("inspect", "record", unit, "--date", date, *QUICK, *extra, *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    return r


# --- next steps -------------------------------------------------------------------------


def test_record_with_open_findings_says_how_to_issue_the_notice(ws, run) -> None:
    r = _record(run, ws)
    assert r.err.splitlines()[-1] == "下一步：1 条问题未立行立改，下达意见书：lufa notice issue --inspection 2026-04-13-sifaju"
    r = _record(run, ws, "张良镇", "2026-03-03", "--fixed")
    assert "下一步" not in r.err


def test_feedback_says_how_to_verify(ws, run) -> None:
    _record(run, ws)
    assert run("notice", "issue", "--inspection", "2026-04-13-sifaju", "--date", "2026-09-03", cwd=ws).code == 0
    r = run("rectify", "feedback", "2026-1", "--date", "2026-09-20", cwd=ws)
    assert r.code == 0
    assert r.err.splitlines()[-1] == "下一步：核查后登记结果：lufa rectify verify 2026-1 --method 书面审阅 --result 通过（或 --result 未通过）"


def test_inspect_missing_lists_units_past_their_week(ws, run) -> None:
    _record(run, ws, "张良镇", "2026-03-03")
    r = run("inspect", "missing", "--as-of", "2026-03-20", "--format", "csv", cwd=ws)
    assert r.code == 0
    lines = r.out.splitlines()
    assert lines[0] == "编号,单位,类别,计划周,计划周末日,已过天数"
    assert not any(line.startswith("zhangliang-zhen,") for line in lines)  # inspected
    assert len(lines) > 1 and all(",2026年3月" in line for line in lines[1:])
    r = run("inspect", "missing", "--as-of", "2026-03-20", cwd=ws)
    assert f"2026 年截至 2026-03-20：计划周已过的 {len(lines)} 个单位中，{len(lines) - 1} 个还没有日常监督记录。" in r.out
    r = run("status", "--as-of", "2026-03-20", cwd=ws)
    assert f"lufa inspect missing --as-of 2026-03-20    # {len(lines) - 1} 个已过计划周的单位还没有日常监督记录" in r.out


# --- small things -----------------------------------------------------------------------


def test_status_does_not_print_next_week_twice(ws, run) -> None:
    # 2026-05-04: this week has no units, the next scheduled week is next week
    r = run("status", "--as-of", "2026-05-04", cwd=ws)
    assert r.code == 0
    assert r.out.count("2026年5月第二周") == 1 and "下一安排周" not in r.out
    r = run("status", "--as-of", "2026-02-02", cwd=ws)
    assert "下一安排周：2026年3月第一周" in r.out


def test_rectify_show_prints_the_current_deadline(ws, run) -> None:
    _record(run, ws)
    assert run("notice", "issue", "--inspection", "2026-04-13-sifaju", "--date", "2026-09-03", cwd=ws).code == 0
    assert run("rectify", "feedback", "1", "--date", "2026-09-20", cwd=ws).code == 0
    r = run("rectify", "verify", "1", "--method", "实地查验", "--result", "未通过", "--date", "2026-09-28", "--days", "15", cwd=ws)
    assert r.code == 0, r.text
    new = r.err.split("新期限 ")[1].split("。")[0]
    r = run("rectify", "show", "2026-1", cwd=ws)
    assert f"下达 2026-09-03，当前整改期限 {new}（核查未通过后重新给出；原期限 2026-10-08，30 日）" in r.out


def test_template_check_accepts_a_completed_path(ws, run) -> None:
    r = run("template", "check", "templates/overdue.md.j2", cwd=ws)
    assert r.code == 0, r.text
    assert r.out == "templates/overdue.md.j2：无误\n"
    r = run("template", "check", "templates/nosuch.md.j2", cwd=ws)
    assert r.code == 2 and "模板“templates/nosuch.md.j2”不存在" in r.err


def test_circular_does_not_call_one_finding_prominent(ws, run) -> None:
    import docx

    _record(run, ws)
    r = run("report", "circular", "--year", "2026", "--date", "2026-11-28", "-o", "通报.docx", cwd=ws)
    assert r.code == 0, r.text
    text = "\n".join(p.text for p in docx.Document(str(ws / "通报.docx")).paragraphs)
    assert "三项制度方面。执法全过程记录制度发现问题1处、涉及1个单位。" in text
    assert "共发现1处" not in text and "较为突出" not in text
    _record(run, ws, "张良镇", "2026-03-03")
    r = run("report", "circular", "--year", "2026", "--date", "2026-11-28", "-o", "通报2.docx", cwd=ws)
    text = "\n".join(p.text for p in docx.Document(str(ws / "通报2.docx")).paragraphs)
    assert "执法全过程记录制度问题较为突出，共发现2处、涉及2个单位" in text


def test_office_by_unambiguous_fragment(ws, run) -> None:
    r = _record(run, ws, "司法局", "2026-04-13", "--office", "协调监督")
    r = run("inspect", "show", "2026-04-13-sifaju", cwd=ws)
    assert "科室：行政执法协调监督室" in r.out
    before = snapshot(ws)
    r = run("inspect", "record", "张良镇", "--date", "2026-03-03", "--office", "室", *QUICK, *AS_OF, cwd=ws)
    assert r.code == 2
    assert "错误：--office 的值“室”对应多个科室：法治调研督察室、政策法规室、行政执法协调监督室；请写得更完整" in r.err
    assert snapshot(ws) == before
    r = run("plan", "ics", "--year", "2026", "--office", "法规", "-o", "x.ics", cwd=ws)
    assert r.code == 0, r.text


def test_notice_numbers_with_round_brackets(ws, run) -> None:
    _record(run, ws)
    assert run("notice", "issue", "--inspection", "2026-04-13-sifaju", "--date", "2026-09-03", cwd=ws).code == 0
    for ref in ("鲁政行监字〔2026〕1号", "鲁政行监字(2026)1号", "鲁政行监字（2026）1号", "鲁政行监字[2026]1号", "（2026）1号"):
        r = run("notice", "show", ref, cwd=ws)
        assert r.code == 0, (ref, r.text)
        assert r.out.startswith("鲁政行监字〔2026〕1号"), ref
    r = run("notice", "show", "鲁政行监字(2026)", cwd=ws)
    assert r.code == 2 and "无法识别文书编号“鲁政行监字(2026)”" in r.err


def test_force_hint_only_when_something_was_skipped(ws, run) -> None:
    _record(run, ws)
    assert run("notice", "issue", "--inspection", "2026-04-13-sifaju", "--date", "2026-09-03", cwd=ws).code == 0
    r = run("notice", "render", "--year", "2026", cwd=ws)
    assert r.err == "2026 年文书 1 份：生成 0 份，已存在跳过 1 份（--force 可覆盖）。\n"
    r = run("notice", "render", "--year", "2026", "--force", cwd=ws)
    assert r.err == "2026 年文书 1 份：生成 1 份（各附送达回证）。\n"


def test_interactive_prompts_are_chinese_and_summarised(ws, run, monkeypatch) -> None:
    # inspectors, office, methods; category 1: one finding on 1.1; then no to everything; then 否 (do not save)
    answers = ["张三", "jiandu", "2", "是", "1.1", "未规范着装", "1", "", "", "否", "否"] + ["否"] * 8 + ["否"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(answers) + "\n"))
    before = snapshot(ws)
    r = run("inspect", "record", "司法局", "--date", "2026-04-13", "--interactive", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    assert "本类有问题吗 [是/否] （直接回车为“否”）:" in r.out
    assert "()" not in r.out and "[y/n]" not in r.out
    assert "请核对：" in r.out and "  1. [1.1 文明执法] 扣 1 分：未规范着装" in r.out
    assert "保存这份检查记录吗 [是/否] （直接回车为“是”）:" in r.out
    assert r.err == "未保存，没有写入任何记录。\n"
    assert snapshot(ws) == before
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join([*answers[:-1], ""]) + "\n"))  # Enter: 是
    r = run("inspect", "record", "司法局", "--date", "2026-04-13", "--interactive", *AS_OF, cwd=ws)
    assert r.code == 0 and "已写入检查记录 2026-04-13-sifaju（1 条问题）" in r.err


def test_issue_all_lists_and_asks(ws, run, monkeypatch) -> None:
    _record(run, ws)
    _record(run, ws, "张良镇", "2026-03-03")
    before = snapshot(ws)
    monkeypatch.setattr("sys.stdin", io.StringIO("否\n"))
    r = run("notice", "issue", "--all", "--since", "2026-01-01", "--date", "2026-11-02", cwd=ws)
    assert r.code == 0
    assert "将下达 2 份意见书（下达日期 2026-11-02）：\n  鲁山县张良镇人民政府：检查记录 2026-03-03-zhangliang-zhen，1 条问题\n  鲁山县司法局：检查记录 2026-04-13-sifaju，1 条问题\n" in r.err
    assert r.err.endswith("未下达，没有占用文号、没有写入任何文件。\n")
    assert snapshot(ws) == before
    r = run("notice", "issue", "--all", "--since", "2026-01-01", "--date", "2026-11-02", cwd=ws)  # no input at all
    assert r.code == 2 and "错误：没有得到确认（没有可读的输入）；不在终端上运行时请加 --yes" in r.err
    assert snapshot(ws) == before
    monkeypatch.setattr("sys.stdin", io.StringIO("是\n"))
    r = run("notice", "issue", "--all", "--since", "2026-01-01", "--date", "2026-11-02", cwd=ws)
    assert r.code == 0 and "共下达 2 份意见书" in r.err


def test_out_of_plan_week_can_be_acknowledged(ws, run) -> None:
    # 司法局's plan week is not in May: a make-up inspection
    r = _record(run, ws, "司法局", "2026-05-20")
    assert "不在该周（补查的：lufa inspect amend 记录编号 --ack-out-of-plan 注明已知悉，本提示不再出现）" in r.err
    r = run("check", cwd=ws)
    assert r.code == 0 and "警告：" in r.err
    r = run("inspect", "amend", "2026-05-20-sifaju", "--ack-out-of-plan", *AS_OF, cwd=ws)
    assert r.code == 0 and "注明已知悉：不在计划周的补查" in r.err
    r = run("check", cwd=ws)
    assert r.code == 0 and r.err == ""
    assert "acknowledged:\n- out_of_plan_week\n" in (ws / "data/records/inspections/2026/2026-05-20-sifaju.yaml").read_text(encoding="utf-8")
    r = run("inspect", "amend", "2026-05-20-sifaju", "--ack-out-of-plan", *AS_OF, cwd=ws)
    assert r.code == 2 and "已注明知悉不在计划周，无需再注明" in r.err
    r = _record(run, ws, "司法局", "2026-05-21", "--ack-out-of-plan")
    assert "警告" not in r.err
    assert run("check", cwd=ws).err == ""


def test_ctrl_c_prints_aborted(ws) -> None:
    env = {**os.environ, "COLUMNS": "80"}
    env.pop("LUFA_DATA", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "lufa_cli", "inspect", "record", "司法局", "--date", "2026-04-13", "--interactive", *AS_OF],
        cwd=ws, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    deadline = time.time() + 30
    out = b""
    os.set_blocking(proc.stdout.fileno(), False)
    while b"\xe6\xa3\x80\xe6\x9f\xa5\xe4\xba\xba\xe5\x91\x98" not in out and time.time() < deadline:  # "检查人员"
        time.sleep(0.1)
        out += proc.stdout.read() or b""
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert err.decode("utf-8").strip().endswith("已中止。")
    assert "Traceback" not in err.decode("utf-8")
    assert not (ws / "data" / "records").exists()


def test_circular_never_praises_an_overdue_unit(ws, run) -> None:
    """司法局 scores best but lets its notice run out: the circular praises the next unit by score."""
    import docx

    _record(run, ws, "司法局", "2026-04-13")
    _record(run, ws, "发展和改革委员会", "2026-04-14")
    assert run("notice", "issue", "--inspection", "2026-04-13-sifaju", "--date", "2026-04-20", cwd=ws).code == 0
    r = run("report", "circular", "--year", "2026", "--date", "2026-11-28", "-o", "通报.docx", cwd=ws)
    assert r.code == 0, r.text
    lines = [p.text for p in docx.Document(str(ws / "通报.docx")).paragraphs]
    praise = lines[lines.index("二、表现较好的单位") + 1]
    assert praise.startswith("鲁山县发展和改革委员会在本次考核中表现较好") and "鲁山县司法局" not in praise


def _first_day_texts() -> list[tuple[list[str], list[str]]]:
    """The `text` examples of the README's 第一次使用: (command's arguments, lines printed) each."""
    import re
    import shlex
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### 第一次使用", 1)[1].split("\n## ", 1)[0]
    out: list[tuple[list[str], list[str]]] = []
    for block in re.findall(r"```text\n(.*?)```", section, re.S):
        for line in block.splitlines():
            if line.startswith("$ lufa "):
                out.append((shlex.split(line[len("$ lufa "):]), []))
            else:
                out[-1][1].append(line)
    return out


def test_first_day_texts_are_what_the_tool_prints(ws, run) -> None:
    # the form as filled in the README: two findings, one of them fixed on the spot
    (ws / "现场记录-司法局.csv").write_text("受检单位,司法局\n检查日期,2026-04-13\n项目,扣分,问题,立行立改\n"
                                         "3.3,2,执法记录仪未全程开启,否\n1.1,1,执法人员未规范着装,是\n", encoding="utf-8-sig")
    steps = _first_day_texts()
    assert [args[:2] for args, _ in steps] == [["inspect", "record"], ["notice", "issue"], ["rectify", "overdue"], ["rectify", "overdue"]]
    for args, lines in steps:
        args = [a.replace(".xlsx", ".csv") if a.startswith("现场记录") else a for a in args]
        if args[:2] == ["rectify", "overdue"] and "-o" in args:
            args[args.index("-o") + 1] = str(ws / args[args.index("-o") + 1])
        r = run("--today", "2026-11-30", *args, cwd=ws)
        assert r.code == 0, r.text
        printed = (r.out + r.err).splitlines()
        assert printed == lines, (args, printed)


def test_circular_names_a_category_once_for_its_items(ws, run) -> None:
    import docx

    _record(run, ws)  # 3.3
    assert run("inspect", "record", "张良镇", "--date", "2026-03-03", "--item", "3.1", "--deduction", "1",
               "--finding", "公示信息未更新", *AS_OF, cwd=ws).code == 0
    r = run("report", "circular", "--year", "2026", "--date", "2026-11-28", "-o", "通报.docx", cwd=ws)
    assert r.code == 0, r.text
    paragraphs = [p.text for p in docx.Document(str(ws / "通报.docx")).paragraphs]
    heads = [t for t in paragraphs if "三项制度方面。" in t]
    assert len(heads) == 1 and heads[0].count("三项制度方面") == 1, heads
    assert "发现问题1处、涉及1个单位；" in heads[0] and heads[0].endswith("发现问题1处、涉及1个单位。"), heads
