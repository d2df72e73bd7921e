"""Diagnostics and the project's own exceptions.

Only the CLI layer prints or exits; everything below raises these or returns
lists of :class:`Diagnostic`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Documented process exit codes (README, section 退出码)."""

    OK = 0
    DATA = 1  # 数据或记录有误（lufa check 发现问题）
    USAGE = 2  # 命令行用法错误：未知选项、无法识别的单位名称、日期格式错误
    REFUSED = 3  # 拒绝写入：文件已存在、内置数据只读、编号冲突未解决
    TEMPLATE = 4  # 模板有误：语法、未知变量、越权访问、不是 .docx
    FOUND = 5  # --fail-if-any：存在逾期事项
    EXTERNAL = 6  # 外部程序不可用（如 LibreOffice）或写入失败（磁盘满、只读目录）
    BUSY = 7  # 记录正被另一个 lufa 进程修改，等待后仍未释放；什么也没有改
    PARTIAL = 8  # 文书已下达（文号已占用、记录已写入），但 Word 文档未生成：用 lufa notice render 补生成
    OFFLINE = 9  # 多人共用文号：连不上共用的 git 服务器，没有占用文号
    INTERNAL = 70  # 程序内部错误（请带 --debug 重试并报告）
    PIPE = 141  # 输出的读取端已提前关闭（如 lufa check | head）：其余输出没有写出（同 Unix 工具被 SIGPIPE 终止）


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a file, with its position (1-based line and column)."""

    path: str
    line: int
    col: int
    message: str
    severity: str = "error"  # "error" | "warning"
    source_line: str | None = None
    cells: bool = False  # a spreadsheet: line is the row, col the column (shown as 第5行:C列)

    def format(self) -> str:
        label = "错误" if self.severity == "error" else "警告"
        if self.cells and self.line:
            where = f"{self.path}:第{self.line}行:{column_letter(self.col)}列" if self.col else f"{self.path}:第{self.line}行"
        else:
            where = f"{self.path}:{self.line}:{self.col}" if self.line else self.path
        return f"{where}: {label}：{self.message}"

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "message": self.message,
        }


def column_letter(col: int) -> str:
    """Spreadsheet column name of a 1-based column number (1 → A, 27 → AA)."""
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


class LufaError(Exception):
    """An error the user can act on; carries its exit code and any diagnostics."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(
        self,
        message: str,
        *,
        diagnostics: list[Diagnostic] | None = None,
        exit_code: ExitCode | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics: list[Diagnostic] = list(diagnostics or [])
        if exit_code is not None:
            self.exit_code = exit_code


class DataError(LufaError):
    """Data or record files are invalid."""

    exit_code = ExitCode.DATA


class UsageError(LufaError):
    """A command-line value cannot be used (unknown unit, bad date…)."""

    exit_code = ExitCode.USAGE


class RefusedError(LufaError):
    """A write was refused to protect existing data."""

    exit_code = ExitCode.REFUSED


class TemplateError(LufaError):
    """A user-editable template cannot be rendered safely."""

    exit_code = ExitCode.TEMPLATE


class ExternalError(LufaError):
    """An external program or the file system failed (LibreOffice missing, disk full)."""

    exit_code = ExitCode.EXTERNAL


class BusyError(LufaError):
    """A record stayed locked by another lufa process longer than we wait."""

    exit_code = ExitCode.BUSY


class PartialError(LufaError):
    """Part of the work is done and final (a number taken, a record written), the rest failed; the message says which."""

    exit_code = ExitCode.PARTIAL


class ReaderGone(Exception):
    """The reader of lufa's output went away (`lufa check | head`). Not an OSError, so that
    Typer, which turns a broken pipe into exit code 1 (lufa's code for wrong data), lets it
    through to the CLI's `main`: exit code 141 (`ExitCode.PIPE`)."""
