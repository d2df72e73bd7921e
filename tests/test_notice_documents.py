"""Issue 15 item 4, end to end through the real CLI: what the notices and letters say on paper
(legal basis, inspection facts, per-finding cases and 整改要求, periods, consequence, seal, 抄送/版记),
the 送达回证 beside each notice, and the history the notice keeps while it goes up the ladder."""

from __future__ import annotations

import json
from pathlib import Path

import docx

from conftest import snapshot

OUT = Path("output")
LEGAL = "根据《行政执法监督条例》和《关于在全县开展依法行政监督考核的工作制度》（鲁法政办〔2021〕4号）的规定，"
CONSEQUENCE = "逾期未整改或者整改不到位的，将予以通报，并视情况约谈你单位负责人、向县纪委监委移交有关问题线索。"
JIWEI = "中共鲁山县纪律检查委员会、鲁山县监察委员会"
ISSUER = "鲁山县法治政府建设领导小组办公室"
FACTS = "2026年4月13日，鲁山县法治政府建设领导小组办公室对你单位开展了日常监督检查，采取听取汇报、调阅案卷等方式。"
FINDING_1 = "一是在某某公司违法案（鲁司罚决字〔2026〕第3号）中，执法记录仪未全程开启。"
FINDING_2 = "二是在某某超市案（鲁司罚决字〔2026〕第5号）中，案卷未按规范立卷。整改要求：按立卷规范重新装订并编制卷内目录。"


def paragraphs(path: Path) -> list[str]:
    return [p.text.strip() for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def banji(path: Path) -> list[str]:
    """The 版记 table's lines (抄送, 印发机关 and 印发日期), as printed."""
    *_, table = docx.Document(str(path)).tables
    return [c.text for row in table.rows for c in row.cells]


def receipt_rows(path: Path) -> dict[str, str]:
    (table,) = docx.Document(str(path)).tables
    return {row.cells[0].text: row.cells[1].text for row in table.rows}


def closing(text: list[str], date: str) -> None:
    """Seal space, 署名 and 成文日期 after the body, then the contact line."""
    i = text.index("（印章）")
    assert text[i + 1 : i + 4] == [ISSUER, date, "（联系人：张三，联系方式：0375-7653158）"]


def _workspace(ws: Path, run) -> None:
    settings = ws / "data" / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("  cc: []", f"  cc: [{JIWEI}, 鲁山县人民政府办公室]", 1), encoding="utf-8")
    r = run("inspect", "record", "司法局", "--date", "2026-04-13", "--inspector", "张三", "--office", "jiandu",
            "--method", "听取汇报", "--method", "调阅案卷",
            "--item", "3.3", "--deduction", "2", "--finding", "执法记录仪未全程开启", "--case", "鲁司罚决字〔2026〕第3号", "--case-name", "某某公司违法案",
            "--item", "5", "--deduction", "1", "--finding", "案卷未按规范立卷", "--case", "鲁司罚决字〔2026〕第5号", "--case-name", "某某超市案",
            "--as-of", "2026-04-13", cwd=ws)
    assert r.code == 0, r.text


def test_yijianshu_overdue_remind_interview_jueding_on_paper(ws, run, monkeypatch) -> None:
    monkeypatch.setenv("LUFA_TODAY", "2026-12-30")
    _workspace(ws, run)
    r = run("notice", "issue", "--inspection", "2026-04-13-sifaju", "--date", "2026-04-20",
            "--requirement", "2=按立卷规范重新装订并编制卷内目录", cwd=ws)
    assert r.code == 0, r.text
    assert r.err == ("已下达 鲁政行监字〔2026〕1号：鲁山县司法局，2 条问题，整改期限 2026-05-20（记录 data/records/notices/2026/2026-0001.yaml，"
                     "文档 output/notices/2026/鲁政行监字〔2026〕1号-司法局.docx 及送达回证）\n")
    folder = ws / OUT / "notices" / "2026"
    text = paragraphs(folder / "鲁政行监字〔2026〕1号-司法局.docx")
    assert text[:5] == ["行政执法监督意见书", "鲁政行监字〔2026〕1号", "鲁山县司法局：", LEGAL + FACTS, "经监督检查，发现你单位存在以下问题："]
    assert text[5:7] == [FINDING_1, FINDING_2]  # each finding its own case; the requirement after its finding
    assert text[7] == ("请你单位接到本意见书后进行研究，制定具体措施、进一步完善制度，并于2026年5月20日前（30日内）"
                       "将整改情况书面报送至鲁山县司法局行政执法协调监督室（司法大楼504）。" + CONSEQUENCE)
    closing(text, "2026年4月20日")
    assert banji(folder / "鲁政行监字〔2026〕1号-司法局.docx") == [
        f"抄送：{JIWEI}，鲁山县人民政府办公室。", "鲁山县司法局行政执法协调监督室\t2026年4月20日印发"]
    slip = folder / "鲁政行监字〔2026〕1号-司法局-送达回证.docx"
    assert paragraphs(slip)[0] == "送达回证"
    assert receipt_rows(slip) == {
        "文书名称及文号": "行政执法监督意见书（鲁政行监字〔2026〕1号）", "送达机关": ISSUER, "受送达单位": "鲁山县司法局",
        "送达地点": "", "送达方式": "□直接送达　　□邮寄送达\n□电子送达　　□留置送达", "签收人": "", "签收日期": "　　　　年　　月　　日",
        "送达人": "", "备注": "整改期限至2026年5月20日，请按期书面报送整改情况"}

    r = run("rectify", "overdue", "--as-of", "2026-05-22", "--format", "json", cwd=ws)
    (item,) = json.loads(r.out)["overdue"]
    assert (item["doc_number"], item["next_step"], item["next_due"]) == ("鲁政行监字〔2026〕1号", "催办", "2026-05-21")
    r = run("rectify", "remind", "鲁政行监字〔2026〕1号", "--date", "2026-05-22", cwd=ws)
    assert r.code == 0, r.text
    letter = ws / OUT / "letters" / "2026" / "鲁政行监催字〔2026〕1号-司法局.docx"
    text = paragraphs(letter)
    assert text[:4] == ["行政执法监督催办函", "鲁政行监催字〔2026〕1号", "鲁山县司法局：",
                        FACTS + "本机关于2026年4月20日向你单位下达行政执法监督意见书（鲁政行监字〔2026〕1号），要求你单位于2026年5月20日前（30日内）"
                        "将整改情况书面报送至鲁山县司法局行政执法协调监督室（司法大楼504）。截至2026年5月22日，你单位已逾期2日，仍未报送整改情况。"]
    assert text[4:7] == ["行政执法监督意见书指出的问题是：", FINDING_1, FINDING_2]
    assert text[7] == (LEGAL + "现予催办。请你单位于2026年5月29日前完成整改，并将整改情况书面报送至鲁山县司法局行政执法协调监督室（司法大楼504）。"
                       "逾期仍未报送的，将约谈你单位负责人，并视情况予以通报、移交问题线索。")
    closing(text, "2026年5月22日")
    assert banji(letter) == [f"抄送：{JIWEI}，鲁山县人民政府办公室。", "鲁山县司法局行政执法协调监督室\t2026年5月22日印发"]

    r = run("rectify", "interview", "鲁政行监字〔2026〕1号", "--date", "2026-05-29", "--who", "李某（局长）", "--promised", "6月10日前报送整改报告", cwd=ws)
    assert r.code == 0, r.text
    r = run("notice", "issue", "--kind", "jueding", "--follows", "鲁政行监字〔2026〕1号", "--date", "2026-06-15", cwd=ws)
    assert r.code == 0, r.text
    decision = folder / "鲁政行监决字〔2026〕1号-司法局.docx"
    text = paragraphs(decision)
    assert text[:5] == ["行政执法监督决定书", "鲁政行监决字〔2026〕1号", "鲁山县司法局：",
                        FACTS + "本机关于2026年4月20日向你单位下达行政执法监督意见书（鲁政行监字〔2026〕1号），要求你单位于2026年5月20日前整改并书面报送整改情况。"
                        "你单位逾期未按要求整改。" + LEGAL + "本机关决定如下：",
                        "一、责令你单位于2026年6月30日前（15日内）纠正下列问题："]
    assert text[5:8] == [FINDING_1, FINDING_2,  # the cases and the requirement go on with the findings
                         "二、你单位应当于上述期限内将纠正情况书面报送至鲁山县司法局行政执法协调监督室（司法大楼504）。" + CONSEQUENCE]
    closing(text, "2026年6月15日")
    assert banji(decision)[-1] == "鲁山县司法局行政执法协调监督室\t2026年6月15日印发"
    assert receipt_rows(folder / "鲁政行监决字〔2026〕1号-司法局-送达回证.docx")["文书名称及文号"] == "行政执法监督决定书（鲁政行监决字〔2026〕1号）"

    r = run("notice", "show", "鲁政行监字〔2026〕1号", cwd=ws)
    assert [ln.strip() for ln in r.out.splitlines()[-3:]] == [
        "2026-05-22 催办（鲁政行监催字〔2026〕1号）", "2026-05-29 约谈（约谈对象：李某（局长），承诺：6月10日前报送整改报告）",
        "2026-06-15 接续下达（鲁政行监决字〔2026〕1号）"]
    r = run("notice", "show", "jueding-2026-1", "--format", "json", cwd=ws)
    shown = json.loads(r.out)
    assert (shown["follows"], shown["history"], shown["status"]) == ("鲁政行监字〔2026〕1号", [], "待反馈")
    assert [f["requirement"] for f in shown["findings"]] == ["", "按立卷规范重新装订并编制卷内目录"]
    assert run("check", cwd=ws).code == 0


def test_working_day_notice_up_the_ladder_to_referral_and_voided_with_its_slip(ws, run, monkeypatch) -> None:
    monkeypatch.setenv("LUFA_TODAY", "2026-12-30")
    _workspace(ws, run)
    r = run("notice", "issue", "--inspection", "2026-04-13-sifaju", "--date", "2026-04-20", "--days", "7", cwd=ws)
    assert r.code == 0, r.text
    folder = ws / OUT / "notices" / "2026"
    text = paragraphs(folder / "鲁政行监字〔2026〕1号-司法局.docx")
    assert "并于2026年4月29日前（7个工作日内）将整改情况书面报送至" in text[7]  # a working-day period says so
    steps = [("remind", "--date", "2026-04-30"), ("interview", "--date", "2026-05-08", "--who", "李某（局长）", "--promised", "5月15日前整改"),
             ("circular", "--date", "2026-05-15", "--doc", "鲁法政办〔2026〕9号"), ("refer", "--date", "2026-06-01")]
    for action, *args in steps:
        r = run("rectify", action, "鲁政行监字〔2026〕1号", *args, cwd=ws)
        assert r.code == 0, r.text
    referral = ws / OUT / "letters" / "2026" / "鲁政行监移字〔2026〕1号-司法局.docx"
    text = paragraphs(referral)
    assert text[:4] == ["问题线索移交函", "鲁政行监移字〔2026〕1号", f"{JIWEI}：",
                        "在依法行政监督检查中，本机关发现鲁山县司法局存在下列问题，经下达监督文书并督办，逾期仍未整改。"
                        + LEGAL + "现将有关问题线索移交你委（局），请依规依纪依法处理。"]
    assert text[4:8] == ["一、被监督单位：鲁山县司法局", "二、检查和下达的监督文书", FACTS.replace("你单位", "鲁山县司法局"),
                         "行政执法监督意见书（鲁政行监字〔2026〕1号），2026年4月20日下达，整改期限至2026年4月29日（7个工作日）。"]
    assert text[8:12] == ["三、督办经过", "2026年4月30日，催办（鲁政行监催字〔2026〕1号）。",
                          "2026年5月8日，约谈李某（局长），承诺5月15日前整改。", "2026年5月15日，通报（鲁法政办〔2026〕9号）。"]
    assert text[12:15] == ["四、未整改的问题", FINDING_1, "二是在某某超市案（鲁司罚决字〔2026〕第5号）中，案卷未按规范立卷。"]
    closing(text, "2026年6月1日")
    assert banji(referral)[0] == "抄送：鲁山县人民政府办公室。"  # not copied to the body it is sent to
    r = run("notice", "show", "鲁政行监字〔2026〕1号", "--format", "json", cwd=ws)
    assert [(e["event"], e["date"], e["doc"]) for e in json.loads(r.out)["history"]] == [
        ("remind", "2026-04-30", "鲁政行监催字〔2026〕1号"), ("interview", "2026-05-08", ""),
        ("circular", "2026-05-15", "鲁法政办〔2026〕9号"), ("refer", "2026-06-01", "鲁政行监移字〔2026〕1号")]

    # voided means voided on disk: the notice and its 送达回证 both renamed
    r = run("notice", "void", "鲁政行监字〔2026〕1号", "--reason", "单位名称写错", "--date", "2026-06-02", cwd=ws)
    assert r.code == 0, r.text
    assert sorted(p.name for p in folder.iterdir()) == ["鲁政行监字〔2026〕1号-司法局-已作废.docx", "鲁政行监字〔2026〕1号-司法局-送达回证-已作废.docx"]
    assert run("check", cwd=ws).code == 0


def test_render_writes_a_missing_receipt(ws, run) -> None:
    r = run("notice", "issue", "司法局", "--finding", "执法记录仪未全程开启", "--date", "2026-06-01", cwd=ws)
    assert r.code == 0, r.text
    folder = ws / OUT / "notices" / "2026"
    slip = folder / "鲁政行监字〔2026〕1号-司法局-送达回证.docx"
    slip.unlink()  # as a workspace from before lufa wrote receipts
    r = run("notice", "render", "2026-1", cwd=ws)
    assert (r.code, r.err) == (0, "鲁政行监字〔2026〕1号 的文档已存在，跳过：output/notices/2026/鲁政行监字〔2026〕1号-司法局.docx（--force 可覆盖）\n"
                                  "已补写 鲁政行监字〔2026〕1号 的送达回证：output/notices/2026/鲁政行监字〔2026〕1号-司法局-送达回证.docx\n")
    assert receipt_rows(slip)["备注"] == "整改期限至2026年7月1日，请按期书面报送整改情况"


REQUIREMENT_ERRORS = [
    (("--requirement", "3=按规范整改"),
     "错误：--requirement 的序号 3 超出范围：这份文书共 2 条问题（序号即文书中“一是、二是……”的次序，可先用 --dry-run 查看）\n"),
    (("--requirement", "按规范整改"), "错误：--requirement 的值“按规范整改”无效：请写成 序号=整改要求，如 --requirement 2=按立卷规范重新装订并编制目录\n"),
    (("--requirement", "1=甲", "--requirement", "1：乙"), "错误：--requirement 第 1 条写了两次\n"),
]


def test_requirement_bad_input_changes_nothing(ws, run) -> None:
    base = ("notice", "issue", "司法局", "--finding", "执法记录仪未全程开启", "--finding", "案卷未按规范立卷", "--date", "2026-06-01")
    before = snapshot(ws)
    for extra, message in REQUIREMENT_ERRORS:
        r = run(*base, *extra, cwd=ws)
        assert (r.code, r.err) == (2, message)
    r = run("notice", "issue", "--all", "--since", "2026-01-01", "--requirement", "1=甲", "--date", "2026-06-01", cwd=ws)
    assert (r.code, r.err) == (2, "错误：--requirement 只能用于单份下达（--all 一次下达多份，序号无法对应）\n")
    assert snapshot(ws) == before
    r = run(*base, "--requirement", "1：立即开启执法记录仪并全程记录", "--dry-run", cwd=ws)
    assert r.code == 0 and "一是执法记录仪未全程开启。整改要求：立即开启执法记录仪并全程记录。\n二是案卷未按规范立卷。\n" in r.out
    assert snapshot(ws) == before


def test_workspace_without_the_receipt_template_takes_no_number(ws, run) -> None:
    """A workspace made before the 送达回证 existed: issue refuses before a number is taken and names the
    one command that adds it; after `lufa template add-missing` the same issue goes through."""
    (ws / "templates" / "receipt-songda.docx").unlink()
    before = snapshot(ws)
    issue = ("notice", "issue", "司法局", "--finding", "执法记录仪未全程开启", "--date", "2026-06-01")
    r = run(*issue, cwd=ws)
    assert (r.code, r.out) == (4, "")
    assert r.err == "错误：模板 templates/receipt-songda.docx 不存在；运行 lufa template add-missing 补上内置模板\n"
    assert snapshot(ws) == before
    r = run(*issue, "--dry-run", cwd=ws)  # the preview says what the issue would stop at
    assert r.code == 0 and r.err == ("警告：模板 templates/receipt-songda.docx 不存在；运行 lufa template add-missing 补上内置模板；"
                                     "下面照常预览，实际下达时会因此拒绝（不占用文号）\n"), r.err
    assert snapshot(ws) == before
    r = run("template", "add-missing", cwd=ws)
    assert (r.code, r.out, r.err) == (0, "已添加 templates/receipt-songda.docx\n共添加 1 个内置模板；已有的模板未改动。\n", "")
    r = run(*issue, cwd=ws)
    assert r.code == 0, r.text
    assert (ws / "data" / "records" / "notices" / "2026" / "2026-0001.yaml").is_file()
    assert sorted(p.name for p in (ws / OUT / "notices" / "2026").iterdir()) == ["鲁政行监字〔2026〕1号-司法局-送达回证.docx", "鲁政行监字〔2026〕1号-司法局.docx"]
