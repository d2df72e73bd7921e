"""Chinese for the parts of the CLI that Typer/Click write themselves.

Typer 0.29 vendors Click without gettext, so its few fixed strings (panel
titles, "Usage:", the --help text) are replaced here, and command-line errors
are caught in ``cli.main`` and translated with :func:`translate_usage_error`.
A test runs ``lufa --help`` and a bad option and fails if English leaks back.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import re
import sys

from typer import core as typer_core
from typer._click import core as click_core
from typer._click import formatting as click_formatting

HELP_TEXT = "显示本帮助并退出。"


def _patch_rich_utils(ru) -> None:
    ru.ARGUMENTS_PANEL_TITLE = "参数"
    ru.OPTIONS_PANEL_TITLE = "选项"
    ru.COMMANDS_PANEL_TITLE = "命令"
    ru.ERRORS_PANEL_TITLE = "错误"
    ru.DEFAULT_STRING = "[默认：{}]"
    ru.ENVVAR_STRING = "[环境变量：{}]"
    ru.REQUIRED_LONG_STRING = "[必填]"
    ru.DEPRECATED_STRING = "（已弃用）"
    ru.ABORTED_TEXT = "已中止。"
    ru.RICH_HELP = "用 [blue]'{command_path} {help_option}'[/] 查看帮助。"
    ru._fix_linebreaks = _fix_linebreaks


def join_lines(paragraph: str) -> str:
    """One prose paragraph as one line, for the terminal to wrap at its width: Chinese
    lines join without a space, a line break between two Latin words becomes one."""
    lines = [line.strip() for line in paragraph.split("\n")]
    out = lines[0]
    for line in lines[1:]:
        gap = " " if out and line and out[-1].isascii() and line[0].isascii() else ""
        out += gap + line
    return out


def _fix_linebreaks(paragraphs: list[str], markup_mode: str) -> str:
    # Help texts are written with hard line breaks at ~100 columns; prose paragraphs are
    # reflowed so an 80-column terminal wraps them once. Indented lines (examples) are kept.
    return "\n\n".join(p if any(line[:1].isspace() for line in p.split("\n")) else join_lines(p) for p in paragraphs)


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Patch typer.rich_utils and rich._wrap when they are first imported.

    rich_utils pulls in rich.markdown, markdown-it and rich.syntax (~140 ms); Typer only
    needs it to draw help, so importing it up front would triple the start-up time of every
    command. rich._wrap (and with it Rich) is only needed where something is drawn: a
    command that prints plain lines never imports it.
    """

    def find_spec(self, fullname, path, target=None):
        patch = _PATCHES.get(fullname)
        if patch is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        original_exec = loader.exec_module

        def exec_module(module):
            original_exec(module)
            patch(module)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


# Chinese text has no spaces: to Rich a whole sentence (or a unit's full name) is one "word",
# which it can only push to the next line whole or cut with an ellipsis. Each Han character
# (with the punctuation that must stay next to it) is made a word of its own, so help text
# and table cells wrap at character boundaries, as Chinese is typeset.
_HAN = "\u2e80-\u2fff\u3040-\u9fff\uf900-\ufaff"
_OPEN = "（〔［【《「『“‘"
_CLOSE = "，。、；：？！）〕］】》」』”’…·"
CJK_WORD = rf"\s*(?:[{_OPEN}]*[{_HAN}][{_CLOSE}]*|[{_OPEN}]*[^\s{_HAN}{_OPEN}{_CLOSE}]+[{_CLOSE}]*|[{_OPEN}{_CLOSE}]+)\s*"


def _wrap_chinese(wrap) -> None:
    wrap.re_word = re.compile(CJK_WORD)  # compiled here: only a run that draws with Rich needs it


def _reader_gone(console) -> None:
    """Rich's Console.on_broken_pipe: Rich would exit with code 1 (lufa's code for wrong data),
    for help text and tables alike; the CLI's `main` stops with 141 instead (`cli.app.reader_gone`)."""
    from lufa_cli.errors import ReaderGone

    console.quiet = True
    raise ReaderGone


def _patch_console(module) -> None:
    console = module.Console
    console.on_broken_pipe = _reader_gone
    original = getattr(console, "_check_buffer", None)  # where Rich writes; it only catches BrokenPipeError
    if original is None or getattr(original, "_lufa", False):
        return

    def _check_buffer(self) -> None:
        try:
            original(self)
        except OSError as exc:  # on Windows a closed pipe may fail with EINVAL instead (CPython issue 79935)
            from lufa_cli.cli.common import reader_went_away

            if isinstance(exc, BrokenPipeError) or not reader_went_away(exc):
                raise
            _reader_gone(self)

    _check_buffer._lufa = True  # type: ignore[attr-defined]
    console._check_buffer = _check_buffer


_PATCHES = {"typer.rich_utils": _patch_rich_utils, "rich._wrap": _wrap_chinese, "rich.console": _patch_console}


def _refuse_repeated_options() -> None:
    """An option that takes one value, given twice, is an error (Click would silently keep the last)."""
    from typer._click import parser as click_parser

    original = click_parser._Option.process
    if getattr(original, "_lufa", False):
        return

    def process(self, value, state):
        if self.action in ("store", "store_const") and self.dest in state.opts:
            name = max(self.obj.opts, key=len)
            raise click_parser.BadOptionUsage(name, f"选项 {name} 只能给一次（给了多次；不会悄悄只取最后一个）")
        original(self, value, state)

    process._lufa = True  # type: ignore[attr-defined]
    click_parser._Option.process = process  # type: ignore[method-assign]


def install() -> None:
    _refuse_repeated_options()
    waiting = False
    for name, patch in _PATCHES.items():
        if name in sys.modules:
            patch(sys.modules[name])
        else:
            waiting = True
    if waiting and not any(isinstance(f, _PatchOnImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _PatchOnImport())

    original_get_help_option = click_core.Command.get_help_option
    if getattr(original_get_help_option, "_lufa", False):
        return

    def get_help_option(self, ctx):
        opt = original_get_help_option(self, ctx)
        if opt is not None:
            opt.help = HELP_TEXT
        return opt

    get_help_option._lufa = True  # type: ignore[attr-defined]
    click_core.Command.get_help_option = get_help_option  # type: ignore[method-assign]

    original_write_usage = click_formatting.HelpFormatter.write_usage

    def write_usage(self, prog, args="", prefix=None):
        return original_write_usage(self, prog, args, "用法：" if prefix is None else prefix)

    click_formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]

    original_display_type = typer_core.TyperOption.display_type_rich

    def display_type_rich(self, ctx):
        # a flag takes no value: show no "<bool>" type column
        if getattr(self, "is_flag", False) and self.metavar is None:
            return None
        return original_display_type(self, ctx)

    typer_core.TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]

    # arguments already show their Chinese metavar (单位, 目录…); Typer adds an English
    # type column (<str>, <path>) next to it: drop that
    typer_core.TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]


# Patterns as text: compiled (and cached by `re`) only when an error is translated.
_PATTERNS: list[tuple[str, str]] = [
    (r"^No such option: (\S+?)(?: Did you mean .*)?(?: \(Possible options: (.*)\))?$", "没有这个选项：{0}"),
    (r"^No such command '(.+?)'\.(?: Did you mean .*)?$", "没有这个命令：{0}"),
    (r"^Missing argument '(.+)'\.?(.*)$", "缺少参数 {0}"),
    (r"^Missing option '(.+)'\.?(.*)$", "缺少选项 {0}"),
    (r"^Missing parameter: (.+)$", "缺少参数 {0}"),
    (r"^Option '(.+)' requires an argument\.$", "选项 {0} 后面需要一个值"),
    (r"^Option '(.+)' requires (\d+) arguments\.$", "选项 {0} 后面需要 {1} 个值"),
    (r"^Got unexpected extra arguments? \((.+)\)$", "多余的参数：{0}"),
    (r"^Option '(.+)' does not take a value\.$", "选项 {0} 不需要值"),
    (r"^Invalid value for '(.+)': '(.*)' is not one of (.+)\.$", "{0} 的值“{1}”无效，可选：{2}"),
    (r"^Invalid value for '(.+)': '(.*)' is not a valid integer\.$", "{0} 的值“{1}”不是整数"),
    (r"^Invalid value for '(.+)': '(.*)' is not a valid float\.$", "{0} 的值“{1}”不是数字"),
    (r"^Invalid value for '(.+)': (.+) is not in the range (.+)\.$", "{0} 的值 {1} 超出范围 {2}"),
    (r"^Invalid value for '(.+)': (?:File|Directory|Path) '(.*)' does not exist\.$", "{0}：“{1}”不存在"),
    (r"^Invalid value for '(.+)': (.+)$", "{0} {1}"),
    (r"^Invalid value: (.+)$", "值无效：{0}"),
]


_VALUE_PATTERNS: list[tuple[str, str]] = [
    (r"^(?:Value error, )?'(.*)' is not one of (.+?)\.?$", "的值“{0}”无效，可选：{1}"),
    (r"^Input should be a valid integer.*$", "的值不是整数"),
    (r"^Input should be a valid number.*$", "的值不是数字"),
    (r"^Input should be greater than or equal to (.+)$", "的值超出范围：不能小于 {0}"),
    (r"^Input should be less than or equal to (.+)$", "的值超出范围：不能大于 {0}"),
    (r"^Input should be greater than (.+)$", "的值超出范围：应大于 {0}"),
    (r"^Input should be less than (.+)$", "的值超出范围：应小于 {0}"),
    (r"^(?:Path|File|Directory) '(.*)' does not exist\.?$", "：“{0}”不存在"),
]


def _translate_value(detail: str) -> str:
    for pattern, template in _VALUE_PATTERNS:
        m = re.match(pattern, detail.strip())
        if m:
            groups = [g.replace("', '", "、").strip("'") for g in m.groups()]
            return template.format(*groups)
    return f"的值无效（{detail}）"


def translate_usage_error(message: str) -> str:
    """Chinese for one Click usage-error message (best effort, never English-only)."""
    message = message.strip()
    if re.search(r"[\u4e00-\u9fff]", message):  # already ours, in Chinese
        return message
    if message.startswith("No such option: --data"):
        return "没有这个选项：--data（--data 要写在子命令之前，如 lufa --data 目录 check）"
    for pattern, template in _PATTERNS:
        m = re.match(pattern, message)
        if m:
            groups = [(g or "").replace("' / '", " / ") for g in m.groups()]  # '-o' / '--output'

            if template == "{0} {1}":
                return f"{groups[0]} {_translate_value(groups[1])}".replace(" 的值", " 的值", 1).replace(" ：", "：")
            text = template.format(*groups)
            if "Possible options" in message and m.lastindex and m.lastindex >= 2 and groups[1]:
                text += f"（是否想用：{groups[1]}）"
            elif "Did you mean" in message:
                guess = re.search(r"Did you mean (.+?)\?", message)
                if guess:
                    text += f"（是否想用：{guess.group(1)}）"
            return text
    return f"命令行参数有误：{message}"
