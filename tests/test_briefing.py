"""lufa report briefing: the year in pictures, as an HTML page and a GB/T 9704 .docx."""

from __future__ import annotations

import builtins
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import snapshot
from test_cli_review import RULE_EDITS, RULE_TAIL
from test_cli_review import _year as review_year
from test_registers import SHEETS

TODAY = ("--today", "2026-12-20")


def _font() -> str:
    """The CJK family the charts use on this machine (.ci/run installs Noto Sans CJK when there is none)."""
    from lufa_cli.render.charts import find_cjk_font

    return find_cjk_font()[0]


def ok(r):
    assert r.code == 0, r.text
    return r


@pytest.fixture
def year(ws: Path, run) -> Path:
    """A test year: scored inspections with bonus, veto and case-file reviews (test_cli_review), the registers
    (test_registers), and notices: one closed in June, one overdue from July, one waiting for verification."""
    path = ws / "data" / "checklist.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in RULE_EDITS:
        text = text.replace(old, new, 1)
    path.write_text(text + RULE_TAIL, encoding="utf-8")
    review_year(run, ws)
    ok(run(*TODAY, "inspect", "record", "发展和改革委员会", "--date", "2026-04-14", "--item", "5", "--deduction", "2",
           "--finding", "处罚决定书未载明救济途径", "--item", "1.1", "--deduction", "1", "--finding", "未亮证执法", cwd=ws))
    ok(run(*TODAY, "inspect", "record", "下汤镇", "--date", "2026-05-12", "--item", "1.1", "--deduction", "1",
           "--finding", "执法人员未着制式服装", cwd=ws))
    for insp, day in (("2026-03-03-zhangliang-zhen", "2026-03-20"), ("2026-04-13-sifaju", "2026-05-10"), ("2026-04-14-fagaiwei", "2026-06-02")):
        ok(run(*TODAY, "notice", "issue", "--inspection", insp, "--date", day, cwd=ws))
    for args in (("rectify", "feedback", "1", "--date", "2026-04-10"),
                 ("rectify", "feedback", "2", "--date", "2026-06-01", "--doc", "鲁司文〔2026〕3号"),
                 ("rectify", "verify", "2", "--method", "书面审阅", "--result", "通过", "--date", "2026-06-15")):
        ok(run(*TODAY, *args, cwd=ws))
    for kind, sheet in SHEETS.items():
        (ws / f"{kind}.csv").write_text(sheet, encoding="utf-8")
        ok(run("register", kind, "record", "--from", ws / f"{kind}.csv", "--as-of", "2026-11-20", cwd=ws))
    return ws


def _docx_lines(path: Path) -> list[str]:
    from docx import Document

    return [p.text for p in Document(str(path)).paragraphs if p.text]


def _html_text(html: str) -> list[str]:
    """The text of the page's paragraphs, headings and captions."""
    return [re.sub(r"<[^>]+>", "", m) for m in re.findall(r"<(?:p|h1|h2|figcaption)[^>]*>(.*?)</(?:p|h1|h2|figcaption)>", html, re.S)]


EXPECTED_LINES = [
    "为便于工作推进会研究部署，现将2026年全县依法行政监督考核工作推进情况以图表形式汇报如下：",
    "一、考核得分",
    # 司法局 97 (1.1: 3 × 1, the review's 3, bonus 3; its 年终总结 of 1 Dec is later), 发改委 97, 下汤镇 99, 张良镇 vetoed
    "截至2026年11月30日，已对4个单位开展考核（共55个受监督单位），其中优秀3个、良好0个、合格0个、不合格1个。",
    "尚未考核的单位51个。",
    "加分情况：鲁山县司法局加3分。",
    "一票否决：鲁山县张良镇人民政府（拒不配合监督检查），不论得分评为不合格。",
    "图1　县直单位考核得分和等级",
    "图2　乡镇考核得分和等级",
    "二、发现的问题",
    "检查中共发现问题7处，涉及4个单位。",
    "人员素质方面，文明执法问题较为突出，共发现5处、涉及3个单位。",
    "处罚程序方面发现问题1处、涉及1个单位。",
    "一票否决事项方面，拒不配合监督检查发现问题1处、涉及1个单位。",
    "图3　各类别发现的问题（处）",
    "图4　问题最多的3个检查项目（处）",
    "三、问题整改",
    # 1 (张良镇) waits for verification since 10 Apr, 2 closed 15 June, 3 (发改委) never answered
    "本年度共下达监督文书3件，已办结1件；截至2026年11月30日，逾期未办结2件。",
    "图5　各月下达、办结的监督文书和月末逾期事项（件）",
    "四、备案审查和培训",
    "重大行政处罚备案方面，共收到3件，其中按时报送2件、逾期报送1件，另有1件逾期未报；县司法局已审查1件。",
    "规范性文件备案方面，共收到2件，其中按时报送1件、逾期报送1件；县司法局已审查0件。",
    "培训考核方面，登记培训考核的1个单位中，全年培训不足20学时的1个（鲁山县司法局），均组织了考试。",
    "图6　备案报送和审查（件）",
    "图7　各单位培训学时（要求不少于20学时）",
    "五、案卷评查",
    "案卷评查：共评查1个单位的行政处罚案卷2卷，其中优秀1卷、合格0卷、不合格1卷。按评查结果扣减第5项（处罚程序）分数：鲁山县司法局3分。"
    "案卷中较为突出的问题有：页码编写、装订不规范（2处）；主要事实不清、证据不足（1处）。",
    "图8　各单位评查案卷的等级（卷）",
    "图9　案卷中出现最多的问题（处）",
]


MONTHS = [["1月", "0", "0", "0"], ["2月", "0", "0", "0"], ["3月", "1", "0", "0"],
          ["4月", "0", "0", "1"],  # 张良镇's report of 10 Apr not verified within 15 days
          ["5月", "1", "0", "1"], ["6月", "1", "1", "1"],  # 司法局 closed on 15 June
          ["7月", "0", "0", "2"], ["8月", "0", "0", "2"], ["9月", "0", "0", "2"], ["10月", "0", "0", "2"], ["11月", "0", "0", "2"]]


def _tables(html: str) -> dict[str, list[list[str]]]:
    """Each chart's data table on the page, by its caption."""
    out = {}
    for cap, body in re.findall(r"<figcaption>(.*?)</figcaption>.*?<tbody>(.*?)</tbody>", html, re.S):
        out[cap] = [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
    return out


def test_briefing_of_a_year(year, run, tmp_path) -> None:
    r = ok(run("report", "briefing", "--year", "2026", "--as-of", "2026-11-30", "-o", tmp_path / "推进会", cwd=year))
    assert r.err.splitlines() == [
        f"已写入 {tmp_path / '推进会.html'}",
        f"已写入 {tmp_path / '推进会.docx'}",
        f"工作推进会材料：5 个部分、9 张图表（数据截至 2026-11-30，图表字体：{_font()}）",
    ]
    html = (tmp_path / "推进会.html").read_text(encoding="utf-8")
    lines = _docx_lines(tmp_path / "推进会.docx")
    assert lines[:2] == ["2026年依法行政监督考核工作推进情况", "（截至2026年11月30日）"]
    assert lines[2:-2] == EXPECTED_LINES
    assert lines[-2:] == ["\t鲁山县法治政府建设领导小组办公室", "\t2026年11月30日"]
    # the page says the same, with the chart's figures in a table under each chart
    assert [t for t in _html_text(html) if not t.startswith(("图1的", "lufa"))][:-1] == lines[:-2]
    tables = _tables(html)
    assert tables["图5　各月下达、办结的监督文书和月末逾期事项（件）"] == MONTHS
    assert tables["图1　县直单位考核得分和等级"] == [["司法局", "97", "优秀"], ["发展和改革委员会", "97", "优秀"]]
    assert tables["图2　乡镇考核得分和等级"] == [["张良镇", "100", "不合格"], ["下汤镇", "99", "优秀"]]
    assert tables["图3　各类别发现的问题（处）"] == [["人员素质", "5"], ["处罚程序", "1"], ["一票否决事项", "1"]]
    assert tables["图6　备案报送和审查（件）"] == [["重大行政处罚备案", "2", "1", "1", "1"], ["规范性文件备案", "1", "1", "0", "0"]]
    assert tables["图7　各单位培训学时（要求不少于20学时）"] == [["鲁山县司法局", "14", "不足学时"]]
    assert tables["图8　各单位评查案卷的等级（卷）"] == [["司法局", "1", "0", "1"]]
    # self-contained: every picture inline, nothing fetched from anywhere
    assert len(re.findall(r'<img src="data:image/svg\+xml;base64,', html)) == 9
    assert not re.search(r'(?:src|href)="(?!data:)', html) and "<script" not in html and "<link" not in html
    assert "@media print" in html and "size: A4" in html
    # the docx: nine pictures in the GB/T 9704 page
    from docx import Document
    from docx.shared import Mm

    doc = Document(str(tmp_path / "推进会.docx"))
    assert len(doc.inline_shapes) == 9
    assert all(s.width <= Mm(150) + 1 for s in doc.inline_shapes)
    sec = doc.sections[0]
    assert [round(x.mm) for x in (sec.page_width, sec.page_height, sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)] == [
        210, 297, 37, 35, 28, 26]
    assert doc.core_properties.created.date().isoformat() == "2026-11-30"


def test_briefing_as_of_leaves_out_what_came_later(year, run, tmp_path) -> None:
    ok(run("report", "briefing", "--year", "2026", "--date", "2026-06-10", "-o", tmp_path / "b", cwd=year))
    lines = _docx_lines(tmp_path / "b.docx")
    # 司法局's review deduction (November) and its verification (15 June) had not happened yet
    assert "截至2026年6月10日，已对4个单位开展考核（共55个受监督单位），其中优秀3个、良好0个、合格0个、不合格1个。" in lines
    assert "本年度共下达监督文书3件，已办结0件；截至2026年6月10日，逾期未办结1件。" in lines
    assert "本年度尚无案卷评查记录，暂无可展示的评查结果。" in lines
    tables = _tables((tmp_path / "b.html").read_text(encoding="utf-8"))
    assert tables["图5　各月下达、办结的监督文书和月末逾期事项（件）"] == [*MONTHS[:5], ["6月", "1", "0", "1"]]
    assert tables["图1　县直单位考核得分和等级"] == [["司法局", "100", "优秀"], ["发展和改革委员会", "97", "优秀"]]
    assert not any(k.endswith("各单位评查案卷的等级（卷）") for k in tables)


def test_briefing_of_an_empty_year_draws_nothing(ws, run, tmp_path) -> None:
    r = ok(run("report", "briefing", "--year", "2026", "--as-of", "2026-03-01", "--format", "docx", "-o", tmp_path / "空.docx", cwd=ws))
    assert r.err.splitlines()[-1] == f"工作推进会材料：5 个部分、0 张图表（数据截至 2026-03-01，图表字体：{_font()}）"
    assert _docx_lines(tmp_path / "空.docx")[2:-2] == [
        "为便于工作推进会研究部署，现将2026年全县依法行政监督考核工作推进情况以图表形式汇报如下：",
        "一、考核得分", "截至2026年3月1日，本年度尚无计分的检查记录，暂无可展示的得分。",
        "二、发现的问题", "本年度检查尚未发现问题，暂无可展示的问题分布。",
        "三、问题整改", "本年度尚未下达监督文书，暂无可展示的整改情况。",
        "四、备案审查和培训", "本年度尚无备案、培训登记，暂无可展示的登记簿数据。",
        "五、案卷评查", "本年度尚无案卷评查记录，暂无可展示的评查结果。",
    ]
    assert not (tmp_path / "空.html").exists()


def test_briefing_is_reproducible_and_never_overwrites(year, run, tmp_path) -> None:
    args = ("report", "briefing", "--year", "2026", "--as-of", "2026-11-30")
    ok(run(*args, cwd=year))
    out = year / "output"
    names = ["2026年依法行政监督考核工作推进情况.html", "2026年依法行政监督考核工作推进情况.docx"]
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == sorted(names)
    before = snapshot(out)
    r = run(*args, cwd=year)
    assert r.code == 3
    assert r.err.strip() == f"错误：文件已存在：{out / names[0]}（如确需覆盖，请加 --force）"
    assert snapshot(out) == before
    # one of the two there: refused before anything is drawn or written
    (out / names[0]).unlink()
    (out / names[1]).rename(tmp_path / "kept.docx")
    (out / names[1]).write_bytes(b"clerk's own")
    r = run(*args, cwd=year)
    assert r.code == 3 and not (out / names[0]).exists() and (out / names[1]).read_bytes() == b"clerk's own"
    # --force: the same data and date give the same bytes
    ok(run(*args, "--force", cwd=year))
    assert snapshot(out) == before
    assert (out / names[1]).read_bytes() == (tmp_path / "kept.docx").read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "pdf"), "--format 的值“pdf”无效，可选：both、html、docx"),
        (("--format", "html", "-o", "推进会.docx"), "-o 的文件“推进会.docx”应以 .html 或 .htm 结尾（--format html）"),
        (("--format", "docx", "-o", "推进会.html"), "-o 的文件“推进会.html”应以 .docx 结尾（--format docx）"),
        (("--year", "2027"), "--year 2027 晚于截至日期 2026-11-30，还没有可汇报的内容"),
    ],
)
def test_briefing_bad_options(ws, run, args, message) -> None:
    before = snapshot(ws)
    r = run("report", "briefing", "--as-of", "2026-11-30", *args, cwd=ws)
    assert r.code == 2
    assert r.err.strip() == f"错误：{message}"
    assert snapshot(ws) == before


def test_briefing_without_matplotlib(ws, run, monkeypatch) -> None:
    real = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError(f"No module named {name!r}")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    before = snapshot(ws)
    r = run("report", "briefing", "--as-of", "2026-11-30", cwd=ws)
    assert r.code == 6
    assert r.err.strip() == ("错误：生成图表需要 matplotlib，当前没有安装；请安装带图表功能的 lufa：在源码目录中运行 "
                             "uv tool install --compile-bytecode --force '.[charts]'（用 uv run 时：uv sync --extra charts）")
    assert snapshot(ws) == before and not (ws / "output").exists()


def test_briefing_without_a_cjk_font(ws, run, monkeypatch) -> None:
    from lufa_cli.render import charts

    monkeypatch.setattr(charts, "CJK_FAMILIES", ("No Such Font",))
    before = snapshot(ws)
    r = run("report", "briefing", "--as-of", "2026-11-30", cwd=ws)
    assert r.code == 6
    assert r.err.strip() == (
        "错误：没有找到可用于图表的中文字体（已查找：Noto Sans CJK SC、文泉驿正黑、微软雅黑、黑体、宋体、AR PL UMing 等）；"
        "请安装一种中文字体（Debian/Ubuntu：apt-get install fonts-noto-cjk），或在 settings.yaml 中用 chart_font 写明字体名称或字体文件路径")
    assert snapshot(ws) == before and not (ws / "output").exists()


def test_briefing_font_named_in_settings(ws, run, monkeypatch, tmp_path) -> None:
    from lufa_cli.render import charts

    _, font = charts.find_cjk_font()
    monkeypatch.setattr(charts, "CJK_FAMILIES", ("No Such Font",))
    settings = ws / "data" / "settings.yaml"
    original = settings.read_text(encoding="utf-8")
    settings.write_text(original + "chart_font: /no/such/font.ttf\n", encoding="utf-8")
    r = run("report", "briefing", "--as-of", "2026-11-30", cwd=ws)
    assert (r.code, r.err.strip()) == (6, "错误：settings.yaml 的 chart_font 指定的字体文件 /no/such/font.ttf 不存在")
    settings.write_text(original + "chart_font: 某某体\n", encoding="utf-8")
    r = run("report", "briefing", "--as-of", "2026-11-30", cwd=ws)
    assert (r.code, r.err.strip()) == (6, "错误：settings.yaml 的 chart_font 指定的字体“某某体”在本机没有找到；请写本机已安装的字体名称或字体文件路径")
    settings.write_text(original + f"chart_font: {font}\n", encoding="utf-8")
    r = ok(run("report", "briefing", "--as-of", "2026-11-30", "--format", "html", "-o", tmp_path / "b.html", cwd=ws))
    assert "图表字体：" in r.err.splitlines()[-1]


def test_briefing_escapes_unit_names(year, run, tmp_path) -> None:
    units = year / "data" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("name: 鲁山县张良镇人民政府", "name: 张良镇<script>alert(1)</script>&人民政府"),
                     encoding="utf-8")
    ok(run("report", "briefing", "--as-of", "2026-11-30", "-o", tmp_path / "b", cwd=year))
    html = (tmp_path / "b.html").read_text(encoding="utf-8")
    assert "<script" not in html
    assert "一票否决：张良镇&lt;script&gt;alert(1)&lt;/script&gt;&amp;人民政府（拒不配合监督检查）" in html
    assert "一票否决：张良镇<script>alert(1)</script>&人民政府（拒不配合监督检查），不论得分评为不合格。" in _docx_lines(tmp_path / "b.docx")


def test_only_the_briefing_imports_matplotlib() -> None:
    import json
    import sys

    from conftest import REPO

    code = ("import sys, contextlib, io\nfrom lufa_cli.cli.app import main\n"
            "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
            "    try:\n        main(sys.argv[1:])\n    except SystemExit:\n        pass\n"
            "import json; print(json.dumps(sorted(m for m in sys.modules if m.startswith('matplotlib'))))\n")
    for args in (["report", "briefing", "--help"], ["report", "circular", "--year", "2026", "--date", "2026-11-30", "-o", "/dev/null/x.docx"]):
        r = subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, capture_output=True, text=True, check=True)
        assert json.loads(r.stdout) == [], args


# --- a real browser ---------------------------------------------------------------------------
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_briefing_page_in_headless_chromium(year, run, tmp_path) -> None:
    ok(run("report", "briefing", "--year", "2026", "--as-of", "2026-11-30", "--format", "html", "-o", tmp_path / "推进会.html", cwd=year))
    page = (tmp_path / "推进会.html").as_uri()
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
             f"--user-data-dir={tmp_path / 'profile'}"]
    shot, pdf = tmp_path / "shot.png", tmp_path / "print.pdf"
    subprocess.run([*flags, f"--screenshot={shot}", "--window-size=1000,2600", page], capture_output=True, timeout=120, check=True)
    subprocess.run([*flags, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page], capture_output=True, timeout=120, check=True)
    from PIL import Image

    img = Image.open(shot).convert("RGB")
    assert img.size == (1000, 2600)
    colours = img.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 50  # text and charts drawn, not a blank page
    assert any(r > 150 and g < 80 and b < 80 for _, (r, g, b) in colours)  # the red of 不合格 in chart 2
    if os.environ.get("BRIEFING_SCREENSHOT"):  # to look at it: BRIEFING_SCREENSHOT=shot.png uv run pytest -k chromium
        shutil.copy(shot, os.environ["BRIEFING_SCREENSHOT"])
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "2026年依法行政监督考核工作推进情况" in text
        pages = text.split("\f")
        # one section a page when printed: 一 with the title, then 二 … 五 each at the top of its page
        assert [p.strip().splitlines()[0].strip() for p in pages[1:5]] == ["二、发现的问题", "三、问题整改", "四、备案审查和培训", "五、案卷评查"]


def test_a_character_the_font_lacks_is_said_in_chinese() -> None:
    import datetime as dt

    from lufa_cli.render.charts import Chart, draw

    chart = Chart(key="x", title="测试", kind="bar", labels=["甲\ue000"], series=[("件", [1.0])])
    svg, png, notes = draw(chart, _font(), dt.date(2026, 11, 30))
    assert svg.startswith(b"<?xml") and png.startswith(b"\x89PNG")
    assert notes == [f"图“测试”：字体“{_font()}”中没有字符 U+E000，图中显示为方框；可在 settings.yaml 的 chart_font 中换一种字体"]
    assert draw(chart, _font(), dt.date(2026, 11, 30))[:2] == (svg, png)  # the same chart, the same bytes


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice 或 pdftotext 未安装")
def test_briefing_docx_measured_on_the_rendered_page(year, run, tmp_path) -> None:
    """The briefing .docx through test_documents' check of every kind: text inside the block, lines never
    closer than the pitch (off the grid below a picture), the page number about 7 mm under the block, the
    signature never alone on its page."""
    from lufa_cli.render.documents import convert_to_pdf
    from test_documents import check_rendered_pages

    ok(run("report", "briefing", "--year", "2026", "--as-of", "2026-11-30", "--format", "docx", "-o", tmp_path / "推进会.docx", cwd=year))
    pages = check_rendered_pages(convert_to_pdf(tmp_path / "推进会.docx"), "2026年11月30日", grid=False)  # nine pictures
    assert 2 <= len(pages) <= 8


def test_matplotlib_font_messages_are_notes_in_chinese_not_english_on_stderr(capsys) -> None:
    pytest.importorskip("matplotlib")
    import datetime as dt

    from lufa_cli.render.charts import Chart, draw

    chart = Chart(key="k", title="测试", kind="bar", labels=["A", "B"], series=[("x", [1, 2])])
    _svg, png, notes = draw(chart, "No Such Font Family", dt.date(2026, 1, 1))
    assert png.startswith(b"\x89PNG")
    assert notes[-1] == "图“测试”：matplotlib 提示：matplotlib 的字体列表中没有字体“No Such Font Family”，改用了它的默认字体"
    captured = capsys.readouterr()
    assert "findfont" not in captured.err + captured.out
