"""Hostile input: every bad file, record, template or option gets a Simplified-Chinese
message (files: ``path:line:col``), the documented exit code (README 退出码), no
traceback, and leaves every existing file byte-identical.

None of these cases repeats the catalogue in ``bad_data_cases.py`` or the option
and record cases of ``test_cli_inspect.py`` / ``test_cli_notice.py``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import snapshot

AS_OF = ("--as-of", "2026-11-28")
ISSUE_DATE = ("--date", "2026-11-02")

# --- record files as lufa writes them (valid together; `lufa check` passes) -------------

INSP_PATH = "data/records/inspections/2026/2026-04-13-sifaju.yaml"
NOTICE_PATH = "data/records/notices/2026/2026-0001.yaml"
SELF_PATH = "data/records/selfchecks/2026/sifaju.yaml"
SPOT_PATH = "data/records/spotchecks/2026.yaml"

INSP = """\
# 检查记录（lufa inspect record 生成；可手工修改，改后请运行 lufa check）
id: 2026-04-13-sifaju
unit: sifaju
date: 2026-04-13
kind: 日常监督
inspectors: []
office: jiandu
methods:
- 查阅资料
findings:
- id: 1
  item: '3.3'
  deduction: 2
  description: 执法记录仪未全程开启
  fixed_on_spot: false
note: ''
"""

NOTICE = """\
# 监督文书记录（lufa notice issue 生成）
year: 2026
number: 1
doc_number: 鲁政行监字〔2026〕1号
kind: yijianshu
kind_name: 行政执法监督意见书
unit: sifaju
issued: 2026-09-03
inspection: 2026-04-13-sifaju
findings:
- text: 执法记录仪未全程开启
  finding: 1
  item: '3.3'
rectify_days: 30
deadline: 2026-10-08
contact:
  name: ''
  phone: 0375-7653158
history: []
"""

SELF = """\
unit: sifaju
year: 2026
date: 2026-03-20
document: 鲁司〔2026〕5号
note: ''
"""

SPOT = """\
year: 2026
seed: x
count: 3
drawn: 2026-07-01
units:
- jiaotongju
- nongjiju
- cangtou-xiang
"""

UNIT = "  - id: sifaju\n    name: 鲁山县司法局\n    short: 司法局\n    kind: county\n"

BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)

NINE_MB = b"#" + b"x" * (9 * 1024 * 1024) + b"\n"

# --- English leaking into messages ------------------------------------------------------

_CMD_HINT = re.compile(r"lufa(?: [-\w.〔〕]+)+")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|'[^']*'")
_ENGLISH = re.compile(r"[A-Za-z][A-Za-z']+(?:[ ,:.]+[A-Za-z][A-Za-z']+){2,}")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def english_in_messages(text: str) -> list[str]:
    """English phrases (three or more words) in the error/warning lines of `text`."""
    found = []
    for line in text.splitlines():
        if "错误：" not in line and "警告：" not in line:
            continue
        if not _CJK.search(line):
            found.append(line)
            continue
        bare = _QUOTED.sub("", _CMD_HINT.sub("", line))
        m = _ENGLISH.search(bare)
        if m:
            found.append(m.group())
    return found


# --- case table ------------------------------------------------------------------------

Setup = Callable[[Path], dict]


@dataclass(frozen=True)
class Case:
    id: str
    setup: Setup
    args: tuple[str, ...]
    code: int
    expect: tuple[str, ...]  # substrings of stderr; {L}, {L+2} … are line numbers from setup
    within: float | None = None  # seconds: refused quickly
    absent: tuple[str, ...] = ()  # must not be said (misleading hints)


def _line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def edit(rel: str, find: str, replace: str) -> Setup:
    def setup(ws: Path) -> dict:
        path = ws / rel
        text = path.read_text(encoding="utf-8")
        assert find in text, f"{find!r} not in {rel}"
        path.write_text(text.replace(find, replace, 1), encoding="utf-8")
        return {"L": _line(text, find)}

    return setup


def put(rel: str, content: str | bytes) -> Setup:
    def setup(ws: Path) -> dict:
        path = ws / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return {}

    return setup


def both(*setups: Setup) -> Setup:
    def setup(ws: Path) -> dict:
        marks: dict = {}
        for s in setups:
            marks.update(s(ws))
        return marks

    return setup


def raw_edit(rel: str, transform: Callable[[bytes], bytes], line: int = 0) -> Setup:
    def setup(ws: Path) -> dict:
        path = ws / rel
        path.write_bytes(transform(path.read_bytes()))
        return {"L": line}

    return setup


def md_template(body: str) -> Setup:
    return put("templates/plan-week.md.j2", "# {{ title }}\n" + body + "\n")


def docx_template(old: str, new: str) -> Setup:
    def setup(ws: Path) -> dict:
        path = ws / "templates" / "notice-yijianshu.docx"
        with zipfile.ZipFile(path) as z:
            items = [(info, z.read(info.filename)) for info in z.infolist()]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for info, data in items:
                if info.filename == "word/document.xml":
                    xml = data.decode("utf-8")
                    assert old in xml
                    data = xml.replace(old, new, 1).encode("utf-8")
                z.writestr(info, data)
        return {}

    return setup


def latin1_room(raw: bytes) -> bytes:
    old = "reply_room: 司法大楼504".encode()
    assert old in raw
    return raw.replace(old, "reply_room: café 504".encode("latin-1"))


def none(ws: Path) -> dict:
    return {}


def link(rel: str, target: str) -> Setup:
    """`rel` becomes a symlink to `target` (absolute, or relative to the workspace)."""

    def setup(ws: Path) -> dict:
        path = ws / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        path.symlink_to(target if target.startswith("/") else ws / target)
        return {}

    return setup


def fifo(rel: str) -> Setup:
    def setup(ws: Path) -> dict:
        path = ws / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        os.mkfifo(path)
        return {}

    return setup


def folder(rel: str) -> Setup:
    def setup(ws: Path) -> dict:
        (ws / rel).mkdir(parents=True)
        return {}

    return setup


def outside(name: str, content: str) -> Setup:
    """A file beside the workspace (outside it): `../name`."""

    def setup(ws: Path) -> dict:
        (ws.parent / name).write_text(content, encoding="utf-8")
        return {}

    return setup


U = "data/units.yaml"
S = "data/settings.yaml"
CHECK = ("check",)
MD_OUT = ("plan", "week", "--date", "2026-04-13", "--format", "md", "-o", "out.md")
TPL_CHECK = ("template", "check", "plan-week.md.j2")
LOOPS = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
ISSUE = ("notice", "issue", "司法局", "--finding", "执法记录仪未全程开启", *ISSUE_DATE)
RECORD = ("inspect", "record", "司法局", "--date", "2026-04-13", "--item", "3.3", "--deduction", "2", "--finding", "执法记录仪未全程开启", *AS_OF)
NP = NOTICE_PATH
IP = INSP_PATH

CASES: list[Case] = [
    # --- malformed YAML ---------------------------------------------------------------
    Case("yaml-unclosed-double-quote", edit(U, UNIT, UNIT.replace("short: 司法局", 'short: "司法局')), CHECK, 1,
         (f"{U}:{{L+2}}:", "引号")),
    Case("yaml-unclosed-single-quote-notice", both(put(IP, INSP), put(NP, NOTICE.replace("doc_number: 鲁", "doc_number: '鲁"))), CHECK, 1,
         (f"{NP}:", "错误：YAML 格式错误：")),
    Case("yaml-indent-too-shallow", edit(U, UNIT, UNIT.replace("    short:", "   short:")), CHECK, 1,
         (f"{U}:{{L+2}}:4: 错误：YAML 格式错误：", "缩进")),
    Case("yaml-indent-too-deep", edit(U, UNIT, UNIT.replace("    short:", "     short:")), CHECK, 1,
         (f"{U}:{{L+2}}:11: 错误：YAML 格式错误：这里不能出现“键: 值”",)),
    Case("yaml-flow-list-mixed-with-block", edit(U, UNIT, UNIT.replace("short: 司法局\n", "short: [司法局,\n  - 司法]\n")), CHECK, 1,
         (f"{U}:{{L+3}}:", "错误：YAML 格式错误")),
    Case("yaml-flow-map-not-closed", edit(U, UNIT, "  - {id: sifaju, name: 鲁山县司法局,\n    short: 司法局, kind: county\n"), CHECK, 1,
         (f"{U}:", "花括号映射没有正确闭合")),
    Case("yaml-colon-in-value-below-chinese-comment", edit(S, "reply_room: 司法大楼504", "reply_room: 司法大楼504: 5楼"), CHECK, 1,
         (f"{S}:{{L}}:20: 错误：YAML 格式错误：这里不能出现“键: 值”",), absent=("中文冒号",)),
    Case("yaml-document-is-a-scalar", put(S, "鲁山县法治政府建设领导小组办公室\n"), CHECK, 1,
         (f"{S}:1:1: 错误：文件顶层应为映射（“键: 值”），实际是文字“鲁山县法治政府建设领导小组办公室”",)),
    Case("yaml-document-is-null", put(S, "null\n"), CHECK, 1, (f"{S}:1:1: 错误：文件是空的",)),
    Case("yaml-document-is-an-integer", put("data/schedule.yaml", "2026\n"), CHECK, 1,
         ("data/schedule.yaml:1:1: 错误：文件顶层应为映射（“键: 值”），实际是整数 2026",)),
    Case("yaml-key-is-a-list", edit(U, UNIT, UNIT.replace("    short:", "    [a, b]: 司法局\n    short:")), CHECK, 1,
         (f"{U}:{{L+2}}:5: 错误：映射的键必须是简单文字，不能是列表或映射",)),
    Case("yaml-key-is-a-mapping-in-record", put(IP, INSP + "? {a: 1}\n: x\n"), CHECK, 1,
         (f"{IP}:17:3: 错误：映射的键必须是简单文字，不能是列表或映射",)),
    Case("yaml-deep-flow-nesting", edit(S, "issuer: 鲁山县法治政府建设领导小组办公室", "issuer: " + "[" * 5000 + "]" * 5000), CHECK, 1,
         (f"{S}:{{L}}:", "错误：YAML 格式错误"), within=5),
    Case("yaml-deep-block-nesting-record", put(SPOT_PATH, SPOT + "".join(" " * i + "a:\n" for i in range(2000)) + " " * 2000 + "b: 1\n"), CHECK, 1,
         (f"{SPOT_PATH}:", "错误：YAML 格式错误"), within=5),
    # --- encodings ----------------------------------------------------------------------
    Case("enc-utf16le-bom-units", raw_edit(U, lambda b: b.decode("utf-8").encode("utf-16")), CHECK, 1,
         (f"{U}:1:1: 错误：文件是 UTF-16 编码，请另存为 UTF-8",)),
    Case("enc-utf16be-bom-inspection", put(IP, b"\xfe\xff" + INSP.encode("utf-16-be")), CHECK, 1,
         (f"{IP}:1:1: 错误：文件是 UTF-16 编码，请另存为 UTF-8",)),
    Case("enc-utf16le-no-bom-notice", both(put(IP, INSP), put(NP, NOTICE.encode("utf-16-le"))), CHECK, 1,
         (f"{NP}:1:", "错误：文件不是 UTF-8 编码")),
    Case("enc-gb18030-inspection-record", put(IP, INSP.encode("gb18030")), CHECK, 1,
         (f"{IP}:1:3: 错误：文件不是 UTF-8 编码", "看起来是 GBK/GB18030（Windows“ANSI”）编码", "另存为")),
    Case("enc-latin1-settings", raw_edit(S, latin1_room, line=16), CHECK, 1,
         (f"{S}:16:", "错误：文件不是 UTF-8 编码")),
    Case("enc-bom-in-the-middle", edit(U, UNIT, UNIT + "\ufeff# 第二个文件\n"), CHECK, 1,
         (f"{U}:{{L+4}}:1: 错误：含有不可见字符 字节顺序标记 BOM(U+FEFF)，请删除",)),
    Case("enc-truncated-multibyte-selfcheck", put(SELF_PATH, SELF.encode() + "# 自".encode()[:-1]), CHECK, 1,
         (f"{SELF_PATH}:6:3: 错误：文件不是 UTF-8 编码",)),
    # --- invisible and control characters -------------------------------------------------
    Case("char-rtl-override-u202e", edit(U, UNIT, UNIT.replace("short: 司法局", "short: 司法\u202e局")), CHECK, 1,
         (f"{U}:{{L+2}}:14: 错误：含有不可见字符 从右到左覆盖符(U+202E)，请删除",)),
    Case("char-lr-embedding-u202a", edit(U, UNIT, UNIT.replace("short: 司法局", "short: 司法\u202a局")), CHECK, 1,
         (f"{U}:{{L+2}}:14: 错误：含有不可见字符 从左到右嵌入符(U+202A)，请删除",)),
    Case("char-pop-direction-u202c", edit(U, UNIT, UNIT.replace("name: 鲁山县司法局", "name: 鲁山县司法局\u202c")), CHECK, 1,
         (f"{U}:{{L+1}}:", "方向嵌入结束符(U+202C)")),
    Case("char-rtl-mark-u200f-in-record", put(IP, INSP.replace("执法记录仪", "执法\u200f记录仪")), CHECK, 1,
         (f"{IP}:14:18: 错误：含有不可见字符 从右到左标记(U+200F)，请删除",)),
    Case("char-lrm-u200e-in-id", edit(U, UNIT, UNIT.replace("id: sifaju", "id: sifaju\u200e")), CHECK, 1,
         (f"{U}:{{L}}:", "从左到右标记(U+200E)")),
    Case("char-bidi-in-finding-option", none, ("notice", "issue", "司法局", "--finding", "问题\u2067描述", *ISSUE_DATE), 2,
         ("--finding", "控制字符 U+2067")),
    Case("id-windows-device-con", edit(U, UNIT, UNIT.replace("id: sifaju", "id: con")), CHECK, 1,
         (f"{U}:{{L}}:9: 错误：编号“con”是 Windows 的设备名（CON、PRN、AUX、NUL、COM1–9、LPT1–9），不能用作编号，请换一个",)),
    Case("id-windows-device-lpt9", edit(U, UNIT, UNIT.replace("id: sifaju", "id: lpt9")), CHECK, 1,
         (f"{U}:{{L}}:9: 错误：编号“lpt9”是 Windows 的设备名",)),
    Case("id-windows-device-notice-kind", edit(S, "id: yijianshu", "id: aux"), CHECK, 1,
         (f"{S}:{{L}}:", "编号“aux”是 Windows 的设备名")),
    Case("file-output-windows-device-nul", none, ("plan", "week", "--date", "2026-04-13", "--format", "md", "-o", "NUL.md"), 3,
         ("错误：无法写入 NUL.md：“NUL.md”是 Windows 的设备名（CON、PRN、AUX、NUL、COM1–9、LPT1–9），请换一个文件名",), absent=("--force",)),
    Case("file-output-windows-device-com1-any-case", none, ("plan", "week", "--date", "2026-04-13", "--format", "csv", "-o", "out/cOm1"), 3,
         ("错误：无法写入 out/cOm1：“cOm1”是 Windows 的设备名",)),
    Case("char-nul-raw", edit(U, UNIT, UNIT.replace("short: 司法局", "short: 司法\x00局")), CHECK, 1,
         (f"{U}:{{L+2}}:14: 错误：含有控制字符 U+0000，请删除",)),
    Case("char-nel-u0085-in-record", put(IP, INSP.replace("执法记录仪", "执法\u0085记录仪")), CHECK, 1,
         (f"{IP}:14:18: 错误：含有控制字符 U+0085，请删除",)),
    Case("char-line-separator-u2028", edit(U, UNIT, UNIT.replace("short: 司法局", "short: 司法\u2028局")), CHECK, 1,
         (f"{U}:{{L+2}}:", "U+2028")),
    Case("char-escaped-nul-in-quoted-name", edit(U, UNIT, UNIT.replace("name: 鲁山县司法局", 'name: "鲁山县\\0司法局"')), CHECK, 1,
         (f"{U}:{{L+1}}:", "控制字符")),
    Case("char-escaped-rtl-in-notice-record", both(put(IP, INSP), put(NP, NOTICE.replace("- text: 执法记录仪未全程开启", '- text: "执法记录仪\\u202e未全程开启"'))), CHECK, 1,
         (f"{NP}:11:", "U+202E")),
    Case("char-escape-sequence-in-finding-option", none, ("notice", "issue", "司法局", "--finding", "问题\x1b[31m描述", *ISSUE_DATE), 2,
         ("--finding", "控制字符")),
    # --- huge files and alias bombs --------------------------------------------------------
    Case("huge-checklist-9mb", raw_edit("data/checklist.yaml", lambda b: b + NINE_MB), CHECK, 1,
         ("data/checklist.yaml:1:1: 错误：文件过大（9 MB，上限 8 MB）",), within=5),
    Case("huge-notice-record-9mb", put(NP, NOTICE.encode() + NINE_MB), CHECK, 1,
         (f"{NP}:1:1: 错误：文件过大（9 MB，上限 8 MB）",), within=5),
    Case("alias-bomb-settings", put(S, BOMB + "issuer: *i\n"), CHECK, 1,
         (f"{S}:1:4: 错误：不支持锚点“&a”，请删除", f"{S}:9:", "不支持锚点引用“*i”"), within=5),
    Case("alias-bomb-inspection-record", put(IP, INSP + BOMB + "lol: *i\n"), CHECK, 1,
         (f"{IP}:17:4: 错误：不支持锚点“&a”，请删除",), within=5),
    # --- unknown references -------------------------------------------------------------
    Case("ref-notice-names-missing-inspection", put(NP, NOTICE), CHECK, 1,
         (f"{NP}:9:13: 错误：检查记录“2026-04-13-sifaju”不存在",)),
    Case("ref-notice-names-missing-finding", both(put(IP, INSP), put(NP, NOTICE.replace("finding: 1", "finding: 9"))), CHECK, 1,
         (f"{NP}:12:12: 错误：检查记录 2026-04-13-sifaju 中没有第 9 条问题",)),
    Case("ref-notice-names-missing-unit", put(NP, NOTICE.replace("unit: sifaju", "unit: sifaj").replace("inspection: 2026-04-13-sifaju\n", "")), CHECK, 1,
         (f"{NP}:7:7: 错误：单位编号“sifaj”不在名册中",)),
    Case("ref-notice-unit-differs-from-inspection", both(put(IP, INSP), put(NP, NOTICE.replace("unit: sifaju", "unit: fagaiwei"))), CHECK, 1,
         (f"{NP}:7:7: 错误：单位“fagaiwei”与检查记录 2026-04-13-sifaju 的单位“sifaju”不一致",)),
    Case("ref-inspection-names-missing-office", put(IP, INSP.replace("office: jiandu", "office: nope")), CHECK, 1,
         (f"{IP}:7:9: 错误：科室“nope”不在 checklist.yaml 的 offices 中",)),
    Case("ref-inspection-names-missing-method", put(IP, INSP.replace("- 查阅资料", "- 电话询问")), CHECK, 1,
         (f"{IP}:9:3: 错误：检查方式“电话询问”不在 checklist.yaml 的 methods 中",)),
    Case("ref-selfcheck-names-missing-unit", put(SELF_PATH, SELF.replace("unit: sifaju", "unit: nobody")), CHECK, 1,
         (f"{SELF_PATH}:1:7: 错误：单位编号“nobody”不在名册中",)),
    Case("ref-spotcheck-names-missing-unit", put(SPOT_PATH, SPOT.replace("- nongjiju", "- nobody")), CHECK, 1,
         (f"{SPOT_PATH}:7:3: 错误：单位编号“nobody”不在名册中",)),
    # --- impossible dates ---------------------------------------------------------------------
    Case("date-inspection-2026-02-29", put(IP, INSP.replace("date: 2026-04-13", "date: 2026-02-29")), CHECK, 1,
         (f"{IP}:4:7: 错误：日期“2026-02-29”不存在",)),
    Case("date-notice-2026-13-01", both(put(IP, INSP), put(NP, NOTICE.replace("issued: 2026-09-03", "issued: 2026-13-01"))), CHECK, 1,
         (f"{NP}:8:9: 错误：日期“2026-13-01”不存在",)),
    Case("date-selfcheck-2026-04-31", put(SELF_PATH, SELF.replace("date: 2026-03-20", "date: 2026-04-31")), CHECK, 1,
         (f"{SELF_PATH}:3:7: 错误：日期“2026-04-31”不存在",)),
    Case("date-option-issue-2026-02-29", none, ("notice", "issue", "司法局", "--finding", "x", "--date", "2026-02-29"), 2,
         ("错误：--date 的值“2026-02-29”不是有效日期",)),
    Case("date-option-overdue-2026-02-30", none, ("rectify", "overdue", "--as-of", "2026-02-30"), 2,
         ("错误：--as-of 的值“2026-02-30”不是有效日期",)),
    Case("date-option-since-2026-13-01", none, ("notice", "issue", "--all", "--since", "2026-13-01", *ISSUE_DATE), 2,
         ("错误：--since 的值“2026-13-01”不是有效日期",)),
    Case("date-inspection-1999-12-31", put(IP, INSP.replace("date: 2026-04-13", "date: 1999-12-31")), CHECK, 1,
         (f"{IP}:4:7: 错误：日期“1999-12-31”超出支持的范围（2000–2099 年）",)),
    Case("date-notice-deadline-9999-12-31", both(put(IP, INSP), put(NP, NOTICE.replace("deadline: 2026-10-08", "deadline: 9999-12-31"))), CHECK, 1,
         (f"{NP}:15:11: 错误：日期“9999-12-31”超出支持的范围（2000–2099 年）",)),
    Case("date-calendar-holiday-2100", put("data/calendar.yaml", "years:\n  - year: 2026\n    holidays:\n      - {start: 2100-01-01, end: 2100-01-02, name: 元旦}\n"), CHECK, 1,
         ("data/calendar.yaml:4:17: 错误：日期“2100-01-01”超出支持的范围（2000–2099 年）",)),
    Case("date-option-week-9999", none, ("plan", "week", "--week", "9999-1-1"), 2,
         ("错误：--week 的值“9999-1-1”超出支持的范围（2000–2099 年）",)),
    Case("date-option-year-2100", none, ("plan", "year", "--year", "2100"), 2,
         ("错误：--year 的值超出范围：不能大于 2099",)),
    Case("date-option-list-year-1999", none, ("notice", "list", "--year", "1999"), 2,
         ("错误：--year 的值超出范围：不能小于 2000",)),
    # --- out-of-range numbers -------------------------------------------------------------------
    Case("num-deduction-negative-record", put(IP, INSP.replace("deduction: 2", "deduction: -1")), CHECK, 1,
         (f"{IP}:13:14: 错误：“deduction”不能小于 0",)),
    Case("num-deduction-0.3-record", put(IP, INSP.replace("deduction: 2", "deduction: 0.3")), CHECK, 1,
         (f"{IP}:13:14: 错误：", "0.5")),
    Case("num-points-101", edit("data/checklist.yaml", "        points: 5\n", "        points: 101\n"), CHECK, 1,
         ("data/checklist.yaml:{L}:17: 错误：“points”不能大于 100，实际是 101",)),
    Case("num-month-13", edit("data/schedule.yaml", "  - month: 4\n    week: 3\n", "  - month: 13\n    week: 3\n"), CHECK, 1,
         ("data/schedule.yaml:{L}:12: 错误：“month”不能大于 12，实际是 13",)),
    Case("num-week-6", edit("data/schedule.yaml", "  - month: 4\n    week: 3\n", "  - month: 4\n    week: 6\n"), CHECK, 1,
         ("data/schedule.yaml:{L+1}:11: 错误：“week”不能大于 5，实际是 6",)),
    Case("num-notice-rectify-days-0", both(put(IP, INSP), put(NP, NOTICE.replace("rectify_days: 30", "rectify_days: 0"))), CHECK, 1,
         (f"{NP}:14:15: 错误：“rectify_days”不能小于 1，实际是 0",)),
    Case("num-notice-year-99999", both(put(IP, INSP), put(NP, NOTICE.replace("year: 2026", "year: 99999"))), CHECK, 1,
         (f"{NP}:2:7: 错误：“year”不能大于 2099，实际是 99999",)),
    Case("num-spotcheck-count-0", put(SPOT_PATH, SPOT.replace("count: 3", "count: 0")), CHECK, 1,
         (f"{SPOT_PATH}:3:8: 错误：“count”不能小于 1，实际是 0",)),
    Case("num-settings-wait-days-negative", edit(S, "verification_wait_days: 15", "verification_wait_days: -15"), CHECK, 1,
         (f"{S}:{{L}}:25: 错误：“verification_wait_days”不能小于 1，实际是 -15",)),
    Case("num-option-deduction-negative", none, ("inspect", "record", "司法局", "--item", "3.3", "--deduction", "-1", "--finding", "x", *AS_OF), 2,
         ("错误：--deduction 的值 -1.0 无效",)),
    Case("num-option-deduction-nan", none, ("inspect", "record", "司法局", "--item", "3.3", "--deduction", "nan", "--finding", "x", *AS_OF), 2,
         ("错误：--deduction 的值 nan 无效",)),
    Case("num-holiday-longer-than-60-days", put("data/calendar.yaml", "years:\n  - year: 2026\n    holidays:\n      - {start: 2026-03-01, end: 2026-06-30, name: 长假}\n"),
         ("notice", "issue", "司法局", "--finding", "x", "--date", "2026-03-02"), 1, ("data/calendar.yaml:",)),
    Case("num-format-with-attribute-access", edit(S, '"鲁政行监字〔{year}〕{n}号"', '"鲁政行监字〔{year}〕{n}号{n.__class__}"'), CHECK, 1,
         (f"{S}:{{L}}:", "文号格式")),
    # --- hostile templates ----------------------------------------------------------------------
    Case("tpl-md-dunder-class", md_template("{{ ''.__class__ }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:", "不允许的属性或方法")),
    Case("tpl-md-cycler-globals", md_template("{{ cycler.__init__.__globals__.os.popen('id').read() }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:",)),
    Case("tpl-md-for-without-target", md_template("{% for %}"), MD_OUT, 4,
         ("plan-week.md.j2:2:", "模板语法错误")),
    Case("tpl-md-str-format", md_template("{{ '{0.__class__}'.format(title) }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:", "不允许的属性或方法")),
    Case("tpl-md-huge-range", md_template("{{ range(100000000) | list | length }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:",), within=5),
    Case("tpl-md-string-repeat-bomb", md_template("{{ 'x' * 100000000 }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:",), within=5),
    Case("tpl-md-infinite-recursion", md_template("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:",), within=10),
    Case("tpl-md-include-system-file", md_template("{% include '/etc/passwd' %}"), MD_OUT, 4,
         ("plan-week.md.j2:2:",)),
    Case("tpl-md-gbk-encoded", put("templates/plan-week.md.j2", "# {{ title }} 检查安排\n".encode("gbk")), MD_OUT, 4,
         ("plan-week.md.j2", "不是 UTF-8 编码的文本")),
    Case("tpl-docx-dunder-class", docx_template("{{ kind_name }}", "{{ kind_name.__class__ }}"), ISSUE, 4,
         ("notice-yijianshu.docx", "不允许的属性或方法")),
    Case("tpl-docx-cycler-globals", docx_template("{{ kind_name }}", "{{ cycler.__init__.__globals__ }}"), ISSUE, 4,
         ("notice-yijianshu.docx",)),
    Case("tpl-docx-unclosed-for", docx_template("{{ kind_name }}", "{% for x in findings %}{{ kind_name }}"), ISSUE, 4,
         ("notice-yijianshu.docx", "模板语法错误")),
    Case("tpl-md-center-300-million", md_template("{{ title|center(300000000) }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板中 center 的宽度过大（300000000，上限 1000），已拒绝渲染",), within=5),
    Case("tpl-md-format-width-filter", md_template("{{ '%0999999999d'|format(1) }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板中格式宽度或精度过大（999999999，上限 1000），已拒绝渲染",), within=5),
    Case("tpl-md-format-width-percent", md_template("{{ '%.999999999f' % 1 }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板中格式宽度或精度过大（999999999，上限 1000），已拒绝渲染",), within=5),
    Case("tpl-md-format-star-width", md_template("{{ '%*d'|format(999999999, 1) }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板的格式串中不能用“*”指定宽度，已拒绝渲染",), within=5),
    Case("tpl-md-str-method-width", md_template("{{ title.rjust(300000000) }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板中字符串宽度过大（300000000，上限 1000），已拒绝渲染",), within=5),
    Case("tpl-md-indent-width", md_template("{{ title|indent(300000000) }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板中 indent 的宽度过大（300000000，上限 1000），已拒绝渲染",), within=5),
    Case("tpl-md-nested-loops", md_template(LOOPS), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板循环超过 1,000,000 步（循环嵌套过多？），已停止",), within=10),
    Case("tpl-md-nested-loops-over-data", md_template("{% for a in units %}{% for b in range(100000) %}{% for c in range(100000) %}{% endfor %}{% endfor %}{% endfor %}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板循环超过 1,000,000 步",), within=10),
    Case("tpl-md-concat-doubling", md_template("{% set ns = namespace(x='x') %}{% for i in range(60) %}{% set ns.x = ns.x ~ ns.x %}{% endfor %}{{ ns.x }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板生成的单个值过大（2,097,152 个字符，上限 2,000,000），已拒绝渲染",), within=5),
    Case("tpl-md-plus-doubling", md_template("{% set ns = namespace(x=['x']) %}{% for i in range(60) %}{% set ns.x = ns.x + ns.x %}{% endfor %}{{ ns.x|length }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板生成的单个值过大（2,097,152 个字符，上限 2,000,000），已拒绝渲染",), within=5),
    Case("tpl-md-join-bomb", md_template("{{ range(100000)|join('x' * 100000) }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板生成的单个值过大",), within=5),
    Case("tpl-md-str-join-bomb", md_template("{{ ('x' * 100000).join(range(100000)|map('string')) }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板生成的单个值过大",), within=5),
    Case("tpl-md-replace-bomb", md_template("{{ ('x' * 100000)|replace('x', 'x' * 100000) }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板生成的单个值过大",), within=5),
    Case("tpl-md-integer-squaring", md_template("{% set ns = namespace(x=2) %}{% for i in range(60) %}{% set ns.x = ns.x * ns.x %}{% endfor %}{{ ns.x }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板中的数字过大，已拒绝渲染",), within=5),
    Case("tpl-md-many-small-values", md_template("{% for i in range(100000) %}{% set x = title|center(1000) %}{% endfor %}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板运算生成的文字过多（超过 50,000,000 个字符），已拒绝渲染",), within=10),
    Case("tpl-md-slice-bomb", md_template("{{ units|slice(300000000)|list|length }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板中 slice 的份数过大（300,000,000，上限 100,000），已拒绝渲染",), within=5),
    Case("tpl-md-batch-fill-bomb", md_template("{{ units|batch(300000000, 'x')|list|length }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板中 batch 的每组个数过大（300,000,000，上限 100,000），已拒绝渲染",), within=5),
    Case("tpl-md-many-slices", md_template("{% for i in range(1000) %}{% set x = units|slice(100000)|list %}{% endfor %}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板运算生成的文字过多（超过 50,000,000 个字符），已拒绝渲染",), within=10),
    Case("tpl-md-output-size", md_template("{% for i in range(100000) %}{% for c in categories %}{{ c.checkpoints|join }}{% endfor %}{% endfor %}"), MD_OUT, 4,
         ("plan-week.md.j2: 错误：模板渲染结果超过 20 百万个字符，已停止（循环嵌套过多？）",), within=10),
    Case("tpl-md-self", md_template("{{ self }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板不能使用“self”（它指向模板本身而不是数据），已拒绝",)),
    Case("tpl-md-self-block", md_template("{% block b %}x{% endblock %}{{ self.b() }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:", "模板不能使用“self”")),
    Case("tpl-md-prints-a-function", md_template("{{ range }}{{ namespace }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板输出了不是数据的对象（function），已拒绝渲染；模板只能输出所给数据的字段",)),
    Case("tpl-md-function-as-string", md_template("{{ range|string }}{{ range ~ '' }}{{ '%s' % namespace }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板输出了不是数据的对象（function）",)),
    Case("tpl-md-prints-a-macro", md_template("{% macro m() %}{% endmacro %}{{ m }}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板输出了不是数据的对象（Macro）",)),
    Case("tpl-md-prints-the-loop", md_template("{% for u in units %}{{ loop }}{% endfor %}"), MD_OUT, 4,
         ("plan-week.md.j2:2:1: 错误：模板输出了不是数据的对象（LoopContext）",)),
    Case("tpl-check-nested-loops", md_template(LOOPS), TPL_CHECK, 4,
         ("plan-week.md.j2:2:1: 错误：模板循环超过 1,000,000 步（循环嵌套过多？），已停止",), within=10),
    Case("tpl-check-center", md_template("{{ title|center(300000000) }}"), TPL_CHECK, 4,
         ("plan-week.md.j2:2:1: 错误：模板中 center 的宽度过大",), within=5),
    Case("tpl-docx-nested-loops", docx_template("{{ kind_name }}", LOOPS + "{{ kind_name }}"), ISSUE, 4,
         ("notice-yijianshu.docx", "模板循环超过 1,000,000 步（循环嵌套过多？），已停止"), within=15),
    Case("tpl-docx-center", docx_template("{{ kind_name }}", "{{ kind_name|center(300000000) }}"), ISSUE, 4,
         ("notice-yijianshu.docx", "模板中 center 的宽度过大（300000000，上限 1000），已拒绝渲染"), within=5),
    Case("tpl-docx-format-width", docx_template("{{ kind_name }}", "{{ '%0999999999d'|format(1) }}"), ISSUE, 4,
         ("notice-yijianshu.docx", "模板中格式宽度或精度过大（999999999，上限 1000）"), within=5),
    Case("tpl-docx-self", docx_template("{{ kind_name }}", "{{ self }}"), ISSUE, 4,
         ("notice-yijianshu.docx", "模板不能使用“self”")),
    # --- files outside the workspace, special files -----------------------------------------------
    Case("file-record-links-to-proc-environ", link(IP, "/proc/self/environ"), CHECK, 1,
         (f"{IP}: 错误：经符号链接指向工作区之外（/proc/", "已拒绝读取"), absent=("PATH=",)),
    Case("file-record-links-outside-workspace", both(outside("x.yaml", INSP), link(IP, "/dev/null")), CHECK, 1,
         (f"{IP}: 错误：经符号链接指向工作区之外（/dev/null），已拒绝读取",)),
    Case("file-settings-links-outside-workspace", both(outside("settings.yaml", "a: 1\n"), link(S, "/etc/hostname")), CHECK, 1,
         (f"{S}: 错误：经符号链接指向工作区之外（/etc/hostname），已拒绝读取",)),
    Case("file-records-folder-links-outside", both(outside("elsewhere", ""), link("data/records/selfchecks", "../elsewhere-dir"),
                                                   put("../elsewhere-dir/2026/sifaju.yaml", SELF)), CHECK, 1,
         ("data/records/selfchecks/2026/sifaju.yaml: 错误：经符号链接指向工作区之外（", "elsewhere-dir/2026/sifaju.yaml），已拒绝读取")),
    Case("file-records-year-folder-links-outside", both(outside("elsewhere", ""), link("data/records/selfchecks/2026", "../elsewhere-dir/2026"),
                                                        put("../elsewhere-dir/2026/sifaju.yaml", SELF)), CHECK, 1,
         ("data/records/selfchecks/2026/sifaju.yaml: 错误：经符号链接指向工作区之外（", "elsewhere-dir/2026/sifaju.yaml），已拒绝读取")),
    Case("file-record-is-a-fifo", fifo(IP), CHECK, 1,
         (f"{IP}: 错误：不是普通文件（是设备、管道或套接字），已拒绝读取",), within=5),
    Case("file-record-links-to-dev-zero", both(folder("data/dev"), link(IP, "/dev/zero")), CHECK, 1,
         (f"{IP}: 错误：经符号链接指向工作区之外（/dev/zero），已拒绝读取",), within=5),
    Case("file-record-is-a-directory", folder(IP), CHECK, 1,
         (f"{IP}: 错误：这是一个目录，不是文件",)),
    Case("file-template-links-outside", link("templates/plan-week.md.j2", "/etc/passwd"), MD_OUT, 4,
         ("plan-week.md.j2: 错误：经符号链接指向工作区之外（/etc/passwd），已拒绝读取\n错误：模板有误（见上一行），请修改模板后重新运行\n",), absent=("root:",)),
    Case("file-template-is-a-fifo", fifo("templates/plan-week.md.j2"), MD_OUT, 4,
         ("错误：模板 templates/plan-week.md.j2 不是普通文件；请移走它，再运行 lufa template add-missing 补上内置模板\n",), within=5),
    Case("file-docx-template-links-outside", link("templates/notice-yijianshu.docx", "/etc/passwd"), ISSUE, 4,
         ("notice-yijianshu.docx: 错误：经符号链接指向工作区之外（/etc/passwd），已拒绝读取\n错误：模板有误（见上一行），请修改模板后重新运行\n",)),
    Case("file-csv-sheet-is-a-fifo", fifo("sheet.csv"), ("inspect", "record", "司法局", "--from", "sheet.csv", *AS_OF), 1,
         ("sheet.csv: 错误：不是普通文件（是设备、管道或套接字），已拒绝读取",), within=5),
    Case("file-output-is-a-directory", folder("out.md"), (*MD_OUT, "--force"), 3,
         ("错误：无法写入 out.md：这是一个目录，不是文件；请另选输出文件名",), absent=("--force",)),
    Case("file-output-is-a-directory-without-force", folder("out.md"), MD_OUT, 3,
         ("错误：无法写入 out.md：这是一个目录，不是文件；请另选输出文件名",), absent=("--force",)),
    Case("file-output-folder-is-a-file", put("out", "x"), ("plan", "week", "--date", "2026-04-13", "--format", "md", "-o", "out/x.md"), 6,
         ("错误：无法写入 out/x.md：路径中的某一级不是目录；原有文件未改动",), absent=("Not a directory", "--force")),
    # --- command options ----------------------------------------------------------------------
    Case("opt-count-negative", none, ("plan", "spotcheck", "--year", "2026", "--count", "-1", "--seed", "x"), 2,
         ("错误：--count 的值超出范围：不能小于 1",)),
    Case("opt-count-larger-than-roster", none, ("plan", "spotcheck", "--year", "2026", "--count", "99999", "--seed", "x", "--save"), 2,
         ("错误：--count 99999 超过单位总数 55",)),
    Case("opt-days-zero", none, (*ISSUE, "--days", "0"), 2, ("错误：--days 的值超出范围：不能小于 1",)),
    Case("opt-year-99999", none, ("plan", "year", "--year", "99999"), 2, ("错误：--year 的值超出范围：不能大于 2099",)),
    Case("opt-empty-unit", none, ("notice", "issue", "", "--finding", "x", *ISSUE_DATE), 2, ("错误：单位名称不能为空",)),
    Case("opt-empty-finding-notice", none, ("notice", "issue", "司法局", "--finding", "", *ISSUE_DATE), 2,
         ("错误：直接下达需要至少一个 --finding 问题描述",)),
    Case("opt-empty-finding-inspect", none, ("inspect", "record", "司法局", "--item", "3.3", "--deduction", "1", "--finding", "", *AS_OF), 2,
         ("--finding",)),
    Case("opt-empty-item-inspect", none, ("inspect", "record", "司法局", "--item", "", "--deduction", "1", "--finding", "x", *AS_OF), 2,
         ("--item",)),
    Case("opt-empty-date", none, ("notice", "issue", "司法局", "--finding", "x", "--date", ""), 2,
         ("错误：--date 的值“”不是有效日期",)),
    Case("opt-due-within-negative", none, ("rectify", "overdue", "--due-within", "-1"), 2,
         ("错误：--due-within 的值超出范围：不能小于 0",)),
    Case("opt-week-6", none, ("plan", "week", "--week", "2026-4-6"), 2, ("错误：--week 的值“2026-4-6”无效",)),
]


def _expand(text: str, marks: dict) -> str:
    return re.sub(r"\{([A-Z])([+-]\d+)?\}", lambda m: str(marks[m.group(1)] + int(m.group(2) or 0)), text)


def test_catalogue_is_large_and_distinct() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case: Case, ws, run) -> None:
    marks = case.setup(ws)
    before = snapshot(ws)
    start = time.monotonic()
    r = run(*case.args, cwd=ws)
    took = time.monotonic() - start
    assert r.code == case.code, f"exit code {r.code}, expected {case.code}\n{r.text}"
    for e in case.expect:
        assert _expand(e, marks) in r.err, f"missing {_expand(e, marks)!r} in:\n{r.err}"
    for a in case.absent:
        assert a not in r.err, f"misleading {a!r} in:\n{r.err}"
    assert "错误：" in r.err
    assert english_in_messages(r.err) == [], r.err
    assert snapshot(ws) == before, "files were written or changed"
    if case.within is not None:
        assert took < case.within, f"took {took:.1f} s"


# --- hostile unit names become file names ---------------------------------------------------

WINDOWS_FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)}
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)}

HOSTILE_NAMES = [
    ("short-dotdot", "short", '"../../../evil"'),
    ("short-absolute", "short", '"/tmp/evil"'),
    ("short-backslashes", "short", '"..\\\\..\\\\..\\\\evil"'),
    ("short-drive-colon", "short", '"C:evil"'),
    ("short-CON", "short", "CON"),
    ("short-NUL-dot", "short", '"NUL."'),
    ("short-windows-forbidden", "short", '"<>|?*\\""'),
    ("short-300-chinese", "short", "司" * 300),
    ("short-only-dots", "short", '"..."'),
    ("short-trailing-dot-space", "short", '"司法局. "'),
    ("name-with-path", "name", '"鲁山县/../../司法局"'),
    ("name-rich-markup-close", "name", '"鲁山县司法局[/]"'),
    ("name-rich-markup-style", "name", '"[bold red]鲁山县司法局"'),
]


def _is_windows_safe(name: str) -> bool:
    return (
        not (set(name) & WINDOWS_FORBIDDEN)
        and not name.endswith((" ", "."))
        and name.split(".")[0].upper() not in WINDOWS_RESERVED
        and len(name.encode("utf-8")) <= 255
    )


@pytest.mark.parametrize(("field", "value"), [(f, v) for _, f, v in HOSTILE_NAMES], ids=[i for i, _, _ in HOSTILE_NAMES])
def test_hostile_unit_name_stays_in_output_folder(ws, run, tmp_path, field, value) -> None:
    import yaml

    units = ws / "data" / "units.yaml"
    old = "    short: 司法局\n" if field == "short" else "    name: 鲁山县司法局\n"
    units.write_text(units.read_text(encoding="utf-8").replace(old, f"    {field}: {value}\n", 1), encoding="utf-8")
    unit_name = yaml.safe_load(value) if field == "name" else "鲁山县司法局"
    before = snapshot(tmp_path)
    r = run("notice", "issue", "sifaju", "--finding", "执法记录仪未全程开启", *ISSUE_DATE, cwd=ws)
    assert r.code == 0, r.text
    assert f"已下达 鲁政行监字〔2026〕1号：{unit_name}，" in r.err, r.err
    folder = (ws / "output" / "notices" / "2026").resolve()
    after = snapshot(tmp_path)
    new = sorted(set(after) - set(before))
    assert [k for k in before if after.get(k) != before[k]] == [], "existing files changed"
    records = [k for k in new if k.startswith("ws/data/")]
    docs = [k for k in new if not k.startswith("ws/data/")]
    assert records == ["ws/data/records/notices/2026/2026-0001.yaml"]
    assert len(docs) == 2, new  # the notice and its 送达回证
    for name in docs:
        doc = (tmp_path / name).resolve()
        assert doc.parent == folder, f"written outside the output folder: {doc}"
        assert doc.suffix == ".docx"
        assert _is_windows_safe(doc.name), doc.name
    assert run("check", cwd=ws).code == 0


def test_office_name_cannot_escape_the_output_folder(ws, run, tmp_path) -> None:
    """`plan ics --office` builds the default .ics name from the office's name in checklist.yaml."""
    checklist = ws / "data" / "checklist.yaml"
    checklist.write_text(checklist.read_text(encoding="utf-8").replace("name: 行政执法协调监督室", "name: x/../../../escape", 1), encoding="utf-8")
    before = snapshot(tmp_path)
    r = run("plan", "ics", "--year", "2026", "--office", "jiandu", cwd=ws)
    after = snapshot(tmp_path)
    new = sorted(set(after) - set(before))
    outside = [k for k in new if not k.startswith("ws/output/")]
    assert outside == [], f"written outside ws/output: {outside}\n{r.text}"
    if r.code == 0:
        (ics,) = new
        assert _is_windows_safe(Path(ics).name)
    else:
        assert r.code in (1, 3) and "错误：" in r.err


# --- Rich markup in names printed by other commands --------------------------------------------

MARKUP_COMMANDS = [
    ("units", ("units", "sifaju")),
    ("selfcheck-record", ("selfcheck", "record", "sifaju", "--date", "2026-03-20", *AS_OF)),
    ("inspect-record-off-week", ("inspect", "record", "sifaju", "--date", "2026-06-01", "--item", "3.3", "--deduction", "2", "--finding", "x", *AS_OF)),
]


@pytest.mark.parametrize("args", [a for _, a in MARKUP_COMMANDS], ids=[i for i, _ in MARKUP_COMMANDS])
def test_markup_like_unit_name_is_printed_literally(ws, run, args) -> None:
    units = ws / "data" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("    name: 鲁山县司法局\n", '    name: "鲁山县司法局[/]"\n', 1), encoding="utf-8")
    r = run(*args, cwd=ws)
    assert r.code == 0, r.text
    assert "鲁山县司法局[/]" in r.text


# --- template syntax in values comes out literally --------------------------------------------

INJECT = "{{ 7*7 }}{% for x in range(3) %}X{% endfor %}{{ ''.__class__ }}{{ cycler.__init__.__globals__ }}"


def _docx_text(path: Path) -> str:
    """Text of every paragraph of the document body, table cells included."""
    import docx
    from docx.oxml.ns import qn

    body = docx.Document(str(path)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


def test_template_syntax_in_unit_name_is_literal_in_markdown(ws, run) -> None:
    units = ws / "data" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("    name: 鲁山县司法局\n", f'    name: "{INJECT}"\n', 1), encoding="utf-8")
    assert run("check", cwd=ws).code == 0
    r = run("plan", "week", "--date", "2026-04-13", "--format", "md", cwd=ws)
    assert r.code == 0, r.text
    assert INJECT in r.out and "49" not in r.out and "XXX" not in r.out


def test_template_syntax_in_unit_name_is_literal_in_docx(ws, run) -> None:
    units = ws / "data" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("    name: 鲁山县司法局\n", f'    name: "{INJECT}"\n', 1), encoding="utf-8")
    r = run("plan", "week", "--date", "2026-04-13", "--format", "docx", "-o", "week.docx", cwd=ws)
    assert r.code == 0, r.text
    assert INJECT in _docx_text(ws / "week.docx")


def test_template_syntax_in_finding_is_literal_in_notice(ws, run) -> None:
    finding = INJECT + "<w:p>&amp;]]>"
    r = run("notice", "issue", "司法局", "--finding", finding, "--case-name", "{{ 6*7 }}案", "--case-number", "{% raw %}号", *ISSUE_DATE, cwd=ws)
    assert r.code == 0, r.text
    text = _docx_text(next(p for p in (ws / "output" / "notices" / "2026").glob("*.docx") if not p.stem.endswith("送达回证")))
    assert f"一是{finding}。" in text
    assert "你单位{{ 6*7 }}案（{% raw %}号）经审查后发现：" in text
    assert run("check", cwd=ws).code == 0


# --- a 10 KB finding --------------------------------------------------------------------------

BIG = ("执法记录仪未全程开启: \"引号\" 'x' # 注释 - 列表 {a: b} [c] &d *e !f %g @h `i` | > no 1:30 010 2026-3-1 ~ null " * 120)[:10240].strip()


def test_ten_kilobyte_finding_round_trips(ws, run) -> None:
    import yaml

    assert len(BIG.encode("utf-8")) >= 10240
    r = run("notice", "issue", "司法局", "--finding", BIG, *ISSUE_DATE, cwd=ws)
    assert r.code == 0, r.text
    record = ws / "data" / "records" / "notices" / "2026" / "2026-0001.yaml"
    assert yaml.safe_load(record.read_text(encoding="utf-8"))["findings"][0]["text"] == BIG
    assert BIG in _docx_text(next(p for p in (ws / "output" / "notices" / "2026").glob("*.docx") if not p.stem.endswith("送达回证")))
    r = run("inspect", "record", "司法局", "--date", "2026-04-13", "--item", "3.3", "--deduction", "2", "--finding", BIG, *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    r = run("check", cwd=ws)
    assert r.code == 0, r.text
    r = run("inspect", "show", "2026-04-13-sifaju", "--format", "json", cwd=ws)
    assert json.loads(r.out)["findings"][0]["description"] == BIG


# --- text pasted from Excel/Word/web into options -----------------------------------------------

PASTED = [
    ("nbsp-u00a0", "问题\u00a0描述"),
    ("zero-width-u200b", "问题\u200b描述"),
    ("tab", "问题\t描述"),
    ("line-separator-u2028", "问题\u2028描述"),
    ("escape-sequence", "问题\x1b[31m描述"),
    ("bom-ufeff", "\ufeff问题描述"),
    ("crlf", "问题\r\n描述"),
    ("fullwidth-paragraph-indent", "存在以下问题：\n\u3000\u3000执法记录仪未全程开启"),
]
PASTE_COMMANDS = [
    ("notice-issue", ("notice", "issue", "司法局", *ISSUE_DATE)),
    ("inspect-record", ("inspect", "record", "司法局", "--date", "2026-04-13", "--item", "3.3", "--deduction", "2", *AS_OF)),
]


@pytest.mark.parametrize(("command",), [(c,) for _, c in PASTE_COMMANDS], ids=[i for i, _ in PASTE_COMMANDS])
@pytest.mark.parametrize(("text",), [(t,) for _, t in PASTED], ids=[i for i, _ in PASTED])
def test_pasted_characters_never_break_the_record_set(ws, run, command, text) -> None:
    """The tool must never write a record that its own `lufa check` then rejects."""
    before = snapshot(ws)
    r = run(*command, "--finding", text, cwd=ws)
    if r.code == 0:
        c = run("check", cwd=ws)
        assert c.code == 0, f"lufa wrote a record that lufa check rejects:\n{c.err}"
    else:
        assert r.code == 2, r.text
        assert english_in_messages(r.err) == [], r.err
        assert snapshot(ws) == before


# --- dates outside 2000–2099 on every date option ------------------------------------------------

DATE_COMMANDS = [
    ("plan-week", ("plan", "week", "--date", "D"), "--date"),
    ("plan-year", ("plan", "year", "--date", "D"), "--issued/--date"),
    ("report-circular", ("report", "circular", "--year", "2026", "--date", "D"), "--date"),
    ("status", ("status", "--as-of", "D"), "--as-of"),
    ("notice-issue", ("notice", "issue", "司法局", "--finding", "z", "--date", "D"), "--date"),
    ("notice-issue-since", ("notice", "issue", "--all", "--since", "D", *ISSUE_DATE), "--since"),
    ("notice-void", ("notice", "void", "1", "--reason", "r", "--date", "D"), "--date"),
    ("rectify-feedback", ("rectify", "feedback", "1", "--date", "D"), "--date"),
    ("rectify-verify", ("rectify", "verify", "1", "--method", "书面审阅", "--result", "通过", "--date", "D"), "--date"),
    ("rectify-overdue", ("rectify", "overdue", "--as-of", "D"), "--as-of"),
    ("inspect-record-date", ("inspect", "record", "司法局", "--date", "D", "--item", "3.3", "--deduction", "1", "--finding", "q", *AS_OF), "--date"),
    ("inspect-record-as-of", ("inspect", "record", "司法局", "--date", "2026-04-14", "--item", "3.3", "--deduction", "1", "--finding", "q", "--as-of", "D"), "--as-of"),
    ("inspect-amend", ("inspect", "amend", "2026-04-13-sifaju", "--item", "3.3", "--deduction", "0.5", "--finding", "w", "--as-of", "D"), "--as-of"),
    ("score-report", ("score", "report", "--as-of", "D"), "--as-of"),
    ("selfcheck-record-date", ("selfcheck", "record", "司法局", "--date", "D", *AS_OF), "--date"),
    ("selfcheck-record-as-of", ("selfcheck", "record", "司法局", "--as-of", "D"), "--as-of"),
    ("selfcheck-missing", ("selfcheck", "missing", "--as-of", "D"), "--as-of"),
    ("plan-spotcheck", ("plan", "spotcheck", "--year", "2026", "--count", "3", "--seed", "s", "--save", "--as-of", "D"), "--as-of"),
]


@pytest.mark.parametrize("day", ["9999-12-31", "1999-12-31", "0999-01-01"])
@pytest.mark.parametrize(("args", "option"), [(a, o) for _, a, o in DATE_COMMANDS], ids=[i for i, _, _ in DATE_COMMANDS])
def test_dates_outside_the_supported_years_are_usage_errors(ws, run, args, option, day) -> None:
    put(IP, INSP)(ws)
    put(NP, NOTICE)(ws)
    before = snapshot(ws)
    r = run(*[day if a == "D" else a for a in args], cwd=ws)
    assert r.code == 2, r.text
    assert f"错误：{option} 的值“{day}”超出支持的范围（2000–2099 年）" in r.err, r.err
    assert snapshot(ws) == before


# --- the render deadline ------------------------------------------------------------------------

SLOW = "{% for i in range(900) %}{% for j in range(1000) %}{% set x = categories|map(attribute='checkpoints')|list|sort %}{% endfor %}{% endfor %}"


@pytest.mark.parametrize(
    ("setup", "args", "where"),
    [
        (md_template(SLOW), MD_OUT, "plan-week.md.j2:2:1: 错误："),
        (md_template(SLOW), TPL_CHECK, "plan-week.md.j2:2:1: 错误："),
        (docx_template("{{ kind_name }}", SLOW.replace("categories", "findings") + "{{ kind_name }}"), ISSUE, "notice-yijianshu.docx"),
    ],
    ids=["plan-week-md", "template-check", "notice-issue-docx"],
)
def test_render_stops_at_the_deadline(ws, run, monkeypatch, setup, args, where) -> None:
    """A template that neither loops too often nor makes big values is still stopped on time."""
    from lufa_cli.render import sandbox

    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 0.5)
    setup(ws)
    before = snapshot(ws)
    start = time.monotonic()
    r = run(*args, cwd=ws)
    assert time.monotonic() - start < 5
    assert r.code == 4, r.text
    assert where in r.err and "模板渲染超过 0.5 秒（循环嵌套过多？），已停止" in r.err, r.err
    assert snapshot(ws) == before


def test_shipped_templates_render_far_inside_the_bounds(ws, run) -> None:
    """`template check` renders every shipped template within the same bounds as a real render."""
    r = run("template", "check", cwd=ws)
    assert r.code == 0, r.text
    assert r.out.count("：无误") >= 8, r.out


# --- nothing from data reaches the terminal raw ---------------------------------------------------

ESCAPES = "\x1b[2J\x1b]0;pwned\x07\u202e"


@pytest.mark.parametrize(
    "args",
    [
        ("units", f"司法局{ESCAPES}"),
        ("inspect", "record", "司法局", "--from", f"表{ESCAPES}.csv", *AS_OF),
        ("plan", "week", "--date", f"2026-04-13{ESCAPES}"),
        ("notice", "show", f"2026-{ESCAPES}"),
        ("--data", f"无此目录{ESCAPES}", "check"),
    ],
    ids=["unit-query", "sheet-file-name", "date-option", "notice-ref", "data-folder"],
)
def test_escape_sequences_in_options_are_never_echoed_raw(ws, run, args) -> None:
    before = snapshot(ws)
    r = run(*args, cwd=ws)
    assert r.code in (1, 2), r.text
    assert "错误：" in r.err
    assert not set(r.err) & set("\x1b\x07\u202e"), repr(r.err)
    assert "\\x1b[2J\\x1b]0;pwned\\x07\\u202e" in r.err, r.err
    assert snapshot(ws) == before


def test_escape_sequences_in_a_bad_file_are_shown_not_sent(ws, run) -> None:
    put(IP, INSP.replace("执法记录仪", "执法\x1b[2J记录仪"))(ws)
    r = run("check", cwd=ws)
    assert r.code == 1
    assert f"{IP}:14:18: 错误：含有控制字符 U+001B，请删除" in r.err
    assert "\x1b" not in r.err and "执法\\x1b[2J记录仪" in r.err, repr(r.err)


# --- spreadsheet cells from data are text, never formulas -----------------------------------------

FORMULAS = ['=HYPERLINK("http://x","点击")', "+1+1", "-2+3", "@SUM(A1)"]


def test_csv_cells_that_start_like_a_formula_are_text(ws, run) -> None:
    units = ws / "data" / "units.yaml"
    text = units.read_text(encoding="utf-8")
    for i, name in enumerate(FORMULAS):
        old = ["    short: 司法局\n", "    short: 发展和改革委员会\n", "    short: 张良镇\n", "    name: 鲁山县教育体育局\n"][i]
        assert old in text, old
        key = old.split(":")[0]
        text = text.replace(old, f"{key}: '{name}'\n", 1)
    units.write_text(text, encoding="utf-8")
    assert run("check", cwd=ws).code == 0
    r = run("units", "--format", "csv", cwd=ws)
    assert r.code == 0, r.text
    cells = [c for row in csv.reader(io.StringIO(r.out)) for c in row]
    for name in FORMULAS:
        assert "'" + name in cells, name
        assert name not in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]


def test_xlsx_cells_that_start_like_a_formula_are_strings(ws, run, tmp_path) -> None:
    units = ws / "data" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("    name: 鲁山县司法局\n", "    name: '=1+1'\n", 1), encoding="utf-8")
    assert run(*RECORD, cwd=ws).code == 0
    out = tmp_path / "得分.xlsx"
    r = run("score", "report", "--year", "2026", "--format", "xlsx", "-o", out, *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    from openpyxl import load_workbook

    cell = next(c for row in load_workbook(out)["县直单位"].iter_rows() for c in row if c.value == "=1+1")
    assert cell.data_type == "s"
    with zipfile.ZipFile(out) as z:
        sheets = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in sheets and "<f " not in sheets


# --- a file with 150,000 problems -----------------------------------------------------------------


def test_150000_problems_are_counted_not_all_printed(ws, run) -> None:
    put(SPOT_PATH, SPOT.split("units:")[0] + "units:\n" + "".join(f"- nobody{i}\n" for i in range(150_000)))(ws)
    start = time.monotonic()
    r = run("check", cwd=ws)
    took = time.monotonic() - start
    assert r.code == 1
    lines = r.err.splitlines()
    assert lines[0] == f"{SPOT_PATH}:6:3: 错误：单位编号“nobody0”不在名册中"
    assert sum(1 for line in lines if "错误：单位编号" in line) == 200
    assert lines[-2:] == ["……其余 149800 个问题（错误 149800 个）未逐条列出；lufa check --format json 可列出全部。",
                          "共发现 150000 个问题，请逐条修改后重新运行 lufa check。"]
    assert took < 20, f"took {took:.1f} s"
    r = run("check", "--format", "json", cwd=ws)
    assert r.code == 1 and len(json.loads(r.out)["problems"]) == 150_000
