"""report feedback (考核结果反馈函, one per inspected unit) and report models (先进典型报告) through the CLI."""

from __future__ import annotations

import shutil

import docx
import pytest

from conftest import snapshot
from test_cli_review import WEIGHTS, rules  # noqa: F401 - the fixture: veto, bonus and per-occurrence items
from test_cli_review import _year as _rules_year

AS_OF = ("--as-of", "2026-11-28")
TODAY = ("--today", "2027-01-08")
FOLDER = ("output", "考核结果反馈", "2026")


def _year(run, ws) -> None:
    """司法局 97 and 工信局 97 (tied first), 发改委 90 with an overdue notice, 张良镇 75 overdue for months, 下汤镇 100."""
    records = [
        ("司法局", "2026-04-13", ("--item", "3.3", "--deduction", "2", "--finding", "执法记录仪未全程开启",
                                "--case", "鲁司罚决字〔2026〕第3号", "--case-name", "某某运输公司超限运输案")),
        ("司法局", "2026-11-20", ("--kind", "年终总结", "--item", "2", "--deduction", "0.5", "--count", "2", "--finding", "培训试卷未存档")),
        ("发展和改革委员会", "2026-04-14", ("--item", "3.3", "--deduction", "10", "--finding", "未配备执法记录设备")),
        ("工业和信息化局", "2026-04-20", ("--item", "1.1", "--deduction", "3", "--finding", "未制定行政执法规范用语", "--fixed")),
        ("张良镇", "2026-03-03", ("--item", "5", "--deduction", "15", "--finding", "处罚决定书未载明救济途径",
                                "--item", "4", "--deduction", "10", "--finding", "重大行政处罚未备案")),
        ("下汤镇", "2026-04-06", ()),
    ]
    for unit, date, extra in records:
        r = run("inspect", "record", unit, "--date", date, *extra, *AS_OF, cwd=ws)
        assert r.code == 0, r.text
    steps = [
        ("notice", "issue", "--inspection", "2026-03-03-zhangliang-zhen", "--date", "2026-03-10"),
        ("notice", "issue", "--inspection", "2026-04-13-sifaju", "--date", "2026-04-20"),
        ("rectify", "feedback", "2026-2", "--date", "2026-05-10", "--doc", "鲁司文〔2026〕5号"),
        ("rectify", "verify", "2026-2", "--method", "书面审阅", "--result", "通过", "--date", "2026-05-15"),
        ("notice", "issue", "--inspection", "2026-04-14-fagaiwei", "--date", "2026-11-25"),
    ]
    for args in steps:
        r = run(*args, cwd=ws)
        assert r.code == 0, (args, r.text)


def _text(path) -> list[str]:
    return [p.text.strip() for p in docx.Document(str(path)).paragraphs if p.text.strip()]


SIFAJU = [
    "关于反馈2026年度\n依法行政监督考核结果的函",
    "鲁山县司法局：",
    "根据《行政执法监督条例》和《关于在全县开展依法行政监督考核的工作制度》（鲁法政办〔2021〕4号）的规定，截至2026年12月31日，"
    "鲁山县法治政府建设领导小组办公室对你单位开展监督检查2次（2026年4月13日日常监督、2026年11月20日年终总结）。"
    "现将你单位2026年度依法行政监督考核结果反馈如下：",
    "一、考核得分和等次",
    "你单位2026年度考核得分97分，等次为优秀，在本次考核的3个县直单位中排第1名（与鲁山县工业和信息化局并列）。"
    "县直单位和乡镇分别排名，按得分从高到低排列，同分者名次相同。",
    "二、发现的问题",
    "（一）培训考核（本类失分1分）",
    "1.2026年11月20日年终总结检查发现：培训试卷未存档（2 培训考核，每处扣0.5分，共2处，扣1分）。",
    "（二）三项制度（本类失分2分）",
    "1.2026年4月13日日常监督检查发现：在某某运输公司超限运输案（鲁司罚决字〔2026〕第3号）中，执法记录仪未全程开启（3.3 执法全过程记录制度，扣2分）。",
    "三、监督文书办理情况",
    "2026年共向你单位下达监督文书1份，截至2026年12月31日均已办结。",
    "四、工作要求",
    "请你单位对照本函反馈的问题，认真分析原因，举一反三，逐项抓好整改，进一步规范行政执法行为。",
    "（印章）",
    "鲁山县法治政府建设领导小组办公室",
    "2027年1月8日",
    "（联系人：张三，联系方式：0375-7653158）",
]  # fmt: skip

ZHANGLIANG_NOTICES = [
    "三、监督文书办理情况",
    "2026年共向你单位下达监督文书1份，截至2026年12月31日，尚未办结的监督文书有1份：",
    "1.鲁政行监字〔2026〕1号（行政执法监督意见书），2026年3月10日下达，整改期限2026年4月9日，逾期未报送整改情况，已逾期266日。",
    "四、工作要求",
    "请你单位对照本函反馈的问题，认真分析原因，举一反三，逐项抓好整改，进一步规范行政执法行为。"
    "尚未办结的监督文书，请按期限要求将整改情况书面报送至鲁山县司法局行政执法协调监督室（司法大楼504）；已逾期的，请立即整改并报送。",
]  # fmt: skip

SUMMARY = ("2026年度考核结果反馈函：已考核 5 个单位，生成 {done} 份{skipped}；尚未考核的 50 个单位不生成"
           "（截至2026年12月31日没有2026年的日常监督、年中抽查或年终总结记录）。目录：output/考核结果反馈/2026\n")
NAMES = ["2026年度考核结果反馈-下汤镇.docx", "2026年度考核结果反馈-发展和改革委员会.docx", "2026年度考核结果反馈-司法局.docx",
         "2026年度考核结果反馈-工业和信息化局.docx", "2026年度考核结果反馈-张良镇.docx"]


def test_feedback_one_letter_per_inspected_unit(ws, run) -> None:
    _year(run, ws)
    r = run(*TODAY, "report", "feedback", "--year", "2026", "--date", "2027-01-08", cwd=ws)
    assert r.code == 0, r.text
    assert r.err == SUMMARY.format(done=5, skipped="") and r.out == ""
    folder = ws.joinpath(*FOLDER)
    assert sorted(p.name for p in folder.iterdir()) == NAMES
    assert _text(folder / "2026年度考核结果反馈-司法局.docx") == SIFAJU
    zhang = _text(folder / "2026年度考核结果反馈-张良镇.docx")
    assert zhang[4] == "你单位2026年度考核得分75分，等次为合格，在本次考核的2个乡镇中排第2名。县直单位和乡镇分别排名，按得分从高到低排列，同分者名次相同。"
    assert zhang[6:10] == ["（一）重大行政处罚备案（本类失分10分）", "1.2026年3月3日日常监督检查发现：重大行政处罚未备案（4 重大行政处罚备案，扣10分）。",
                           "（二）处罚程序（本类失分15分）", "1.2026年3月3日日常监督检查发现：处罚决定书未载明救济途径（5 处罚程序，扣15分）。"]
    assert zhang[10:15] == ZHANGLIANG_NOTICES
    fagai = _text(folder / "2026年度考核结果反馈-发展和改革委员会.docx")
    assert "在本次考核的3个县直单位中排第3名。" in fagai[4]  # 97, 97, 90: ties share a rank, the next is 3rd
    assert "1.鲁政行监字〔2026〕3号（行政执法监督意见书），2026年11月25日下达，整改期限2026年12月25日，逾期未报送整改情况，已逾期6日。" in fagai
    gongxin = _text(folder / "2026年度考核结果反馈-工业和信息化局.docx")
    assert "1.2026年4月20日日常监督检查发现：未制定行政执法规范用语（1.1 文明执法，扣3分，已立行立改）。" in gongxin
    assert "2026年未向你单位下达监督文书。" in gongxin
    xiatang = _text(folder / "2026年度考核结果反馈-下汤镇.docx")
    assert xiatang[5:11] == ["二、发现的问题", "2026年度监督检查中未发现你单位存在问题。", "三、监督文书办理情况", "2026年未向你单位下达监督文书。",
                             "四、工作要求", "请你单位继续保持，进一步健全制度、规范行政执法行为。"]
    d = docx.Document(str(folder / "2026年度考核结果反馈-司法局.docx"))
    sec = d.sections[0]
    assert (sec.page_width.twips, sec.page_height.twips, sec.top_margin.twips, sec.left_margin.twips) == (11906, 16838, 2098, 1587)
    (banji,) = d.tables  # 版记: no 抄送 row when notice_wording.cc is empty
    assert [row.cells[0].text for row in banji.rows] == ["鲁山县司法局行政执法协调监督室\t2027年1月8日印发"]


def test_feedback_cc_from_notice_wording(ws, run) -> None:
    _year(run, ws)
    settings = ws / "data" / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  cc: []", "  cc: [县纪委监委, 县人民政府办公室]"), encoding="utf-8")
    assert run(*TODAY, "report", "feedback", "--year", "2026", "--date", "2027-01-08", "--unit", "司法局", cwd=ws).code == 0
    (banji,) = docx.Document(str(ws.joinpath(*FOLDER, "2026年度考核结果反馈-司法局.docx"))).tables
    assert [row.cells[0].text for row in banji.rows] == ["抄送：县纪委监委，县人民政府办公室。", "鲁山县司法局行政执法协调监督室\t2027年1月8日印发"]


def test_feedback_existing_files_are_skipped_and_said(ws, run) -> None:
    _year(run, ws)
    args = (*TODAY, "report", "feedback", "--year", "2026", "--date", "2027-01-08")
    assert run(*args, cwd=ws).code == 0
    before = snapshot(ws)
    r = run(*args, cwd=ws)
    assert r.code == 0 and r.err == SUMMARY.format(done=0, skipped="，已存在跳过 5 份（--force 可覆盖）")
    assert snapshot(ws) == before
    r = run(*args, "--unit", "司法局", cwd=ws)
    assert r.code == 0
    assert r.err == "鲁山县司法局的考核结果反馈函已存在，跳过：output/考核结果反馈/2026/2026年度考核结果反馈-司法局.docx（--force 可覆盖）\n"
    assert snapshot(ws) == before
    r = run(*args, "--force", cwd=ws)
    assert r.code == 0 and r.err == SUMMARY.format(done=5, skipped="")
    assert snapshot(ws) == before  # the same records give byte-identical letters
    r = run(*args, "--unit", "zhangliang-zhen", "--force", cwd=ws)
    assert r.code == 0 and r.err == "已写入 output/考核结果反馈/2026/2026年度考核结果反馈-张良镇.docx（鲁山县张良镇人民政府：75分，合格）\n"
    # a folder where a letter goes stops the batch before any file is written
    (ws.joinpath(*FOLDER) / "2026年度考核结果反馈-司法局.docx").unlink()
    (ws.joinpath(*FOLDER) / "2026年度考核结果反馈-司法局.docx").mkdir()
    (ws.joinpath(*FOLDER) / "2026年度考核结果反馈-下汤镇.docx").unlink()
    before = snapshot(ws)
    r = run(*args, cwd=ws)
    assert r.code == 3 and "这是一个目录，不是文件" in r.err
    assert snapshot(ws) == before and not (ws.joinpath(*FOLDER) / "2026年度考核结果反馈-下汤镇.docx").exists()


def test_feedback_as_of_counts_nothing_later(ws, run) -> None:
    _year(run, ws)
    r = run(*TODAY, "report", "feedback", "--year", "2026", "--date", "2027-01-08", "--as-of", "2026-06-30", "-o", ws / "年中", cwd=ws)
    assert r.code == 0, r.text
    assert r.err.startswith("2026年度考核结果反馈函：已考核 5 个单位，生成 5 份；尚未考核的 50 个单位不生成（截至2026年6月30日")
    sifaju = _text(ws / "年中" / "2026年度考核结果反馈-司法局.docx")
    # the 年终总结 of 20 November and its finding are later: 98 points, first alone
    assert "截至2026年6月30日，鲁山县法治政府建设领导小组办公室对你单位开展监督检查1次（2026年4月13日日常监督）。" in sifaju[2]
    assert sifaju[4].startswith("你单位2026年度考核得分98分，等次为优秀，在本次考核的3个县直单位中排第1名。")
    assert "（一）培训考核（本类失分1分）" not in sifaju
    assert "2026年共向你单位下达监督文书1份，截至2026年6月30日均已办结。" in sifaju
    fagai = _text(ws / "年中" / "2026年度考核结果反馈-发展和改革委员会.docx")
    assert "2026年未向你单位下达监督文书。" in fagai  # issued 25 November
    zhang = _text(ws / "年中" / "2026年度考核结果反馈-张良镇.docx")
    assert "1.鲁政行监字〔2026〕1号（行政执法监督意见书），2026年3月10日下达，整改期限2026年4月9日，逾期未报送整改情况，已逾期82日。" in zhang
    # 年中 cuts at 30 June whatever the date of the letter
    r = run(*TODAY, "report", "feedback", "--year", "2026", "--kind", "年中", "--date", "2026-07-10", "--unit", "司法局", cwd=ws)
    assert r.code == 0, r.text
    mid = _text(ws.joinpath(*FOLDER, "2026年年中考核结果反馈-司法局.docx"))
    assert mid[0] == "关于反馈2026年年中\n依法行政监督考核结果的函"
    assert mid[4].startswith("你单位2026年年中考核得分98分")
    assert mid[-2] == "2026年7月10日"


BAD = [
    (("--unit", "无此单位"), "错误：名册中没有“无此单位”这个单位（lufa units 可列出全部单位）\n"),
    (("--unit", "气象局"), "错误：鲁山县气象局截至2026年12月31日没有2026年的日常监督、年中抽查或年终总结记录（尚未考核），不生成考核结果反馈函\n"),
    (("--kind", "年底"), "错误：--kind 的值“年底”无效，可选：年中、年终\n"),
    (("--as-of", "2027-01-09"), "错误：--as-of：日期 2027-01-09 晚于今天（2027-01-08）\n"),
    (("--as-of", "2027-01-08", "--date", "2027-01-05"), "错误：--as-of：日期 2027-01-08 晚于成文日期 2027-01-05（--date）；文书不能写成文日期以后的情况\n"),
    (("--date", "2027-13-01"), "错误：--date 的值“2027-13-01”不是有效日期，请写成 YYYY-MM-DD，如 2026-03-05\n"),
]


def test_feedback_bad_input_writes_nothing(ws, run) -> None:
    _year(run, ws)
    before = snapshot(ws)
    for args, message in BAD:
        r = run(*TODAY, "report", "feedback", "--year", "2026", *args, cwd=ws)
        assert (r.code, r.err) == (2, message), args
    r = run(*TODAY, "report", "feedback", "--year", "2025", cwd=ws)
    assert (r.code, r.err) == (2, "错误：截至2025年12月31日没有2025年的日常监督、年中抽查或年终总结记录，没有可反馈的考核结果\n")
    assert snapshot(ws) == before


MODELS = [
    "关于报送2026年度依法行政\n监督考核先进典型的报告",
    "平顶山市司法局：",
    "根据《关于在全县开展依法行政监督考核的工作制度》（鲁法政办〔2021〕4号）“与上级主管部门保持沟通，及时将先进模范典型上报”的要求，"
    "现将我县2026年度依法行政监督考核中表现较好的单位报告如下。",
    "截至2026年12月31日，共考核5个单位（县直单位3个、乡镇2个），其中优秀4个、良好0个、合格1个、不合格0个。"
    "表现较好的单位为县直单位、乡镇中各自优秀等次得分最高的3个单位，同分并列；有整改逾期事项或列为移交线索候选的单位不列入。"
    "据此确定先进典型3个：鲁山县司法局、鲁山县工业和信息化局、鲁山县下汤镇人民政府。",
    "一、县直单位",
    "（一）鲁山县司法局。考核得分97分，等次为优秀，在本次考核的3个县直单位中排第1名（与鲁山县工业和信息化局并列）。"
    "接受监督检查2次（2026年4月13日日常监督、2026年11月20日年终总结），发现问题3处（培训考核、三项制度方面），其余7个方面未发现问题。"
    "2026年被下达的1份监督文书均已按期整改办结。",
    "（二）鲁山县工业和信息化局。考核得分97分，等次为优秀，在本次考核的3个县直单位中排第1名（与鲁山县司法局并列）。"
    "接受监督检查1次（2026年4月20日日常监督），发现问题1处（人员素质方面），其中1处当场整改，其余8个方面未发现问题。2026年未被下达监督文书。",
    "二、乡镇",
    "（一）鲁山县下汤镇人民政府。考核得分100分，等次为优秀，在本次考核的2个乡镇中排第1名。"
    "接受监督检查1次（2026年4月6日日常监督），9个方面均未发现问题。2026年未被下达监督文书。",
    "特此报告。",
    "（印章）",
    "鲁山县法治政府建设领导小组办公室",
    "2027年1月8日",
    "（联系人：张三，联系方式：0375-7653158）",
]  # fmt: skip


def test_models_report_names_the_praised_units_with_their_facts(ws, run) -> None:
    _year(run, ws)
    r = run(*TODAY, "report", "models", "--year", "2026", "--date", "2027-01-08", cwd=ws)
    assert r.code == 0, r.text
    out = ws / "output" / "关于报送2026年度依法行政监督考核先进典型的报告.docx"
    assert r.err == f"已写入 {out.relative_to(ws)}（先进典型 3 个：鲁山县司法局、鲁山县工业和信息化局、鲁山县下汤镇人民政府）\n"
    # 发改委 (90, 优秀) has an overdue notice: never a model
    assert _text(out) == MODELS
    before = snapshot(ws)
    r = run(*TODAY, "report", "models", "--year", "2026", "--date", "2027-01-08", cwd=ws)
    assert r.code == 3 and r.err == f"错误：文件已存在：{out}（如确需覆盖，请加 --force）\n"
    assert snapshot(ws) == before
    r = run(*TODAY, "report", "models", "--year", "2026", "--date", "2027-01-08", "--to", "中共鲁山县委全面依法治县委员会办公室", "--force", cwd=ws)
    assert r.code == 0 and _text(out)[1] == "中共鲁山县委全面依法治县委员会办公室："
    # as of 30 June the 发改委 notice was not issued yet, and 司法局 had 98 alone
    r = run(*TODAY, "report", "models", "--year", "2026", "--as-of", "2026-06-30", "-o", ws / "年中.docx", cwd=ws)
    assert r.code == 0, r.text
    assert r.err == "已写入 年中.docx（先进典型 4 个：鲁山县司法局、鲁山县工业和信息化局、鲁山县发展和改革委员会、鲁山县下汤镇人民政府）\n"


def test_models_refused_when_no_unit_qualifies(ws, run) -> None:
    _year(run, ws)
    before = snapshot(ws)
    for args, message in [
        (("--year", "2025"), "错误：截至2025年12月31日，2025年还没有考核记录，没有可上报的先进典型\n"),
        (("--year", "2026", "--as-of", "2026-03-31"), "错误：截至2026年3月31日，2026年已考核的1个单位中没有优秀等次的单位，没有可上报的先进典型\n"),
        (("--year", "2026", "--to", " "), "错误：--to 不能为空\n"),
    ]:
        r = run(*TODAY, "report", "models", *args, cwd=ws)
        assert (r.code, r.err) == (2, message), args
    assert snapshot(ws) == before


def test_models_refused_when_every_top_unit_is_overdue(ws, run) -> None:
    assert run("inspect", "record", "司法局", "--date", "2026-04-13", "--item", "3.3", "--deduction", "2", "--finding", "执法记录仪未全程开启", *AS_OF, cwd=ws).code == 0
    assert run("notice", "issue", "--inspection", "2026-04-13-sifaju", "--date", "2026-04-20", cwd=ws).code == 0
    before = snapshot(ws)
    r = run(*TODAY, "report", "models", "--year", "2026", cwd=ws)
    assert (r.code, r.err) == (2, "错误：截至2026年12月31日，2026年优秀等次的1个单位（鲁山县司法局）均有整改逾期事项或列为移交线索候选，没有可上报的先进典型\n")
    assert snapshot(ws) == before


def test_templates_known_to_template_check_and_check(ws, run) -> None:
    r = run("template", "check", cwd=ws)
    assert r.code == 0, r.text
    assert "templates/feedback.docx：无误" in r.out and "templates/models.docx：无误" in r.out
    broken = docx.Document(str(ws / "templates" / "feedback.docx"))
    (par,) = [p for p in broken.paragraphs if p.text == "{{ addressee }}："]
    par.runs[0].text = "{{ adresse_ }}："
    broken.save(str(ws / "templates" / "feedback.docx"))
    r = run("template", "check", "feedback.docx", cwd=ws)
    assert r.code == 4 and "模板使用了未提供的变量“adresse_”" in r.err
    (ws / "templates" / "models.docx").unlink()
    r = run("check", cwd=ws)
    assert r.code == 0
    assert ("templates: 警告：模板 templates/models.docx 不存在；运行 lufa template add-missing 补上内置模板"
            "（lufa report models 生成先进典型报告要用它）") in r.err
    before = snapshot(ws)
    r = run("report", "models", "--year", "2026", cwd=ws)
    assert r.code == 4 and "模板 templates/models.docx 不存在" in r.err
    assert snapshot(ws) == before


def test_feedback_bonus_veto_review_and_weights_where_present(rules, run) -> None:  # noqa: F811
    ws = rules
    _rules_year(run, ws)
    args = (*TODAY, "report", "feedback", "--year", "2026", "--date", "2027-01-08")
    assert run(*args, cwd=ws).code == 0
    sifaju = _text(ws.joinpath(*FOLDER, "2026年度考核结果反馈-司法局.docx"))
    assert sifaju[4:12] == [
        "你单位2026年度考核得分95分，等次为优秀，在本次考核的1个县直单位中排第1名。县直单位和乡镇分别排名，按得分从高到低排列，同分者名次相同。",
        "加分项计入5分（记录加分7分，按上限计入）。",
        "案卷评查扣3分，计入5 处罚程序（评查记录2026-R001）。",
        "二、发现的问题",
        "（一）人员素质（本类失分3分）",
        "1.2026年4月13日日常监督检查发现：执法人员未着制式服装（1.1 文明执法，每处扣1分，共3处，扣3分）。",
        "（二）三项制度（本类失分4分）",
        "1.2026年12月1日年终总结检查发现：法制审核记录不全（3.2 重大执法决定法制审核制度，扣4分）。",
    ]  # the bonus findings are not problems
    zhang = _text(ws.joinpath(*FOLDER, "2026年度考核结果反馈-张良镇.docx"))
    assert zhang[4:9] == [
        "你单位2026年度考核得分100分，等次为不合格，在本次考核的1个乡镇中排第1名。县直单位和乡镇分别排名，按得分从高到低排列，同分者名次相同。",
        "你单位存在一票否决事项：拒不配合监督检查（2026年3月3日检查发现），不论得分，等次评为不合格。",
        "二、发现的问题",
        "（一）一票否决事项（不计分）",
        "1.2026年3月3日日常监督检查发现：拒不提供案卷（10 拒不配合监督检查，不计分）。",
    ]
    r = run(*TODAY, "report", "models", "--year", "2026", "--date", "2027-01-08", cwd=ws)
    assert r.code == 0, r.text
    models = _text(ws / "output" / "关于报送2026年度依法行政监督考核先进典型的报告.docx")
    assert models[5] == ("（一）鲁山县司法局。考核得分95分，等次为优秀，在本次考核的1个县直单位中排第1名。"
                         "接受监督检查2次（2026年4月13日日常监督、2026年12月1日年终总结），发现问题4处（人员素质、三项制度方面），"
                         "其余8个方面未发现问题。加分项计入5分。2026年未被下达监督文书。评查行政处罚案卷2卷（优秀1卷、不合格1卷），平均99.5分。")
    path = ws / "data" / "checklist.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\ncategories:", "\n" + WEIGHTS + "categories:", 1), encoding="utf-8")
    assert run(*args, "--force", cwd=ws).code == 0
    sifaju = _text(ws.joinpath(*FOLDER, "2026年度考核结果反馈-司法局.docx"))
    assert sifaju[4:6] == [
        "你单位2026年度考核得分98.2分，等次为优秀，在本次考核的1个县直单位中排第1名。县直单位和乡镇分别排名，按得分从高到低排列，同分者名次相同。",
        "总分按权重计算，其中日常（权重20%）94分、年终（权重80%）93分。",
    ]
    assert "（一）人员素质（本类失分0.6分）" in sifaju  # the category's loss is weighted as the score is
    zhang = _text(ws.joinpath(*FOLDER, "2026年度考核结果反馈-张良镇.docx"))
    assert zhang[5] == "总分按权重计算，其中日常（权重20%）100分、年终（权重80%）尚未检查。"


def test_feedback_lists_the_decision_not_the_notice_it_follows(ws, run) -> None:
    _year(run, ws)
    r = run("notice", "issue", "--kind", "jueding", "--follows", "鲁政行监字〔2026〕1号", "--date", "2026-06-01", cwd=ws)
    assert r.code == 0, r.text
    assert run(*TODAY, "report", "feedback", "--year", "2026", "--date", "2027-01-08", "--unit", "张良镇", cwd=ws).code == 0
    zhang = _text(ws.joinpath(*FOLDER, "2026年度考核结果反馈-张良镇.docx"))
    assert zhang[10:13] == [
        "三、监督文书办理情况",
        "2026年共向你单位下达监督文书2份，截至2026年12月31日，尚未办结的监督文书有1份：",
        "1.鲁政行监决字〔2026〕1号（行政执法监督决定书），2026年6月1日下达，整改期限2026年6月16日，逾期未报送整改情况，已逾期198日。",
    ]


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice 或 pdftotext 未安装")
def test_rendered_layout(ws, run) -> None:
    """Measured on the page LibreOffice draws with test_documents' check of every kind (margins, grid, page
    number about 7 mm under the block, never a page of only the signature), and the 版记 with the signature."""
    from lufa_cli.render.documents import convert_to_pdf
    from test_documents import MM, check_rendered_pages

    _year(run, ws)
    assert run(*TODAY, "report", "feedback", "--year", "2026", "--date", "2027-01-08", "--unit", "张良镇", cwd=ws).code == 0
    assert run(*TODAY, "report", "models", "--year", "2026", "--date", "2027-01-08", cwd=ws).code == 0
    block_bottom = (297 - 35) * MM
    for docx_path in (ws.joinpath(*FOLDER, "2026年度考核结果反馈-张良镇.docx"), ws / "output" / "关于报送2026年度依法行政监督考核先进典型的报告.docx"):
        pages = check_rendered_pages(convert_to_pdf(docx_path), "2027年1月8日")
        last = "".join(ln[4] for ln in pages[-1] if ln[1] < block_bottom)
        assert "鲁山县法治政府建设领导小组办公室2027年1月8日" in last and last.endswith("2027年1月8日印发"), docx_path.name  # signature with the 版记
        assert len(pages) <= 3


def test_feedback_notices_waiting_for_verification(ws, run) -> None:
    _year(run, ws)
    assert run("rectify", "feedback", "2026-3", "--date", "2026-11-30", cwd=ws).code == 0
    r = run("notice", "issue", "下汤镇", "--kind", "tongzhishu", "--finding", "执法信息公示不及时", "--date", "2026-12-01", cwd=ws)
    assert r.code == 0, r.text
    args = (*TODAY, "report", "feedback", "--year", "2026", "--date", "2027-01-08")
    assert run(*args, "--unit", "发展和改革委员会", cwd=ws).code == 0
    fagai = _text(ws.joinpath(*FOLDER, "2026年度考核结果反馈-发展和改革委员会.docx"))
    assert "1.鲁政行监字〔2026〕3号（行政执法监督意见书），2026年11月25日下达，整改期限2026年12月25日，2026年11月30日已报送整改情况，待回头看核查。" in fagai
    assert "尚未办结的监督文书，请按期限要求将整改情况书面报送至鲁山县司法局行政执法协调监督室（司法大楼504）。" in fagai[-5]  # none overdue
    assert run(*args, "--unit", "下汤镇", cwd=ws).code == 0
    xiatang = _text(ws.joinpath(*FOLDER, "2026年度考核结果反馈-下汤镇.docx"))
    assert "1.鲁政行监通字〔2026〕1号（行政执法监督通知书），2026年12月1日下达，整改期限2026年12月16日，整改期限已届满，待回头看核查。" in xiatang
    assert run(*args, "--unit", "下汤镇", "--as-of", "2026-12-10", "-o", ws / "早", cwd=ws).code == 0
    early = _text(ws / "早" / "2026年度考核结果反馈-下汤镇.docx")
    assert "1.鲁政行监通字〔2026〕1号（行政执法监督通知书），2026年12月1日下达，整改期限2026年12月16日，在整改期限内（不要求书面报送，期限届满后核查）。" in early
    assert "截至2026年12月10日" in early[2]


@pytest.mark.parametrize("what", ["feedback", "models", "circular"])
def test_report_pdf_needs_libreoffice_before_anything_is_written(ws, run, monkeypatch, what) -> None:
    _year(run, ws)
    before = snapshot(ws)
    monkeypatch.setenv("PATH", "/nonexistent")
    r = run(*TODAY, "report", what, "--year", "2026", "--date", "2027-01-08", "--pdf", cwd=ws)
    assert (r.code, r.err) == (6, "错误：未找到 LibreOffice（soffice），无法生成 PDF；请安装 LibreOffice 或去掉 --pdf\n")
    assert snapshot(ws) == before


@pytest.mark.skipif(shutil.which("soffice") is None, reason="未安装 LibreOffice（soffice）")
def test_feedback_pdf(ws, run) -> None:
    _year(run, ws)
    args = (*TODAY, "report", "feedback", "--year", "2026", "--date", "2027-01-08", "--unit", "下汤镇", "--pdf")
    r = run(*args, cwd=ws)
    assert r.code == 0, r.text
    pdf = ws.joinpath(*FOLDER, "2026年度考核结果反馈-下汤镇.pdf")
    assert r.err.splitlines()[-1] == f"已写入 {pdf.relative_to(ws)}" and pdf.read_bytes().startswith(b"%PDF")
    pdf.with_suffix(".docx").unlink()  # the letter is gone, its PDF is not: refused, nothing written
    before = snapshot(ws)
    r = run(*args, cwd=ws)
    assert r.code == 3 and r.err == f"错误：文件已存在：{pdf}（如确需覆盖，请加 --force）\n"
    assert snapshot(ws) == before


def test_open_notices_are_said_for_what_they_are_on_the_day() -> None:
    import datetime as dt

    from lufa_cli.model.notices import Event, Notice, NoticeFinding
    from lufa_cli.render.feedback import open_notices_text

    def notice(number: int, *history: Event, reply: bool = True) -> Notice:
        return Notice(year=2026, number=number, doc_number=f"鲁政行监字〔2026〕{number}号", kind="yijianshu",
                      kind_name="行政执法监督意见书", unit="sifaju", issued=dt.date(2026, 11, 2),
                      findings=[NoticeFinding(text="x")], rectify_days=30, deadline=dt.date(2026, 12, 2),
                      reply_required=reply, history=list(history))

    fed = Event(event="feedback", date=dt.date(2026, 11, 20))
    failed = Event(event="verify", date=dt.date(2026, 11, 25), method="书面审阅", result="未通过", new_deadline=dt.date(2026, 12, 20))
    within, reported, refed = notice(1), notice(2, fed), notice(3, fed, failed)
    day = dt.date(2026, 12, 2)
    assert open_notices_text([within], day, after=False) == ["均尚在整改期限内"]
    assert open_notices_text([within, refed], day, after=True) == ["其余2份尚在整改期限内"]  # the new deadline counts
    assert open_notices_text([reported], day, after=False) == ["均已报送整改情况、待核查"]
    assert open_notices_text([within, reported], day, after=True) == ["1份尚在整改期限内", "1份已报送整改情况、待核查"]
    # no reply asked, the deadline passed: not overdue before the verification wait is over, but not "within" either
    late = notice(4, reply=False)
    assert open_notices_text([late], dt.date(2026, 12, 3), after=False) == ["均整改期限已满、待核查"]
    assert open_notices_text([late, reported], dt.date(2026, 12, 3), after=True) == ["1份已报送整改情况、待核查", "1份整改期限已满、待核查"]
    assert open_notices_text([within], dt.date(2026, 12, 3), after=False) == ["均逾期未报送整改情况"]
