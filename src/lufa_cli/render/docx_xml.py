"""Low-level OOXML helpers for documents.py: template preprocessing, vertical merges, fonts.

Nothing here knows about files or errors; documents.py turns failures into TemplateError.
lxml and docxtpl are imported inside the functions that need them.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"

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
class PackageTooLarge(ValueError):
    """The entries of a package unpack to more than the limit (a zip bomb)."""


def read_package(raw: bytes | Path, *, limit: int | None = None) -> list[tuple[zipfile.ZipInfo, bytes]]:
    """Every entry of a .docx (its bytes, or a path), in order, with a ZipInfo ready for writing
    (deflated, same date). With `limit`, at most that many bytes are unpacked in all, whatever
    the entries claim their size is (documents.py reads templates with a limit)."""
    entries, total = [], 0
    limit = limit if limit is not None else 1 << 62
    with zipfile.ZipFile(raw if isinstance(raw, Path) else io.BytesIO(raw)) as zf:
        for info in zf.infolist():
            new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            new.compress_type, new.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            with zf.open(info) as fh:
                data = fh.read(limit - total + 1)
            total += len(data)
            if total > limit:
                raise PackageTooLarge(info.filename)
            entries.append((new, data))
    return entries


@dataclass(frozen=True)
class Packed:
    """A package entry deflated once (a template's unchanged parts), copied into every document."""

    crc: int
    size: int
    deflated: bytes


def pack(data: bytes) -> Packed:
    """Deflate `data` as zipfile does (raw deflate, default level)."""
    z = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return Packed(zlib.crc32(data), len(data), z.compress(data) + z.flush())


def write_package(entries: Iterable[tuple[zipfile.ZipInfo, bytes | Packed]]) -> bytes:
    """The zip file of `entries`, in order, deflated, with the headers zipfile.writestr writes.

    Written here rather than with zipfile so that entries deflated once (`Packed`) are
    copied instead of deflated again for every document: re-deflating a template's
    styles, theme and numbering cost as much as rendering its text. Packages are far
    below the 4 GiB / 65,535-entry limits that would need ZIP64.
    """
    out, central, count = bytearray(), bytearray(), 0
    for info, data in entries:
        p = data if isinstance(data, Packed) else pack(data)
        try:
            name, flags = info.filename.encode("ascii"), 0
        except UnicodeEncodeError:
            name, flags = info.filename.encode("utf-8"), 0x800
        y, mo, d, h, mi, sec = info.date_time
        dosdate, dostime = (y - 1980) << 9 | mo << 5 | d, h << 11 | mi << 5 | sec // 2
        fields = (flags, zipfile.ZIP_DEFLATED, dostime, dosdate, p.crc, len(p.deflated), p.size, len(name))
        # external_attr 0 is written as 0o600 << 16 (rw-------), as zipfile does
        central += struct.pack("<4s2B2B4HL2L5H2L", b"PK\x01\x02", 20, info.create_system, 20, 0, *fields, 0, 0, 0, 0, info.external_attr or 0o600 << 16, len(out))
        central += name
        out += struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, *fields, 0)
        out += name
        out += p.deflated
        count += 1
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), len(out), 0)
    return bytes(out + central + end)


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
    merge, empty = MERGE_MARK in xml, _has_empty_cell(xml)
    if not (merge or empty):
        return data
    if merge:
        merge_cells(root)
    if empty:
        ensure_cell_paragraphs(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _has_empty_cell(xml: str) -> bool:
    """`_EMPTY_CELL` occurs in `xml`. Every match ends in one of these substrings, which are
    found in a fraction of the time the pattern takes to be tried at each character."""
    if "<w:tc/>" not in xml and "</w:tcPr></w:tc>" not in xml and "<w:tc></w:tc>" not in xml:
        return False
    return _EMPTY_CELL.search(xml) is not None


# --- vertical merges ------------------------------------------------------------------------
# CT_TcPr is a sequence: the position of vMerge among its siblings is fixed by the schema.
_TCPR_ORDER = [
    "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
    "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel",
    "cellMerge", "tcPrChange",
]  # fmt: skip
_TCPR_RANK = {W + name: i for i, name in enumerate(_TCPR_ORDER)}
_VMERGE_RANK = _TCPR_RANK[W + "vMerge"]
_TC, _TCPR, _P, _PPR, _T = W + "tc", W + "tcPr", W + "p", W + "pPr", W + "t"

# lxml's find()/findall() go through ElementPath on every call (~10 µs each); iterchildren
# and iter with a tag filter walk the tree in C. New elements are made with SubElement
# inside the tree, then moved where they belong.


def _child(el, tag: str):
    """The first child of `el` with `tag` (as el.find(tag)), or None."""
    return next(el.iterchildren(tag), None)


def _set_vmerge(tc, value: str, sub) -> None:
    tcPr = _child(tc, _TCPR)
    if tcPr is None:
        tcPr = sub(tc, _TCPR)
        tc.insert(0, tcPr)
    old = _child(tcPr, W + "vMerge")
    if old is not None:
        tcPr.remove(old)
    pos = 0
    for i, child in enumerate(tcPr):
        if _TCPR_RANK.get(child.tag, len(_TCPR_ORDER)) < _VMERGE_RANK:
            pos = i + 1
    vm = sub(tcPr, W + "vMerge")
    vm.set(W + "val", value)
    tcPr.insert(pos, vm)


def _empty_cell(tc) -> None:
    """A continuation cell keeps one empty paragraph (with its paragraph properties)."""
    paras = list(tc.iterchildren(_P))
    for p in paras[1:]:
        tc.remove(p)
    if paras:
        for child in list(paras[0]):
            if child.tag != _PPR:
                paras[0].remove(child)


def _grid_span(tc) -> int:
    tcPr = _child(tc, _TCPR)
    span = _child(tcPr, W + "gridSpan") if tcPr is not None else None
    return int(span.get(W + "val", "1")) if span is not None else 1


def merge_cells(root) -> None:
    """Merge marked cells down their column where consecutive rows hold the same text."""
    from lxml import etree

    sub = etree.SubElement
    marked: dict = {}  # tc element -> its text without the mark
    for t in root.iter(_T):
        if not (t.text and MERGE_MARK in t.text):
            continue
        t.text = t.text.replace(MERGE_MARK, "")
        tc = t.getparent()
        while tc is not None and tc.tag != _TC:
            tc = tc.getparent()
        if tc is not None:
            marked[tc] = None
    tables: dict = {}  # in order of their first marked cell
    for tc in marked:
        marked[tc] = "".join(t.text or "" for t in tc.iter(_T))
        tables[tc.getparent().getparent()] = None
    for tbl in tables:
        runs: dict[int, list] = {}  # grid column -> current run of cells with equal text
        groups: list[list] = []
        spans = next(tbl.iter(W + "gridSpan"), None) is not None
        for tr in tbl.iterchildren(W + "tr"):
            col = 0
            seen: set[int] = set()
            for tc in tr.iterchildren(_TC):
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
            _set_vmerge(group[0], "restart", sub)
            for tc in group[1:]:
                _set_vmerge(tc, "continue", sub)
                _empty_cell(tc)
            for tc in group[:-1]:  # keep a merged block on one page where it fits
                p = _child(tc, _P)
                if p is not None:
                    _keep_next(p, sub)


def _keep_next(p, sub) -> None:
    pPr = _child(p, _PPR)
    if pPr is None:
        pPr = sub(p, _PPR)
        p.insert(0, pPr)
    if _child(pPr, W + "keepNext") is None:
        style = _child(pPr, W + "pStyle")
        keep = sub(pPr, W + "keepNext")
        pPr.insert(0 if style is None else 1, keep)  # right after pStyle


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
    pattern = re.compile(rf'((?:w:(?:ascii|hAnsi|eastAsia|cs|name|val)|typeface)=")({names})(")')
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
