"""Strict YAML reading with positions.

PyYAML is used only as a parser: we walk its event stream ourselves so that
every value keeps its ``line:col`` and nothing YAML 1.1 would silently guess
(``no`` → False, ``1:30`` → 90, ``010`` → 8, duplicate keys, aliases…) gets
through. The result is plain Python data plus a map from each value's path to
its position; the model layer validates the data and uses the map to point
its errors at the right line.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from sys import intern
from typing import Any

import yaml

from lufa_cli.errors import Diagnostic
from lufa_cli.reading.fsio import MAX_BYTES, ReadRefused, read_file  # noqa: F401 - MAX_BYTES: read here, named by the tests

try:  # libyaml is ~3x faster; fall back to the pure-Python parser
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the wheel
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


#: the years lufa works with: every date it reads (data files, records, options) or writes
#: lies in them, so no computation ever leaves what `datetime` and the calendar can handle
FIRST_YEAR, LAST_YEAR = 2000, 2099
YEAR_RANGE_TEXT = f"{FIRST_YEAR}–{LAST_YEAR} 年"

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATEISH = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?")
_OCTALISH = re.compile(r"[-+]?0[0-9_]+")
_OTHER_NUM = re.compile(r"[-+]?(0[xob][0-9a-fA-F_]+|[0-9][0-9_]*_[0-9_]*)")
_BOOL11 = {"yes", "no", "on", "off", "y", "n"}
_NULL = {"null", "~", ""}
_INVISIBLE = {
    "\u200b": "零宽空格(U+200B)",
    "\u200c": "零宽非连接符(U+200C)",
    "\u200d": "零宽连接符(U+200D)",
    "\u2060": "字连接符(U+2060)",
    "\ufeff": "字节顺序标记 BOM(U+FEFF)",
    "\u00a0": "不换行空格(U+00A0)",
    "\u200e": "从左到右标记(U+200E)",
    "\u200f": "从右到左标记(U+200F)",
    "\u202a": "从左到右嵌入符(U+202A)",
    "\u202b": "从右到左嵌入符(U+202B)",
    "\u202c": "方向嵌入结束符(U+202C)",
    "\u202e": "从右到左覆盖符(U+202E)",
    "\u202d": "从左到右覆盖符(U+202D)",
    "\u2066": "方向隔离符(U+2066)",
    "\u2067": "方向隔离符(U+2067)",
    "\u2068": "方向隔离符(U+2068)",
    "\u2069": "方向隔离符(U+2069)",
    "\u2028": "行分隔符(U+2028)",
    "\u2029": "段分隔符(U+2029)",
}

Pos = tuple[int, int]
Path_ = tuple[Any, ...]


@dataclass
class Source:
    """One YAML file read strictly: its data, positions and problems."""

    path: str
    data: Any = None
    positions: dict[Path_, Pos] = field(default_factory=dict)
    key_positions: dict[Path_, Pos] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    cells: bool = False  # positions are spreadsheet rows and columns (see Diagnostic.cells)

    @property
    def ok(self) -> bool:
        return not self.diagnostics or not any(d.severity == "error" for d in self.diagnostics)

    def pos(self, loc: Path_, *, key: bool = False) -> Pos:
        """Best position for `loc`: the value (or key), else the nearest parent."""
        loc = tuple(loc)
        while True:
            table = self.key_positions if key else self.positions
            if loc in table:
                return table[loc]
            if key and loc in self.positions:
                return self.positions[loc]
            if not loc:
                return (1, 1)
            loc = loc[:-1]
            key = False

    def error(self, loc: Path_ | Pos, message: str, *, key: bool = False, severity: str = "error") -> None:
        if isinstance(loc, tuple) and len(loc) == 2 and all(isinstance(x, int) for x in loc) and not key and loc not in self.positions:
            line, col = loc  # already a position
        else:
            line, col = self.pos(loc, key=key)
        src = self.lines[line - 1] if 0 < line <= len(self.lines) else None
        self.diagnostics.append(Diagnostic(self.path, line, col, message, severity, src, self.cells))


def _decode(raw: bytes, src: Source) -> str | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        src.error((1, 1), "文件是 UTF-16 编码，请另存为 UTF-8")
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = ""
        try:
            raw.decode("gb18030")
            hint = "看起来是 GBK/GB18030（Windows“ANSI”）编码；"
        except UnicodeDecodeError:
            pass
        src.diagnostics.append(
            Diagnostic(
                src.path,
                line,
                col,
                f"文件不是 UTF-8 编码（第 {exc.start + 1} 字节无法解码）。{hint}"
                "请用记事本或 WPS 打开，“另存为”时把编码选为 UTF-8 后再试",
            )
        )
        return None


# Every character the loop in `_scan_text` can complain about (tab, full-width space,
# the invisible ones, C0/C1 controls except CR/LF). A text without any of them has
# nothing to report, so one regex search replaces the per-character loop for almost
# every file (the loop was ~20 % of `lufa check` on 35,000 record files).
_SUSPECT = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u3000" + "".join(_INVISIBLE) + "]")


def _scan_text(text: str, src: Source) -> None:
    """Characters that YAML accepts but a clerk never meant."""
    if _SUSPECT.search(text) is None:
        return
    for n, line in enumerate(text.split("\n"), start=1):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if stripped.startswith("\u3000") or stripped.startswith("\t"):
            what = "全角空格" if stripped[0] == "\u3000" else "制表符(Tab)"
            src.error((n, indent + 1), f"缩进里有{what}，YAML 缩进只能用半角空格")
            continue
        for i, ch in enumerate(line):
            if ch == "\t":
                src.error((n, i + 1), "含有制表符(Tab)，请改为空格")
                break
            if ch in _INVISIBLE:
                src.error((n, i + 1), f"含有不可见字符 {_INVISIBLE[ch]}，请删除")
                break
            if (ord(ch) < 32 and ch not in "\r\n") or ord(ch) == 0x7F or 0x80 <= ord(ch) < 0xA0:
                src.error((n, i + 1), f"含有控制字符 U+{ord(ch):04X}，请删除")
                break


# What a double-quoted scalar may not smuggle in through escapes (\0, \e, \x85, \u202e …):
# controls other than tab and line feed, line/paragraph separators, direction overrides, zero-width.
_ESCAPED_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff]")


# One date object per day written, one text object per equal text scalar (sys.intern): 35,000
# records repeat a few thousand dates, unit ids and kinds, and the records cache pickles each
# distinct object once (pickle's memo), so shared objects make it smaller and faster to load.
_DAYS: dict[str, dt.date] = {}


def _scalar(value: str, style: str | None, mark: Any, src: Source) -> Any:
    """Resolve a scalar the strict way (YAML 1.2 core types plus dates)."""
    if style:  # quoted or block scalar: always text
        if style == '"':
            bad = _ESCAPED_BAD.search(value)
            if bad:
                src.error((mark.line + 1, mark.column + 1), f"文字中含有控制字符或不可见字符 U+{ord(bad.group()):04X}（转义写法也不允许），请删除")
        return value
    low = value.lower()
    if low in _NULL:
        return None
    if low in ("true", "false"):
        return low == "true"
    pos = (mark.line + 1, mark.column + 1)
    if low in _BOOL11:
        src.error(pos, f"“{value}”含义不明确（旧式 YAML 会当成是/否）：是否请写 true 或 false，文字请加引号，如 \"{value}\"")
        return value
    # Every pattern below starts with a digit (\d: any Unicode decimal digit), a sign
    # or a dot; other plain text (names, ids, Chinese) skips the eight regex tests.
    first = value[0]
    if not (first.isdecimal() or first in "+-."):
        return value
    # dates first (the commonest case in records): no number pattern can match a date
    day = _DAYS.get(value)
    if day is not None:
        return day
    m = _DATE.fullmatch(value)
    if m:
        try:
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            src.error(pos, f"日期“{value}”不存在")
            return value
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            src.error(pos, f"日期“{value}”超出支持的范围（{YEAR_RANGE_TEXT}）")
        elif len(_DAYS) < 100_000:
            _DAYS[value] = day
        return day
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    if _SEXAGESIMAL.fullmatch(value):
        src.error(pos, f"“{value}”会被旧式 YAML 当成六十进制数字；如是时间或文字请加引号，如 \"{value}\"")
        return value
    if _OCTALISH.fullmatch(value) or _OTHER_NUM.fullmatch(value):
        src.error(pos, f"“{value}”写法有歧义（前导零、进制或下划线数字）；数字请去掉前导零，编号等文字请加引号，如 \"{value}\"")
        return value
    m = _DATEISH.fullmatch(value)
    if m:
        src.error(pos, f"日期“{value}”格式不对，请写成 YYYY-MM-DD，例如 {int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}")
        return value
    if low in (".inf", "-.inf", "+.inf", ".nan"):
        src.error(pos, f"“{value}”不是可用的数值")
        return value
    return value


def _build(events: list, src: Source) -> Any:
    """Turn the event list of one document into Python data with positions."""
    stack: list[tuple[Any, Path_, Any]] = []  # (container, path, pending key)
    root: Any = None

    def place(value: Any, mark: Any, is_container: bool) -> Path_:
        nonlocal root
        pos = (mark.line + 1, mark.column + 1)
        if not stack:
            root = value
            src.positions[()] = pos
            return ()
        container, path, pending = stack[-1]
        if isinstance(container, list):
            p = path + (len(container),)
            container.append(value)
            src.positions[p] = pos
            return p
        # mapping: either this is a key or a value
        if pending is _NO_KEY:
            if is_container:
                src.error(pos, "映射的键必须是简单文字，不能是列表或映射")
                stack[-1] = (container, path, ("\0bad", pos))
                return path + ("\0bad",)
            key = value
            if isinstance(key, (dt.date, float)) or key is None or isinstance(key, bool):
                key = str(key) if key is not None else ""
            kpath = path + (key,)
            if key == "<<":
                src.error(pos, "不支持合并键“<<”，请把内容直接写出")
            elif key in container:
                first = src.key_positions.get(kpath, (0, 0))
                src.error(pos, f"键“{key}”重复（第 {first[0]} 行已有）；YAML 会静默丢弃前一个值")
                key = ("\0dup", key, pos)
            stack[-1] = (container, path, (key, pos))
            src.key_positions[path + (key,)] = pos
            return kpath
        key, _kpos = pending
        stack[-1] = (container, path, _NO_KEY)
        p = path + (key,)
        if not (isinstance(key, tuple) and key and key[0] == "\0dup") and key != "\0bad":
            container[key] = value
        src.positions[p] = pos
        return p

    for ev in events:
        if isinstance(ev, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentStartEvent, yaml.DocumentEndEvent)):
            continue
        mark = ev.start_mark
        pos = (mark.line + 1, mark.column + 1)
        if isinstance(ev, yaml.AliasEvent):
            src.error(pos, f"不支持锚点引用“*{ev.anchor}”，请把内容直接写出")
            place(None, mark, False)
            continue
        anchor = getattr(ev, "anchor", None)
        if anchor:
            src.error(pos, f"不支持锚点“&{anchor}”，请删除")
        tag = getattr(ev, "tag", None)
        if isinstance(ev, yaml.ScalarEvent):
            if tag and not ev.implicit[0] and not ev.implicit[1] and tag != "!":
                src.error(pos, f"不支持显式类型标签“{_short_tag(tag)}”，请删除")
            container = stack[-1] if stack else None
            if container is not None and isinstance(container[0], dict) and container[2] is _NO_KEY:
                value: Any = ev.value  # keys are always text
            elif tag and ev.implicit == (False, False):
                value = ev.value
            else:
                value = _scalar(ev.value, ev.style, mark, src)
            place(value, mark, False)
        elif isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if tag and not ev.implicit:
                src.error(pos, f"不支持显式类型标签“{_short_tag(tag)}”，请删除")
            new: Any = {} if isinstance(ev, yaml.MappingStartEvent) else []
            p = place(new, mark, True)
            stack.append((new, p, _NO_KEY))
        elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
    return root


_NO_KEY = object()
_FALLBACK = object()


def _build_fast(events: list, src: Source) -> Any:
    """`_build` for a clean document, or _FALLBACK when it is not one.

    Record files are almost always plain mappings and lists of untagged scalars; for
    them this produces the same data, positions and diagnostics (only `_scalar`'s, in
    the same order) as `_build` at about two thirds of its cost, keeping the current
    container in locals instead of re-packing the top of the stack for every event.
    Anything `_build` has a message for that is not `_scalar`'s (aliases, anchors, tags,
    merge or duplicate keys, a list or mapping as a key) and a root scalar make it give
    up; the caller then undoes what it added and runs `_build`.
    """
    positions, key_positions = src.positions, src.key_positions
    stack: list[tuple[Any, Path_, Any, bool]] = []
    root: Any = None
    container: Any = None
    path: Path_ = ()
    key: Any = _NO_KEY  # the pending key of the current mapping
    is_map = False
    for ev in events:
        cls = type(ev)
        if cls is yaml.ScalarEvent:
            if ev.anchor is not None or ev.tag is not None or container is None:
                return _FALLBACK
            mark = ev.start_mark
            if is_map and key is _NO_KEY:
                key = ev.value  # keys are always text
                if key == "<<" or key in container:
                    return _FALLBACK
                key_positions[path + (key,)] = (mark.line + 1, mark.column + 1)
                continue
            style = ev.style
            if style == '"' and _ESCAPED_BAD.search(ev.value):
                return _FALLBACK
            value = ev.value if style else _scalar(ev.value, style, mark, src)
            if value.__class__ is str:
                value = intern(value)
            if is_map:
                container[key] = value
                positions[path + (key,)] = (mark.line + 1, mark.column + 1)
                key = _NO_KEY
            else:
                positions[path + (len(container),)] = (mark.line + 1, mark.column + 1)
                container.append(value)
        elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
            container, path, key, is_map = stack.pop()
        elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
            if ev.anchor is not None or ev.tag is not None:
                return _FALLBACK
            new: Any = {} if cls is yaml.MappingStartEvent else []
            mark = ev.start_mark
            if container is None:
                p: Path_ = ()
                root = new
            elif is_map:
                if key is _NO_KEY:
                    return _FALLBACK
                p = path + (key,)
                container[key] = new
                key = _NO_KEY
            else:
                p = path + (len(container),)
                container.append(new)
            positions[p] = (mark.line + 1, mark.column + 1)
            stack.append((container, path, key, is_map))
            container, path, key, is_map = new, p, _NO_KEY, cls is yaml.MappingStartEvent
        elif cls is not yaml.StreamStartEvent and cls is not yaml.DocumentStartEvent and cls is not yaml.DocumentEndEvent and cls is not yaml.StreamEndEvent:
            return _FALLBACK  # aliases (and any event class we do not know)
    return root


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (restoring its previous state afterwards).

    Parsing allocates an object per YAML event and keeps them all until the document is
    built; the collector's passes over them made parsing a 10,000-unit units.yaml five
    times slower than the parse itself. Nothing here creates cycles worth collecting.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_yaml(path: Path, *, display: str | None = None, raw: bytes | None = None, inside: Path | None = None,
              seen: list | None = None) -> Source:
    """Read one YAML file strictly. Never raises for bad content: see `Source.diagnostics`.

    The file is read by `fsio.read_file` (bounded, no special files; with `inside`, no
    symlink out of that folder; `seen` as there).
    """
    with gc_paused():
        return _read_yaml(path, display, raw, inside, seen)


def read_refused(src: Source, reason: str) -> None:
    """Record that the file of `src` could not be read at all (`reason` from fsio)."""
    if reason.startswith("文件过大"):
        src.error((1, 1), reason)
    else:
        src.diagnostics.append(Diagnostic(src.path, 0, 0, reason))


def _read_yaml(path: Path, display: str | None, raw: bytes | None, inside: Path | None, seen: list | None = None) -> Source:
    src = Source(path=display or str(path))
    if raw is None:
        try:
            raw = read_file(path, inside=inside, seen=seen)
        except ReadRefused as exc:
            read_refused(src, exc.reason)
            return src
    text = _decode(raw, src)
    if text is None:
        return src
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    src.lines = text.split("\n")
    # a conflict needs a line starting "<<<<<<< ": skip the per-line scan when there is none
    markers = [n for n, line in enumerate(src.lines, start=1) if line.startswith(("<<<<<<< ", "=======", ">>>>>>> "))] if "<<<<<<< " in text else []
    if len(markers) >= 2 and src.lines[markers[0] - 1].startswith("<<<<<<< "):
        src.error((markers[0], 1), "文件含有 git 合并冲突标记（<<<<<<< … >>>>>>>）：两台电脑都改过这个文件，请先解决冲突再运行")
        return src
    _scan_text(text, src)
    if src.diagnostics:
        # YAML counts U+2028/U+0085 as line breaks and stops at NUL: after such characters
        # its positions (and messages) would be wrong, so the characters are fixed first
        return src
    try:
        events = list(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and ("end of stream" in (exc.problem or "") or "quoted scalar" in (exc.context or "")):
            mark = exc.context_mark  # an unclosed quote or bracket: point at where it opened
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        # an error at the very end points at the last line that has content
        while line > 1 and (line > len(src.lines) or not src.lines[line - 1].strip()):
            line -= 1
            col = len(src.lines[line - 1]) + 1
        message = _translate_yaml_error(exc)
        for n in (line, line - 1):
            content = src.lines[n - 1].split(" #")[0] if 0 < n <= len(src.lines) else ""
            if content.lstrip().startswith("#"):
                continue
            if "：" in content and "中文冒号" not in message:
                message += f"（第 {n} 行用了中文冒号“：”，键和值之间应是英文冒号加空格“: ”）"
                break
        # the pre-scan already explains tabs and full-width spaces on this line
        if not any(d.line in (line, line - 1) for d in src.diagnostics):
            src.error((line, col), message)
        return src
    except yaml.YAMLError as exc:  # pragma: no cover - defensive
        src.error((1, 1), f"YAML 格式错误：{exc}")
        return src
    docs = list(map(type, events)).count(yaml.DocumentStartEvent)  # counted in C, not per event in Python
    if docs > 1:
        second = [e for e in events if isinstance(e, yaml.DocumentStartEvent)][1]
        assert second.start_mark is not None  # the parser marks every event
        src.error((second.start_mark.line + 1, 1), "文件里有多个 YAML 文档（“---”分隔），只能有一个")
        return src
    diagnostics = len(src.diagnostics)
    data = _build_fast(events, src)
    if data is _FALLBACK:
        src.positions.clear()
        src.key_positions.clear()
        del src.diagnostics[diagnostics:]
        data = _build(events, src)
    src.data = data
    return src


_YAML_PROBLEMS = {
    "mapping values are not allowed in this context": "这里不能出现“键: 值”（常见原因：缩进不对，或值里有未加引号的“: ”）",
    "mapping values are not allowed here": "这里不能出现“键: 值”（常见原因：缩进不对，或值里有未加引号的“: ”）",
    "could not find expected ':'": "缺少冒号“:”（如果用了中文冒号“：”，请改成英文冒号加空格“: ”）",
    "found character '\\t' that cannot start any token": "含有制表符(Tab)，请改为空格",
    "found a tab character that violates indentation": "缩进里有制表符(Tab)，YAML 缩进只能用半角空格",
    "did not find expected key": "缩进不一致，找不到预期的键",
    "did not find expected '-' indicator": "列表缩进不一致，找不到预期的“-”",
    "found undefined alias": "不支持锚点引用",
    "found unexpected end of stream": "文件意外结束（引号或括号没有闭合？）",
    "found unknown escape character": "双引号文字中有未知的转义符“\\”（路径请用单引号或写成“/”）",
    "expected <block end>, but found": "缩进不一致",
    "while scanning a quoted scalar": "引号没有闭合",
    "found character that cannot start any token": "这里有 YAML 不允许作为开头的字符（如“@”或“`”），请给整段文字加引号",
    "expected ',' or ']'": "方括号列表没有正确闭合",
    "did not find expected node content": "这里缺少内容（方括号或花括号写法与缩进写法混用？）",
    "exceeded maximum nesting depth": "嵌套层数过多，请检查缩进和括号",
    "found unexpected ':'": "这里不应出现冒号（值里有冒号时请给整段文字加引号）",
    "found a tab character": "含有制表符(Tab)，请改为空格",
    "expected a comment or a line break": "这里应该换行（值后面多了内容？请给整段文字加引号）",
    "expected ',' or '}'": "花括号映射没有正确闭合",
    "while parsing a block collection": "列表缩进不一致",
    "while parsing a block mapping": "缩进不一致",
}


def _translate_yaml_error(exc: yaml.MarkedYAMLError) -> str:
    text = f"{exc.context or ''} {exc.problem or ''}"
    for en, zh in _YAML_PROBLEMS.items():
        if en in (exc.problem or ""):
            return f"YAML 格式错误：{zh}"
    for en, zh in _YAML_PROBLEMS.items():
        if en in text:
            return f"YAML 格式错误：{zh}"
    return "YAML 格式错误：无法解析这里（请检查缩进、冒号、引号和括号是否配对）"


# --- writing ----------------------------------------------------------------------------


def plain_is_text(value: str) -> bool:
    """True when `value` written unquoted reads back as the same text here."""
    probe = Source(path="")
    mark = yaml.Mark("", 0, 0, 0, None, 0)  # no buffer: the pointer is never read
    result = _scalar(value, None, mark, probe)
    return result == value and isinstance(result, str) and not probe.diagnostics


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # never write &id001/*id001: read_yaml refuses them
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    style = None if plain_is_text(value) else "'"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_float(dumper: yaml.SafeDumper, value: float) -> yaml.Node:
    if value.is_integer():
        return dumper.represent_int(int(value))
    return dumper.represent_scalar("tag:yaml.org,2002:float", repr(value))


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(float, _represent_float)


def dump(data: Any, *, header: str = "") -> str:
    """YAML text for records the tool writes: block style, Chinese as is, readable by `read_yaml`."""
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    return ("\n".join(lines) + "\n" if lines else "") + body
