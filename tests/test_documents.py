"""documents.py: the four templates, the sandbox, error paths, fonts, lint, PDF."""

from __future__ import annotations

import copy
import datetime
import itertools
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from lufa_cli.errors import ExternalError, RefusedError, TemplateError
from lufa_cli.render import documents
from lufa_cli.render.documents import (
    EXAMPLE_CONTEXTS,
    compile_docx,
    lint_template,
    render_docx,
    render_text,
)

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
NAMES = ["plan-week", "plan-year", "notice-yijianshu", "notice-tongzhishu", "notice-jueding", "letter-cuiban", "letter-yijiao",
         "receipt-songda", "circular"]  # every template make_templates.py builds
NOTICE = TEMPLATES / "notice-yijianshu.docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def ctx(name: str, **changes) -> dict:
    c = copy.deepcopy(EXAMPLE_CONTEXTS[name])
    c.update(changes)
    return c


def render(tmp_path: Path, name: str, context: dict | None = None, **kw) -> Path:
    out = tmp_path / f"{name}.docx"
    return render_docx(TEMPLATES / f"{name}.docx", context or ctx(name), out, **kw)


def part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name).decode("utf-8")


def variant(
    tmp_path: Path, old: str, new: str, src: Path = NOTICE, name: str = "bad.docx", entry: str = "word/document.xml"
) -> Path:
    """A copy of `src` with `old` replaced by `new` in one XML part."""
    dst = tmp_path / name
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zi.infolist():
            data = zi.read(info)
            if info.filename == entry:
                text = data.decode("utf-8")
                assert old in text
                data = text.replace(old, new).encode("utf-8")
            zo.writestr(info, data)
    return dst


def texts(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


# --- layout -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_page_layout(tmp_path, name):
    out = render(tmp_path, name)
    doc = Document(str(out))
    sec = doc.sections[0]
    assert (sec.page_width.twips, sec.page_height.twips) == (11906, 16838)
    for margin, mm in ((sec.top_margin, 37), (sec.bottom_margin, 35), (sec.left_margin, 28), (sec.right_margin, 26)):
        assert abs(margin.mm - mm) < 0.05
    grid = sec._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"
    normal = doc.styles["Normal"]
    assert normal.paragraph_format.line_spacing.pt == pytest.approx(28.95)
    assert normal.font.size.pt == 16
    spacing = normal.element.rPr.find(qn("w:spacing"))
    assert int(spacing.get(qn("w:val"))) < 0  # condensed so 28 characters fit a line


@pytest.mark.parametrize("name", NAMES)
def test_east_asian_fonts_and_no_japanese_theme(tmp_path, name):
    out = render(tmp_path, name)
    doc = Document(str(out))

    def east_asia(style_name):
        return doc.styles[style_name].element.rPr.rFonts.get(qn("w:eastAsia"))

    assert east_asia("Normal") == "仿宋_GB2312"
    assert east_asia("Title") == "方正小标宋简体"
    assert doc.styles["Title"].font.size.pt == 22
    assert east_asia("Heading 1") == "黑体"
    assert east_asia("Heading 2") == "楷体_GB2312"
    with zipfile.ZipFile(out) as zf:
        for entry in zf.namelist():
            if entry.endswith(".xml"):
                xml = zf.read(entry).decode("utf-8")
                assert "ja-JP" not in xml, entry
                assert "eastAsiaTheme" not in xml, entry
                assert 'script="Jpan"' not in xml, entry
    lang = doc.settings.element.find(qn("w:themeFontLang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"


@pytest.mark.parametrize("name", NAMES)
def test_page_numbers_odd_right_even_left(tmp_path, name):
    out = render(tmp_path, name)
    doc = Document(str(out))
    assert doc.settings.odd_and_even_pages_header_footer
    sec = doc.sections[0]
    for footer, align, indent in (
        (sec.footer, WD_ALIGN_PARAGRAPH.RIGHT, "w:right"),
        (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "w:left"),
    ):
        assert not footer.is_linked_to_previous
        (p,) = footer.paragraphs
        assert p.alignment == align
        assert p._p.pPr.find(qn("w:ind")).get(qn(indent)) == "280"  # one 14 pt character in
        instr = "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert footer.paragraphs[0].style.font.name == "宋体"
        assert footer.paragraphs[0].style.font.size.pt == 14


# --- plan-year: merged month cells, repeated header ----------------------------------------
_TCPR_ORDER = ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
               "textDirection", "tcFitText", "vAlign", "hideMark"]  # fmt: skip


def test_plan_year_month_cells_merged_in_schema_order(tmp_path):
    context = ctx("plan-year")
    out = render(tmp_path, "plan-year", context)
    (table,) = Document(str(out)).tables
    rows = table._tbl.findall(qn("w:tr"))
    header, body = rows[0], rows[1:]
    assert header.find(f"{W}trPr/{W}tblHeader") is not None
    assert [c.text for c in table.rows[0].cells] == ["月份", "周次", "日期", "工作日", "受监督单位"]
    assert len(body) == len(context["rows"])
    previous = None
    for tr, row in zip(body, context["rows"], strict=True):
        tc = tr.findall(qn("w:tc"))[0]
        tcPr = tc.find(qn("w:tcPr"))
        order = [_TCPR_ORDER.index(child.tag.removeprefix(W)) for child in tcPr]
        assert order == sorted(order)  # vMerge before vAlign
        vm = tcPr.find(qn("w:vMerge"))
        text = "".join(t.text for t in tc.iter(qn("w:t")))
        if row["month_label"] == previous:
            assert vm is not None and vm.get(qn("w:val")) == "continue"
            assert text == ""
        else:
            assert vm is not None and vm.get(qn("w:val")) == "restart"
            assert text == row["month_label"]
        previous = row["month_label"]
        units_cell = tr.findall(qn("w:tc"))[4]
        assert ["".join(t.text for t in p.iter(qn("w:t"))) for p in units_cell.findall(qn("w:p"))] == row["units"]
    assert "注：共计有县直单位35家、乡镇20家。" in texts(out)


def test_single_row_month_is_not_merged(tmp_path):
    context = ctx("plan-year", rows=[{"month_label": "五月", "week_label": "第二周", "dates": "5月10日至5月16日", "units": ["甲"], "workdays": 5, "holidays": []},
                                     {"month_label": "六月", "week_label": "第一周", "dates": "6月7日至6月13日", "units": [], "workdays": 5, "holidays": []}])  # fmt: skip
    out = render(tmp_path, "plan-year", context)
    (table,) = Document(str(out)).tables
    assert table._tbl.find(f".//{W}vMerge") is None
    assert table.rows[2].cells[4].paragraphs  # an empty unit list still leaves a paragraph in the cell


# --- the notice's text ---------------------------------------------------------------------
DEMAND = (
    "请你单位接到本意见书后进行研究，制定具体措施、进一步完善制度，并于2026年12月28日前（30日内）"
    "将整改情况书面报送至鲁山县司法局行政执法协调监督室（司法大楼504）。"
    "逾期未整改或者整改不到位的，将予以通报，并视情况约谈你单位负责人、向县纪委监委移交有关问题线索。"
)


def test_notice_text_lines(tmp_path):
    out = render(tmp_path, "notice-yijianshu")
    lines = [t for t in texts(out) if t]
    assert lines == [
        "行政执法监督意见书",
        "鲁政行监字〔2026〕1号",
        "鲁山县市场监督管理局：",
        "根据《行政执法监督条例》和《关于在全县开展依法行政监督考核的工作制度》（鲁法政办〔2021〕4号）的规定，"
        "2026年11月20日，鲁山县法治政府建设领导小组办公室对你单位开展了日常监督检查，采取听取汇报、调阅案卷等方式。",
        "经监督检查，发现你单位存在以下问题：",  # findings from two cases: each carries its own
        "一是在某某公司销售过期食品案（鲁市监罚决字〔2026〕第12号）中，行政处罚决定书未载明救济途径。",
        "二是在某某超市案（鲁市监罚决字〔2026〕第15号）中，案卷未按立卷规范装订。整改要求：按立卷规范重新装订并编制目录。",
        DEMAND,
        "\t（印章）",
        "\t鲁山县法治政府建设领导小组办公室",
        "\t2026年11月28日",
        "（联系人：张三，联系方式：0375-7653158）",
    ]
    banji = Document(str(out)).tables[-1]
    assert [c.text for row in banji.rows for c in row.cells] == [
        "抄送：县纪委监委，县人民政府办公室。", "鲁山县司法局行政执法协调监督室\t2026年11月28日印发"]
    doc = Document(str(out))
    number = next(p for p in doc.paragraphs if p.text.startswith("鲁政行监字"))
    assert number.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert number.style.font.size is None or number.style.font.size.pt == 16
    finding = next(p for p in doc.paragraphs if p.text.startswith("一是"))
    assert finding.style.paragraph_format.first_line_indent.pt == 32  # two characters
    sign = next(p for p in doc.paragraphs if p.text.strip() == "鲁山县法治政府建设领导小组办公室")
    (tab,) = sign.style.paragraph_format.tab_stops
    assert tab.alignment == 1 or str(tab.alignment).startswith("CENTER")  # centre tab: issuer over date


def test_notice_general_opening_and_ordinals(tmp_path):
    findings = [f"问题{i}。" for i in range(1, 13)]
    out = render(tmp_path, "notice-yijianshu", ctx("notice-yijianshu", case=None, findings=findings))
    lines = texts(out)
    assert "经监督检查，发现你单位存在以下问题：" in lines
    assert not any("经审查后发现" in t for t in lines)
    assert "一是问题1。" in lines and "十是问题10。" in lines and "十二是问题12。" in lines
    assert not any("。。" in t for t in lines)


def test_xml_special_characters_come_out_exactly(tmp_path):
    out = render(tmp_path, "notice-yijianshu", ctx("notice-yijianshu", addressee="A&B <某>公司", findings=['"引号"与\'单引号\'']))
    lines = texts(out)
    assert "A&B <某>公司：" in lines
    assert "一是\"引号\"与'单引号'。" in lines


def test_newline_in_value_becomes_line_break(tmp_path):
    out = render(tmp_path, "notice-yijianshu", ctx("notice-yijianshu", addressee="甲单位\n乙单位"))
    assert "甲单位\n乙单位：" in texts(out)  # python-docx reads w:br as \n


def test_plan_week_without_units_says_so(tmp_path):
    note = "本周无检查安排（国庆节）。下一安排周：2026年10月第二周（10月12日至10月18日）。"
    out = render(tmp_path, "plan-week", ctx("plan-week", units=[], note=note))
    lines = texts(out)
    assert "本周无受监督单位。" in lines and note in lines
    assert len(Document(str(out)).tables) == 2  # days and offices; no empty units table


def test_tags_split_across_runs_are_repaired(tmp_path):
    split = "{{ addr</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>essee }}"
    template = variant(tmp_path, "{{ addressee }}", split)
    out = render_docx(template, ctx("notice-yijianshu"), tmp_path / "out.docx")
    assert "鲁山县市场监督管理局：" in texts(out)


def test_tags_in_footer_are_rendered(tmp_path):
    template = variant(tmp_path, '<w:t xml:space="preserve">— </w:t>', "<w:t>{{ number }} </w:t>", entry="word/footer1.xml")
    out = render_docx(template, ctx("notice-yijianshu"), tmp_path / "out.docx")
    footer = Document(str(out)).sections[0].footer.paragraphs[0].text
    assert footer.startswith("鲁政行监字〔2026〕1号 ")


# --- the circular (通报) -------------------------------------------------------------------
CIRCULAR_OPENING = (
    "根据《关于在全县开展依法行政监督考核的工作制度》（鲁法政办〔2021〕4号），截至2026年12月31日，县法治政府建设领导小组办公室"
    "组织工作小组对4个单位开展了依法行政监督考核（共55个受监督单位）。现将有关情况通报如下："
)
RANK_HEADER = ["名次", "单位", "得分", "等级", "问题数"]


def table_rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def after(lines: list[str], heading: str) -> str:
    """The paragraph right after `heading`."""
    return lines[lines.index(heading) + 1]


def test_circular_text_lines(tmp_path):
    out = render(tmp_path, "circular")
    lines = [t for t in texts(out) if t]
    assert lines[:4] == ["关于2026年度依法行政监督考核情况的通报", "各乡镇人民政府，县直各行政执法单位：", CIRCULAR_OPENING, "一、考核结果"]
    assert lines[4] == "本次共考核4个单位，其中优秀2个、良好0个、合格0个、不合格1个。各单位考核结果如下："
    assert lines[5:7] == ["（一）县直单位", "（二）乡镇"]  # each followed by its table
    assert after(lines, "二、表现较好的单位") == (
        "鲁山县司法局、鲁山县发展和改革委员会在本次考核中表现较好，依法行政工作基础扎实、执法行为规范，予以通报表扬，希望各单位学习借鉴。"
        "表现较好的单位为优秀等次中得分最高的3个单位，同分并列；有整改逾期事项或列为移交线索候选的单位不列入。"
    )
    assert lines[lines.index("三、存在的主要问题") + 1 : lines.index("四、工作要求")] == [
        "表现较差的单位：鲁山县张良镇人民政府。上述单位要认真查找原因，知耻而后进，切实抓好整改。",
        "考核中发现的主要问题有：",
        "（一）三项制度方面。执法全过程记录制度问题较为突出，共发现2处、涉及2个单位。",  # a short heading, then the body
        "（二）处罚程序方面。处罚程序问题较为突出，共发现2处、涉及2个单位。",
        "重大行政处罚备案方面，共收到3件，其中按时报送2件、逾期报送1件；县司法局已审查2件。",  # the registers (lufa register)
    ]
    requirements = lines[lines.index("四、工作要求") + 1 :]
    assert [t[:10] for t in requirements[:3]] == ["（一）抓好问题整改。", "（二）健全完善制度。", "（三）加强学习培训。"]
    assert "于收到本通报之日起30日内将整改情况书面报送县司法局行政执法协调监督室" in requirements[0]
    assert requirements[3:] == [
        "鲁山县人民政府办公室、鲁山县人民防空办公室等单位将在下一阶段接受检查，请提前做好自查自纠和迎检准备。",
        "\t鲁山县法治政府建设领导小组办公室",
        "\t2027年1月8日",
    ]
    doc = Document(str(out))
    styles = {p.text: p.style.name for p in doc.paragraphs if p.text}
    assert styles["关于2026年度依法行政监督考核情况的通报"] == "Title"
    assert styles["各乡镇人民政府，县直各行政执法单位："] == "Normal"  # flush left
    assert styles[CIRCULAR_OPENING] == "公文正文"
    assert styles["一、考核结果"] == styles["四、工作要求"] == "Heading 1"  # 黑体
    assert styles["（一）县直单位"] == "Heading 2"  # 楷体
    problem = next(p for p in doc.paragraphs if p.text.startswith("（一）三项制度方面。"))
    assert problem.style.name == "公文正文" and [r.text for r in problem.runs] == [
        "（一）三项制度方面。", "执法全过程记录制度问题较为突出，共发现2处、涉及2个单位。"]  # the heading is a 楷体 lead
    # run-in heading: the lead in 楷体, the rest of the paragraph in the body face
    req = next(p for p in doc.paragraphs if p.text.startswith("（一）抓好问题整改。"))
    assert req.style.name == "公文正文"
    lead, rest = req.runs
    assert lead.text == "（一）抓好问题整改。" and lead._r.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    assert rest._r.rPr is None
    assert styles["\t鲁山县法治政府建设领导小组办公室"] == styles["\t2027年1月8日"] == "署名和成文日期"


def test_circular_ranking_tables(tmp_path):
    out = render(tmp_path, "circular")
    county, township = Document(str(out)).tables
    assert table_rows(county) == [
        RANK_HEADER,
        ["1", "鲁山县司法局", "91.5", "优秀", "4"],
        ["2", "鲁山县发展和改革委员会", "90", "优秀", "1"],
    ]
    assert table_rows(township) == [RANK_HEADER, ["1", "鲁山县张良镇人民政府", "50", "不合格", "5"]]
    for table in (county, township):
        rows = table._tbl.findall(qn("w:tr"))
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None  # repeated on every page
        assert all(tr.find(f"{W}trPr/{W}tblHeader") is None for tr in rows[1:])
        assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)
        assert table.rows[1].cells[1].paragraphs[0].style.name == "表格文字（左对齐）"
        assert table.rows[0].cells[0].paragraphs[0].style.name == "表头"


def test_circular_scores_print_without_trailing_zero(tmp_path):
    context = ctx("circular")
    for row, total in zip(context["county"], (90.0, 87.25), strict=False):
        row["total"] = total
    context["township"][0]["total"] = 60.50
    county, township = Document(str(render(tmp_path, "circular", context))).tables
    assert [r[2] for r in table_rows(county)[1:]] == ["90", "87.25"]
    assert table_rows(township)[1][2] == "60.5"
    assert [documents.num(x) for x in (90, 90.0, 91.5, 91.25, 100.0, 0.0, "90.0")] == ["90", "90", "91.5", "91.25", "100", "0", "90.0"]


def test_circular_empty_lists_and_names(tmp_path):
    context = ctx("circular", township=[], good="", poor="", not_inspected="", problems=[], not_inspected_count=0)
    context["rows"] = list(context["county"])
    out = render(tmp_path, "circular", context)
    lines = [t for t in texts(out) if t]
    (county,) = Document(str(out)).tables  # no empty 乡镇 table, a sentence instead
    assert len(county.rows) == 3
    assert after(lines, "（二）乡镇") == "本次未对乡镇开展考核。"
    assert after(lines, "二、表现较好的单位") == "暂无。"
    assert after(lines, "三、存在的主要问题") == "表现较差的单位：暂无。"
    assert after(lines, "表现较差的单位：暂无。") == "考核中未发现较为突出的共性问题。"
    assert not any("下一阶段" in t or "等单位" in t for t in lines)
    assert lines[-3].startswith("（三）加强学习培训。") and lines[-2] == "\t鲁山县法治政府建设领导小组办公室"
    # at year end the units never inspected are counted
    (tmp_path / "b").mkdir()
    out = render(tmp_path / "b", "circular", {**context, "not_inspected_count": 51})
    assert "本年度另有51个单位未接受检查，将在下一年度优先安排。" in texts(out)


def test_circular_without_any_unit(tmp_path):
    context = ctx("circular", county=[], township=[], rows=[], inspected=0, grades=[])
    out = render(tmp_path, "circular", context)
    lines = texts(out)
    assert not Document(str(out)).tables
    assert "本次共考核0个单位。各单位考核结果如下：" in lines
    assert "本次未对县直单位开展考核。" in lines and "本次未对乡镇开展考核。" in lines


def test_circular_escapes_unit_names(tmp_path):
    context = ctx("circular", good="A&B <某>", poor="甲&乙")
    context["county"][0]["name"] = "A&B <某>"
    out = render(tmp_path, "circular", context)
    county, _ = Document(str(out)).tables
    assert table_rows(county)[1] == ["1", "A&B <某>", "91.5", "优秀", "4"]
    lines = texts(out)
    assert any(t.startswith("A&B <某>在本次考核中表现较好") for t in lines)
    assert any(t.startswith("表现较差的单位：甲&乙。") for t in lines)


def test_circular_long_title_breaks_at_a_word(tmp_path):
    out = render(tmp_path, "circular", ctx("circular", title="关于2026年年中依法行政监督考核情况的通报"))
    doc = Document(str(out))
    title = doc.paragraphs[0]
    assert title.text == "关于2026年年中依法行政\n监督考核情况的通报"  # not 19 characters and a lone 报
    assert title._p.find(f".//{W}br") is not None
    assert documents.title_lines("关于2026年度依法行政监督考核情况的通报") == "关于2026年度依法行政监督考核情况的通报"  # fits
    assert documents.title_lines("关于对鲁山县司法局等单位行政执法案卷评查结果的通报") == "关于对鲁山县司法局等单位\n行政执法案卷评查结果的通报"
    assert documents.title_lines("甲\n乙" + "丙" * 30) == "甲\n乙" + "丙" * 30  # the clerk's own break is kept


def test_circular_windows_fonts_reach_run_level_faces(tmp_path):
    out = render(tmp_path, "circular", fonts="windows")
    xml = part(out, "word/document.xml")
    assert "GB2312" not in xml and 'w:eastAsia="楷体"' in xml


def test_example_circular_rows_are_county_then_township():
    c = EXAMPLE_CONTEXTS["circular"]
    assert c["rows"] == c["county"] + c["township"] and len(c["rows"]) == 3


# --- errors: nothing is written ------------------------------------------------------------
def assert_template_error(template: Path, context: dict, tmp_path: Path, *fragments: str) -> TemplateError:
    out = tmp_path / "out.docx"
    with pytest.raises(TemplateError) as info:
        render_docx(template, context, out)
    message = info.value.message
    assert str(template) in message
    assert re.search(r"[\u4e00-\u9fff]", message)
    for fragment in fragments:
        assert fragment in message
    assert not out.exists()
    assert not list(tmp_path.glob(".out.docx*"))  # no temp file left behind
    return info.value


def test_unknown_variable(tmp_path):
    bad = variant(tmp_path, "{{ addressee }}", "{{ adressee }}")
    err = assert_template_error(bad, ctx("notice-yijianshu"), tmp_path, "adressee", "第 4 段")
    assert err.diagnostics[0].line == 4


def test_unknown_field(tmp_path):
    bad = variant(tmp_path, "{{ case.number }}", "{{ case.numbr }}")
    assert_template_error(bad, ctx("notice-yijianshu", case={"name": "某案", "number": "鲁×罚决字〔2026〕第1号"}), tmp_path, "numbr")


def test_syntax_error(tmp_path):
    bad = variant(tmp_path, "{{ addressee }}", "{{ addressee }")
    assert_template_error(bad, ctx("notice-yijianshu"), tmp_path, "语法错误", "第 4 段")


def test_not_a_zip(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_text("这不是 Word 文档", encoding="utf-8")
    assert_template_error(bad, ctx("notice-yijianshu"), tmp_path, "不是有效的 .docx")


def test_zip_without_document_xml(tmp_path):
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("word/styles.xml", "<w:styles/>")
    assert_template_error(bad, ctx("notice-yijianshu"), tmp_path, "word/document.xml")


def test_missing_template(tmp_path):
    assert_template_error(tmp_path / "nope.docx", ctx("notice-yijianshu"), tmp_path, "找不到模板")


@pytest.mark.parametrize(
    "expr",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ addressee.__init__.__globals__ }}",
        "{{ '{0.__class__}'.format(addressee) }}",
        "{{ addressee.format_map(case) }}",
        "{{ findings.append('x') }}",
        "{{ loop }}{{ cycler }}",
        "{{ 'x' * 10000000 }}",
    ],
)
def test_sandbox_escapes_are_refused(tmp_path, expr):
    bad = variant(tmp_path, "{{ addressee }}", expr)
    assert_template_error(bad, ctx("notice-yijianshu"), tmp_path)


class Saver:
    """Stands for docxtpl's InlineImage: `.tpl.save(...)` once wrote a file from a template."""

    def __init__(self, target: Path):
        self.target, self.calls = target, 0
        self.tpl = self

    def save(self, *args):
        self.calls += 1
        self.target.write_text("written")


class DictSaver(dict):
    def save(self, target):
        Path(target).write_text("written")


def test_method_of_object_in_context_is_not_called(tmp_path):
    victim = tmp_path / "victim.txt"
    saver = Saver(victim)
    bad = variant(tmp_path, "{{ addressee }}", f"{{{{ img.tpl.save('{victim}') }}}}{{{{ img.save('{victim}') }}}}")
    assert_template_error(bad, ctx("notice-yijianshu", img=saver), tmp_path)
    assert_template_error(bad, ctx("notice-yijianshu", img=DictSaver()), tmp_path)
    assert saver.calls == 0 and not victim.exists()
    # the sandbox itself refuses too, even when the plain-data check is bypassed
    env = documents.sandbox(True)
    for obj in (saver, DictSaver()):
        with pytest.raises(Exception) as info:
            env.from_string(f"{{{{ img.save('{victim}') }}}}").render(img=obj)
        assert type(info.value).__name__ == "SecurityError"
    assert saver.calls == 0 and not victim.exists()


@pytest.mark.parametrize(
    "source, values",
    [
        ("{{ f() }}", {"f": lambda: "called"}),
        ("{{ (f)() }}", {"f": print}),
        ("{{ cls() }}", {"cls": Saver}),
        ("{{ d.fromkeys('ab') }}", {"d": {}}),  # a classmethod: bound to the type, not to data
        ("{{ s.__len__() }}", {"s": "ab"}),
    ],
)
def test_sandbox_refuses_non_data_callables(source, values):
    with pytest.raises(Exception) as info:
        documents.sandbox(True).from_string(source).render(**values)
    assert type(info.value).__name__ == "SecurityError"


def test_plain_data_methods_still_work():
    env = documents.sandbox(True)
    out = env.from_string("{{ s.upper() }} {{ d.get('a') }} {{ xs | join('、') }} {{ loop_ok }}").render(
        s="ab", d={"a": 1}, xs=["甲", "乙"], loop_ok="{% x %}"
    )
    assert out == "AB 1 甲、乙 {% x %}"
    assert env.from_string("{% for x in xs %}{{ loop.index }}{% endfor %}").render(xs="ab") == "12"
    assert env.from_string("{{ d.year }}年{{ d.month }}月").render(d=datetime.date(2026, 3, 5)) == "2026年3月"


def test_dates_are_plain_data(tmp_path):
    out = render(tmp_path, "notice-yijianshu", ctx("notice-yijianshu", date=datetime.date(2026, 3, 5)))
    assert "\t2026-03-05" in texts(out)


# --- overwrite ----------------------------------------------------------------------------
def test_refuses_to_overwrite_without_force(tmp_path):
    out = render(tmp_path, "notice-yijianshu")
    before = out.read_bytes()
    with pytest.raises(RefusedError):
        render(tmp_path, "notice-yijianshu", ctx("notice-yijianshu", addressee="另一个单位"))
    assert out.read_bytes() == before
    render(tmp_path, "notice-yijianshu", ctx("notice-yijianshu", addressee="另一个单位"), force=True)
    assert "另一个单位：" in texts(out)


# --- fonts --------------------------------------------------------------------------------
def test_windows_font_scheme_rewrites_names(tmp_path):
    out = render(tmp_path, "notice-yijianshu", fonts="windows")
    doc = Document(str(out))
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert doc.styles["Title"].element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    assert doc.styles["Heading 2"].element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体"
    assert doc.styles["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    for entry in ("word/styles.xml", "word/document.xml", "word/fontTable.xml"):
        xml = part(out, entry)
        assert "GB2312" not in xml and "方正小标宋" not in xml
    names = re.findall(r'<w:font w:name="([^"]+)"', part(out, "word/fontTable.xml"))
    assert len(names) == len(set(names))
    assert "鲁山县市场监督管理局：" in texts(out)


def test_unknown_font_scheme(tmp_path):
    with pytest.raises(Exception, match="字体方案"):
        render(tmp_path, "notice-yijianshu", fonts="mac")


# --- lint ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_lint_shipped_templates_clean(name):
    assert lint_template(TEMPLATES / f"{name}.docx", EXAMPLE_CONTEXTS[name]) == []


def test_lint_reports_unknown_variable_with_line(tmp_path):
    bad = variant(tmp_path, "{{ contact_phone }}", "{{ contact_tel }}")
    (diag,) = lint_template(bad, EXAMPLE_CONTEXTS["notice-yijianshu"])
    assert diag.path == str(bad)
    assert diag.line > 0 and "contact_tel" in diag.message
    assert "联系人" in (diag.source_line or "")


def test_lint_reports_syntax_error_and_sandbox_use(tmp_path):
    bad = variant(tmp_path, "{{ addressee }}", "{% if %}")
    (diag,) = lint_template(bad, EXAMPLE_CONTEXTS["notice-yijianshu"])
    assert diag.line == 4 and "语法错误" in diag.message
    bad = variant(tmp_path, "{{ addressee }}", "{{ addressee.__class__ }}", name="bad2.docx")
    assert any("__class__" in d.message for d in lint_template(bad, EXAMPLE_CONTEXTS["notice-yijianshu"]))


def test_lint_text_template(tmp_path):
    md = tmp_path / "circular.md"
    md.write_text("# {{ title }}\n\n{{ missing }}\n", encoding="utf-8")
    (diag,) = lint_template(md, {"title": "通报"})
    assert (diag.line, diag.col) == (3, 1) and "missing" in diag.message


# --- text templates -----------------------------------------------------------------------
def test_render_text_markdown_is_not_html_escaped(tmp_path):
    md = tmp_path / "t.md"
    md.write_text("| 单位 |\n|---|\n| {{ name | md_cell }} |\n{{ n | cn_number }}是{{ s | sentence }}\n", encoding="utf-8")
    out = render_text(md, {"name": "A&B <某>|公司", "n": 3, "s": "问题。"})
    assert out == "| 单位 |\n|---|\n| A&B <某>\\|公司 |\n三是问题。\n"


def test_render_text_errors_name_template_and_line(tmp_path):
    md = tmp_path / "t.txt"
    md.write_text("第一行\n{{ ''.__class__ }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        render_text(md, {})
    assert str(md) in info.value.message and "第 2 行" in info.value.message


# --- compile cache ------------------------------------------------------------------------
def test_compile_cached_per_content(tmp_path):
    copy_ = tmp_path / "n.docx"
    shutil.copy(NOTICE, copy_)
    first = compile_docx(copy_)
    assert compile_docx(copy_) is first
    os.utime(copy_, ns=(1, 1))  # touched, same bytes: still the compiled one
    assert compile_docx(copy_) is first
    with zipfile.ZipFile(copy_, "a") as z:  # edited: compiled again
        z.writestr("customXml/extra.xml", "<x/>")
    assert compile_docx(copy_) is not first


def test_filters():
    assert [documents.cn_number(n) for n in (1, 9, 10, 11, 20, 21, 99)] == ["一", "九", "十", "十一", "二十", "二十一", "九十九"]
    assert documents.sentence("问题。") == "问题。"
    assert documents.sentence("问题；") == "问题。"
    assert documents.sentence("是否合法？") == "是否合法？"


def test_templates_match_the_script(tmp_path):
    """templates/*.docx are exactly what scripts/make_templates.py builds: every one it builds, and no other."""
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_templates.py"), "--out", str(tmp_path)], check=True,
                   capture_output=True)  # fmt: skip
    built = sorted(p.name for p in tmp_path.glob("*.docx"))
    assert built == sorted(p.name for p in TEMPLATES.glob("*.docx"))
    assert set(NAMES) <= {b.removesuffix(".docx") for b in built}
    for name in built:
        assert (tmp_path / name).read_bytes() == (TEMPLATES / name).read_bytes(), name


def test_template_tags_only_in_text(tmp_path):
    for name in NAMES:
        xml = part(TEMPLATES / f"{name}.docx", "word/document.xml")
        for attr in re.findall(r'="([^"]*)"', xml):
            assert "{{" not in attr and "{%" not in attr
        for tag in re.findall(r"\{[{%].*?[}%]\}", xml):
            assert "<" not in tag  # each tag inside one w:t


# --- PDF ----------------------------------------------------------------------------------
def test_pdf_needs_libreoffice(tmp_path, monkeypatch):
    out = render(tmp_path, "notice-yijianshu")
    monkeypatch.setattr(documents.shutil, "which", lambda name: None)
    with pytest.raises(ExternalError, match="未找到 LibreOffice"):
        documents.convert_to_pdf(out)
    assert not out.with_suffix(".pdf").exists()


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice（soffice）未安装")
def test_pdf_with_libreoffice(tmp_path):
    out = render(tmp_path, "notice-yijianshu")
    pdf = documents.convert_to_pdf(out)
    assert pdf == out.with_suffix(".pdf") and pdf.read_bytes().startswith(b"%PDF")
    with pytest.raises(RefusedError):
        documents.convert_to_pdf(out)
    assert documents.convert_to_pdf(out, force=True) == pdf


def _pdf_lines(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Text lines of each page as (xMin, yMin, xMax, yMax, text) in points, from poppler's pdftotext -bbox-layout."""
    html = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append([
            (float(a), float(b), float(c), float(d), "".join(re.findall(r">([^<]*)</word>", body)))
            for a, b, c, d, body in re.findall(
                r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', page, re.S)
        ])
    return pages


MM = 72 / 25.4
PITCH = 28.95  # 579 twips: 22 lines in the 225 mm text block
FIRST_LINE = 37 * MM + 5.82  # top of a 3号 line's box on the first grid line (measured)
ISSUER = "鲁山县法治政府建设领导小组办公室"
HANGING = "，。、；：？！）》〕”’"


def check_rendered_pages(pdf: Path, date: str | None, *, grid: bool = True) -> list[list[tuple[float, float, float, float, str]]]:
    """The GB/T 9704 page measured on the PDF LibreOffice draws; returns the pages' lines.

    Every page: text inside the 156 × 225 mm block (left 28 mm, top 37 mm, right 26 mm: no
    punctuation hanging out), the page number `— N —` about 7 mm under the block. Body pages
    (no table on them): every 3号 line on the 22-line grid of 28.95 pt, never a 23rd. The page
    with the signature holds body text above it (never a page of only 署名 and 日期). `grid=False`
    for a document with pictures: a picture's height is no multiple of the pitch, so the lines after it
    are off the grid (still never closer than the pitch).
    """
    pages = _pdf_lines(pdf)
    left, right, top, bottom = 28 * MM, (210 - 26) * MM, 37 * MM, (297 - 35) * MM
    for i, lines in enumerate(pages, 1):
        body = [ln for ln in lines if ln[1] < bottom]
        number = [ln for ln in lines if ln[1] >= bottom]
        assert [ln[4] for ln in number] == [f"—{i}—"], (i, number)
        dash = (number[0][1] + number[0][3]) / 2  # the 一字线 runs through the middle of the number's box
        assert 6 * MM < dash - bottom < 8.5 * MM, (i, (dash - bottom) / MM)
        assert (i % 2 == 1) == (number[0][0] > 105 * MM), f"第 {i} 页的页码应在{'右' if i % 2 else '左'}侧"
        for ln in body:
            # LibreOffice 7.4 still hangs a line-final full-width mark (、，。：) past the margin although the
            # templates set w:overflowPunct off (Word honours it): one such mark is tolerated, nothing else
            hanging = ln[4][-1:] in HANGING and ln[2] <= right + 16.5
            assert ln[0] >= left - 1 and (ln[2] <= right + 1 or hanging), (i, ln[4], ln[0] / MM, ln[2] / MM)
            assert ln[1] >= top and ln[3] <= bottom + 1, (i, ln[4], ln[1] / MM, ln[3] / MM)
        size3 = [ln for ln in body if 19.5 < ln[3] - ln[1] < 22]  # 3号 (16 pt) lines
        if grid and all(ln[3] - ln[1] >= 19.5 for ln in body):  # no table text (4号/小四) on the page
            for ln in size3:
                k = (ln[1] - FIRST_LINE) / PITCH
                assert abs(k - round(k)) < 0.1 and 0 <= round(k) <= 21, (i, ln[4], k)
        tops = sorted(ln[1] for ln in size3)
        assert all(b - a > PITCH - 1 for a, b in itertools.pairwise(tops)), (i, "行距小于 28.95 磅")
    if date is not None:
        where = [(i, ln) for i, lines in enumerate(pages) for ln in lines if ln[4] == ISSUER and ln[0] > 60 * MM]
        assert where, "没有落款"
        i, sign = where[-1]
        above = [ln for ln in pages[i] if ln[1] < sign[1] and ln[4] not in ("（印章）", "")]
        assert above, f"第 {i + 1} 页只有落款和日期"
        assert any(ln[4] == date for ln in pages[i] if ln[1] > sign[1]), "日期不在落款下一行"
    return pages


_needs_pdf = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice 或 pdftotext 未安装")


@_needs_pdf
@pytest.mark.parametrize("name", NAMES)
def test_rendered_layout(tmp_path, name):
    """Every document kind, measured on the page LibreOffice draws (check_rendered_pages)."""
    pdf = documents.convert_to_pdf(render(tmp_path, name))
    pages = check_rendered_pages(pdf, None if name.startswith("receipt") else EXAMPLE_CONTEXTS[name]["date"])
    assert len(pages) <= {"plan-week": 6, "circular": 3, "receipt-songda": 1}.get(name, 2)


@_needs_pdf
def test_rendered_full_page_holds_22_lines_and_the_plan_body_two_pages(tmp_path):
    """A notice with many findings fills its first page with exactly 22 lines; the weekly plan's
    arrangement (before its 附件) takes at most two pages, its annex starts on a page of its own."""
    findings = [f"在某某案（鲁市监罚决字〔2026〕第{k}号）中，行政处罚决定书未载明申请行政复议或者提起行政诉讼的途径和期限。" for k in range(1, 13)]
    pdf = documents.convert_to_pdf(render(tmp_path, "notice-yijianshu", ctx("notice-yijianshu", findings=findings)))
    pages = check_rendered_pages(pdf, EXAMPLE_CONTEXTS["notice-yijianshu"]["date"])
    grid = sorted({round((ln[1] - FIRST_LINE) / PITCH) for ln in pages[0] if ln[1] < (297 - 35) * MM})
    assert grid[-1] == 21 and len(pages) >= 2  # the 22nd line is the last one on the page
    pdf = documents.convert_to_pdf(render(tmp_path, "plan-week"))
    pages = check_rendered_pages(pdf, EXAMPLE_CONTEXTS["plan-week"]["date"])
    annex = next(i for i, lines in enumerate(pages) if lines and lines[0][4] == "附件")
    assert annex <= 2 and any(ln[4] == EXAMPLE_CONTEXTS["plan-week"]["date"] for ln in pages[annex - 1])
    text = "".join(ln[4] for lines in pages for ln in lines)
    assert text.count("文明执法") == 1  # each category and item once in the annex, not per checkpoint
