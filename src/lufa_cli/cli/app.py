"""The root command: global options, the command groups, and the one place exceptions become exit codes."""

from __future__ import annotations

import copy
import functools
import gc
import importlib
import os
import sys
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from lufa_cli import __version__
from lufa_cli.cli.common import State, console, echo, parse_date, print_diagnostics, say
from lufa_cli.errors import Diagnostic, ExitCode, LufaError, ReaderGone, TemplateError

HELP = """依法行政监督考核工具（鲁山县 鲁法政办〔2021〕4号）。

管理单位名册、分组计划表和检查内容，生成每周检查安排和全年计划表。

数据查找顺序：--data 目录 → 环境变量 LUFA_DATA → 从当前目录向上查找工作区（像 git 一样，
在工作区的任何子目录中都能找到）→ 内置鲁山县数据（只读）。lufa where 显示正在使用哪一个。

“今天”默认是系统日期；--today 日期 或环境变量 LUFA_TODAY 可为所有命令指定。

[bold]示例[/bold]

  lufa plan week                      本周检查安排
  lufa plan week --date 2021-04-12    指定日期所在周
  lufa plan year --year 2026          全年计划表（含真实日期）
  lufa check                          校验全部数据文件
  lufa init 我的工作区                建立可写的工作区
"""


# The table of contents of the CLI, in the order `lufa --help` lists it: command name →
# (module, its Typer app, the one-line summary `--help` shows). Only the invoked entry's
# module is imported (pip's commands table, Click's "lazily loading subcommands"); the
# summaries are the first line of each command's own help (a test keeps them equal).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "check": ("workspace", "commands", "校验全部数据文件及其相互关系。"),
    "where": ("workspace", "commands", "显示本次运行使用的工作区、数据目录、模板目录和输出目录，以及是怎样找到的。"),
    "units": ("workspace", "commands", "列出单位名册（受监督单位）。"),
    "init": ("workspace", "commands", "建立新的工作区（数据和文书模板），便于修改并用 git 管理。"),
    "status": ("workspace", "commands", "一屏看全年：本周安排、完成情况、整改状态和下一步。"),
    "sync": ("sync", "commands", "多人共用文号时与 git 服务器同步：取回别人的记录，推送本机已提交的记录，为临时文书定号。"),
    "plan": ("plan", "plan_app", "检查计划：本周检查安排、全年分组计划表、年中抽查名单。"),
    "inspect": ("inspect", "inspect_app", "检查记录：录入、列出、查看、修改。"),
    "score": ("score", "score_app", "考核得分：排名、等级、扣分分布。"),
    "review": ("review", "review_app", "案卷评查：按评查标准给案卷打分，汇总优秀、合格、不合格卷和常见问题。"),
    "selfcheck": ("selfcheck", "selfcheck_app", "单位自查：登记自查材料，列出未按时自查的单位。"),
    "register": ("register", "register_app", "登记簿：重大行政处罚备案、规范性文件备案、培训考核、执法人员；以及本局逾期未审查的备案。"),
    "notice": ("notice", "notice_app", "监督文书：下达意见书、作废、重新生成文档、列出和查看。"),
    "rectify": ("rectify", "rectify_app", "整改闭环：登记整改报告、回头看核查、逾期清单。"),
    "calendar": ("calendar", "calendar_app", "工作日历：法定节假日和调休。"),
    "template": ("template", "template_app", "文书模板：检查修改过的模板，补上缺少的内置模板。"),
    "report": ("report", "report_app", "通报：考核结果通报、考核结果反馈函、先进典型报告、工作推进会材料（图表）。"),
}


class _OnDemand(MutableMapping):
    """`group.commands` built one entry at a time, when it is read: name → a function building it.

    Click and Typer look commands up through this mapping (and list them from its keys), so a
    run builds only the command it invokes; `--help` and code walking the tree build the rest.
    """

    def __init__(self, makers: dict[str, Callable[[], Any]]) -> None:
        self._makers = makers
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        cmd = self._built.get(name)
        if cmd is None:
            cmd = self._built[name] = self._makers[name]()  # KeyError for an unknown name
        return cmd

    def __setitem__(self, name: str, cmd: Any) -> None:
        self._makers[name] = lambda: cmd
        self._built[name] = cmd

    def __delitem__(self, name: str) -> None:
        del self._makers[name]
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


def _makers(sub: typer.Typer) -> dict[str, Callable[[], Any]] | None:
    """How Typer would build each command and sub-group of `sub`, in its order; None if some
    entry's name is only known once it is built (then the group is built whole)."""
    opts: dict[str, Any] = {"pretty_exceptions_short": sub.pretty_exceptions_short, "rich_markup_mode": sub.rich_markup_mode}
    makers: dict[str, Callable[[], Any]] = {}
    for info in sub.registered_commands:
        assert info.callback is not None
        name = info.name or typer.main.get_command_name(info.callback.__name__)
        makers[name] = functools.partial(typer.main.get_command_from_info, info, **opts)
    for group_info in sub.registered_groups:
        if not isinstance(group_info.name, str) or not group_info.name:
            return None
        makers[group_info.name] = functools.partial(
            typer.main.get_group_from_info, group_info, suggest_commands=sub.suggest_commands, **opts
        )
    return makers


def build_group(sub: typer.Typer) -> Any:
    """typer.main.get_group(sub), its commands built when first looked up (each Typer command
    evaluates its annotations and makes its Click parameters: ~2 ms a command)."""
    makers = _makers(sub)
    if makers is None:
        return typer.main.get_group(sub)
    shell = copy.copy(sub)  # the group itself (callback, help, options) without its entries
    shell.registered_commands, shell.registered_groups = [], []
    group = typer.main.get_group(shell)
    group.commands = _OnDemand(makers)
    return group


class LazyGroup(TyperGroup):
    """The root group: its sub-commands are read from COMMANDS and built only when invoked.

    Listing them (`--help`) uses stand-ins carrying the table's summary; a mistyped command
    is matched against the table's names. Building all 28 commands and importing their
    modules (and the libraries those import) was most of the start-up of every command.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.commands = _OnDemand({name: functools.partial(self.build, name) for name in COMMANDS})
        self._listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        if self._listing:
            return TyperCommand(name=cmd_name, help=COMMANDS[cmd_name][2])
        return self.commands[cmd_name]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:  # a write in a command: before Typer makes it exit code 1 (数据有误)
            raise ReaderGone from exc

    def build(self, name: str) -> Any:
        """The Click command of table entry `name`, its module imported now."""
        module, attr, _ = COMMANDS[name]
        sub = getattr(importlib.import_module(f"lufa_cli.cli.{module}"), attr)
        if attr == "commands":  # top-level commands, defined together in one module: only this one
            makers = _makers(sub)
            assert makers is not None
            cmd = makers[name]()
        else:
            cmd = build_group(sub)  # not get_command: no completion options on groups
            cmd.name = name
        _start_gc()
        return cmd


def reader_gone() -> NoReturn:
    """Stop quietly because the reader of stdout went away: exit code 141, as a Unix tool killed by
    SIGPIPE. stdout is pointed at the null device first, so that nothing still buffered makes
    Python print its own English "Exception ignored … BrokenPipeError" at exit (the recipe of
    Python's documentation, signal module, "Note on SIGPIPE")."""
    point_at_devnull(sys.stdout)
    sys.exit(int(ExitCode.PIPE))


def point_at_devnull(stream: Any) -> None:
    """Point the file descriptor behind `stream` at the null device (nothing when there is none:
    an in-process run, a closed stream)."""
    try:
        fd = stream.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
    except (OSError, AttributeError, ValueError):
        return
    try:
        os.dup2(devnull, fd)
    except OSError:
        pass
    finally:
        os.close(devnull)


_resume_gc = False  # set by main(resume_gc=True): the collector is off until the command is built


def _start_gc() -> None:
    """Start-up is over: what it built lives to the end (frozen: later collections skip it)."""
    global _resume_gc
    if _resume_gc:
        _resume_gc = False
        gc.freeze()
        gc.enable()


app = typer.Typer(
    name="lufa",
    cls=LazyGroup,
    help=HELP,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def _version(value: bool) -> None:
    if value:
        echo(f"lufa {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option("--data", metavar="目录", help="工作区目录或其 data/ 目录；默认见上文查找顺序。"),
    ] = None,
    today_: Annotated[
        str | None,
        typer.Option("--today", metavar="日期", help="把“今天”定为该日期（YYYY-MM-DD），所有命令的默认日期都用它；也可用环境变量 LUFA_TODAY。"),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="出错时显示程序内部的调用栈（排查问题用）。")] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="不用记录缓存，重读全部记录（同 LUFA_NO_CACHE=1）。")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号并退出。")
    ] = False,
) -> None:
    text, source = (today_, "--today") if today_ is not None else (os.environ.get("LUFA_TODAY") or None, "环境变量 LUFA_TODAY")
    ctx.obj = State(data=data, debug=debug, no_cache=no_cache, today=parse_date(text, source) if text is not None else None)


def _fail(message: str, code: int, diags: list[Diagnostic] | None = None) -> NoReturn:
    print_diagnostics(diags or [])
    console(stderr=True).print(f"[red]错误：[/red]{_escape(message)}")
    sys.exit(int(code))


def _cwd_exists() -> bool:
    try:
        os.getcwd()
    except FileNotFoundError:
        return False
    return True


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def main(argv: list[str] | None = None, *, resume_gc: bool = False) -> None:
    """Console-script entry point: turns every failure into a Chinese message and exit code.

    `resume_gc`: the caller turned the garbage collector off for start-up (`lufa_cli.__main__`);
    it is turned back on once the invoked command is built.
    """
    global _resume_gc
    _resume_gc = resume_gc
    from typer._click import exceptions as click_exc

    from lufa_cli.cli import i18n as cli_i18n

    cli_i18n.install()
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    for stream in (sys.stdout, sys.stderr):
        enc = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if enc and enc not in ("utf8", "gb18030") and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    try:
        rv = app(args=args, prog_name="lufa", standalone_mode=False)
    except click_exc.NoArgsIsHelpError:
        sys.exit(0)
    except click_exc.UsageError as exc:
        hint = ""
        if exc.ctx is not None:
            hint = f"\n用 '{exc.ctx.command_path} --help' 查看帮助。"
        _fail(cli_i18n.translate_usage_error(exc.format_message()) + hint, ExitCode.USAGE)
    except typer.Abort:
        say("已中止。", style="red")
        sys.exit(130)
    except LufaError as exc:
        if debug:
            import traceback

            traceback.print_exc()
        message = exc.message
        if isinstance(exc, TemplateError) and exc.diagnostics and all(d.message in message for d in exc.diagnostics):
            message = "模板有误（见上一行），请修改模板后重新运行"  # not the message again, as the path:line:col line says it
        _fail(message, exc.exit_code, exc.diagnostics)
    except KeyboardInterrupt:
        say("已中止。", style="red")
        sys.exit(130)
    except (BrokenPipeError, ReaderGone):
        reader_gone()
    except OSError as exc:  # a file operation no lower layer expected: its reason, in Chinese
        if debug:
            raise
        from lufa_cli.reading.fsio import os_reason

        if exc.filename is None and isinstance(exc, FileNotFoundError) and not _cwd_exists():
            _fail("当前目录已不存在（被删除或移走了）：请先进入一个存在的目录再运行", ExitCode.EXTERNAL)
        where = f"{exc.filename}：" if exc.filename else ""
        _fail(f"文件操作失败：{where}{os_reason(exc, doing='访问')}", ExitCode.EXTERNAL)
    except Exception as exc:  # last resort: never a bare traceback
        if debug:
            raise
        _fail(f"程序内部错误（{type(exc).__name__}）。请加 --debug 重新运行并把输出报告给维护者。", ExitCode.INTERNAL)
    if rv == 130:  # Typer turns Ctrl-C inside a command into a silent Exit(130)
        say("已中止。", style="red")
    sys.exit(int(rv or 0))
