"""Build the official-document templates in templates/ (GB/T 9704-2012 layout).

    uv run python scripts/make_templates.py            # writes templates/*.docx
    uv run python scripts/make_templates.py --out DIR

The output is reproducible: the same python-docx gives byte-identical files (fixed
zip timestamps, fixed core properties). Every Jinja tag sits in the text of one run,
never in an attribute, so a clerk can edit the templates in Word or WPS.
Layout numbers and the reasons for them: docs/documents.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips

ROOT = Path(__file__).resolve().parent.parent

# --- layout figures (twips; 1 pt = 20 twips, 1 mm = 56.69 twips) -------------------------
PAGE_W, PAGE_H = 11906, 16838  # A4
MARGIN_TOP, MARGIN_BOTTOM = 2098, 1984  # 37 mm, 35 mm
MARGIN_LEFT, MARGIN_RIGHT = 1587, 1474  # 28 mm, 26 mm
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 8845 = 156 mm
HEADER_DIST, FOOTER_DIST = 851, 1440  # 15 mm; 25.4 mm puts the page number ~7 mm under the text block (measured)
LINE = 579  # exact line pitch, 28.95 pt: 22 lines in 225 mm
BODY_SZ, TITLE_SZ, FOOTER_SZ, TABLE_SZ = 32, 44, 28, 28  # half-points: 3号, 2号, 4号, 4号
CHAR_SPACING = -5  # -0.25 pt per character: 28 × 15.75 pt fit 156 mm (442.2 pt); -0.2 pt gave 27 here
INDENT_2 = 640  # two characters of 16 pt
TABLE_LINE = 360  # exact 18 pt lines inside tables
SMALL_SZ, SMALL_LINE = 24, 320  # 小四 in exact 16 pt lines: the year table (~40 rows) fits two pages
# signature/date: one centre tab, so the issuer is centred over the date and a
# 16-character issuer still fits; the date then ends about 4 characters from the right.
SIGN_TAB = 6300

FONTS = {
    "body": "仿宋_GB2312",
    "title": "方正小标宋简体",
    "h1": "黑体",
    "h2": "楷体_GB2312",
    "page": "宋体",
}


def _rfonts(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:eastAsia="{name}" w:hAnsi="{name}" w:cs="{name}"/>'


# styles.xml is written whole: only the styles the templates use, no theme fonts,
# no latent-style list, East-Asian font names on every style, zh-CN as the East-Asian language.
STYLES_XML = f"""<w:styles {nsdecls("w")}>
<w:docDefaults>
 <w:rPrDefault><w:rPr>{_rfonts(FONTS["body"])}<w:kern w:val="2"/><w:sz w:val="{BODY_SZ}"/><w:szCs w:val="{BODY_SZ}"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>
 <w:pPrDefault><w:pPr><w:overflowPunct w:val="0"/><w:spacing w:before="0" w:after="0"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>
 <w:pPr><w:widowControl w:val="0"/><w:overflowPunct w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:spacing w:before="0" w:after="0" w:line="{LINE}" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr>
 <w:rPr>{_rfonts(FONTS["body"])}<w:spacing w:val="{CHAR_SPACING}"/><w:sz w:val="{BODY_SZ}"/><w:szCs w:val="{BODY_SZ}"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="10"/><w:qFormat/>
 <w:pPr><w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:line="{LINE}" w:lineRule="exact"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr>
 <w:rPr>{_rfonts(FONTS["title"])}<w:spacing w:val="0"/><w:sz w:val="{TITLE_SZ}"/><w:szCs w:val="{TITLE_SZ}"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="GwBody"/><w:uiPriority w:val="9"/><w:qFormat/>
 <w:pPr><w:keepNext/><w:ind w:firstLineChars="200" w:firstLine="{INDENT_2}"/><w:outlineLvl w:val="1"/></w:pPr>
 <w:rPr>{_rfonts(FONTS["h1"])}</w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="GwBody"/><w:uiPriority w:val="9"/><w:qFormat/>
 <w:pPr><w:keepNext/><w:ind w:firstLineChars="200" w:firstLine="{INDENT_2}"/><w:outlineLvl w:val="2"/></w:pPr>
 <w:rPr>{_rfonts(FONTS["h2"])}</w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="GwBody"><w:name w:val="公文正文"/><w:basedOn w:val="Normal"/><w:qFormat/>
 <w:pPr><w:ind w:firstLineChars="200" w:firstLine="{INDENT_2}"/></w:pPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="GwNumber"><w:name w:val="发文字号"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>
 <w:pPr><w:jc w:val="center"/></w:pPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="GwSubtitle"><w:name w:val="副标题（楷体）"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>
 <w:pPr><w:jc w:val="center"/></w:pPr><w:rPr>{_rfonts(FONTS["h2"])}</w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="GwSignature"><w:name w:val="署名和成文日期"/><w:basedOn w:val="Normal"/><w:qFormat/>
 <w:pPr><w:keepNext/><w:tabs><w:tab w:val="center" w:pos="{SIGN_TAB}"/></w:tabs><w:jc w:val="left"/></w:pPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="GwAnnex"><w:name w:val="附件标识"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>
 <w:pPr><w:pageBreakBefore/><w:jc w:val="left"/></w:pPr><w:rPr>{_rfonts(FONTS["h1"])}</w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="GwTable"><w:name w:val="表格文字"/><w:basedOn w:val="Normal"/><w:qFormat/>
 <w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="{TABLE_LINE}" w:lineRule="exact"/><w:jc w:val="center"/></w:pPr>
 <w:rPr><w:spacing w:val="0"/><w:sz w:val="{TABLE_SZ}"/><w:szCs w:val="{TABLE_SZ}"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="GwTableLeft"><w:name w:val="表格文字（左对齐）"/><w:basedOn w:val="GwTable"/><w:qFormat/>
 <w:pPr><w:jc w:val="left"/></w:pPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="GwTableHead"><w:name w:val="表头"/><w:basedOn w:val="GwTable"/><w:qFormat/>
 <w:rPr>{_rfonts(FONTS["h1"])}</w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="GwTableSmall"><w:name w:val="表格文字（小四）"/><w:basedOn w:val="GwTable"/><w:qFormat/>
 <w:pPr><w:spacing w:line="{SMALL_LINE}" w:lineRule="exact"/></w:pPr><w:rPr><w:sz w:val="{SMALL_SZ}"/><w:szCs w:val="{SMALL_SZ}"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="GwTableSmallLeft"><w:name w:val="表格文字（小四，左对齐）"/><w:basedOn w:val="GwTableSmall"/><w:qFormat/>
 <w:pPr><w:jc w:val="left"/></w:pPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="GwTableSmallHead"><w:name w:val="表头（小四）"/><w:basedOn w:val="GwTableSmall"/><w:qFormat/>
 <w:rPr>{_rfonts(FONTS["h1"])}</w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="GwBanji"><w:name w:val="版记"/><w:basedOn w:val="Normal"/><w:qFormat/>
 <w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="60" w:after="60" w:line="{LINE}" w:lineRule="exact"/><w:ind w:left="280" w:right="280"/><w:jc w:val="left"/></w:pPr>
 <w:rPr><w:spacing w:val="0"/><w:sz w:val="{FOOTER_SZ}"/><w:szCs w:val="{FOOTER_SZ}"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>
 <w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/></w:pPr>
 <w:rPr>{_rfonts(FONTS["page"])}<w:spacing w:val="0"/><w:sz w:val="{FOOTER_SZ}"/><w:szCs w:val="{FOOTER_SZ}"/></w:rPr></w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>
 <w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>
 <w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders>
 <w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/><w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>
</w:styles>"""


def _font_entry(name: str, alt: str | None, family: str = "modern", pitch: str = "fixed") -> str:
    alt_xml = f'<w:altName w:val="{alt}"/>' if alt else ""
    return (
        f'<w:font w:name="{name}">{alt_xml}<w:charset w:val="86"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
    )


# The font table tells Word/WPS the faces are Chinese (charset 86 = GB2312) and names a
# fallback, so a machine without the GB2312 faces substitutes a Chinese face, not a Latin one.
FONT_TABLE_XML = (
    f"<w:fonts {nsdecls('w')}>"
    + _font_entry("仿宋_GB2312", "仿宋")
    + _font_entry("方正小标宋简体", "宋体", "script", "variable")
    + _font_entry("黑体", "SimHei")
    + _font_entry("楷体_GB2312", "楷体")
    + _font_entry("宋体", "SimSun", "auto", "variable")
    + _font_entry("仿宋", "FangSong")
    + _font_entry("楷体", "KaiTi")
    + '<w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'
    + "</w:fonts>"
)


class Builder:
    """A python-docx document prepared as a GB/T 9704 page, with helpers for the body."""

    def __init__(self, title: str) -> None:
        self.doc = doc = Document()
        self._strip_package()
        styles = doc.styles.element
        for child in list(styles):
            styles.remove(child)
        for child in parse_xml(STYLES_XML):
            styles.append(child)
        self._font_table()
        self._theme()
        self._settings()
        self._section()
        self._footers()
        cp = doc.core_properties
        cp.title, cp.author, cp.last_modified_by = title, "鲁山县司法局", "lufa"
        cp.subject, cp.comments, cp.keywords, cp.category = "", "", "", ""
        cp.created = cp.modified = dt.datetime(2026, 1, 1)
        cp.revision = 1
        body = doc.element.body
        for p in list(body.iterchildren(qn("w:p"))):
            body.remove(p)

    def _strip_package(self) -> None:
        """Drop the parts a template does not need (2×430 KB of styles, a thumbnail, customXml)."""
        part = self.doc.part
        for rId, rel in list(part.rels.items()):
            if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
                del part.rels[rId]
        pkg_rels = part.package.rels
        for rId, rel in list(pkg_rels.items()):
            if rel.reltype.endswith("/thumbnail"):
                del pkg_rels[rId]

    def _font_table(self) -> None:
        part = self.doc.part.part_related_by(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
        )
        part._blob = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n" + FONT_TABLE_XML.encode()

    def _theme(self) -> None:
        """Remove the Japanese theme faces; the East-Asian theme font becomes 宋体."""
        part = self.doc.part.part_related_by(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
        )
        xml = part.blob.decode("utf-8")
        xml = re.sub(r'\s*<a:font script="Jpan" typeface="[^"]*"/>', "", xml)
        xml = xml.replace('<a:ea typeface=""/>', '<a:ea typeface="宋体"/>')
        part._blob = xml.encode("utf-8")

    def _settings(self) -> None:
        settings = self.doc.settings
        settings.odd_and_even_pages_header_footer = True
        el = settings.element
        lang = el.find(qn("w:themeFontLang"))
        lang.set(qn("w:eastAsia"), "zh-CN")
        compat = el.find(qn("w:compat"))
        if compat is not None:  # Word 2013+ layout: Word opens the file without 兼容模式
            for setting in compat.iterchildren(qn("w:compatSetting")):
                if setting.get(qn("w:name")) == "compatibilityMode":
                    setting.set(qn("w:val"), "15")
        for tag in ("w:savePreviewPicture", "w:rsids"):
            found = el.find(qn(tag))
            if found is not None:
                el.remove(found)

    def _section(self) -> None:
        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = Twips(PAGE_W), Twips(PAGE_H)
        sec.top_margin, sec.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
        sec.left_margin, sec.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
        sec.header_distance, sec.footer_distance = Twips(HEADER_DIST), Twips(FOOTER_DIST)
        sec.gutter = Twips(0)
        grid = sec._sectPr.find(qn("w:docGrid"))
        for attr in list(grid.attrib):
            del grid.attrib[attr]
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(LINE))

    def _footers(self) -> None:
        """`— N —` in 4号宋体: odd pages right, even pages left, one character in from the edge."""
        sec = self.doc.sections[0]
        for footer, jc, ind in (
            (sec.footer, "right", 'w:right="280"'),
            (sec.even_page_footer, "left", 'w:left="280"'),
        ):
            footer.is_linked_to_previous = False
            el = footer._element
            for p in list(el):
                el.remove(p)
            el.append(
                parse_xml(
                    f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="Footer"/><w:ind {ind}/><w:jc w:val="{jc}"/></w:pPr>'
                    '<w:r><w:t xml:space="preserve">— </w:t></w:r>'
                    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                    '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
                    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                    "<w:r><w:t>1</w:t></w:r>"
                    '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
                    '<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p>'
                )
            )

    # --- body helpers: every paragraph's text is one run, so each Jinja tag stays in one run
    def p(self, text: str = "", style: str = "Normal") -> None:
        par = self.doc.add_paragraph()
        par._p.style = None if style == "Normal" else style  # style id, set directly
        if text:
            par.add_run(text)

    def runs(self, parts: list[tuple[str, str | None]], style: str = "GwBody") -> None:
        """One paragraph of several runs; a run given a font key ("h2") gets that East-Asian face.

        For run-in headings: `（一）抓好问题整改。` in 楷体, the rest of the paragraph in the body face.
        """
        par = self.doc.add_paragraph()
        par._p.style = None if style == "Normal" else style
        for text, font in parts:
            r = par.add_run(text)
            if font:
                r._r.insert(0, parse_xml(f'<w:rPr {nsdecls("w")}>{_rfonts(FONTS[font])}</w:rPr>'))

    def blank(self, n: int = 1) -> None:
        for _ in range(n):
            self.p()

    def table(
        self,
        widths: list[int],
        header: list[str],
        rows: list[list],
        *,
        left: tuple[int, ...] = (),
        pad: int = 57,
        side: int = 85,
        small: bool = False,
    ):
        """A bordered table; `rows` items are cell texts, or lists of texts for several paragraphs.

        `pad` is the top/bottom cell margin in twips, `side` the left/right one; `small` sets the text
        in 小四 (the year table).
        """
        base = "GwTableSmall" if small else "GwTable"
        t = self.doc.add_table(rows=1 + len(rows), cols=len(widths))
        t.style = self.doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        tblPr = t._tbl.tblPr
        tblW = tblPr.find(qn("w:tblW"))
        tblW.set(qn("w:w"), str(sum(widths)))
        tblW.set(qn("w:type"), "dxa")
        if (pad, side) != (57, 85):  # CT_TblPr order: … tblLayout, tblCellMar, tblLook
            mar = parse_xml(
                f'<w:tblCellMar {nsdecls("w")}><w:top w:w="{pad}" w:type="dxa"/><w:left w:w="{side}" w:type="dxa"/>'
                f'<w:bottom w:w="{pad}" w:type="dxa"/><w:right w:w="{side}" w:type="dxa"/></w:tblCellMar>'
            )
            look = tblPr.find(qn("w:tblLook"))
            if look is not None:
                look.addprevious(mar)
            else:
                tblPr.append(mar)
        for col, w in zip(t._tbl.tblGrid.iterchildren(qn("w:gridCol")), widths, strict=False):
            col.set(qn("w:w"), str(w))
        for r, cells in enumerate([header, *rows]):
            row = t.rows[r]
            trPr = row._tr.get_or_add_trPr()
            trPr.append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
            if r == 0:
                trPr.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
            for c, (cell, w) in enumerate(zip(row.cells, widths, strict=False)):
                cell.width = Twips(w)
                tcPr = cell._tc.get_or_add_tcPr()
                tcPr.append(parse_xml(f'<w:vAlign {nsdecls("w")} w:val="center"/>'))
                texts = cells[c] if isinstance(cells[c], list) else [cells[c]]
                style = base + ("Head" if r == 0 else ("Left" if c in left else ""))
                first = cell.paragraphs[0]
                for i, text in enumerate(texts):
                    par = first if i == 0 else cell.add_paragraph()
                    par._p.style = style
                    if text:
                        par.add_run(text)
        return t

    def signature(self) -> None:
        self.p("\t{{ issuer }}", "GwSignature")
        self.p("\t{{ date }}", "GwSignature")

    def sealed_signature(self) -> None:
        """Issuer and date with room for the seal above them (GB/T 9704 §7.3.5.1 加盖印章: the seal
        presses down on the issuer and the date, its top within one line of the body); the body's
        last paragraph stays on their page."""
        self.keep_with_next()
        self.blank()
        self.keep_with_next()
        self.p("\t（印章）", "GwSignature")
        self.signature()

    def plain_signature(self, blanks: int = 2) -> None:
        """Issuer and date under the body, which keeps its last paragraph with them (GB/T 9704 §7.3.5.2):
        never a page holding only the signature and the date."""
        self.keep_with_next()
        self.blank(blanks)
        self.keep_with_next(blanks)
        self.signature()

    def end_keep(self) -> None:
        """The last paragraph before a 版记 or an annex lets go (the date's style keeps with next)."""
        pPr = self.doc.paragraphs[-1]._p.get_or_add_pPr()
        el = parse_xml(f'<w:keepNext {nsdecls("w")} w:val="0"/>')
        style = pPr.find(qn("w:pStyle"))
        if style is not None:
            style.addnext(el)
        else:
            pPr.insert(0, el)

    def keep_with_next(self, n: int = 1) -> None:
        """Keep the last `n` paragraphs with the next one (so no page holds only the signature)."""
        for par in self.doc.paragraphs[-n:]:
            self._keep(par._p)

    @staticmethod
    def _keep(p) -> None:
        pPr = p.get_or_add_pPr()
        if pPr.find(qn("w:keepNext")) is None:
            el = parse_xml(f'<w:keepNext {nsdecls("w")}/>')
            style = pPr.find(qn("w:pStyle"))
            if style is not None:
                style.addnext(el)
            else:
                pPr.insert(0, el)

    def banji(self, cc: str = "cc", printed_by: str = "printed_by", printed_on: str = "printed_on") -> None:
        """The 版记 (GB/T 9704 §7.4): 抄送 (when given) and 印发机关/印发日期 in 4号仿宋 between
        full-width rules, thick first and last, thin between; the names are context keys.

        No blank line above it, and the paragraph a document must have after a table is made 1 pt
        high: a short notice then keeps its 版记 on its one page (it took a page of its own)."""
        t = self.doc.add_table(rows=4, cols=1)
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        tblPr = t._tbl.tblPr
        tblW = tblPr.find(qn("w:tblW"))
        tblW.set(qn("w:w"), str(TEXT_W))
        tblW.set(qn("w:type"), "dxa")
        borders = parse_xml(
            f'<w:tblBorders {nsdecls("w")}><w:top w:val="single" w:sz="8" w:space="0" w:color="auto"/>'
            '<w:left w:val="nil"/><w:bottom w:val="single" w:sz="8" w:space="0" w:color="auto"/><w:right w:val="nil"/>'
            '<w:insideH w:val="single" w:sz="6" w:space="0" w:color="auto"/><w:insideV w:val="nil"/></w:tblBorders>'
        )
        jc = tblPr.find(qn("w:jc"))
        (jc if jc is not None else tblPr.find(qn("w:tblW"))).addnext(borders)
        t._tbl.tblGrid.find(qn("w:gridCol")).set(qn("w:w"), str(TEXT_W))
        inner = TEXT_W - 2 * 108
        lines = [
            (f"{{%tr if {cc} %}}", ""),
            (f"抄送：{{{{ {cc} }}}}。", ""),
            ("{%tr endif %}", ""),
            (f"{{{{ {printed_by} }}}}\t{{{{ {printed_on} }}}}",
             f'<w:tabs><w:tab w:val="right" w:pos="{inner - 280}"/></w:tabs>'),
        ]
        for row, (text, tabs) in zip(t.rows, lines, strict=True):
            row._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
            cell = row.cells[0]
            cell.width = Twips(TEXT_W)
            par = cell.paragraphs[0]
            par._p.append(parse_xml(
                f'<w:pPr {nsdecls("w")}><w:pStyle w:val="GwBanji"/>{tabs}</w:pPr>'))
            par.add_run(text)
        end = self.doc.add_paragraph()._p
        end.append(parse_xml(
            f'<w:pPr {nsdecls("w")}><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
            '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr>'))

    def save(self, path: Path) -> None:
        buf = io.BytesIO()
        self.doc.save(buf)
        path.write_bytes(_reproducible_zip(buf.getvalue()))


def _reproducible_zip(data: bytes) -> bytes:
    """Same content → same bytes: fixed entry order and timestamps."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    names.sort(key=lambda n: (n != "[Content_Types].xml", not n.startswith("_rels/"), n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name))
    return out.getvalue()


# --- the templates -----------------------------------------------------------------------
def plan_week() -> Builder:
    b = Builder("依法行政日常监督检查安排")
    b.p("{{ title }}", "Title")
    b.p("{{ label }}（{{ period }}）", "GwSubtitle")
    b.blank()
    b.p("一、检查时间", "Heading1")
    b.p("检查时间为{{ period }}。工作日：{{ workdays_text }}。", "GwBody")
    b.table(
        [2600, 2600, 3645],
        ["日期", "星期", "安排"],
        [["{%tr for d in days %}", "", ""], ["{{ d.date }}", "{{ d.weekday }}", "{{ d.status }}"], ["{%tr endfor %}", "", ""]],
    )
    b.p("二、受监督单位", "Heading1")
    b.p("{%p if units %}", "GwBody")
    b.table(
        [1000, 5545, 2300],
        ["序号", "受监督单位", "类别"],
        [["{%tr for u in units %}", "", ""], ["{{ u.no }}", "{{ u.name }}", "{{ u.kind_label }}"], ["{%tr endfor %}", "", ""]],
        left=(1,),
    )
    b.p("{%p else %}", "GwBody")
    b.p("本周无受监督单位。", "GwBody")
    b.p("{%p endif %}", "GwBody")
    b.p("{%p if note %}", "GwBody")
    b.p("{{ note }}", "GwBody")
    b.p("{%p endif %}", "GwBody")
    b.p("三、工作小组", "Heading1")
    b.table(
        [2900, 2100, 3845],
        ["科室", "联系电话", "负责检查内容"],
        [["{%tr for o in offices %}", "", ""], ["{{ o.name }}", "{{ o.phone }}", "{{ o.categories }}"], ["{%tr endfor %}", "", ""]],
        left=(2,),
    )
    b.p("四、检查方式", "Heading1")
    b.p("{{ methods | sentence }}", "GwBody")
    # the static checklist goes to the annex, each category once (issue 15 item 6): the arrangement a
    # working group carries stays short; the field form (lufa inspect form) has every checkpoint
    b.p("五、检查内容", "Heading1")
    b.p("按依法行政监督考核检查内容逐项检查（共{{ categories | length }}类，见附件），现场发现的问题填入检查记录表。", "GwBody")
    b.keep_with_next()
    b.blank()
    b.keep_with_next()
    b.p("附件：依法行政监督考核检查内容", "GwBody")
    b.plain_signature()
    b.end_keep()
    annex(b)
    return b


def annex(b: Builder) -> None:
    """附件 (GB/T 9704 §7.3.6 / §8): its own page, 附件 in 3号黑体 top left, its title, then each
    category once with its items in one paragraph each."""
    b.p("附件", "GwAnnex")
    b.blank()
    b.p("依法行政监督考核检查内容", "Title")
    b.blank()
    b.p("{%p for c in categories %}", "GwBody")
    b.p("{{ c.no | cn_number }}、{{ c.name }}（{% if c.points %}{{ c.points }}分，{% endif %}{{ c.office }}）", "Heading1")
    b.p("{%p for i in c['items'] %}", "GwBody")
    b.p("{% if c['items'] | length > 1 %}{{ i.id }} {{ i.name }}{% if i.points %}（{{ i.points }}分）{% endif %}：{% endif %}{{ i.summary }}", "GwBody")
    b.p("{%p endfor %}", "GwBody")
    b.p("{%p endfor %}", "GwBody")


def plan_year() -> Builder:
    b = Builder("依法行政日常监督分组计划表")
    b.p("{{ title }}", "Title")
    b.blank()
    # the month cell is merged down over its weeks after rendering: the `vmerge` filter
    # marks the cell, documents.py writes w:vMerge restart/continue in schema order.
    b.table(
        # widths (with 57-twip side margins) hold 十一月 · 第一周 · 10月25日至10月31日 · 工作日 ·
        # a 14-character unit name on one line, also in LibreOffice; the 工作日 cell carries the
        # holidays of the week under the count, as `lufa plan year` shows them on the terminal
        [850, 850, 2760, 880, 3505],
        ["月份", "周次", "日期", "工作日", "受监督单位"],
        [
            ["{%tr for row in rows %}", "", "", "", ""],
            ["{{ row.month_label | vmerge }}", "{{ row.week_label }}", "{{ row.dates }}",
             ["{{ row.workdays }}天", "{%p if row.holidays %}", "{{ row.holidays | join(\"、\") }}", "{%p endif %}"],
             ["{%p for u in row.units %}", "{{ u }}", "{%p endfor %}"]],
            ["{%tr endfor %}", "", "", "", ""],
        ],
        left=(4,),
        pad=0,
        side=57,
        small=True,
    )
    b.p("{{ note }}", "Normal")
    b.p("{%p if holiday_note %}", "Normal")
    b.p("{{ holiday_note }}", "Normal")
    b.p("{%p endif %}", "Normal")
    b.plain_signature()
    return b


def _head(b: Builder, name: str = "kind_name") -> None:
    """Title, 发文字号 and 主送机关 of every notice and letter."""
    b.p(f"{{{{ {name} }}}}", "Title")
    b.p("{{ number }}", "GwNumber")
    b.blank()
    b.p("{{ addressee }}：", "Normal")


def _case_opening(b: Builder) -> None:
    # one case named only when every finding comes from it; else each finding carries its own
    b.p(
        "{% if case %}你单位{{ case.name }}（{{ case.number }}）经审查后发现：{% else %}经监督检查，发现你单位存在以下问题：{% endif %}",
        "GwBody",
    )


def _findings(b: Builder) -> None:
    """一是… 二是…: each finding a whole sentence with its case and its 整改要求 (notice_context)."""
    b.p("{%p for f in findings %}", "GwBody")
    b.p("{{ loop.index | cn_number }}是{{ f | sentence }}", "GwBody")
    b.p("{%p endfor %}", "GwBody")


def _sealed_end(b: Builder) -> None:
    """Seal space, 署名, 成文日期, the 附注 (contact) and the 版记 of every notice and letter."""
    b.sealed_signature()
    b.p("（{% if contact_name %}联系人：{{ contact_name }}，{% endif %}联系方式：{{ contact_phone }}）", "GwBody")
    b.banji()


def notice() -> Builder:
    b = Builder("行政执法监督意见书")
    _head(b)
    b.p("{{ legal_basis }}{{ facts }}", "GwBody")
    _case_opening(b)
    _findings(b)
    b.p(
        "请你单位接到本{{ kind_short }}后进行研究，制定具体措施、进一步完善制度，并于{{ deadline }}前（{{ period }}内）"
        "将整改情况书面报送至{{ reply_office }}（{{ reply_room }}）。{{ consequence }}",
        "GwBody",
    )
    _sealed_end(b)
    return b


# The 通报 of the supervision results (seed regulation §六（一）): sent to every law-enforcing
# unit, "使表现较好的单位或个人能为他人学习，使表现较差的单位或个人知耻而后进".
# Heading levels per GB/T 9704 §7.3.3: 一、 黑体; （一） 楷体 — the table captions, the problems
# (whole paragraph, they are heading-only items) and the run-in leads of the requirements.
_RANK_WIDTHS = [1000, 4245, 1200, 1200, 1200]  # 名次 · 单位 (a 14-character name on one line) · 得分 · 等级 · 问题数
_REQUIREMENTS = [
    ("（一）抓好问题整改。",
     "各单位要对照本通报指出的问题和监督检查中反馈的意见，逐项分析原因，制定整改措施，明确责任人和整改时限，"
     "于收到本通报之日起30日内将整改情况书面报送县司法局行政执法协调监督室。"),
    ("（二）健全完善制度。",
     "各单位要全面落实行政执法公示、执法全过程记录、重大执法决定法制审核“三项制度”，"
     "健全权责清单、裁量基准、案卷立卷归档等配套制度，确保行政执法行为规范、程序合法。"),
    ("（三）加强学习培训。",
     "各单位要把学习《行政处罚法》《行政许可法》《行政强制法》等法律法规作为经常性工作，"
     "按年度培训计划组织执法人员参加全年不少于20学时的法律知识培训和考核，切实提高依法行政能力和水平。"),
]  # fmt: skip


def _ranking(b: Builder, caption: str, var: str, empty: str) -> None:
    b.p(caption, "Heading2")
    b.p(f"{{%p if {var} %}}", "GwBody")
    b.table(
        _RANK_WIDTHS,
        ["名次", "单位", "得分", "等级", "问题数"],
        [
            [f"{{%tr for r in {var} %}}", "", "", "", ""],
            ["{{ r.rank }}", "{{ r.name }}", "{{ r.total | num }}", "{{ r.grade }}", "{{ r.findings }}"],
            ["{%tr endfor %}", "", "", "", ""],
        ],
        left=(1,),
    )
    b.p("{%p else %}", "GwBody")
    b.p(empty, "GwBody")
    b.p("{%p endif %}", "GwBody")


def circular() -> Builder:
    b = Builder("依法行政监督考核情况通报")
    b.p("{{ title | title_lines }}", "Title")
    # a two-line title: LibreOffice puts a 22 pt line on two 28.95 pt grid lines when it snaps;
    # without the grid the lines are one exact pitch apart (CT_PPrBase: snapToGrid after pStyle)
    b.doc.paragraphs[-1]._p.pPr.append(parse_xml(f'<w:snapToGrid {nsdecls("w")} w:val="0"/>'))
    b.blank()
    b.p("各乡镇人民政府，县直各行政执法单位：", "Normal")
    b.p(
        "根据《关于在全县开展依法行政监督考核的工作制度》（鲁法政办〔2021〕4号），截至{{ as_of }}，县法治政府建设领导小组办公室"
        "组织工作小组对{{ inspected }}个单位开展了依法行政监督考核（共{{ total_units }}个受监督单位）。现将有关情况通报如下：",
        "GwBody",
    )
    b.p("一、考核结果", "Heading1")
    b.p(
        "本次共考核{{ inspected }}个单位{% if grades %}，其中{% for g in grades %}{{ g.name }}{{ g.count }}个"
        "{% if not loop.last %}、{% endif %}{% endfor %}{% endif %}。各单位考核结果如下：",
        "GwBody",
    )
    _ranking(b, "（一）县直单位", "county", "本次未对县直单位开展考核。")
    _ranking(b, "（二）乡镇", "township", "本次未对乡镇开展考核。")
    # optional rules (checklist.yaml bonus / veto items, case-file reviews): only when present
    b.p("{%p if bonus_text or veto_text or review_text %}", "GwBody")
    b.p("（三）加分、一票否决和案卷评查", "Heading2")
    for var in ("bonus_text", "veto_text", "review_text"):
        b.p(f"{{%p if {var} %}}", "GwBody")
        b.p(f"{{{{ {var} }}}}", "GwBody")
        b.p("{%p endif %}", "GwBody")
    b.p("{%p endif %}", "GwBody")
    b.p("二、表现较好的单位", "Heading1")
    b.p(
        "{% if good %}{{ good }}在本次考核中表现较好，依法行政工作基础扎实、执法行为规范，予以通报表扬，"
        "希望各单位学习借鉴。{{ praise_rule }}。{% else %}暂无。{% endif %}",
        "GwBody",
    )
    b.p("三、存在的主要问题", "Heading1")
    b.p(
        "表现较差的单位：{% if poor %}{{ poor }}。上述单位要认真查找原因，知耻而后进，切实抓好整改。{% else %}暂无。{% endif %}",
        "GwBody",
    )
    b.p("{%p if problems %}", "GwBody")
    b.p("考核中发现的主要问题有：", "GwBody")
    b.p("{%p for pr in problem_items %}", "GwBody")
    b.runs([("（{{ loop.index | cn_number }}）{{ pr.heading }}", "h2"), ("{{ pr.text }}", None)])
    b.p("{%p endfor %}", "GwBody")
    b.p("{%p else %}", "GwBody")
    b.p("考核中未发现较为突出的共性问题。", "GwBody")
    b.p("{%p endif %}", "GwBody")
    b.p("{%p if registers %}", "GwBody")  # registers' figures (lufa register): filings, reviews, training hours
    b.p("{%p for line in registers %}", "GwBody")
    b.p("{{ line }}", "GwBody")
    b.p("{%p endfor %}", "GwBody")
    b.p("{%p endif %}", "GwBody")
    b.p("四、工作要求", "Heading1")
    for lead, text in _REQUIREMENTS:
        b.runs([(lead, "h2"), (text, None)])
    b.keep_with_next()  # the last body paragraph (whichever is printed) stays with the signature
    b.p("{%p if not_inspected %}", "GwBody")
    b.p("{{ not_inspected }}等单位将在下一阶段接受检查，请提前做好自查自纠和迎检准备。", "GwBody")
    b.keep_with_next()
    b.p("{%p elif kind == \"年终\" and not_inspected_count %}", "GwBody")
    b.p("本年度另有{{ not_inspected_count }}个单位未接受检查，将在下一年度优先安排。", "GwBody")
    b.keep_with_next()
    b.p("{%p endif %}", "GwBody")
    b.plain_signature()
    return b


TEMPLATES = {
    "plan-week.docx": plan_week,
    "plan-year.docx": plan_year,
    "notice-yijianshu.docx": notice,
    "circular.docx": circular,
}


# --- the other instruments and the letters of the escalation ladder (issue 15) --------------
# Same builder, same page, same parts as the 意见书: legal basis, inspection facts, per-finding
# cases and requirements, period (个工作日 when counted in working days), consequence, seal, 版记.
# Their wording is an assumption (Chapter 4 of the 条例 could not be read): the clerk edits it in
# Word or WPS; every tag stays in the text of one run.
def notice_tongzhishu() -> Builder:
    b = Builder("行政执法监督通知书")
    _head(b)
    b.p("{{ legal_basis }}{{ facts }}", "GwBody")
    _case_opening(b)
    _findings(b)
    b.p(
        "请你单位于{{ deadline }}前（{{ period }}内）自行纠正上述问题。期限届满后，"
        "{{ reply_office }}将对纠正情况进行核查。{{ consequence }}",
        "GwBody",
    )
    _sealed_end(b)
    return b


def notice_jueding() -> Builder:
    b = Builder("行政执法监督决定书")
    _head(b)
    b.p(
        "{% if follows %}{{ inspection_facts }}本机关于{{ follows.date }}向你单位下达{{ follows.kind_name }}（{{ follows.number }}），"
        "要求你单位于{{ follows.deadline }}前整改并书面报送整改情况。你单位逾期未按要求整改。"
        "{% else %}{{ facts }}发现你单位存在下列问题，应当予以纠正。{% endif %}"
        "{{ legal_basis }}本机关决定如下：",
        "GwBody",
    )
    b.p("一、责令你单位于{{ deadline }}前（{{ period }}内）纠正下列问题：", "GwBody")
    _findings(b)
    b.p(
        "二、你单位应当于上述期限内将纠正情况书面报送至{{ reply_office }}（{{ reply_room }}）。{{ consequence }}",
        "GwBody",
    )
    _sealed_end(b)
    return b


def letter_cuiban() -> Builder:
    b = Builder("行政执法监督催办函")
    _head(b, "letter_name")
    b.p(
        "{{ facts }}本机关于{{ notice.date }}向你单位下达{{ notice.kind_name }}（{{ notice.number }}），要求你单位于"
        "{{ notice.deadline }}前（{{ notice.period }}内）将整改情况书面报送至{{ reply_office }}（{{ reply_room }}）。"
        "截至{{ date }}，你单位已逾期{{ days_overdue }}日，仍未报送整改情况。",
        "GwBody",
    )
    b.p("{{ notice.kind_name }}指出的问题是：", "GwBody")
    _findings(b)
    b.p(
        "{{ legal_basis }}现予催办。请你单位{% if reply_by %}于{{ reply_by }}前{% else %}立即{% endif %}完成整改，"
        "并将整改情况书面报送至{{ reply_office }}（{{ reply_room }}）。"
        "逾期仍未报送的，将约谈你单位负责人，并视情况予以通报、移交问题线索。",
        "GwBody",
    )
    _sealed_end(b)
    return b


def letter_yijiao() -> Builder:
    b = Builder("问题线索移交函")
    _head(b, "letter_name")
    b.p(
        "在依法行政监督检查中，本机关发现{{ unit }}存在下列问题，经下达监督文书并督办，逾期仍未整改。"
        "{{ legal_basis }}现将有关问题线索移交你委（局），请依规依纪依法处理。",
        "GwBody",
    )
    b.p("一、被监督单位：{{ unit }}", "Heading1")
    b.p("二、检查和下达的监督文书", "Heading1")
    b.p("{%p if unit_facts %}", "GwBody")
    b.p("{{ unit_facts }}", "GwBody")
    b.p("{%p endif %}", "GwBody")
    b.p("{%p for d in notices %}", "GwBody")
    b.p("{{ d.kind_name }}（{{ d.number }}），{{ d.date }}下达，整改期限至{{ d.deadline }}（{{ d.period }}）。", "GwBody")
    b.p("{%p endfor %}", "GwBody")
    b.p("三、督办经过", "Heading1")
    b.p("{%p for s in steps %}", "GwBody")
    b.p("{{ s.date }}，{{ s.text }}。", "GwBody")
    b.p("{%p endfor %}", "GwBody")
    b.p("四、未整改的问题", "Heading1")
    _findings(b)
    b.blank()
    b.p("附件：上述监督文书及督办材料复印件", "GwBody")
    _sealed_end(b)
    return b


def receipt() -> Builder:
    """送达回证: one table a unit signs when a notice is delivered (written beside each notice)."""
    b = Builder("送达回证")
    b.p("送达回证", "Title")
    b.blank()
    rows = [
        ["文书名称及文号", "{{ kind_name }}（{{ number }}）"],
        ["送达机关", "{{ issuer }}"],
        ["受送达单位", "{{ addressee }}"],
        ["送达地点", ""],
        ["送达方式", ["□直接送达　　□邮寄送达", "□电子送达　　□留置送达"]],
        ["签收人", ""],
        ["签收日期", "　　　　年　　月　　日"],
        ["送达人", ""],
        ["备注", "{{ remark }}"],
    ]
    t = b.table([2600, 6245], rows[0], rows[1:], left=(1,))
    for row in t.rows:  # a row a hand can write in: 3 lines high, the header row too
        trPr = row._tr.get_or_add_trPr()
        trPr.insert(0, parse_xml(f'<w:trHeight {nsdecls("w")} w:val="1000" w:hRule="atLeast"/>'))
        hdr = trPr.find(qn("w:tblHeader"))
        if hdr is not None:
            trPr.remove(hdr)
    for cell in t.rows[0].cells:  # the first row is data, not a header
        cell.paragraphs[0]._p.style = "GwTable"
    t.rows[0].cells[1].paragraphs[0]._p.style = "GwTableLeft"
    b.blank()
    b.p("注：受送达单位签收后，请将本回证交回{{ reply_office }}（{{ reply_room }}）。", "GwBody")
    return b


TEMPLATES.update({
    "notice-tongzhishu.docx": notice_tongzhishu,
    "notice-jueding.docx": notice_jueding,
    "letter-cuiban.docx": letter_cuiban,
    "letter-yijiao.docx": letter_yijiao,
    "receipt-songda.docx": receipt,
})


# --- results back to each unit, models up the line (seed §六(一)(二); issue 15 item 8) -------
def feedback() -> Builder:
    """考核结果反馈函: one per inspected unit (lufa report feedback)."""
    b = Builder("依法行政监督考核结果反馈函")
    b.p("{{ title | title_lines }}", "Title")
    b.doc.paragraphs[-1]._p.pPr.append(parse_xml(f'<w:snapToGrid {nsdecls("w")} w:val="0"/>'))
    b.blank()
    b.p("{{ addressee }}：", "Normal")
    b.p("{{ intro }}", "GwBody")
    b.p("一、考核得分和等次", "Heading1")
    b.p("{{ score_text }}{{ rank_rule }}", "GwBody")
    b.p("{%p for s in rules %}", "GwBody")
    b.p("{{ s }}", "GwBody")
    b.p("{%p endfor %}", "GwBody")
    b.p("二、发现的问题", "Heading1")
    b.p("{%p if categories %}", "GwBody")
    b.p("{%p for c in categories %}", "GwBody")
    b.p("（{{ loop.index | cn_number }}）{{ c.heading }}", "Heading2")
    b.p("{%p for f in c.findings %}", "GwBody")
    b.p("{{ loop.index }}.{{ f }}", "GwBody")
    b.p("{%p endfor %}", "GwBody")
    b.p("{%p endfor %}", "GwBody")
    b.p("{%p else %}", "GwBody")
    b.p("{{ period }}监督检查中未发现你单位存在问题。", "GwBody")
    b.p("{%p endif %}", "GwBody")
    b.p("三、监督文书办理情况", "Heading1")
    b.p("{{ notices_text }}", "GwBody")
    b.p("{%p for n in notices %}", "GwBody")
    b.p("{{ loop.index }}.{{ n }}", "GwBody")
    b.p("{%p endfor %}", "GwBody")
    b.p("四、工作要求", "Heading1")
    b.p("{{ requirement }}", "GwBody")
    b.sealed_signature()
    b.p("（{% if contact_name %}联系人：{{ contact_name }}，{% endif %}联系方式：{{ contact_phone }}）", "GwBody")
    b.banji()
    b.keep_with_next(2)  # the 版记 travels with the signature: never a page holding only the 版记
    return b


def models() -> Builder:
    """先进典型报告 to the superior department (lufa report models)."""
    b = Builder("依法行政监督考核先进典型报告")
    b.p("{{ title | title_lines }}", "Title")
    b.doc.paragraphs[-1]._p.pPr.append(parse_xml(f'<w:snapToGrid {nsdecls("w")} w:val="0"/>'))
    b.blank()
    b.p("{{ addressee }}：", "Normal")
    b.p(
        "根据《关于在全县开展依法行政监督考核的工作制度》（鲁法政办〔2021〕4号）“与上级主管部门保持沟通，及时将先进模范典型上报”的要求，"
        "现将我县{{ period }}依法行政监督考核中表现较好的单位报告如下。",
        "GwBody",
    )
    b.p("{{ summary }}{{ rule }}据此确定先进典型{{ count }}个：{{ names }}。", "GwBody")
    b.p("{%p for g in groups %}", "GwBody")
    b.p("{{ loop.index | cn_number }}、{{ g.heading }}", "Heading1")
    b.p("{%p for u in g.units %}", "GwBody")
    b.runs([("（{{ loop.index | cn_number }}）{{ u.name }}。", "h2"), ("{{ u.text }}", None)])
    b.p("{%p endfor %}", "GwBody")
    b.p("{%p endfor %}", "GwBody")
    b.p("特此报告。", "GwBody")
    b.sealed_signature()
    b.p("（{% if contact_name %}联系人：{{ contact_name }}，{% endif %}联系方式：{{ contact_phone }}）", "GwBody")
    b.banji()
    b.keep_with_next(2)
    return b


TEMPLATES.update({
    "feedback.docx": feedback,
    "models.docx": models,
})


# The year in pictures (工作推进会材料, `lufa report briefing`): the sections come from the program with
# their sentences; each chart's paragraph holds {{ c.picture }} alone, replaced by the picture after
# rendering (render/briefing.py). A picture needs a line as tall as itself: auto spacing, off the grid.
def briefing() -> Builder:
    b = Builder("依法行政监督考核工作推进情况")
    b.p("{{ title | title_lines }}", "Title")
    b.doc.paragraphs[-1]._p.pPr.append(parse_xml(f'<w:snapToGrid {nsdecls("w")} w:val="0"/>'))
    b.p("{{ subtitle }}", "GwSubtitle")
    b.blank()
    b.p("为便于工作推进会研究部署，现将{{ year }}年全县依法行政监督考核工作推进情况以图表形式汇报如下：", "GwBody")
    b.p("{%p for s in sections %}", "GwBody")
    b.p("{{ loop.index | cn_number }}、{{ s.heading }}", "Heading1")
    b.p("{%p for line in s.lines %}", "GwBody")
    b.p("{{ line }}", "GwBody")
    b.p("{%p endfor %}", "GwBody")
    b.p("{%p for c in s.charts %}", "GwBody")
    b.p("{{ c.picture }}", "Normal")
    b.doc.paragraphs[-1]._p.get_or_add_pPr().extend([
        parse_xml(f'<w:keepNext {nsdecls("w")}/>'),
        parse_xml(f'<w:snapToGrid {nsdecls("w")} w:val="0"/>'),
        parse_xml(f'<w:spacing {nsdecls("w")} w:before="120" w:after="0" w:line="240" w:lineRule="auto"/>'),
        parse_xml(f'<w:jc {nsdecls("w")} w:val="center"/>'),
    ])
    b.p("{{ c.caption }}", "GwSubtitle")
    b.p("{%p endfor %}", "GwBody")
    b.p("{%p endfor %}", "GwBody")
    b.blank(2)
    for par in b.doc.paragraphs[-3:]:
        par.paragraph_format.keep_with_next = True
    b.signature()
    return b


TEMPLATES["briefing.docx"] = briefing


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "templates")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, build in TEMPLATES.items():
        build().save(args.out / name)
        print(args.out / name)


if __name__ == "__main__":
    main()
