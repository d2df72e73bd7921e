"""Word output through the CLI: plan documents, overwrite rules, PDF, template check."""

from __future__ import annotations

import docx
import pytest

from conftest import REPO, snapshot
from test_annex1 import annex1


def _paragraphs(path) -> list[str]:
    return [p.text.strip() for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def test_plan_year_docx_equals_annex1_with_dates(tmp_path, run) -> None:
    out = tmp_path / "plan.docx"
    r = run("plan", "year", "--year", "2021", "--format", "docx", "-o", out, cwd=REPO)
    assert r.code == 0, r.text
    d = docx.Document(str(out))
    (table,) = d.tables
    rows = [[c.text.strip() for c in row.cells] for row in table.rows]
    assert rows[0] == ["月份", "周次", "日期", "工作日", "受监督单位"]
    body = [[r[0], r[1], r[2], r[4]] for r in rows[1:]]
    workdays = {r[2]: r[3] for r in rows[1:]}
    assert len(body) == 37
    months = {3: "三月", 4: "四月", 5: "五月", 6: "六月", 7: "七月", 8: "八月", 9: "九月", 10: "十月", 11: "十一月", 12: "十二月"}
    weeks = {1: "第一周", 2: "第二周", 3: "第三周", 4: "第四周"}
    assert [(r[1], r[3].split("\n")) for r in body] == [(weeks[w], units) for _, w, units in annex1()]
    # merged month cells read back as the month on every row of the merge
    assert [r[0] for r in body] == [months[m] for m, _, _ in annex1()]
    assert body[0][2] == "3月1日至3月7日" and body[5][2] == "4月12日至4月18日"
    # vertical merge really written: the first row of April restarts, the next continues
    tc = table.rows[6].cells[0]._tc
    assert tc.tcPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}vMerge") is not None
    assert "注：共计有县直单位35家、乡镇20家。" in _paragraphs(out)
    # the working days and holidays `plan year` shows on the terminal (2021: 清明节 on Monday 4月5日, 劳动节 5月3-5日)
    assert workdays["3月1日至3月7日"] == "5天"
    assert workdays["4月5日至4月11日"] == "4天\n清明节"
    assert "“工作日”栏为该周的工作日天数，其下注明该周的法定节假日。" in _paragraphs(out)


def test_plan_week_docx_default_path_and_force(ws, run) -> None:
    r = run("plan", "week", "--date", "2021-04-12", "--format", "docx", cwd=ws)
    assert r.code == 0, r.text
    out = ws / "output" / "检查安排-2021年4月第二周.docx"
    text = _paragraphs(out)
    assert "2021年4月第二周" in " ".join(text)
    tables = docx.Document(str(out)).tables
    cells = [c.text.strip() for t in tables for row in t.rows for c in row.cells]
    assert "鲁山县司法局" in cells and "鲁山县发展和改革委员会" in cells and "0375-7653158" in cells
    before = snapshot(ws)
    r = run("plan", "week", "--date", "2021-04-12", "--format", "docx", cwd=ws)
    assert r.code == 3 and "文件已存在" in r.err and "--force" in r.err
    assert snapshot(ws) == before
    assert run("plan", "week", "--date", "2021-04-12", "--format", "docx", "--force", cwd=ws).code == 0


@pytest.mark.parametrize("args", [("plan", "week", "--date", "2021-04-12"), ("plan", "year", "--year", "2021")])
def test_pdf_without_libreoffice_writes_nothing(ws, run, monkeypatch, args) -> None:
    before = snapshot(ws)
    monkeypatch.setenv("PATH", "/nonexistent")
    r = run(*args, "--format", "docx", "--pdf", cwd=ws)
    assert (r.code, r.err) == (6, "错误：未找到 LibreOffice（soffice），无法生成 PDF；请安装 LibreOffice 或去掉 --pdf\n")
    assert snapshot(ws) == before  # not even the .docx: a second run would find it in its way


def test_pdf_in_the_way_is_refused_before_the_docx_is_written(ws, run) -> None:
    (ws / "output").mkdir(exist_ok=True)
    (ws / "output" / "检查安排-2021年4月第二周.pdf").write_bytes(b"%PDF-1.4 earlier")
    before = snapshot(ws)
    r = run("plan", "week", "--date", "2021-04-12", "--format", "docx", "--pdf", cwd=ws)
    if __import__("shutil").which("soffice") is None:
        assert r.code == 6 and "未找到 LibreOffice" in r.err
    else:
        assert r.code == 3 and "文件已存在" in r.err and "检查安排-2021年4月第二周.pdf" in r.err
    assert snapshot(ws) == before


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="未安装 LibreOffice（soffice）")
def test_pdf_with_libreoffice(ws, run) -> None:
    r = run("plan", "week", "--date", "2021-04-12", "--format", "docx", "--pdf", cwd=ws)
    assert r.code == 0, r.text
    assert (ws / "output" / "检查安排-2021年4月第二周.pdf").stat().st_size > 1000


def test_template_check_all_shipped_templates(run) -> None:
    r = run("template", "check", cwd=REPO)
    assert r.code == 0, r.text
    for name in ("plan-week.docx", "plan-year.docx", "notice-yijianshu.docx", "notice-tongzhishu.docx", "notice-jueding.docx",
                 "letter-cuiban.docx", "letter-yijiao.docx", "receipt-songda.docx", "circular.docx", "plan-week.md.j2", "overdue.md.j2"):
        assert f"templates/{name}：无误" in r.out


BROKEN = [
    ("plan-week.md.j2", "# {{ titel }}\n", "titel"),
    ("plan-week.md.j2", "# {{ title \n", "语法"),
    ("plan-week.md.j2", "{{ title.__class__.__mro__ }}\n", "不被允许"),
    ("score-report.md.j2", "{% for r in county %}{{ r.nme }}{% endfor %}\n", "nme"),
]


@pytest.mark.parametrize(("name", "text", "word"), BROKEN, ids=["unknown-var", "syntax", "sandbox", "unknown-attr"])
def test_template_check_reports_problems(ws, run, name, text, word) -> None:
    (ws / "templates" / name).write_text(text, encoding="utf-8")
    before = snapshot(ws)
    r = run("template", "check", name, cwd=ws)
    assert r.code == 4, r.text
    assert f"templates/{name}:" in r.err and word in r.err
    assert snapshot(ws) == before


def test_not_a_docx_template(ws, run) -> None:
    (ws / "templates" / "plan-week.docx").write_text("这不是 Word 文件", encoding="utf-8")
    before = snapshot(ws)
    r = run("template", "check", "plan-week.docx", cwd=ws)
    assert r.code == 4 and "plan-week.docx" in r.err
    r = run("plan", "week", "--date", "2021-04-12", "--format", "docx", cwd=ws)
    assert r.code == 4 and "plan-week.docx" in r.err
    assert snapshot(ws) == before


def test_plan_year_docx_signing_date(tmp_path, run) -> None:
    out = tmp_path / "plan.docx"
    assert run("plan", "year", "--year", "2021", "--date", "2021-01-04", "--format", "docx", "-o", out, cwd=REPO).code == 0
    assert "2021年1月4日" in _paragraphs(out)


def test_plan_week_issued_date_metadata_and_word_2013_mode(ws, run) -> None:
    import zipfile

    r = run("plan", "week", "--date", "2021-04-12", "--issued", "2021-04-09", "--format", "docx", cwd=ws)
    assert r.code == 0, r.text
    out = ws / "output" / "检查安排-2021年4月第二周.docx"
    paragraphs = _paragraphs(out)
    assert paragraphs[paragraphs.index("附件") - 1] == "2021年4月9日"  # the 成文日期 given, not today
    core = docx.Document(str(out)).core_properties
    assert (core.created.date().isoformat(), core.modified.date().isoformat()) == ("2021-04-09", "2021-04-09")
    settings = zipfile.ZipFile(out).read("word/settings.xml").decode("utf-8")
    assert '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>' in settings
    r = run("plan", "week", "--date", "2021-04-12", "--issued", "2021-4-9", "--format", "docx", "--force", cwd=ws)
    assert r.code == 2 and r.err == "错误：--issued 的值“2021-4-9”不是有效日期，请写成 YYYY-MM-DD，如 2026-03-05\n"


@pytest.mark.parametrize("name", ["plan-week.docx", "plan-year.docx", "notice-yijianshu.docx", "notice-tongzhishu.docx",
                                  "notice-jueding.docx", "letter-cuiban.docx", "letter-yijiao.docx", "receipt-songda.docx", "circular.docx"])
def test_templates_keep_punctuation_inside_and_page_number_7mm_under_the_block(name) -> None:
    d = docx.Document(str(REPO / "templates" / name))
    styles = d.styles.element
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    normal = styles.find(f"{w}style[@{w}styleId='Normal']")
    assert normal.find(f"{w}pPr/{w}overflowPunct").get(f"{w}val") == "0"
    sec = d.sections[0]
    # 一字线 of the 4号 number (14 pt, centred in its 18.2 pt line box) 7.4 mm under the 35 mm bottom margin
    assert (sec.bottom_margin.twips, sec.footer_distance.twips) == (1984, 1440)
