"""`lufa init`: a new, writable workspace from the bundled data set."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from lufa_cli.errors import RefusedError
from lufa_cli.reading.fsio import atomic_write, os_error
from lufa_cli.workspace.loader import MARKER
from lufa_cli.workspace.workspace import bundled_root

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
        for folder, pattern in (("data", "*.yaml"), ("templates", "*")):
            (target / folder).mkdir()
            for f in sorted((src / folder).glob(pattern)):
                if f.is_file() and not f.name.startswith("."):
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
