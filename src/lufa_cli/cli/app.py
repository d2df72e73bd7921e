"""The root command: global options, the command groups, and the one place exceptions become exit codes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from lufa_cli import __version__
from lufa_cli.cli.common import State, console, echo, print_diagnostics, say
from lufa_cli.errors import Diagnostic, ExitCode, LufaError

HELP = """依法行政监督考核工具（鲁山县 鲁法政办〔2021〕4号）。

管理单位名册、分组计划表和检查内容，生成每周检查安排和全年计划表。

数据目录查找顺序：--data 目录 → 环境变量 LUFA_DATA → 当前目录下的 data/ → 内置鲁山县数据（只读）。

[bold]示例[/bold]

  lufa plan week                      本周检查安排
  lufa plan week --date 2021-04-12    指定日期所在周
  lufa plan year --year 2026          全年计划表（含真实日期）
  lufa check                          校验全部数据文件
  lufa init 我的工作区                 建立可写的工作区
"""


app = typer.Typer(
    name="lufa",
    help=HELP,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


# The command groups, in the order `lufa --help` lists them.
from lufa_cli.cli import (  # noqa: E402
    calendar,
    inspect,
    notice,
    plan,
    rectify,
    report,
    score,
    selfcheck,
    sync,
    template,
    workspace,
)

app.registered_commands.extend(workspace.commands.registered_commands)
app.registered_commands.extend(sync.commands.registered_commands)
app.add_typer(plan.plan_app, name="plan")
app.add_typer(inspect.inspect_app, name="inspect")
app.add_typer(score.score_app, name="score")
app.add_typer(selfcheck.selfcheck_app, name="selfcheck")
app.add_typer(notice.notice_app, name="notice")
app.add_typer(rectify.rectify_app, name="rectify")
app.add_typer(calendar.calendar_app, name="calendar")
app.add_typer(template.template_app, name="template")
app.add_typer(report.report_app, name="report")


def _version(value: bool) -> None:
    if value:
        echo(f"lufa {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option("--data", metavar="目录", help="数据目录（含 units.yaml 等）；默认见上文查找顺序。"),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="出错时显示程序内部的调用栈（排查问题用）。")] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="不用记录缓存，重新读取全部记录文件（也可设环境变量 LUFA_NO_CACHE=1）。")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号并退出。")
    ] = False,
) -> None:
    ctx.obj = State(data=data, debug=debug, no_cache=no_cache)


def _fail(message: str, code: int, diags: list[Diagnostic] | None = None) -> NoReturn:
    print_diagnostics(diags or [])
    console(stderr=True).print(f"[red]错误：[/red]{_escape(message)}")
    sys.exit(int(code))


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: turns every failure into a Chinese message and exit code."""
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
        _fail(exc.message, exc.exit_code, exc.diagnostics)
    except KeyboardInterrupt:
        say("已中止。", style="red")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # noqa: BLE001 - last resort: never a bare traceback
        if debug:
            raise
        _fail(f"程序内部错误（{type(exc).__name__}）。请加 --debug 重新运行并把输出报告给维护者。", ExitCode.INTERNAL)
    if rv == 130:  # Typer turns Ctrl-C inside a command into a silent Exit(130)
        say("已中止。", style="red")
    sys.exit(int(rv or 0))
