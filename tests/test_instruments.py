"""Issue 15 part A: three instruments with their own numbers, the escalation ladder, voided documents renamed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import snapshot

NOTICES = Path("data") / "records" / "notices" / "2026"
OUT = Path("output")


def _docx_text(path: Path) -> list[str]:
    import docx

    return [p.text.strip() for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def _issue(run, ws, unit="司法局", date="2026-06-01", *extra):
    r = run("notice", "issue", unit, "--finding", "执法记录仪未全程开启", "--finding", "案卷未按规范立卷", "--date", date, *extra, cwd=ws)
    assert r.code == 0, r.text
    return r


def _both(ws: Path) -> dict[str, str]:
    return {**snapshot(ws / "data"), **{f"output/{k}": v for k, v in (snapshot(ws / "output") if (ws / "output").is_dir() else {}).items()}}


def test_yijianshu_overdue_remind_interview_refer_end_to_end(ws, run) -> None:
    _issue(run, ws)  # 鲁政行监字〔2026〕1号, deadline 2026-07-01
    r = run("rectify", "overdue", "--as-of", "2026-07-01", "--fail-if-any", cwd=ws)
    assert r.code == 0 and "没有逾期事项" in r.out
    r = run("rectify", "overdue", "--as-of", "2026-07-03", "--fail-if-any", "--format", "json", cwd=ws)
    assert r.code == 5
    item = json.loads(r.out)["overdue"][0]
    assert (item["steps_taken"], item["next_step"], item["next_due"]) == ("", "催办", "2026-07-02")

    r = run("rectify", "remind", "2026-1", "--date", "2026-07-03", cwd=ws)
    assert r.code == 0, r.text
    assert r.err == ("已登记 鲁政行监字〔2026〕1号 于 2026-07-03 催办：行政执法监督催办函 鲁政行监催字〔2026〕1号"
                     "（记录 data/records/letters/cuiban/2026/2026-0001.yaml，文档 output/letters/2026/鲁政行监催字〔2026〕1号-司法局.docx）\n")
    text = _docx_text(ws / OUT / "letters" / "2026" / "鲁政行监催字〔2026〕1号-司法局.docx")
    assert text[:3] == ["行政执法监督催办函", "鲁政行监催字〔2026〕1号", "鲁山县司法局："]
    assert ("本机关于2026年6月1日向你单位下达行政执法监督意见书（鲁政行监字〔2026〕1号），要求你单位于2026年7月1日前（30日内）将整改情况书面报送至"
            "鲁山县司法局行政执法协调监督室（司法大楼504）。截至2026年7月3日，你单位已逾期2日，仍未报送整改情况。") in text
    assert "一是执法记录仪未全程开启。" in text and "二是案卷未按规范立卷。" in text
    # the reply limit is when the next step (约谈, 7 days) falls due
    assert any(t.startswith("根据《行政执法监督条例》和《关于在全县开展依法行政监督考核的工作制度》（鲁法政办〔2021〕4号）的规定，"
                            "现予催办。请你单位于2026年7月10日前完成整改") for t in text)
    assert text[-4:-1] == ["（印章）", "鲁山县法治政府建设领导小组办公室", "2026年7月3日"]

    r = run("rectify", "interview", "2026-1", "--date", "2026-07-10", "--who", "张某某（局长）", "--promised", "7月20日前报送整改报告", cwd=ws)
    assert r.code == 0 and r.err == "已登记 鲁政行监字〔2026〕1号 于 2026-07-10 约谈（张某某（局长），承诺：7月20日前报送整改报告）。\n", r.err
    # as of a date before the interview, the interview does not count
    r = run("rectify", "overdue", "--as-of", "2026-07-05", "--format", "json", cwd=ws)
    item = json.loads(r.out)["overdue"][0]
    assert (item["steps_taken"], item["next_step"], item["next_due"]) == ("催办 2026-07-03", "约谈", "2026-07-10")
    r = run("rectify", "overdue", "--as-of", "2026-07-20", cwd=ws)
    assert "已办：催办 2026-07-03；约谈 2026-07-10；下一步：通报（2026-07-17 到期）" not in r.out
    assert "已办：催办 2026-07-03；约谈 2026-07-10；下一步：通报（已到期）" in r.out

    r = run("rectify", "refer", "2026-1", "--date", "2026-08-10", cwd=ws)  # 通报 skipped: allowed
    assert r.code == 0, r.text
    assert "问题线索移交函 鲁政行监移字〔2026〕1号" in r.err
    text = _docx_text(ws / OUT / "letters" / "2026" / "鲁政行监移字〔2026〕1号-司法局.docx")
    assert text[:3] == ["问题线索移交函", "鲁政行监移字〔2026〕1号", "中共鲁山县纪律检查委员会、鲁山县监察委员会："]
    assert "一、被监督单位：鲁山县司法局" in text
    assert "行政执法监督意见书（鲁政行监字〔2026〕1号），2026年6月1日下达，整改期限至2026年7月1日（30日）。" in text
    assert "2026年7月3日，催办（鲁政行监催字〔2026〕1号）。" in text
    assert "2026年7月10日，约谈张某某（局长），承诺7月20日前报送整改报告。" in text
    assert "一是执法记录仪未全程开启。" in text
    r = run("rectify", "overdue", "--as-of", "2026-08-11", "--format", "json", cwd=ws)
    item = json.loads(r.out)["overdue"][0]
    assert item["steps_taken"] == "催办 2026-07-03；约谈 2026-07-10；移交线索 2026-08-10" and item["next_step"] == ""
    r = run("notice", "show", "2026-1", cwd=ws)
    assert "2026-07-03 催办（鲁政行监催字〔2026〕1号）" in r.out
    assert "2026-07-10 约谈（约谈对象：张某某（局长），承诺：7月20日前报送整改报告）" in r.out
    assert "2026-08-10 移交线索（鲁政行监移字〔2026〕1号）" in r.out
    assert run("check", cwd=ws).code == 0


def test_jueding_follows_an_unanswered_yijianshu(ws, run) -> None:
    _issue(run, ws)
    assert run("rectify", "remind", "2026-1", "--date", "2026-07-03", cwd=ws).code == 0
    _issue(run, ws, "张良镇", "2026-06-02")  # 鲁政行监字〔2026〕2号: the 意见书 sequence goes on
    r = run("notice", "issue", "--kind", "jueding", "--follows", "鲁政行监字〔2026〕1号", "--date", "2026-07-21", cwd=ws)
    assert r.code == 0, r.text
    assert ("已下达 鲁政行监决字〔2026〕1号（接续 鲁政行监字〔2026〕1号）：鲁山县司法局，2 条问题，整改期限 2026-08-05"
            "（记录 data/records/notices/2026/jueding/2026-0001.yaml，文档 output/notices/2026/鲁政行监决字〔2026〕1号-司法局.docx 及送达回证）") in r.err
    text = _docx_text(ws / OUT / "notices" / "2026" / "鲁政行监决字〔2026〕1号-司法局.docx")
    assert text[:3] == ["行政执法监督决定书", "鲁政行监决字〔2026〕1号", "鲁山县司法局："]
    assert text[3].startswith("本机关于2026年6月1日向你单位下达行政执法监督意见书（鲁政行监字〔2026〕1号），要求你单位于2026年7月1日前整改")
    assert text[3].endswith("你单位逾期未按要求整改。根据《行政执法监督条例》和《关于在全县开展依法行政监督考核的工作制度》"
                            "（鲁法政办〔2021〕4号）的规定，本机关决定如下：")
    assert "一、责令你单位于2026年8月5日前（15日内）纠正下列问题：" in text and "一是执法记录仪未全程开启。" in text
    # the 意见书 says who carries it on and leaves the overdue list; the 决定书 has its own ladder
    r = run("notice", "show", "鲁政行监字〔2026〕1号", cwd=ws)
    assert "2026-07-21 接续下达（鲁政行监决字〔2026〕1号）" in r.out and "状态：已接续" in r.out
    r = run("notice", "list", "--status", "已接续", "--format", "json", cwd=ws)
    assert [x["doc_number"] for x in json.loads(r.out)] == ["鲁政行监字〔2026〕1号"]
    r = run("notice", "list", "--status", "待反馈", "--format", "json", cwd=ws)
    assert [x["doc_number"] for x in json.loads(r.out)] == ["鲁政行监字〔2026〕2号", "鲁政行监决字〔2026〕1号"]
    before = _both(ws)
    r = run("rectify", "feedback", "鲁政行监字〔2026〕1号", "--date", "2026-07-22", cwd=ws)
    assert r.code == 2 and r.err == "错误：鲁政行监字〔2026〕1号 已由 鲁政行监决字〔2026〕1号 接续下达：整改情况报告和核查结果请对 鲁政行监决字〔2026〕1号 登记\n", r.err
    assert _both(ws) == before
    r = run("status", "--as-of", "2026-07-22", cwd=ws)
    assert "文书：待反馈 2、待核查 0、已接续 1、已办结 0、已作废 0；" in r.out, r.out
    r = run("rectify", "overdue", "--as-of", "2026-08-07", "--format", "json", cwd=ws)
    got = [(x["doc_number"], x["next_step"]) for x in json.loads(r.out)["overdue"]]
    assert got == [("鲁政行监字〔2026〕2号", "催办"), ("鲁政行监决字〔2026〕1号", "催办")]
    # the same number in two kinds: a bare reference is refused, a kind-qualified one is taken
    r = run("rectify", "remind", "1", "--date", "2026-08-07", cwd=ws)
    assert r.code == 2 and r.err == ("错误：2026 年第 1 号有 2 种文书：鲁政行监字〔2026〕1号、鲁政行监决字〔2026〕1号；"
                                     "请写完整文号，或写成 jueding-2026-1 这样带种类的编号\n"), r.err
    r = run("rectify", "remind", "jueding-2026-1", "--date", "2026-08-07", cwd=ws)
    assert r.code == 0 and "鲁政行监催字〔2026〕2号" in r.err, r.text
    r = run("rectify", "refer", "jueding-2026-1", "--date", "2026-08-20", cwd=ws)
    assert r.code == 0, r.text
    text = _docx_text(ws / OUT / "letters" / "2026" / "鲁政行监移字〔2026〕1号-司法局.docx")
    # the referral lists both notices and the steps of both
    assert "行政执法监督意见书（鲁政行监字〔2026〕1号），2026年6月1日下达，整改期限至2026年7月1日（30日）。" in text
    assert "行政执法监督决定书（鲁政行监决字〔2026〕1号），2026年7月21日下达，整改期限至2026年8月5日（15日）。" in text
    assert "2026年7月3日，催办（鲁政行监催字〔2026〕1号）。" in text and "2026年8月7日，催办（鲁政行监催字〔2026〕2号）。" in text
    r = run("check", cwd=ws)
    assert r.code == 0, r.text


def test_next_step_names_the_notice_when_two_kinds_share_its_number(ws, run) -> None:
    _issue(run, ws)  # 鲁政行监字〔2026〕1号
    _issue(run, ws, "张良镇", "2026-06-02")  # 鲁政行监字〔2026〕2号
    r = run("notice", "issue", "--kind", "jueding", "--follows", "鲁政行监字〔2026〕1号", "--date", "2026-07-21", cwd=ws)
    assert r.code == 0, r.text
    r = run("rectify", "feedback", "jueding-2026-1", "--date", "2026-07-22", cwd=ws)
    assert r.code == 0 and "下一步：核查后登记结果：lufa rectify verify jueding-2026-1 --method 书面审阅" in r.err, r.text
    r = run("rectify", "verify", "jueding-2026-1", "--date", "2026-07-23", "--method", "书面审阅", "--result", "通过", cwd=ws)
    assert r.code == 0 and "鲁政行监决字〔2026〕1号 核查通过，已办结。" in r.err, r.text
    r = run("rectify", "feedback", "2026-2", "--date", "2026-07-22", cwd=ws)  # only one notice has number 2
    assert r.code == 0 and "lufa rectify verify 2026-2 --method" in r.err, r.text
    r = run("notice", "list", "--format", "json", cwd=ws)
    assert [(x["doc_number"], x["status"]) for x in json.loads(r.out)] == [
        ("鲁政行监字〔2026〕1号", "已接续"), ("鲁政行监字〔2026〕2号", "待核查"), ("鲁政行监决字〔2026〕1号", "已办结")]


def test_tongzhishu_needs_no_written_reply(ws, run) -> None:
    _issue(run, ws, "司法局", "2026-06-01", "--kind", "tongzhishu")
    assert (ws / NOTICES / "tongzhishu" / "2026-0001.yaml").is_file()
    text = _docx_text(ws / OUT / "notices" / "2026" / "鲁政行监通字〔2026〕1号-司法局.docx")
    assert text[0] == "行政执法监督通知书"
    assert ("请你单位于2026年6月16日前（15日内）自行纠正上述问题。期限届满后，鲁山县司法局行政执法协调监督室将对纠正情况进行核查。"
            "逾期未整改或者整改不到位的，将予以通报，并视情况约谈你单位负责人、向县纪委监委移交有关问题线索。") in text
    before = _both(ws)
    r = run("rectify", "feedback", "2026-1", "--date", "2026-06-10", cwd=ws)
    assert r.code == 2 and r.err == "错误：鲁政行监通字〔2026〕1号（行政执法监督通知书）不要求书面回复；期限届满后直接用 lufa rectify verify 核查\n"
    r = run("rectify", "remind", "2026-1", "--date", "2026-07-10", cwd=ws)
    assert r.code == 2 and r.err == "错误：鲁政行监通字〔2026〕1号（行政执法监督通知书）不要求书面回复，没有催办等后续步骤\n"
    assert _both(ws) == before
    # the group checks after the period: overdue is its own verification
    r = run("rectify", "overdue", "--as-of", "2026-07-10", "--format", "json", cwd=ws)
    assert [(x["what"], x["due"]) for x in json.loads(r.out)["overdue"]] == [("整改报告待核查（回头看）超期", "2026-07-01")]
    r = run("rectify", "verify", "2026-1", "--method", "实地查验", "--result", "通过", "--date", "2026-06-20", cwd=ws)
    assert r.code == 0, r.text


def _ladder_fixture(run, ws) -> None:
    _issue(run, ws)  # 1: deadline 2026-07-01
    assert run("rectify", "remind", "2026-1", "--date", "2026-07-03", cwd=ws).code == 0
    _issue(run, ws, "张良镇", "2026-06-02")  # 2: closed
    assert run("rectify", "feedback", "2026-2", "--date", "2026-06-20", cwd=ws).code == 0
    assert run("rectify", "verify", "2026-2", "--method", "书面审阅", "--result", "通过", "--date", "2026-06-25", cwd=ws).code == 0
    _issue(run, ws, "下汤镇", "2026-11-20")  # 3: not yet due


LADDER_ERRORS = [
    (("rectify", "remind", "2026-3", "--date", "2026-11-25"), "错误：鲁政行监字〔2026〕3号 的整改期限是 2026-12-21，2026-11-25 尚未逾期，不能催办\n"),
    (("rectify", "remind", "2026-2", "--date", "2026-11-25"), "错误：鲁政行监字〔2026〕2号 已核查通过并办结，不能催办\n"),
    (("rectify", "remind", "2026-1", "--date", "2026-07-05"),
     "错误：鲁政行监字〔2026〕1号 已于 2026-07-03 催办，不能再催办（按 催办 → 约谈 → 通报 → 移交线索 的顺序只能向后走，每步一次）\n"),
    (("rectify", "interview", "2026-1", "--date", "2026-07-02", "--who", "张某", "--promised", "整改"), "错误：约谈日期 2026-07-02 早于上一步（2026-07-03）\n"),
    (("rectify", "interview", "2026-1", "--date", "2026-07-12", "--promised", "整改"), "错误：--who 不能为空\n"),
    (("rectify", "circular", "2026-1", "--date", "2026-07-12"), "错误：--doc 不能为空\n"),
    (("rectify", "refer", "2026-3", "--date", "2026-11-30"), "错误：鲁政行监字〔2026〕3号 的整改期限是 2026-12-21，2026-11-30 尚未逾期，不能移交线索\n"),
    (("notice", "issue", "--kind", "chufa", "--follows", "2026-1", "--date", "2026-07-20"), "错误：--kind 的值“chufa”无效，可选：yijianshu、tongzhishu、jueding\n"),
    (("notice", "issue", "--kind", "tongzhishu", "--follows", "2026-1", "--date", "2026-07-20"),
     "错误：行政执法监督通知书不能接在行政执法监督意见书（鲁政行监字〔2026〕1号）之后下达（settings.yaml 中它的 follows：无）\n"),
    (("notice", "issue", "--follows", "2026-1", "--date", "2026-07-20"),
     "错误：行政执法监督意见书不能接在行政执法监督意见书（鲁政行监字〔2026〕1号）之后下达（settings.yaml 中它的 follows：无）\n"),
    (("notice", "issue", "--kind", "jueding", "--follows", "2026-2", "--date", "2026-07-20"), "错误：鲁政行监字〔2026〕2号 已核查通过并办结，不能再据此下达行政执法监督决定书\n"),
    (("notice", "issue", "--kind", "jueding", "--follows", "2026-1", "--date", "2026-05-20"),
     "错误：下达日期 2026-05-20 早于行政执法监督意见书 鲁政行监字〔2026〕1号 的下达日期 2026-06-01\n"),
    (("notice", "issue", "--kind", "jueding", "--follows", "2026-1", "--finding", "x", "--date", "2026-07-20"),
     "错误：--follows 沿用原文书的单位、问题和案件，不能再写 --finding、--case-name、--case-number 或 --provisional\n"),
]


@pytest.mark.parametrize(("args", "message"), LADDER_ERRORS, ids=[m[3:20] for _, m in LADDER_ERRORS])
def test_ladder_bad_input_changes_nothing(ws, run, args, message) -> None:
    _ladder_fixture(run, ws)
    before = _both(ws)
    r = run(*args, cwd=ws)
    assert (r.code, r.err) == (2, message)
    assert _both(ws) == before


def test_followed_notice_refuses_a_second_follow_up_and_its_own_ladder(ws, run) -> None:
    _issue(run, ws)
    assert run("notice", "issue", "--kind", "jueding", "--follows", "2026-1", "--date", "2026-07-21", cwd=ws).code == 0
    before = _both(ws)
    r = run("notice", "issue", "--kind", "jueding", "--follows", "鲁政行监字〔2026〕1号", "--date", "2026-07-22", cwd=ws)
    assert (r.code, r.err) == (2, "错误：鲁政行监字〔2026〕1号 已由 鲁政行监决字〔2026〕1号 接续下达，不能再次接续\n")
    r = run("rectify", "remind", "鲁政行监字〔2026〕1号", "--date", "2026-07-22", cwd=ws)
    assert (r.code, r.err) == (2, "错误：鲁政行监字〔2026〕1号 已由 鲁政行监决字〔2026〕1号 接续下达，请对 鲁政行监决字〔2026〕1号 督办\n")
    assert _both(ws) == before


def test_each_kind_numbers_on_its_own_and_check_finds_a_misplaced_file(ws, run) -> None:
    _issue(run, ws, "司法局", "2026-06-01", "--kind", "jueding")
    _issue(run, ws, "张良镇", "2026-06-02")
    _issue(run, ws, "下汤镇", "2026-06-03", "--kind", "jueding")
    assert sorted(p.relative_to(ws / NOTICES).as_posix() for p in (ws / NOTICES).rglob("*.yaml")) == [
        "2026-0001.yaml", "jueding/2026-0001.yaml", "jueding/2026-0002.yaml"]
    r = run("notice", "list", "--format", "json", cwd=ws)
    assert [x["doc_number"] for x in json.loads(r.out)] == ["鲁政行监字〔2026〕1号", "鲁政行监决字〔2026〕1号", "鲁政行监决字〔2026〕2号"]
    (ws / NOTICES / "jueding" / "2026-0002.yaml").rename(ws / NOTICES / "2026-0002.yaml")
    r = run("check", cwd=ws)
    assert r.code == 1 and "文件名应为 notices/2026/jueding/2026-0002.yaml，与记录中的种类、年度和编号一致" in r.err


def test_check_validates_kinds_and_ladder_settings(ws, run) -> None:
    path = ws / "data" / "settings.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    follows: [yijianshu, tongzhishu]", "    follows: [yijianshu, chufa]")
    text = text.replace("  - action: interview\n    name: 约谈\n    after_days: 7\n  - action: circular\n    name: 通报\n",
                        "  - action: circular\n    name: 通报\n    after_days: 7\n  - action: interview\n    name: 约谈\n")
    path.write_text(text, encoding="utf-8")
    r = run("check", cwd=ws)
    assert r.code == 1
    assert "data/settings.yaml:" in r.err and "follows 中的文书种类“chufa”不在 notice_kinds 中（可用：yijianshu、tongzhishu、jueding）" in r.err
    assert "督办步骤的顺序固定为 remind（催办）→ interview（约谈）→ circular（通报）→ refer（移交线索），可删去某步但不能调换" in r.err


def test_void_and_render_rename_the_voided_document(ws, run) -> None:
    _issue(run, ws)
    _issue(run, ws, "张良镇", "2026-06-02")
    folder = ws / OUT / "notices" / "2026"
    r = run("notice", "void", "2026-1", "--reason", "单位名称写错", "--date", "2026-06-03", cwd=ws)
    assert r.code == 0
    assert r.err.endswith("原文档已改名为 output/notices/2026/鲁政行监字〔2026〕1号-司法局-已作废.docx\n"), r.err
    assert not (folder / "鲁政行监字〔2026〕1号-司法局.docx").exists()
    assert (folder / "鲁政行监字〔2026〕1号-司法局-已作废.docx").is_file()
    # a copy of the voided document comes back (another clerk's folder, a backup): render renames it again
    (folder / "鲁政行监字〔2026〕1号-司法局.docx").write_bytes(b"old copy")
    r = run("notice", "render", "--year", "2026", cwd=ws)
    assert r.code == 0
    assert "已作废的 1 份不再生成，其遗留的 1 份文档已改名为“…-已作废.docx”" in r.err, r.err
    assert (folder / "鲁政行监字〔2026〕1号-司法局-已作废2.docx").read_bytes() == b"old copy"
    assert (folder / "鲁政行监字〔2026〕1号-司法局-已作废.docx").read_bytes() != b"old copy"
    (folder / "鲁政行监字〔2026〕1号-司法局.docx").write_bytes(b"third")
    r = run("notice", "render", "2026-1", cwd=ws)
    assert r.code == 0 and r.err == "鲁政行监字〔2026〕1号 已作废，不再生成文档；遗留的文档已改名为 output/notices/2026/鲁政行监字〔2026〕1号-司法局-已作废3.docx\n", r.err
    r = run("notice", "render", "2026-1", cwd=ws)
    assert (r.code, r.err) == (2, "错误：鲁政行监字〔2026〕1号 已作废，不再生成文档\n")


def test_supervision_type_filter_warnings_and_status(ws, run) -> None:
    quick = ("--item", "5", "--deduction", "2", "--finding", "处罚程序问题", "--as-of", "2026-06-30")
    r = run("inspect", "record", "市场监督管理局", "--date", "2026-06-18", "--type", "重点监督", *quick, cwd=ws)
    assert r.code == 0 and r.err.startswith("已写入检查记录 2026-06-18-shijianju（1 条问题）：data/records/inspections/2026/2026-06-18-shijianju.yaml\n"), r.err
    assert "警告" not in r.err  # 重点监督 outside the plan week: no warning
    assert "type: 重点监督\n" in (ws / "data/records/inspections/2026/2026-06-18-shijianju.yaml").read_text(encoding="utf-8")
    r = run("inspect", "record", "市场监督管理局", "--date", "2026-06-19", *quick, cwd=ws)
    assert r.err.startswith("警告：--date：鲁山县市场监督管理局按计划应在5月第三周（5月18日至5月24日）检查，本次日期 2026-06-19 不在该周")
    assert "type:" not in (ws / "data/records/inspections/2026/2026-06-19-shijianju.yaml").read_text(encoding="utf-8")
    before = snapshot(ws / "data")
    r = run("inspect", "record", "司法局", "--date", "2026-06-19", "--type", "专门监督", *quick, cwd=ws)
    assert (r.code, r.err) == (2, "错误：--type 的值“专门监督”无效，可选：日常监督、重点监督、专项监督\n")
    assert snapshot(ws / "data") == before
    # 年中抽查: no sample saved yet, then a unit not drawn, then a drawn one
    r = run("inspect", "record", "司法局", "--date", "2026-06-20", "--kind", "年中抽查", "--as-of", "2026-06-30", cwd=ws)
    assert r.err.startswith("警告：--kind：2026 年还没有保存年中抽查名单（lufa plan spotcheck --save），无法核对鲁山县司法局是否被抽中\n"), r.err
    assert run("plan", "spotcheck", "--year", "2026", "--count", "5", "--seed", "1", "--save", "--as-of", "2026-06-30", cwd=ws).code == 0
    drawn = (ws / "data/records/spotchecks/2026.yaml").read_text(encoding="utf-8")
    assert "- xianzhengfuban\n" in drawn and "- sifaju\n" not in drawn
    r = run("inspect", "record", "司法局", "--date", "2026-06-21", "--kind", "年中抽查", "--as-of", "2026-06-30", cwd=ws)
    assert r.err.startswith("警告：--kind：鲁山县司法局不在 2026 年年中抽查名单中（lufa plan spotcheck 抽取的 5 个单位）\n"), r.err
    r = run("inspect", "record", "xianzhengfuban", "--date", "2026-06-22", "--kind", "年中抽查", "--as-of", "2026-06-30", cwd=ws)
    assert r.code == 0 and not r.err.startswith("警告"), r.err
    r = run("check", cwd=ws)
    assert "鲁山县司法局不在 2026 年年中抽查名单中" in r.err
    rows = json.loads(run("inspect", "list", "--type", "重点监督", "--format", "json", cwd=ws).out)
    assert [(x["id"], x["kind"], x["type"]) for x in rows] == [("2026-06-18-shijianju", "日常监督", "重点监督")]
    rows = json.loads(run("inspect", "list", "--kind", "年中抽查", "--format", "json", cwd=ws).out)
    assert [x["id"] for x in rows] == ["2026-06-20-sifaju", "2026-06-21-sifaju", "2026-06-22-xianzhengfuban"]
    v = json.loads(run("status", "--as-of", "2026-12-01", "--format", "json", cwd=ws).out)
    assert v["inspections"]["by_type"] == {"日常监督": 4, "重点监督": 1, "专项监督": 0}
    assert v["spotcheck"] == {"drawn": 5, "done": 1, "waiting": ["平顶山市尧山风景名胜区管理局", "鲁山县民族宗教事务局", "鲁山县仓头乡人民政府", "鲁山县四棵树乡人民政府"]}
    r = run("status", "--as-of", "2026-12-01", cwd=ws)
    assert "按监督类型：日常监督 4 次、重点监督 1 次、专项监督 0 次\n年中抽查：抽中 5 个单位，已抽查 1 个\n" in r.out


def test_check_reads_the_letters(ws, run) -> None:
    _issue(run, ws)
    assert run("rectify", "remind", "2026-1", "--date", "2026-07-03", cwd=ws).code == 0
    assert run("check", cwd=ws).code == 0
    folder = ws / "data" / "records" / "letters" / "cuiban" / "2026"
    text = (folder / "2026-0001.yaml").read_text(encoding="utf-8")
    (folder / "2026-0001.yaml").write_text(text.replace("notice: 鲁政行监字〔2026〕1号", "notice: 鲁政行监字〔2026〕9号"), encoding="utf-8")
    (folder / "2026-0001.yaml").rename(folder / "2026-0002.yaml")
    r = run("check", cwd=ws)
    assert r.code == 1
    assert "data/records/letters/cuiban/2026/2026-0002.yaml:" in r.err
    assert "文件名应为 letters/cuiban/2026/2026-0001.yaml，与记录中的函件、年度和编号一致" in r.err
    assert "文书“鲁政行监字〔2026〕9号”不存在" in r.err


def test_readme_ladder_example_is_what_the_tool_prints(ws, run) -> None:
    """The README's `text` example of the ladder (after a 意见书 of 2026-06-01 to 司法局), line by line."""
    import re
    import shlex

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```text\n(.*?)```", readme, re.S) if "$ lufa rectify remind 1 --date 2026-07-03" in b]
    steps: list[tuple[list[str], list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ lufa "):
            steps.append((shlex.split(line[len("$ lufa "):]), []))
        else:
            steps[-1][1].append(line)
    _issue(run, ws)
    for args, lines in steps:
        r = run("--today", "2026-07-20", *args, cwd=ws)
        printed = [x for x in (r.out + r.err).splitlines() if not x.startswith("按 2026 年理解：")]
        assert printed == lines, (args, printed)


def test_voiding_the_jueding_gives_the_loop_back_to_the_yijianshu(ws, run) -> None:
    _issue(run, ws)  # 鲁政行监字〔2026〕1号, deadline 2026-07-01
    assert run("notice", "issue", "--kind", "jueding", "--follows", "鲁政行监字〔2026〕1号", "--date", "2026-07-21", cwd=ws).code == 0
    r = run("--today", "2026-07-22", "notice", "void", "jueding-2026-1", "--reason", "误发", "--date", "2026-07-22", cwd=ws)
    assert r.code == 0, r.text
    assert "鲁政行监字〔2026〕1号 重新由本机关督办（接续它的 鲁政行监决字〔2026〕1号 已作废）" in r.err
    r = run("notice", "show", "鲁政行监字〔2026〕1号", cwd=ws)
    assert "状态：待反馈" in r.out and "2026-07-22 接续的文书已作废，重新督办本文书（鲁政行监决字〔2026〕1号）" in r.out, r.out
    r = run("rectify", "overdue", "--as-of", "2026-07-23", "--format", "json", cwd=ws)
    assert [x["doc_number"] for x in json.loads(r.out)["overdue"]] == ["鲁政行监字〔2026〕1号"]
    # as it stood before the voiding, the 决定书 still carried it
    r = run("notice", "list", "--format", "json", cwd=ws)
    assert [(x["doc_number"], x["status"]) for x in json.loads(r.out)] == [("鲁政行监字〔2026〕1号", "待反馈"), ("鲁政行监决字〔2026〕1号", "已作废")]
    assert run("--today", "2026-07-23", "rectify", "feedback", "2026-1", "--date", "2026-07-23", cwd=ws).code == 2  # 2026-1 is two notices
    r = run("--today", "2026-07-23", "rectify", "feedback", "鲁政行监字〔2026〕1号", "--date", "2026-07-23", cwd=ws)
    assert r.code == 0, r.text
    # and it may be carried on again
    r = run("notice", "issue", "--kind", "jueding", "--follows", "鲁政行监字〔2026〕1号", "--date", "2026-07-24", cwd=ws)
    assert r.code == 0 and "鲁政行监决字〔2026〕2号（接续 鲁政行监字〔2026〕1号）" in r.err, r.text
    assert run("check", cwd=ws).code == 0


def test_an_old_record_with_feedback_after_its_follow_up_keeps_its_meaning() -> None:
    import datetime as dt

    from lufa_cli.model.notices import Event, Notice, NoticeFinding

    n = Notice(year=2026, number=1, doc_number="鲁政行监字〔2026〕1号", kind="yijianshu", kind_name="行政执法监督意见书",
               unit="sifaju", issued=dt.date(2026, 6, 1), findings=[NoticeFinding(text="x")], rectify_days=30,
               deadline=dt.date(2026, 7, 1))
    followed = Event(event="followed", date=dt.date(2026, 7, 21), doc="鲁政行监决字〔2026〕1号")
    assert n.model_copy(update={"history": [followed]}).state() == ("已接续", dt.date(2026, 7, 21))
    old = n.model_copy(update={"history": [followed, Event(event="feedback", date=dt.date(2026, 7, 25)),
                                           Event(event="verify", date=dt.date(2026, 7, 30), method="书面审阅", result="通过")]})
    assert old.state() == ("已办结", dt.date(2026, 7, 30))


def test_find_notice_takes_back_the_ref_it_suggests_for_any_kind_id() -> None:
    from types import SimpleNamespace

    from lufa_cli.cli.notice import find_notice, notice_ref

    def notice(kind: str, doc: str) -> SimpleNamespace:
        return SimpleNamespace(year=2026, number=1, kind=kind, doc_number=doc, key=f"{kind}-2026-0001")

    notices = [notice("yijianshu", "鲁政行监字〔2026〕1号"), notice("ze-ling2", "鲁政行监责字〔2026〕1号")]
    for n in notices:
        ref = notice_ref(n, notices)
        assert ref == f"{n.kind}-2026-1" and find_notice(notices, ref, 2026) is n


def test_a_follow_up_voided_without_telling_its_notice_is_a_warning(ws, run) -> None:
    """As lufa before `unfollowed` left it (or a run killed between the two writes)."""
    _issue(run, ws)
    assert run("notice", "issue", "--kind", "jueding", "--follows", "鲁政行监字〔2026〕1号", "--date", "2026-07-21", cwd=ws).code == 0
    assert run("--today", "2026-07-22", "notice", "void", "jueding-2026-1", "--reason", "误发", "--date", "2026-07-22", cwd=ws).code == 0
    path = ws / NOTICES / "2026-0001.yaml"
    text = path.read_text(encoding="utf-8")
    cut = text.index("- event: unfollowed")
    path.write_text(text[:cut], encoding="utf-8")  # the entry it got, taken away
    r = run("check", cwd=ws)
    assert r.code == 0 and ("data/records/notices/2026/2026-0001.yaml: 警告：接续本文书的 鲁政行监决字〔2026〕1号 已于 2026-07-22 作废，"
                            "但本文书的记录没有注明，仍按“已接续”不再督办；请在其 history 末尾加上一项：event: unfollowed、date: 2026-07-22、"
                            "doc: 鲁政行监决字〔2026〕1号") in r.err, r.text
    path.write_text(text, encoding="utf-8")
    r = run("check", cwd=ws)
    assert r.code == 0 and "接续本文书的" not in r.err, r.text


def test_voiding_a_follow_up_whose_notice_cannot_be_told_still_retires_its_document(ws, run, monkeypatch) -> None:
    import lufa_cli.records.notices as records_notices
    from lufa_cli.errors import ExitCode, RefusedError

    _issue(run, ws)
    assert run("notice", "issue", "--kind", "jueding", "--follows", "鲁政行监字〔2026〕1号", "--date", "2026-07-21", cwd=ws).code == 0

    def refuse(*_args, **_kwargs):
        raise RefusedError("磁盘已满（模拟）")

    monkeypatch.setattr(records_notices, "mark_unfollowed", refuse)
    r = run("--today", "2026-07-22", "notice", "void", "jueding-2026-1", "--reason", "误发", "--date", "2026-07-22", cwd=ws)
    assert r.code == ExitCode.PARTIAL, r.text
    assert ("错误：鲁政行监决字〔2026〕1号 已作废；但没能在 鲁政行监字〔2026〕1号 的记录中注明（磁盘已满（模拟））：请手工在其 history 末尾加上"
            " event: unfollowed、date: 2026-07-22、doc: 鲁政行监决字〔2026〕1号（lufa check 也会提示）") in r.err, r.err
    assert (ws / OUT / "notices" / "2026" / "鲁政行监决字〔2026〕1号-司法局-已作废.docx").is_file()
    monkeypatch.undo()
    assert "接续本文书的 鲁政行监决字〔2026〕1号 已于 2026-07-22 作废" in run("check", cwd=ws).err
