"""Low-level OOXML helpers for documents.py: template preprocessing, vertical merges, fonts.

Nothing here knows about files or errors; documents.py turns failures into TemplateError.
lxml and docxtpl are imported inside the functions that need them.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS

#: Written by the `vmerge` filter after a cell's text; `merge_cells` turns runs of equal
#: marked cells in one column into w:vMerge restart/continue. A private-use code point
#: (plane 15) that never occurs in real data and is legal in XML 1.0.
MERGE_MARK = "\U000f0001"

XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_DECL_RE = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>\s*")
_BETWEEN_TAGS_NL = re.compile(r">[ \t]*[\r\n]\s*<")
_PARA_START = re.compile(r"(?=<w:p[ >/])")
_PARA_MARK = re.compile(r"<!--¶(\d+)-->")
_TEXT_RE = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_TAG_RE = re.compile(r"\{[{%#]")
_EMPTY_CELL = re.compile(r"<w:tc>(?:<w:tcPr>(?:(?!</w:tcPr>).)*</w:tcPr>)?</w:tc>|<w:tc/>")


# --- the package ----------------------------------------------------------------------------
def read_package(path: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    """Every entry of a .docx, in order, with a ZipInfo ready for writing (deflated, same date)."""
    entries = []
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            new.compress_type, new.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            entries.append((new, zf.read(info)))
    return entries


def write_package(entries: Iterable[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return out.getvalue()


@dataclass
class PreparedPart:
    """One XML part of a template, cleaned the way docxtpl does, ready for Jinja.

    `source` renders; `annotated` is the same text with a line break before every
    paragraph, compiled only to find where an error is (`para_of_line`).
    """

    name: str
    source: str
    annotated: str
    para_of_line: list[int] = field(default_factory=list)
    para_texts: list[str] = field(default_factory=list)

    def paragraph(self, lineno: int | None) -> tuple[int, str]:
        """(paragraph number, its text) for a line of `annotated`; (0, "") if unknown."""
        if not lineno or lineno < 1 or not self.para_of_line:
            return 0, ""
        n = self.para_of_line[min(lineno, len(self.para_of_line)) - 1]
        text = self.para_texts[n] if 0 < n < len(self.para_texts) else ""
        return n, text


def has_tags(xml: str) -> bool:
    return _TAG_RE.search(xml) is not None


def prepare_part(name: str, xml: str) -> PreparedPart:
    """Repair tags Word split across runs (docxtpl's own `patch_xml`) and map lines to paragraphs."""
    from docxtpl import DocxTemplate

    body = _DECL_RE.sub("", xml, count=1)
    body = _BETWEEN_TAGS_NL.sub("><", body)
    chunks = _PARA_START.split(body)
    texts = [""]  # paragraph numbers start at 1
    marked = [chunks[0]]
    for n, chunk in enumerate(chunks[1:], start=1):
        texts.append("".join(_TEXT_RE.findall(chunk)))
        marked.append(f"<!--¶{n}-->{chunk}")
    # patch_xml does not use the instance; a bare one avoids loading any document
    patched = DocxTemplate(None).patch_xml("".join(marked))
    annotated_marked = patched.replace("<!--¶", "\n<!--¶")
    para_of_line: list[int] = []
    current = 0
    for line in annotated_marked.split("\n"):
        m = _PARA_MARK.search(line)
        if m:
            current = int(m.group(1))
        para_of_line.append(current)
    return PreparedPart(
        name=name,
        source=_PARA_MARK.sub("", patched),
        annotated=_PARA_MARK.sub("", annotated_marked),
        para_of_line=para_of_line,
        para_texts=[_unescape(t) for t in texts],
    )


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def finish_part(xml: str) -> bytes:
    """Rendered part text → part bytes: listing characters resolved, well-formedness checked,
    marked cells merged. Raises ValueError when the result is not well-formed XML.

    Values with \\n, \\t, \\a, \\f become line breaks, tabs, paragraphs, page breaks
    (docxtpl's own `resolve_listing`). The tree is rewritten only when cells need it.
    """
    from lxml import etree

    if "\n" in xml or "\t" in xml or "\a" in xml or "\f" in xml:
        from docxtpl import DocxTemplate

        xml = DocxTemplate(None).resolve_listing(xml)
    data = (XML_DECL + xml).encode("utf-8")
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        raise ValueError(str(exc)) from None
    merge, empty = MERGE_MARK in xml, _EMPTY_CELL.search(xml)
    if not (merge or empty):
        return data
    if merge:
        merge_cells(root)
    if empty:
        ensure_cell_paragraphs(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- vertical merges ------------------------------------------------------------------------
# CT_TcPr is a sequence: the position of vMerge among its siblings is fixed by the schema.
_TCPR_ORDER = [
    "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
    "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel",
    "cellMerge", "tcPrChange",
]  # fmt: skip
_TCPR_RANK = {W + name: i for i, name in enumerate(_TCPR_ORDER)}


def _set_vmerge(tc, value: str) -> None:
    from lxml import etree

    tcPr = tc.find(W + "tcPr")
    if tcPr is None:
        tcPr = etree.Element(W + "tcPr")
        tc.insert(0, tcPr)
    old = tcPr.find(W + "vMerge")
    if old is not None:
        tcPr.remove(old)
    vm = etree.Element(W + "vMerge")
    vm.set(W + "val", value)
    rank = _TCPR_RANK[W + "vMerge"]
    pos = 0
    for i, child in enumerate(tcPr):
        if _TCPR_RANK.get(child.tag, len(_TCPR_ORDER)) < rank:
            pos = i + 1
    tcPr.insert(pos, vm)


def _empty_cell(tc) -> None:
    """A continuation cell keeps one empty paragraph (with its paragraph properties)."""
    paras = tc.findall(W + "p")
    for p in paras[1:]:
        tc.remove(p)
    if paras:
        for child in list(paras[0]):
            if child.tag != W + "pPr":
                paras[0].remove(child)


def _grid_span(tc) -> int:
    tcPr = tc.find(W + "tcPr")
    span = tcPr.find(W + "gridSpan") if tcPr is not None else None
    return int(span.get(W + "val", "1")) if span is not None else 1


def merge_cells(root) -> None:
    """Merge marked cells down their column where consecutive rows hold the same text."""
    marked: dict = {}  # tc element -> its text without the mark
    for t in root.iter(W + "t"):
        if t.text and MERGE_MARK in t.text:
            t.text = t.text.replace(MERGE_MARK, "")
            tc = t.getparent()
            while tc is not None and tc.tag != W + "tc":
                tc = tc.getparent()
            if tc is not None:
                marked[tc] = None
    tables = []
    for tc in marked:
        marked[tc] = "".join(t.text or "" for t in tc.iter(W + "t"))
        tbl = tc.getparent().getparent()
        if tbl not in tables:
            tables.append(tbl)
    for tbl in tables:
        runs: dict[int, list] = {}  # grid column -> current run of cells with equal text
        groups: list[list] = []
        spans = tbl.find(f".//{W}gridSpan") is not None
        for tr in tbl.iterchildren(W + "tr"):
            col = 0
            seen: set[int] = set()
            for tc in tr.iterchildren(W + "tc"):
                text = marked.get(tc)
                if text is not None:
                    run = runs.get(col)
                    if run and marked[run[-1]] == text:
                        run.append(tc)
                    else:
                        runs[col] = [tc]
                        groups.append(runs[col])
                    seen.add(col)
                col += _grid_span(tc) if spans else 1
            for c in [c for c in runs if c not in seen]:
                del runs[c]
        for group in groups:
            if len(group) < 2:
                continue
            _set_vmerge(group[0], "restart")
            for tc in group[1:]:
                _set_vmerge(tc, "continue")
                _empty_cell(tc)
            for tc in group[:-1]:  # keep a merged block on one page where it fits
                p = tc.find(W + "p")
                if p is not None:
                    _keep_next(p)


def _keep_next(p) -> None:
    from lxml import etree

    pPr = p.find(W + "pPr")
    if pPr is None:
        pPr = etree.SubElement(p, W + "pPr")
        p.insert(0, pPr)
    if pPr.find(W + "keepNext") is None:
        style = pPr.find(W + "pStyle")
        pPr.insert(0 if style is None else 1, etree.Element(W + "keepNext"))  # right after pStyle


def ensure_cell_paragraphs(root) -> None:
    """A loop that produced nothing must not leave a cell without a paragraph (Word refuses it)."""
    from lxml import etree

    for tc in root.iter(W + "tc"):
        if tc.find(W + "p") is None and tc.find(W + "tbl") is None:
            tc.append(etree.Element(W + "p"))


# --- fonts ------------------------------------------------------------------------------
def rewrite_fonts(xml: str, mapping: dict[str, str]) -> str:
    """Replace font names where they are font names: rFonts/font-table attributes, theme typefaces."""
    if not mapping:
        return xml
    names = "|".join(re.escape(n) for n in sorted(mapping, key=len, reverse=True))
    pattern = re.compile(r'((?:w:(?:ascii|hAnsi|eastAsia|cs|name|val)|typeface)=")(%s)(")' % names)
    xml = pattern.sub(lambda m: m.group(1) + mapping[m.group(2)] + m.group(3), xml)
    if "<w:fonts" in xml:  # the font table must not list a face twice
        seen: set[str] = set()

        def dedupe(m: re.Match) -> str:
            if m.group(1) in seen:
                return ""
            seen.add(m.group(1))
            return m.group(0)

        xml = re.sub(r'<w:font w:name="([^"]*)">.*?</w:font>', dedupe, xml, flags=re.S)
    return xml
