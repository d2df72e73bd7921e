"""What the command modules share: options, the console, loading the workspace, dates, output files."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, overload

import typer

from lufa_cli.errors import DataError, Diagnostic, ReaderGone, UsageError

if TYPE_CHECKING:
    from lufa_cli.workspace.loader import Location
    from lufa_cli.workspace.workspace import Workspace
# The loader (and with it Pydantic and the data models) is imported by the commands that
# load a workspace, not by `lufa --help` or a usage error.

CTX: dict[str, Any] = {
    "options_metavar": "[选项]",
    "subcommand_metavar": "命令 [参数]...",
    "rich_markup_mode": "rich",
    "context_settings": {"help_option_names": ["-h", "--help"], "max_content_width": 100},
}


@dataclass
class State:
    data: Path | None = None
    debug: bool = False
    no_cache: bool = False
    today: dt.date | None = None  # --today / LUFA_TODAY; None: the system date


class TableFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


class PlanFormat(str, Enum):
    table = "table"
    md = "md"
    json = "json"
    csv = "csv"
    docx = "docx"


ForceOpt = Annotated[bool, typer.Option("--force", help="输出文件已存在时覆盖。")]


PdfOpt = Annotated[bool, typer.Option("--pdf", help="另用 LibreOffice 转出 PDF（需已安装）。")]


PlanFormatOpt = Annotated[PlanFormat, typer.Option("--format", metavar="格式", help="输出格式：table、md、json、csv 或 docx。")]


PlanOutOpt = Annotated[Path | None, typer.Option("-o", "--output", metavar="文件", help="写入文件，格式按后缀：.docx、.xlsx、.csv、.md 或 .json（docx 不写 -o 时写到 output/ 目录）。")]


class CheckFormat(str, Enum):
    text = "text"
    json = "json"


def console(stderr: bool = False):
    """The Rich console for stdout or stderr; every string it prints is made terminal-safe first."""
    from lufa_cli.render.terminal import SafeConsole

    return SafeConsole(stderr=stderr, highlight=False, soft_wrap=stderr, emoji=False)


@overload
def clean(text: str, option: str, *, required: bool = False) -> str: ...
@overload
def clean(text: str | None, option: str, *, required: Literal[True]) -> str: ...
@overload
def clean(text: str | None, option: str, *, required: bool = False) -> str | None: ...
def clean(text: str | None, option: str, *, required: bool = False) -> str | None:
    """Free text from an option, cleaned as textclean.clean_text does (UsageError naming the option)."""
    from lufa_cli.reading.textclean import clean_text

    if text is None:
        if required:
            raise UsageError(f"{option} 不能为空")
        return None
    try:
        t = clean_text(text)
    except ValueError as exc:
        raise UsageError(f"{option} {exc}") from None
    if required and not t:
        raise UsageError(f"{option} 不能为空")
    return t


def parse_requirements(values: list[str]) -> dict[int, str]:
    """--requirement 2=按立卷规范重新装订 (also 2：… or 2:…) → {2: text}; each number once, none empty.

    Shared by `notice issue` (2 = the notice's 二是) and `inspect record`/`amend` (2 = finding 2)."""
    out: dict[int, str] = {}
    for raw in values:
        text = clean(raw, "--requirement") or ""
        m = re.fullmatch(r"\s*(\d+)\s*[=＝:：]\s*(.*\S)\s*", text, re.S)
        if m is None:
            raise UsageError(f"--requirement 的值“{raw}”无效：请写成 序号=整改要求，如 --requirement 2=按立卷规范重新装订并编制目录")
        k = int(m[1])
        if k in out:
            raise UsageError(f"--requirement 第 {k} 条写了两次")
        out[k] = m[2]
    return out


def say(text: str, style: str | None = None) -> None:
    """A message to the clerk on stderr; data inside it is never read as Rich markup."""
    console(stderr=True).print(text, style=style, markup=False, soft_wrap=True)


def echo(text: str) -> None:
    """One line (or block) of output on stdout."""
    write_stdout(text if text.endswith("\n") else text + "\n")


def write_stdout(text: str) -> None:
    """Output text (JSON, CSV, Markdown) on stdout; on a terminal made terminal-safe first, so a
    template or value can never send escape sequences to the clerk's screen. Without a stdout at
    all (closed, `>&-`; pythonw on Windows) nothing is written, as `print` and Rich do."""
    if sys.stdout is None:
        return
    if sys.stdout.isatty():
        from lufa_cli.render.terminal import terminal_safe

        text = terminal_safe(text)
    with writing_stdout():  # also while Typer parses (--version), where a broken pipe would be exit code 1
        sys.stdout.write(text)


@contextlib.contextmanager
def writing_stdout() -> Iterator[None]:
    """Around a write to stdout: a reader gone away (`reader_went_away`) becomes ReaderGone, which
    the CLI's `main` turns into exit code 141."""
    try:
        yield
    except OSError as exc:
        if reader_went_away(exc):
            raise ReaderGone from exc
        raise


WINDOWS = os.name == "nt"


def reader_went_away(exc: OSError) -> bool:
    """A write to stdout failed because its reader went away: BrokenPipeError, or on Windows also
    EINVAL (CPython issue 79935: I/O on a broken pipe may raise EINVAL there). Only for an error of
    a write to stdout: elsewhere EINVAL on Windows means an invalid file name."""
    return isinstance(exc, BrokenPipeError) or (WINDOWS and exc.errno == errno.EINVAL)


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, State) else State()


def records_cache(ctx: typer.Context, root: Path) -> Path | None:
    """The records cache file for `root`, or None under --no-cache / LUFA_NO_CACHE."""
    from lufa_cli.workspace.cache import cache_file

    if state(ctx).no_cache or os.environ.get("LUFA_NO_CACHE", "") not in ("", "0"):
        return None
    return cache_file(root, os.environ)


def locate(ctx: typer.Context) -> Location:
    """Where this run's data is (--data, LUFA_DATA, the workspace holding the current folder, bundled)."""
    from lufa_cli.workspace.loader import find_data_dir

    return find_data_dir(state(ctx).data, os.environ, Path.cwd())


BUNDLED_NOTE = "提示：未使用工作区，正在读取内置鲁山县数据（只读）；lufa where 可查看原因，lufa init 目录 可建立工作区。"


def note_bundled() -> None:
    """The one stderr line saying the bundled data is in use (plain text: no console needed)."""
    if sys.stderr is not None:  # closed (2>&-), as Rich's messages are then not shown either
        sys.stderr.write(BUNDLED_NOTE + "\n")


def load(ctx: typer.Context) -> Workspace:
    """The workspace for this run, or a DataError listing every problem.

    On the bundled data one line on stderr says so: a clerk who ran a command outside
    the workspace must not take the bundled records for theirs."""
    from lufa_cli.workspace.cache import data_cache_file
    from lufa_cli.workspace.loader import display_path, load_workspace

    where = locate(ctx)
    cache = records_cache(ctx, where.data)
    ws, diags = load_workspace(where.data, where.origin, cache=data_cache_file(cache))
    if ws is not None:
        ws.records_cache = cache
    if ws is None:
        raise DataError(f"数据有误（数据目录：{display_path(where.data)}，{where.how}）", diagnostics=diags)
    if ws.origin == "bundled":
        note_bundled()
    print_diagnostics([d for d in diags if d.severity == "warning"])
    return ws


def ask_yes_no(question: str, *, default: bool, con: Any = None) -> bool:
    """A 是/否 question on the terminal (y/n accepted too). No answer (end of input) is a refusal
    to guess: a UsageError telling how to confirm without a terminal."""
    from rich.prompt import Confirm, InvalidResponse
    from rich.text import Text

    class ChineseConfirm(Confirm):
        choices = ["是", "否"]  # noqa: RUF012 - Rich reads the choices from the class
        validate_error_message = "[prompt.invalid]请输入 是 或 否（也可输入 y 或 n）"

        def render_default(self, default: Any) -> Text:
            return Text(f"（直接回车为“{'是' if default else '否'}”）", "prompt.default")

        def process_response(self, value: str) -> bool:
            v = value.strip().lower()
            if v in ("是", "y", "yes"):
                return True
            if v in ("否", "n", "no"):
                return False
            raise InvalidResponse(self.validate_error_message)

    try:
        return ChineseConfirm.ask(question, default=default, console=con or console())
    except (EOFError, OSError, RuntimeError):  # RuntimeError: input() without a stdin at all (<&-)
        raise UsageError("没有得到确认（没有可读的输入）；不在终端上运行时请加 --yes") from None


def run_today() -> dt.date:
    """The run's "today": --today, else LUFA_TODAY, else the system date."""
    from typer._click.globals import get_current_context  # typer vendors click; no public accessor

    ctx = get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    fixed = obj.today if isinstance(obj, State) else None
    return fixed or dt.date.today()


def calendar_warnings(warnings: list[str]) -> None:
    """Warnings about guessed calendar years, on stderr exactly as `plan week` prints them."""
    for w in warnings:
        say(f"警告：{w}", style="yellow")


def parse_date(text: str | None, option: str) -> dt.date:
    """A date option; absent, the run's today. Refused outside FIRST_YEAR–LAST_YEAR."""
    if text is None:
        return in_range(run_today(), "今天的日期")
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option} 的值“{text}”不是有效日期，请写成 YYYY-MM-DD，如 2026-03-05") from None
    return in_range(day, f"{option} 的值“{text}”")


def in_range(day: dt.date, what: str) -> dt.date:
    year_in_range(day.year, what)
    return day


def year_in_range(year: int, what: str) -> int:
    """`year`, or a UsageError naming `what` when lufa does not work with that year."""
    from lufa_cli.reading.yamlsrc import FIRST_YEAR, LAST_YEAR, YEAR_RANGE_TEXT

    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UsageError(f"{what}超出支持的范围（{YEAR_RANGE_TEXT}）")
    return year


MAX_SHOWN = 200  # problems printed on the terminal; the rest are counted (all are in --format json)


def print_diagnostics(diags: list[Diagnostic]) -> None:
    """The problems, each as path:line:col with its source line; after MAX_SHOWN only a count
    (a file with 150,000 problems would otherwise take minutes to print and nobody reads them)."""
    if not diags:
        return
    err = console(stderr=True)
    from rich.markup import escape

    for d in diags[:MAX_SHOWN]:
        style = "red" if d.severity == "error" else "yellow"
        err.print(d.format(), style=style, markup=False)
        if d.source_line is not None and d.line:
            err.print(f"  {d.line:>4} | {escape(d.source_line)}", style="dim")
            pad = sum(2 if ord(c) > 0x2E7F else 1 for c in d.source_line[: max(d.col - 1, 0)])
            err.print(f"       | {' ' * pad}^", style=style)
    if len(diags) > MAX_SHOWN:
        rest = diags[MAX_SHOWN:]
        errors = sum(1 for d in rest if d.severity == "error")
        counts = "、".join(x for x in (f"错误 {errors} 个" if errors else "", f"警告 {len(rest) - errors} 个" if len(rest) - errors else "") if x)
        err.print(f"……其余 {len(rest)} 个问题（{counts}）未逐条列出；lufa check --format json 可列出全部。", style="red", markup=False)


def write_output(data: bytes | str, out: Path, force: bool) -> Path:
    from lufa_cli.reading.fsio import atomic_write

    path = atomic_write(out, data, overwrite=force)
    from lufa_cli.workspace.loader import display_path

    say(f"已写入 {display_path(path)}", style="green")
    return path


def resolve_office(ws, text: str, *, option: str = "--office") -> str:
    """An office id from its id, its name, or a fragment of the name only one office has."""
    t = text.strip()
    offices = ws.checklist.offices
    exact = [o for o in offices if t in (o.id, o.name)]
    hits = exact or ([o for o in offices if t in o.name] if t else [])
    if len(hits) == 1:
        return hits[0].id
    choices = "、".join(f"{o.name}（{o.id}）" for o in offices)
    if hits:
        raise UsageError(f"{option} 的值“{text}”对应多个科室：{'、'.join(o.name for o in hits)}；请写得更完整，可选：{choices}")
    raise UsageError(f"{option} 的值“{text}”无效，可选：{choices}")


OutOpt = Annotated[
    Path | None,
    typer.Option("-o", "--output", metavar="文件", help="写入文件，格式按后缀：.csv（带 BOM，Excel/WPS 可直接打开）、.xlsx 或 .json。"),
]
# --format of every list command (emit_rows); xlsx goes to -o or to a pipe
ListFormatOpt = Annotated[str, typer.Option("--format", metavar="格式", help="table、json、csv 或 xlsx（xlsx 用 -o 写入文件或重定向）。")]
SUFFIX_FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".json": "json", ".md": "md", ".docx": "docx"}


def format_for(fmt: str, out: Path | None, allowed: tuple[str, ...]) -> str:
    """The format to write: --format, or the suffix of -o when --format was left at table."""
    if out is None:
        return fmt
    by_suffix = SUFFIX_FORMATS.get(out.suffix.lower())
    if by_suffix is None and fmt != "table":
        return fmt  # --format md -o 本周.txt: the clerk said which format
    if by_suffix not in allowed:
        names = [f".{a}" for a in allowed]
        raise UsageError(f"-o 的文件“{out.name}”应以 {'、'.join(names[:-1])} 或 {names[-1]} 结尾（格式按后缀选择），或用 --format 指定格式")
    if fmt not in ("table", by_suffix):
        raise UsageError(f"--format {fmt} 与 -o 文件“{out.name}”的后缀不一致；只写 -o 即可，格式按后缀选择")
    return by_suffix


def rows_data(rows: list[dict[str, Any]], columns: list[tuple[str, str]], kind: str, title: str) -> str | bytes:
    """rows as a CSV (with BOM, for Excel/WPS), .xlsx or JSON file."""
    from lufa_cli.render.views import cell_value, to_csv

    if kind == "csv":
        return "\ufeff" + to_csv(rows, columns)
    if kind == "xlsx":
        from lufa_cli.render.xlsx import table_workbook

        return table_workbook(title, [h for _, h in columns], [[cell_value(r[k]) for k, _ in columns] for r in rows])
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def emit_rows(
    rows: list[dict[str, Any]], fmt: str, columns: list[tuple[str, str]], *, title: str, out: Path | None = None, force: bool = False
) -> None:
    """A list command's rows: a table on the terminal, JSON or CSV on stdout, or a file chosen by -o's suffix."""
    from lufa_cli.render.views import to_csv

    if fmt not in ("table", "json", "csv", "xlsx"):
        raise UsageError(f"--format 的值“{fmt}”无效，可选：table、json、csv、xlsx")
    kind = format_for(fmt, out, ("csv", "xlsx", "json"))
    if out is not None:
        write_output(rows_data(rows, columns, kind, title), out, force)
    elif kind == "xlsx":  # a binary workbook: to a file or a pipe, never onto the clerk's screen
        if sys.stdout is None:  # no stdout at all: nothing is written, as for text
            return
        if sys.stdout.isatty():
            raise UsageError("--format xlsx 输出的是 Excel 文件，不能显示在终端上：请加 -o 文件.xlsx，或重定向到文件（> 名单.xlsx）")
        data = rows_data(rows, columns, "xlsx", title)
        assert isinstance(data, bytes)
        with writing_stdout():
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
    elif kind == "json":
        echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif kind == "csv":
        write_stdout(to_csv(rows, columns))
    else:
        from rich.table import Table

        t = Table(title=title, title_justify="left")
        for n, (_, h) in enumerate(columns):
            t.add_column(h, no_wrap=n == 0, overflow="fold")
        for r in rows:
            t.add_row(*[fmt_cell(r[k]) for k, _ in columns])
        console().print(t)


def fmt_cell(v: Any) -> str:
    """A value as every table shows it (3 not 3.0), safe from Rich markup."""
    from rich.markup import escape

    from lufa_cli.render.views import cell_value

    return escape(str(cell_value(v)))


def first_error(exc: ValueError, model=None) -> str:
    from pydantic import ValidationError

    from lufa_cli.model.records import Inspection
    from lufa_cli.workspace.validation import translate

    if isinstance(exc, ValidationError):
        err = exc.errors(include_url=False)[0]
        return translate(err, model or Inspection)[0]
    return str(exc)
