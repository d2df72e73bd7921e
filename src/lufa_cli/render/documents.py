"""The one layer every generated document goes through: .docx and text templates.

A .docx template is opened once, its XML parts cleaned the way docxtpl does (tags Word
split across runs are repaired) and compiled once with a restrictive Jinja sandbox;
rendering a document is then one Jinja render per part plus a zip write.
See docs/documents.md for the context keys, the sandbox policy and the speed figures.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, meta, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import safe_range
from jinja2.utils import Namespace
from markupsafe import Markup, escape

from lufa_cli.errors import (
    Diagnostic,
    ExternalError,
    TemplateError,
    UsageError,
)
from lufa_cli.reading.fsio import MAX_BYTES, ReadRefused, atomic_write, exists_error, os_reason, read_file
from lufa_cli.render import docx_xml
from lufa_cli.render import sandbox as sandbox_module
from lufa_cli.render.sandbox import (
    DENIED_GLOBALS,
    DENIED_NAMES,
    PLAIN_TYPES,
    Budget,
    PlainDataSandbox,
    RenderLimit,
    render_bounded,
)

# --- font schemes -----------------------------------------------------------------------
#: The templates carry the GB2312 face names; "windows" maps them to faces every Windows has.
FONT_SCHEMES: dict[str, dict[str, str]] = {
    "gb2312": {},
    "windows": {"仿宋_GB2312": "仿宋", "方正小标宋简体": "宋体", "楷体_GB2312": "楷体"},
}


def font_mapping(scheme: str | Mapping[str, str]) -> dict[str, str]:
    """The name→name mapping of a scheme name, or a mapping given directly (from settings)."""
    if not isinstance(scheme, str):
        return dict(scheme)
    try:
        return FONT_SCHEMES[scheme]
    except KeyError:
        raise UsageError(f"未知的字体方案“{scheme}”，可选：{'、'.join(FONT_SCHEMES)}") from None


def apply_fonts(xml: str, scheme: str | Mapping[str, str] = "gb2312") -> str:
    """Rewrite the font names of one OOXML part (styles, document, font table…) for `scheme`."""
    return docx_xml.rewrite_fonts(xml, font_mapping(scheme))


# --- the sandbox (see sandbox.py for its bounds) -----------------------------------------
_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: Any) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (for 一是…, （一）…); other values unchanged."""
    if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN_DIGITS[ones]
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def sentence(text: Any) -> str:
    """Text ending in exactly one 。: trailing 。；，. are dropped first; ？！ are kept."""
    s = str(text).strip().rstrip("。；;，,.、 \u3000")
    if not s or s[-1] in "？！?!…":
        return s
    return s + "。"


def num(value: Any) -> str:
    """A score as a clerk writes it: 90.0 → 90, 91.5 → 91.5, 91.25 → 91.25; other values unchanged."""
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        if value.is_integer():
            return str(int(value))
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


_TITLE_WORDS = ("关于", "年度", "年中", "依法行政", "行政执法", "监督", "考核", "检查", "情况", "工作", "通报")
_NO_LINE_START = "，。、；：？！）》〕」』”’"
_NO_LINE_END = "（《〔「『“‘"


def _width(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def title_lines(text: Any, width: float = 19) -> str:
    """A title too wide for one line (2号 on 156 mm: 20 characters, 19 to be safe in LibreOffice
    and WPS) broken into two lines of similar length at a word edge, as GB/T 9704 asks
    (词意完整、长短适宜) instead of leaving one character on the second line; the \n becomes a
    line break in Word. Titles that fit, already contain a line break or need three lines are
    left alone.
    """
    s = str(text)
    if _width(s) <= width or "\n" in s or _width(s) > 2 * width:
        return s
    best: tuple[float, int] | None = None
    for i in range(1, len(s)):
        before, after = s[:i], s[i:]
        if (before[-1].isascii() and before[-1].isalnum() and after[0].isascii() and after[0].isalnum()) \
                or after[0] in _NO_LINE_START or before[-1] in _NO_LINE_END:
            continue  # never inside a number or a word of letters, never before ）， or after （
        left, right = _width(before), _width(after)
        if left > width or right > width:
            continue
        edge = before.endswith(_TITLE_WORDS) or after.startswith(_TITLE_WORDS)
        score = abs(left - right) + (0 if edge else 3)
        if best is None or score < best[0]:
            best = (score, i)
    return s if best is None else s[: best[1]] + "\n" + s[best[1]:]


def md_cell(text: Any) -> str:
    """Text safe inside a Markdown table cell: | escaped, line breaks as <br>."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "\n").replace("\n", "<br>")


def _vmerge(value: Any) -> Markup:
    return escape(value) + Markup(docx_xml.MERGE_MARK)


_ENVS: dict[bool, PlainDataSandbox] = {}


def sandbox(autoescape: bool = True) -> PlainDataSandbox:
    """The shared environment: autoescape on for XML (.docx), off for Markdown/plain text."""
    env = _ENVS.get(autoescape)
    if env is None:
        env = PlainDataSandbox(autoescape=autoescape, undefined=StrictUndefined, keep_trailing_newline=True)
        env.globals = {"range": safe_range, "dict": dict, "namespace": Namespace}
        env.filters.update(cn_number=cn_number, sentence=sentence, md_cell=md_cell, num=num, title_lines=title_lines)
        env.filters["vmerge"] = _vmerge if autoescape else (lambda v: v)
        _ENVS[autoescape] = env
    return env


def _check_plain(value: Any, where: str, template: Path) -> None:
    """TemplateError unless `value` is plain data (dicts with text keys, lists, PLAIN_TYPES), ≤ 50 deep."""
    bad = _not_plain(value, 0)
    if bad is None:
        return
    steps, kind = bad
    for step in reversed(steps):  # the path is only spelled out for the message
        where = (f"{where}.{step}" if where else step) if isinstance(step, str) else f"{where}[{step}]"
    msg = (f"模板 {template} 的数据“{where or '（顶层）'}”是 {kind.__name__} 对象；"
           "模板数据只能是字典、列表、字符串、数字和日期")  # fmt: skip
    raise TemplateError(msg, diagnostics=[Diagnostic(str(template), 0, 0, msg)])


def _not_plain(value: Any, depth: int) -> tuple[list[str | int], type] | None:
    """(the steps from `value` down to the first value that is not plain data, innermost first; its type)."""
    kind = type(value)
    if kind is dict:
        for k, v in value.items():
            if type(k) is not str:
                return [], kind
            bad = _not_plain(v, depth + 1)
            if bad is not None:
                bad[0].append(k)
                return bad
        return None if depth < 50 else ([], kind)
    if kind in (list, tuple):
        for i, v in enumerate(value):
            bad = _not_plain(v, depth + 1)
            if bad is not None:
                bad[0].append(i)
                return bad
        return None if depth < 50 else ([], kind)
    if kind in PLAIN_TYPES:
        return None
    return [], kind


# --- errors -------------------------------------------------------------------------------
def _error_line(exc: BaseException, filename: str) -> int | None:
    if isinstance(exc, TemplateSyntaxError):
        return exc.lineno
    line, tb = None, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


_SYNTAX = [  # Jinja's English syntax messages → Chinese (the first match wins)
    (r"Unexpected end of template.*?'(end\w+)'", "模板语法错误：缺少 {{% {0} %}}，块没有结束"),
    (r"Unexpected end of template", "模板语法错误：模板意外结束（有未结束的 {{% … %}} 块或 {{{{ … }}}}）"),
    (r"Encountered unknown tag '(\w+)'", "模板语法错误：不认识的标记“{0}”（{{% 与 %}} 是否配对？）"),
    (r"expected token '([^']+)', got '([^']*)'", "模板语法错误：这里应为“{0}”，实际是“{1}”"),
    (r"Expected an expression", "模板语法错误：这里缺少表达式（如 {{{{ }}}} 为空，或 for 后面缺少变量）"),
    (r"unexpected '([^']+)'", "模板语法错误：这里不应出现“{0}”"),
    (r"unexpected char '(.)'", "模板语法错误：这里不应出现字符“{0}”"),
    (r"no loader for this environment specified", "模板不能引用其他文件（include/import/extends 均不允许）"),
    (r"lufa: name '(\w+)' is not allowed", "模板不能使用“{0}”（它指向模板本身而不是数据），已拒绝"),
]
_RUNTIME = [
    (r"[Rr]ange too big", "模板中的 range 范围过大，已拒绝渲染"),
    (r"maximum recursion depth exceeded", "模板递归调用过深（宏调用了自己？），已拒绝渲染"),
    (r"no loader for this environment specified", "模板不能引用其他文件（include/import/extends 均不允许）"),
    (r"unsupported operand type", "模板对不同类型的数据做了运算（如文字加数字）"),
    (r"object is not iterable", "模板对不是列表的数据做了循环"),
]


def _explain(exc: BaseException) -> str:
    text = str(getattr(exc, "message", None) or exc)
    if isinstance(exc, TemplateSyntaxError):
        for pattern, zh in _SYNTAX:
            m = re.search(pattern, text)
            if m:
                return zh.format(*m.groups())
        return "模板语法错误（请检查 {{ }} 和 {% %} 是否配对、拼写是否正确）"
    if isinstance(exc, RenderLimit):
        return text
    if isinstance(exc, SecurityError):
        m = re.search(r"template printed a (\w+) object", text)
        if m:
            return f"模板输出了不是数据的对象（{m.group(1)}），已拒绝渲染；模板只能输出所给数据的字段"
        m = re.search(r"access to attribute '([^']+)' of '([^']+)' object is unsafe", text)
        if m:
            text = f"{m.group(2)} 对象的“{m.group(1)}”"
        elif text.endswith("is not safely callable"):
            text = f"调用 {text.removesuffix(' is not safely callable')}"
        return f"模板试图访问不允许的属性或方法（{text}），已拒绝渲染；模板只能读取所给数据的字段"
    if isinstance(exc, UndefinedError):
        m = re.search(r"'([^']+)' is undefined", text)
        if m:
            return f"模板使用了未提供的变量“{m.group(1)}”"
        m = re.search(r"has no attribute '([^']+)'", text)
        if m:
            return f"模板使用的字段“{m.group(1)}”在数据中不存在"
        return "模板使用了未提供的数据"
    for pattern, zh in _RUNTIME:
        if re.search(pattern, text):
            return zh
    return f"模板渲染出错（{type(exc).__name__}）"


def _template_error(template: Path, where: str, line: int, message: str) -> TemplateError:
    full = f"模板 {template}{where}：{message}"
    return TemplateError(full, diagnostics=[Diagnostic(str(template), line, 1 if line else 0, message)])


def _compile(env: PlainDataSandbox, source: str, filename: str):
    code = env.compile(source, name=filename, filename=filename)
    return env.template_class.from_code(env, code, env.make_globals(None), None)


# --- .docx --------------------------------------------------------------------------------
_MAIN = "word/document.xml"
_CORE = "docProps/core.xml"
_CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_W3CDTF = re.compile(r"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")
_PART_RE = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")


class CompiledDocx:
    """A .docx template compiled once; `render` returns the bytes of a finished document."""

    def __init__(self, path: Path, entries: list[tuple[zipfile.ZipInfo, bytes]], parts: dict[str, docx_xml.PreparedPart]):
        self.path = path
        self._entries = entries
        self._parts = parts
        self._variants: dict[str, tuple[list[tuple[zipfile.ZipInfo, docx_xml.Packed | None]], dict[str, Any]]] = {}
        self._variant("gb2312")  # compile now: syntax errors surface at compile time

    def _filename(self, part: str, annotated: bool = False) -> str:
        return f"<lufa:{self.path}:{part}{':a' if annotated else ''}>"

    def _where(self, part: docx_xml.PreparedPart, lineno: int | None) -> tuple[str, int]:
        n, text = part.paragraph(lineno)
        label = "" if part.name == _MAIN else f"（{part.name}）"
        if not n:
            return label, 0
        snippet = text if len(text) <= 30 else text[:30] + "…"
        return f"{label} 第 {n} 段" + (f"（“{snippet}”）" if snippet else ""), n

    def _fail(self, part: docx_xml.PreparedPart, exc: BaseException, context: dict | None) -> TemplateError:
        """Locate the error by compiling/rendering the line-annotated source (slow path only)."""
        env, fname = sandbox(True), self._filename(part.name, annotated=True)
        located = exc
        try:
            tmpl = _compile(env, part.annotated, fname)
            if context is not None:
                # a render that ran out of time gets a short second chance to show where
                render_bounded(tmpl, context, seconds=min(1.0, sandbox_module.RENDER_SECONDS))
        except Exception as again:  # the same error, now with a line
            located = again if type(again) is type(exc) else exc
        where, n = self._where(part, _error_line(located, fname))
        return _template_error(self.path, where, n, _explain(located))

    def _variant(self, fonts: str | Mapping[str, str]):
        key = fonts if isinstance(fonts, str) else repr(sorted(dict(fonts).items()))
        variant = self._variants.get(key)
        if variant is None:
            mapping = font_mapping(fonts)
            env = sandbox(True)
            entries: list[tuple[zipfile.ZipInfo, docx_xml.Packed | None]] = []
            templates: dict[str, Any] = {}
            for info, data in self._entries:
                part = self._parts.get(info.filename)
                if part is not None:
                    try:
                        templates[part.name] = _compile(env, apply_fonts(part.source, mapping), self._filename(part.name))
                    except TemplateSyntaxError as exc:
                        raise self._fail(part, exc, None) from None
                    entries.append((info, None))
                elif mapping and info.filename.endswith(".xml") and info.filename.startswith("word/"):
                    entries.append((info, docx_xml.pack(apply_fonts(data.decode("utf-8"), mapping).encode("utf-8"))))
                else:
                    entries.append((info, docx_xml.pack(data)))
            variant = self._variants[key] = (entries, templates)
        return variant

    def render(self, context: dict, *, fonts: str | Mapping[str, str] = "gb2312") -> bytes:
        """Render every templated part with `context` and return the .docx bytes."""
        _check_plain(context, "", self.path)
        entries, templates = self._variant(fonts)
        rendered: dict[str, bytes] = {}
        budget = Budget(sandbox_module.RENDER_SECONDS)  # one document: all its parts together
        for name, tmpl in templates.items():
            try:
                xml = render_bounded(tmpl, context, budget=budget)
            except Exception as exc:
                raise self._fail(self._parts[name], exc, context) from None
            try:
                rendered[name] = docx_xml.finish_part(xml)
            except ValueError as exc:
                raise _template_error(
                    self.path, "", 0, f"渲染结果不是完整的 Word 文档（{exc}）；请检查 {{%p %}}、{{%tr %}} 标签是否成对、是否各占一段或一行"
                ) from None
        core = self._core(context)
        return docx_xml.write_package(
            (info, rendered[info.filename] if data is None else (core if core is not None and info.filename == _CORE else data))
            for info, data in entries
        )

    def _core(self, context: dict) -> bytes | None:
        """docProps/core.xml with created = modified = the document's date (context `date`, 2026年9月3日)."""
        m = _CN_DATE.fullmatch(str(context.get("date", "")))
        source = next((data for info, data in self._entries if info.filename == _CORE), None)
        if m is None or source is None:
            return None
        stamp = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}T00:00:00Z"
        xml = _W3CDTF.sub(lambda t: t[1] + stamp + t[2], source.decode("utf-8"))
        return xml.encode("utf-8")


_CACHE: dict[str, tuple[bytes, CompiledDocx]] = {}
MAX_DOCX_BYTES = 32 * 1024 * 1024  # a .docx template may carry images; its XML is bounded separately


def _read_template(template: Path, limit: int) -> bytes:
    """A template's bytes through `fsio.read_file`: bounded, no special files, and no symlink out
    of the folder that holds the templates/ folder (the workspace; the bundled set for bundled ones)."""
    try:
        return read_file(template, inside=Path(os.path.abspath(template)).parent.parent, limit=limit)
    except ReadRefused as exc:
        raise _template_error(template, "", 0, "找不到模板文件" if exc.reason == "文件不存在" else exc.reason) from None


def compile_docx(template: Path) -> CompiledDocx:
    """Open and compile a .docx template once per path and content."""
    template = Path(template)
    raw = _read_template(template, MAX_DOCX_BYTES)
    key, stamp = str(template.resolve()), hashlib.sha256(raw).digest()
    hit = _CACHE.get(key)
    if hit and hit[0] == stamp:
        return hit[1]
    try:
        entries = docx_xml.read_package(raw, limit=MAX_DOCX_BYTES * 8)
    except docx_xml.PackageTooLarge:
        raise _template_error(template, "", 0, f"解压后超过 {MAX_DOCX_BYTES * 8 // 1024 // 1024} MB，已拒绝读取（压缩炸弹？）") from None
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
        raise _template_error(
            template, "", 0, "不是有效的 .docx 文件（不是 zip 压缩包；.doc 旧格式请先在 Word/WPS 中另存为 .docx）"
        ) from None
    names = {info.filename for info, _ in entries}
    if _MAIN not in names:
        raise _template_error(template, "", 0, "不是 Word 文档：缺少 word/document.xml")
    parts = {}
    for info, data in entries:
        if _PART_RE.fullmatch(info.filename):
            try:
                xml = data.decode("utf-8")
            except UnicodeDecodeError:
                raise _template_error(template, "", 0, f"{info.filename} 不是 UTF-8 编码的 XML") from None
            if info.filename == _MAIN or docx_xml.has_tags(xml):
                parts[info.filename] = docx_xml.prepare_part(info.filename, xml)
    compiled = CompiledDocx(template, entries, parts)
    if len(_CACHE) > 32:
        _CACHE.clear()
    _CACHE[key] = (stamp, compiled)
    return compiled


def render_docx(
    template: Path, context: dict, out: Path, *, force: bool = False, fonts: str | Mapping[str, str] = "gb2312"
) -> Path:
    """Render `template` with `context` into `out` atomically; never overwrites without `force`."""
    out = Path(out)
    if out.exists() and (not force or not out.is_file()):
        raise exists_error(out)
    data = compile_docx(template).render(context, fonts=fonts)
    return atomic_write(out, data, overwrite=force)


# --- text templates -------------------------------------------------------------------------
_TEXT_CACHE: dict[str, tuple[bytes, Any]] = {}
_ESCAPED_SUFFIXES = {".html", ".htm", ".xml"}


def _escaped(template: Path) -> bool:
    """HTML/XML templates (also `x.html.j2`) are escaped; Markdown and text are not."""
    return any(s.lower() in _ESCAPED_SUFFIXES for s in template.suffixes)


def _load_text(template: Path):
    template = Path(template)
    raw = _read_template(template, MAX_BYTES)
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _template_error(template, "", 0, "不是 UTF-8 编码的文本（请用 UTF-8 保存）") from None
    key, stamp = str(template.resolve()), hashlib.sha256(raw).digest()
    hit = _TEXT_CACHE.get(key)
    if hit and hit[0] == stamp:
        return source, hit[1]
    env = sandbox(_escaped(template))
    try:
        tmpl = _compile(env, source, f"<lufa:{template}>")
    except TemplateSyntaxError as exc:
        line = exc.lineno or 0
        raise _template_error(template, f" 第 {line} 行", line, _explain(exc)) from None
    _TEXT_CACHE[key] = (stamp, tmpl)
    return source, tmpl


def render_text(template: Path, context: dict) -> str:
    """Render a Markdown/plain-text template with the same sandbox (no HTML escaping for .md/.txt)."""
    template = Path(template)
    _, tmpl = _load_text(template)
    _check_plain(context, "", template)
    try:
        return render_bounded(tmpl, context, seconds=sandbox_module.RENDER_SECONDS)
    except Exception as exc:
        line = _error_line(exc, f"<lufa:{template}>") or 0
        raise _template_error(template, f" 第 {line} 行" if line else "", line, _explain(exc)) from None


# --- lint -----------------------------------------------------------------------------------
def _static_problems(env: PlainDataSandbox, source: str, provided: Mapping) -> list[tuple[int, str]]:
    ast = env.parse(source)
    unknown = meta.find_undeclared_variables(ast) - set(provided) - set(env.globals)
    found: list[tuple[int, str]] = []
    for node in ast.find_all(nodes.Name):
        if node.ctx == "load" and node.name in DENIED_GLOBALS:
            found.append((node.lineno, f"模板不能使用“{node.name}”（它指向模板本身而不是数据）"))
        elif node.ctx == "load" and node.name in unknown:
            found.append((node.lineno, f"模板使用了未提供的变量“{node.name}”"))
            unknown.discard(node.name)
    accesses: Iterator[nodes.Getattr | nodes.Getitem] = ast.find_all((nodes.Getattr, nodes.Getitem))
    for node in accesses:
        attr = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if isinstance(attr, str) and (attr.startswith("_") or attr in DENIED_NAMES):
            found.append((node.lineno, f"模板访问“{attr}”不被允许（模板只能读取数据字段）"))
    return sorted(found)


def lint_template(template: Path, provided: dict) -> list[Diagnostic]:
    """Problems of a template against an example context, for `lufa template check`."""
    template = Path(template)
    diags: list[Diagnostic] = []
    try:
        if template.suffix.lower() == ".docx":
            compiled = compile_docx(template)
            for part in compiled._parts.values():
                for line, message in _static_problems(sandbox(True), part.annotated, provided):
                    n, text = part.paragraph(line)
                    diags.append(Diagnostic(str(template), n, 1, message, source_line=text or None))
            if not diags:
                compiled.render(provided)
        else:
            source, _ = _load_text(template)
            env = sandbox(_escaped(template))
            lines = source.splitlines()
            for line, message in _static_problems(env, source, provided):
                src = lines[line - 1] if 0 < line <= len(lines) else None
                diags.append(Diagnostic(str(template), line, 1, message, source_line=src))
            if not diags:
                render_text(template, provided)
    except TemplateError as exc:
        diags.extend(exc.diagnostics)
    return diags


# --- PDF ------------------------------------------------------------------------------------
NO_SOFFICE = "未找到 LibreOffice（soffice），无法生成 PDF；请安装 LibreOffice 或去掉 --pdf"


def pdf_refusal(docx: Path, *, force: bool) -> None:
    """Refuse `--pdf` for the document `docx` before anything is written: when LibreOffice is
    missing, or the PDF beside it is in the way (as `convert_to_pdf` would refuse it afterwards)."""
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        raise ExternalError(NO_SOFFICE)
    target = Path(docx).with_suffix(".pdf")
    if target.exists() and (not force or not target.is_file()):
        raise exists_error(target)


def convert_to_pdf(docx: Path, *, force: bool = False) -> Path:
    """Convert with LibreOffice (`soffice --headless --convert-to pdf`) next to the .docx."""
    docx = Path(docx)
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise ExternalError(NO_SOFFICE)
    if not docx.is_file():
        raise UsageError(f"找不到要转换的文件：{docx}")
    target = docx.with_suffix(".pdf")
    if target.exists() and (not force or not target.is_file()):
        raise exists_error(target)
    with tempfile.TemporaryDirectory(prefix="lufa-pdf-") as tmp:
        profile = Path(tmp, "profile").as_uri()  # own profile: works beside a running LibreOffice
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(docx)]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=180, env={**os.environ, "HOME": tmp})
        except subprocess.TimeoutExpired:
            raise ExternalError(f"LibreOffice 无法把 {docx} 转换为 PDF：超过 180 秒仍未完成") from None
        except OSError as exc:
            raise ExternalError(f"LibreOffice 无法把 {docx} 转换为 PDF：{os_reason(exc)}") from None
        produced = Path(tmp, docx.stem + ".pdf")
        if proc.returncode != 0 or not produced.is_file():
            detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()[-300:]
            raise ExternalError(f"LibreOffice 无法把 {docx} 转换为 PDF（退出码 {proc.returncode}）：{detail}")
        return atomic_write(target, produced.read_bytes(), overwrite=force)


# --- example contexts (lint, tests, benchmark) ----------------------------------------------
_CHECKPOINTS = {
    "人员素质": ["文明执法：制定有《行政执法规范用语》，执法中正确使用执法语言，及时告知权利义务",
              "在编在岗：持行政执法证件人员均为在编在岗，身份真实有效，已在编制部门备案"],
    "培训考核": ["以红头文件形式制定年度培训考核计划，培训全年不低于20个学时",
              "考核试卷含单选题、判断题、多选题、论述题，满分100分，存档备查"],
    "三项制度": ["行政执法公示：及时公示单位职责、权责清单、裁量标准、执法案件",
              "重大执法决定法制审核：有内设机构承担、专职人员负责，制定审核目录清单",
              "执法全过程记录：执法记录设备数量、质量符合要求，执法过程全程开启并记录"],
    "重大行政处罚备案": ["自作出重大行政处罚决定之日起15日内向县司法局报送备案材料"],
    "处罚程序": ["依照《行政处罚法》开展行政处罚，按《河南省行政执法案卷立卷规范》立卷"],
    "规范性文件备案": ["严控发文数量，严格制发程序，按要求报送备案"],
    "普法责任制落实": ["按照“谁执法谁普法”要求建立普法责任清单，法治宣传贯穿执法全过程"],
    "法治责任落实": ["法治政府建设责任、党政主要负责人法治责任落实情况"],
    "其他": ["上级交付的其他监督检查任务"],
}  # fmt: skip
_OFFICES = [("行政执法协调监督室", "0375-7653158", "1.人员素质、2.培训考核、3.三项制度、4.重大行政处罚备案、5.处罚程序"),
            ("政策法规室", "0375-7653029", "6.规范性文件备案"),
            ("法治调研督察室", "0375-7653020", "7.普法责任制落实、8.法治责任落实、9.其他")]  # fmt: skip
_POINTS = [10, 10, 30, 10, 15, 10, 8, 7, 0]
_OFFICE_OF = [0, 0, 0, 0, 0, 1, 2, 2, 2]

EXAMPLE_CONTEXTS: dict[str, dict] = {
    "plan-week": {
        "title": "依法行政日常监督检查安排",
        "label": "2021年4月第二周",
        "period": "2021年4月12日至4月18日",
        "workdays_text": "4月12日至4月16日，共5个工作日",
        "days": [{"date": f"4月{12 + i}日", "weekday": "星期" + "一二三四五六日"[i], "status": "工作日" if i < 5 else "休息日"}
                 for i in range(7)],
        "units": [{"no": 1, "name": "鲁山县司法局", "short": "司法局", "kind_label": "县直单位"},
                  {"no": 2, "name": "鲁山县发展和改革委员会", "short": "发改委", "kind_label": "县直单位"}],
        "offices": [{"name": n, "phone": ph, "categories": c} for n, ph, c in _OFFICES],
        "categories": [{"no": i + 1, "name": name, "points": _POINTS[i], "office": _OFFICES[_OFFICE_OF[i]][0], "checkpoints": cps,
                        "items": [{"id": f"{i + 1}.1", "name": name, "points": _POINTS[i], "summary": "；".join(cps) + "。"}]}
                       for i, (name, cps) in enumerate(_CHECKPOINTS.items())],
        "methods": "听取汇报、查阅资料、调阅案卷、现场询问、公共法律知识考核",
        "note": "",
        "issuer": "鲁山县法治政府建设领导小组办公室",
        "date": "2021年4月9日",
    },
    "plan-year": {
        "title": "2021年依法行政日常监督分组计划表",
        "year": 2021,
        "rows": [
            {"month_label": "三月", "week_label": "第一周", "dates": "3月1日至3月7日", "units": ["鲁山县张良镇人民政府"]},
            {"month_label": "三月", "week_label": "第二周", "dates": "3月8日至3月14日", "units": ["鲁山县人民政府办公室", "鲁山县人民防空办公室"]},
            {"month_label": "三月", "week_label": "第三周", "dates": "3月15日至3月21日", "units": ["鲁山县金融工作局", "中共鲁山县委机要保密局"]},
            {"month_label": "三月", "week_label": "第四周", "dates": "3月22日至3月28日", "units": ["鲁山县张店乡人民政府"]},
            {"month_label": "四月", "week_label": "第一周", "dates": "4月5日至4月11日", "units": ["鲁山县下汤镇人民政府"]},
            {"month_label": "四月", "week_label": "第二周", "dates": "4月12日至4月18日", "units": ["鲁山县司法局", "鲁山县发展和改革委员会"]},
            {"month_label": "四月", "week_label": "第三周", "dates": "4月19日至4月25日", "units": ["鲁山县工业和信息化局", "平顶山市尧山风景名胜区管理局"]},
            {"month_label": "四月", "week_label": "第四周", "dates": "4月26日至5月2日", "units": ["鲁山县磙子营乡人民政府"]},
            {"month_label": "五月", "week_label": "第二周", "dates": "5月10日至5月16日", "units": ["鲁山县应急管理局", "鲁山县文化广电和旅游局"]},
            {"month_label": "五月", "week_label": "第三周", "dates": "5月17日至5月23日", "units": ["鲁山县医疗保障局", "鲁山县市场监督管理局"]},
            {"month_label": "五月", "week_label": "第四周", "dates": "5月24日至5月30日", "units": ["鲁山县背孜乡人民政府"]},
            {"month_label": "六月", "week_label": "第一周", "dates": "6月7日至6月13日", "units": ["鲁山县仓头乡人民政府"]},
            {"month_label": "六月", "week_label": "第二周", "dates": "6月14日至6月20日", "units": ["鲁山县城市管理局", "鲁山县自然资源局"]},
            {"month_label": "六月", "week_label": "第三周", "dates": "6月21日至6月27日", "units": ["鲁山县教育体育局", "鲁山县民族宗教事务局"]},
            {"month_label": "六月", "week_label": "第四周", "dates": "6月28日至7月4日", "units": ["鲁山县董周乡人民政府"]},
            {"month_label": "七月", "week_label": "第一周", "dates": "7月5日至7月11日", "units": ["鲁山县昭平台库区乡人民政府"]},
            {"month_label": "七月", "week_label": "第二周", "dates": "7月12日至7月18日", "units": ["鲁山县卫生健康委员会", "鲁山县民政局"]},
            {"month_label": "七月", "week_label": "第三周", "dates": "7月19日至7月25日", "units": ["鲁山县林业局", "鲁山县交通运输局"]},
            {"month_label": "七月", "week_label": "第四周", "dates": "7月26日至8月1日", "units": ["鲁山县梁洼镇人民政府"]},
            {"month_label": "八月", "week_label": "第一周", "dates": "8月2日至8月8日", "units": ["鲁山县张官营镇人民政府"]},
            {"month_label": "八月", "week_label": "第二周", "dates": "8月9日至8月15日", "units": ["鲁山县审计局", "鲁山县农业机械管理局"]},
            {"month_label": "八月", "week_label": "第三周", "dates": "8月16日至8月22日", "units": ["鲁山县水利局", "鲁山县房产管理局"]},
            {"month_label": "八月", "week_label": "第四周", "dates": "8月23日至8月29日", "units": ["鲁山县四棵树乡人民政府"]},
            {"month_label": "九月", "week_label": "第一周", "dates": "9月6日至9月12日", "units": ["鲁山县尧山镇人民政府"]},
            {"month_label": "九月", "week_label": "第二周", "dates": "9月13日至9月19日", "units": ["鲁山县商务局", "鲁山县环境保护局"]},
            {"month_label": "九月", "week_label": "第三周", "dates": "9月20日至9月26日", "units": ["鲁山县财政局", "鲁山县统计局"]},
            {"month_label": "九月", "week_label": "第四周", "dates": "9月27日至10月3日", "units": ["鲁山县马楼乡人民政府"]},
            {"month_label": "十月", "week_label": "第二周", "dates": "10月11日至10月17日", "units": ["鲁山县人力资源和社会保障局", "鲁山县森林公安局"]},
            {"month_label": "十月", "week_label": "第三周", "dates": "10月18日至10月24日", "units": ["鲁山县住房和城乡建设局", "鲁山县农业农村局"]},
            {"month_label": "十月", "week_label": "第四周", "dates": "10月25日至10月31日", "units": ["鲁山县团城乡人民政府"]},
            {"month_label": "十一月", "week_label": "第一周", "dates": "11月1日至11月7日", "units": ["鲁山县瓦屋镇人民政府"]},
            {"month_label": "十一月", "week_label": "第二周", "dates": "11月8日至11月14日", "units": ["鲁山县档案局", "鲁山县气象局"]},
            {"month_label": "十一月", "week_label": "第三周", "dates": "11月15日至11月21日", "units": ["鲁山县消防救援大队"]},
            {"month_label": "十一月", "week_label": "第四周", "dates": "11月22日至11月28日", "units": ["鲁山县赵村镇人民政府"]},
            {"month_label": "十二月", "week_label": "第一周", "dates": "12月6日至12月12日", "units": ["鲁山县辛集乡人民政府"]},
            {"month_label": "十二月", "week_label": "第二周", "dates": "12月13日至12月19日", "units": ["鲁山县观音寺乡人民政府"]},
            {"month_label": "十二月", "week_label": "第三周", "dates": "12月20日至12月26日", "units": ["鲁山县瀼河乡人民政府", "鲁山县熊背乡人民政府"]},
        ],
        "note": "注：共计有县直单位35家、乡镇20家。",
        "holiday_note": "“工作日”栏为该周的工作日天数，其下注明该周的法定节假日。",
        "issuer": "鲁山县法治政府建设领导小组办公室",
        "date": "2021年1月4日",
    },
    "notice-yijianshu": {
        "kind_name": "行政执法监督意见书",
        "kind_short": "意见书",
        "number": "鲁政行监字〔2026〕1号",
        "addressee": "鲁山县市场监督管理局",
        "legal_basis": "根据《行政执法监督条例》和《关于在全县开展依法行政监督考核的工作制度》（鲁法政办〔2021〕4号）的规定，",
        "facts": "2026年11月20日，鲁山县法治政府建设领导小组办公室对你单位开展了日常监督检查，采取听取汇报、调阅案卷等方式。",
        "inspection_date": "2026年11月20日",
        "inspection_kind": "日常监督",
        "methods": "听取汇报、调阅案卷",
        "case": None,
        "findings": ["在某某公司销售过期食品案（鲁市监罚决字〔2026〕第12号）中，行政处罚决定书未载明救济途径。",
                     "在某某超市案（鲁市监罚决字〔2026〕第15号）中，案卷未按立卷规范装订。整改要求：按立卷规范重新装订并编制目录。"],
        "deadline_days": 30,
        "period": "30日",
        "deadline": "2026年12月28日",
        "reply_office": "鲁山县司法局行政执法协调监督室",
        "reply_room": "司法大楼504",
        "issuer": "鲁山县法治政府建设领导小组办公室",
        "date": "2026年11月28日",
        "contact_name": "张三",
        "contact_phone": "0375-7653158",
        "consequence": "逾期未整改或者整改不到位的，将予以通报，并视情况约谈你单位负责人、向县纪委监委移交有关问题线索。",
        "cc": "县纪委监委，县人民政府办公室",
        "printed_by": "鲁山县司法局行政执法协调监督室",
        "printed_on": "2026年11月28日印发",
    },
    "circular": {
        "title": "关于2026年度依法行政监督考核情况的通报",
        "year": 2026,
        "kind": "年终",
        "period_label": "年度",
        "as_of": "2026年12月31日",
        "inspected": 4,
        "total_units": 55,
        "county": [
            {"rank": 1, "id": "sifaju", "name": "鲁山县司法局", "short": "司法局", "kind": "county", "kind_label": "县直单位",
             "total": 91.5, "grade": "优秀", "findings": 4, "lost": 8.5, "category_losses": {"1": 5, "3": 2, "5": 1.5},
             "inspections": ["2026-04-13-sifaju"], "total_text": "91.5"},
            {"rank": 2, "id": "fagaiwei", "name": "鲁山县发展和改革委员会", "short": "发展和改革委员会", "kind": "county", "kind_label": "县直单位",
             "total": 90, "grade": "优秀", "findings": 1, "lost": 10, "category_losses": {"3": 10},
             "inspections": ["2026-04-14-fagaiwei"], "total_text": "90"},
        ],
        "township": [
            {"rank": 1, "id": "zhangliang-zhen", "name": "鲁山县张良镇人民政府", "short": "张良镇", "kind": "township", "kind_label": "乡镇",
             "total": 50, "grade": "不合格", "findings": 5, "lost": 50, "category_losses": {"4": 10, "5": 15, "6": 10, "7": 8, "8": 7},
             "inspections": ["2026-03-03-zhangliang-zhen"], "total_text": "50"},
        ],
        "rows": [],  # county + township, filled below (the same dicts); not printed by circular.docx
        "grades": [{"name": "优秀", "count": 2}, {"name": "良好", "count": 0}, {"name": "合格", "count": 0}, {"name": "不合格", "count": 1}],
        "good": "鲁山县司法局、鲁山县发展和改革委员会",
        "poor": "鲁山县张良镇人民政府",
        "problems": ["三项制度方面，执法全过程记录制度问题较为突出，共发现2处、涉及2个单位",
                     "处罚程序方面，处罚程序问题较为突出，共发现2处、涉及2个单位"],
        "problem_items": [{"heading": "三项制度方面。", "text": "执法全过程记录制度问题较为突出，共发现2处、涉及2个单位。"},
                          {"heading": "处罚程序方面。", "text": "处罚程序问题较为突出，共发现2处、涉及2个单位。"}],
        "praise_rule": "表现较好的单位为优秀等次中得分最高的3个单位，同分并列；有整改逾期事项或列为移交线索候选的单位不列入",
        "not_inspected_count": 51,
        "not_inspected": "鲁山县人民政府办公室、鲁山县人民防空办公室",
        "registers": ["重大行政处罚备案方面，共收到3件，其中按时报送2件、逾期报送1件；县司法局已审查2件。"],
        "issuer": "鲁山县法治政府建设领导小组办公室",
        "date": "2027年1月8日",
        "bonus_text": "",  # filled only when checklist.yaml has bonus items, veto items, or there are case-file reviews
        "veto_text": "",
        "review_text": "",
    },
}  # fmt: skip
EXAMPLE_CONTEXTS["circular"]["rows"] = [*EXAMPLE_CONTEXTS["circular"]["county"], *EXAMPLE_CONTEXTS["circular"]["township"]]
_HOLIDAYS = {"4月5日至4月11日": ["清明节"], "6月14日至6月20日": ["端午节"], "9月20日至9月26日": ["中秋节"]}
for _row in EXAMPLE_CONTEXTS["plan-year"]["rows"]:
    _row["holidays"] = _HOLIDAYS.get(_row["dates"], [])
    _row["workdays"] = 5 - len(_row["holidays"])
_NOTICE = EXAMPLE_CONTEXTS["notice-yijianshu"]
EXAMPLE_CONTEXTS["notice-tongzhishu"] = {
    **_NOTICE, "kind_name": "行政执法监督通知书", "kind_short": "通知书", "number": "鲁政行监通字〔2026〕1号",
    "deadline_days": 7, "period": "7个工作日", "deadline": "2026年12月9日", "reply_required": False,
}
EXAMPLE_CONTEXTS["notice-jueding"] = {
    **_NOTICE, "inspection_facts": _NOTICE["facts"], "kind_name": "行政执法监督决定书", "kind_short": "决定书", "number": "鲁政行监决字〔2026〕1号",
    "deadline_days": 15, "period": "15日", "deadline": "2027年1月13日", "date": "2026年12月29日",
    "follows": {"kind_name": "行政执法监督意见书", "number": "鲁政行监字〔2026〕1号", "date": "2026年11月28日", "deadline": "2026年12月28日"},
}
_LETTER = {
    "notice": {"kind_name": "行政执法监督意见书", "number": "鲁政行监字〔2026〕1号", "date": "2026年11月28日",
               "deadline": "2026年12月28日", "period": "30日"},
    "unit": "鲁山县市场监督管理局", "days_overdue": 3, "reply_by": "2027年1月8日", "date": "2026年12月31日",
    "steps": [{"date": "2026年12月31日", "text": "催办（鲁政行监催字〔2026〕1号）"},
              {"date": "2027年1月8日", "text": "约谈李某（局长），承诺1月20日前报送整改报告"}],
    "unit_facts": _NOTICE["facts"].replace("你单位", "鲁山县市场监督管理局"),
}
EXAMPLE_CONTEXTS["letter-cuiban"] = {**_NOTICE, **_LETTER, "letter_name": "行政执法监督催办函", "number": "鲁政行监催字〔2026〕1号",
                                     "notices": [_LETTER["notice"]], "printed_on": "2026年12月31日印发"}
EXAMPLE_CONTEXTS["letter-yijiao"] = {**_NOTICE, **_LETTER, "letter_name": "问题线索移交函", "number": "鲁政行监移字〔2027〕1号",
                                     "addressee": "中共鲁山县纪律检查委员会、鲁山县监察委员会", "date": "2027年1月25日",
                                     "notices": [_LETTER["notice"]], "cc": "县人民政府办公室", "printed_on": "2027年1月25日印发"}
EXAMPLE_CONTEXTS["receipt-songda"] = {
    "kind_name": "行政执法监督意见书", "number": "鲁政行监字〔2026〕1号", "addressee": "鲁山县市场监督管理局",
    "remark": "整改期限至2026年12月28日，请按期书面报送整改情况", "reply_office": "鲁山县司法局行政执法协调监督室",
    "reply_room": "司法大楼504", "issuer": "鲁山县法治政府建设领导小组办公室", "date": "2026年11月28日",
}
