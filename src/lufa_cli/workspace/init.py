"""`lufa init`: a new, writable workspace from the bundled data set."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from lufa_cli.errors import Diagnostic, ExternalError, RefusedError
from lufa_cli.reading.fsio import atomic_write, create_exclusive, make_dirs, os_error
from lufa_cli.workspace.loader import MARKER
from lufa_cli.workspace.workspace import BUNDLED_FILES, bundled_files, bundled_root

GITIGNORE = """# lufa 生成的文书（可随时由记录重新生成），不纳入版本管理
output/
# 离线下达的临时文书（尚未定号），只留在本机，lufa sync 定号后才共享
data/records/provisional/
# 编辑器和 Office 的临时文件
*.tmp
~$*
.~lock.*
# lufa 修改记录时短暂存在的锁文件
.*.lock
.*.lock.break
"""


GITATTRIBUTES = """# 记录和设置一律以 UTF-8、LF 换行保存，Windows 上的 git 也不改换行（避免整文件“改动”和假冲突）
*.yaml text eol=lf
*.yml text eol=lf
*.csv text eol=lf
# 模板和生成的文档是二进制文件，不做文本合并
*.docx binary
*.xlsx binary
*.pdf binary
"""

MARKER_TEXT = """# 本文件标明这里是 lufa 工作区的根目录（lufa init 生成），请保留并纳入 git。
# 在本目录及其任何子目录（data/、templates/、output/ …）中运行 lufa，都会使用这个工作区。
"""


def init_workspace(target: Path, *, contact: str = "") -> list[Path]:
    """Copy the bundled data and templates into `target`; refuse if it is not empty.

    `contact` fills settings.yaml's contact.name (the line under every notice), keeping the comments.
    """
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise RefusedError(f"目录 {target} 已存在且不为空；为免覆盖已有文件，请换一个新目录")
    src = bundled_root()
    named = None
    if contact:  # a YAML double-quoted scalar is a JSON string
        text = (src / "data" / "settings.yaml").read_text(encoding="utf-8")
        named = text.replace('contact:\n  name: ""\n', f"contact:\n  name: {json.dumps(contact, ensure_ascii=False)}\n", 1)
        if named == text:
            raise RefusedError("内置 settings.yaml 中找不到空的 contact.name，无法写入联系人；请建立后直接编辑该文件")
    created: list[Path] = []
    existed = target.exists()
    try:
        target.mkdir(parents=True, exist_ok=True)
        for folder in BUNDLED_FILES:
            (target / folder).mkdir()
            for f in bundled_files(folder):
                shutil.copyfile(f, target / folder / f.name)
                created.append(target / folder / f.name)
    except OSError as exc:
        # leave nothing half-copied behind: the folder was new (or empty) when we started
        for leftover in ([target] if not existed else [target / "data", target / "templates"]):
            shutil.rmtree(leftover, ignore_errors=True)
        raise os_error(target, exc) from exc
    if named is not None:
        atomic_write(target / "data" / "settings.yaml", named.encode("utf-8"), overwrite=True)
    created.append(atomic_write(target / ".gitignore", GITIGNORE))
    created.append(atomic_write(target / ".gitattributes", GITATTRIBUTES))
    created.append(atomic_write(target / MARKER, MARKER_TEXT))
    return created


@dataclass(frozen=True)
class MissingTemplates:
    """What `lufa template add-missing` finds in a workspace's templates/ folder."""

    folder: Path  # the workspace's templates/
    missing: list[Path]  # bundled templates whose name is free in `folder`, in name order
    blocked: list[tuple[Path, str]]  # a name taken by something that is not a regular file, and what it is


def _taken_by(path: Path, home: Path) -> str | None:
    """None when `path` is free or a regular file of the workspace (the clerk's template, left alone);
    else what occupies it, in Chinese."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "这是一个目录，不是文件"
    if not stat.S_ISLNK(mode):
        return "不是普通文件（是设备、管道或套接字）"
    real = Path(os.path.realpath(path))
    if not real.exists():
        return f"是指向不存在位置（{real}）的符号链接"
    if not real.is_relative_to(os.path.realpath(home)):
        return f"是指向工作区之外（{real}）的符号链接"
    return None if real.is_file() else "是指向目录或特殊文件的符号链接，不是普通文件"


def missing_templates(folder: Path) -> MissingTemplates:
    """The bundled templates (those `lufa init` copies) that `folder` lacks; nothing is read or written."""
    home = folder.parent
    if os.path.lexists(folder) and not folder.is_dir():
        return MissingTemplates(folder, [], [(folder, "不是目录")])
    if folder.is_symlink() and not Path(os.path.realpath(folder)).is_relative_to(os.path.realpath(home)):
        return MissingTemplates(folder, [], [(folder, f"是指向工作区之外（{os.path.realpath(folder)}）的符号链接")])
    missing, blocked = [], []
    for src in bundled_files("templates"):
        target = folder / src.name
        taken = _taken_by(target, home)
        if taken is not None:
            blocked.append((target, taken))
        elif not os.path.lexists(target):
            missing.append(src)
    return MissingTemplates(folder, missing, blocked)


def add_templates(found: MissingTemplates, *, dry_run: bool = False) -> tuple[list[Path], list[Path]]:
    """Copy `found.missing` into `found.folder`: (the files written, those another program created meanwhile).

    Each file is created exclusively and atomically; an existing file is never touched. A name taken
    by something that is not a regular file refuses the whole run, and a failed write removes what
    this run wrote: either every missing template is added or none. `dry_run` writes nothing.
    """
    home = found.folder.parent
    if found.blocked:
        diags = [Diagnostic(str(p.relative_to(home)), 0, 0, f"{why}，不能在这里放入内置模板") for p, why in found.blocked]
        raise RefusedError(f"有 {len(diags)} 个模板名称被占用，什么也没有添加；请把它们移走或改名后重新运行", diagnostics=diags)
    targets = [found.folder / src.name for src in found.missing]
    if dry_run or not targets:
        return targets, []
    new_folder = not os.path.lexists(found.folder)
    written: list[Path] = []
    appeared: list[Path] = []
    try:
        try:
            make_dirs(found.folder)
        except OSError as exc:
            raise os_error(found.folder, exc) from exc
        for src, target in zip(found.missing, targets, strict=True):
            (written if create_exclusive(target, src.read_bytes()) else appeared).append(target)
    except (ExternalError, OSError) as exc:
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink()
        if new_folder:
            with contextlib.suppress(OSError):
                found.folder.rmdir()
        if isinstance(exc, ExternalError):
            raise ExternalError(f"{exc.message}；本次没有添加任何模板") from exc
        raise
    return written, appeared
