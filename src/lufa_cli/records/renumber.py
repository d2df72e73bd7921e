"""Repairing a notice number taken twice (two clones merged), before the documents went out.

Two situations reach here:
- git stopped the merge with an add/add conflict on ``notices/2026/2026-0003.yaml``: the
  two versions are git's stages 2 (ours) and 3 (theirs). The one already delivered keeps the
  number (when neither is, the server's — theirs — keeps it); the other moves to the next free
  number. The conflict is then resolved (``git add``) and the clerk commits the merge.
- two files carry the same number (someone resolved the conflict by copying a file): the file
  named moves to the next free number, under its proper file name.
The moved notice keeps its whole history plus a ``renumber`` entry naming the old number.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from lufa_cli.errors import DataError, RefusedError, UsageError
from lufa_cli.model.notices import Notice
from lufa_cli.reading.fsio import atomic_write, create_exclusive
from lufa_cli.reading.yamlsrc import read_yaml
from lufa_cli.records import gitsync
from lufa_cli.records.notices import kind_dir, notice_path, notice_yaml, notices_dir, renumbered
from lufa_cli.workspace.loader import display_path
from lufa_cli.workspace.validation import read_record, validate
from lufa_cli.workspace.workspace import Workspace


@dataclass
class Renumbered:
    moved: Notice  # under its new number
    moved_path: Path
    old: Notice  # the moved notice as it was (its document is stale)
    kept: Notice | None = None  # the one that keeps the number (re-rendered: it shared the file name)
    next_step: str = ""

    @property
    def old_doc_number(self) -> str:
        return self.old.doc_number


def _parse_ref(ref: str) -> tuple[int, int] | None:
    text = ref.strip().replace("（", "(").replace("）", ")")
    m = re.fullmatch(r"(\d{4})-(\d+)", text) or re.search(r"〔(\d{4})〕(\d+)号", text)
    return (int(m[1]), int(m[2])) if m else None


def _numbers_on_disk(folder: Path, year: int) -> set[int]:
    out = set()
    for p in folder.glob(f"{year}-*.yaml"):
        m = re.fullmatch(rf"{year}-(\d+)", p.stem)
        if m:
            out.add(int(m[1]))
    return out


def _version(repo: gitsync.Repo, stage: int, rel: str, display: str) -> Notice:
    p = gitsync.git(repo.top, "show", f":{stage}:{rel}")
    if p.returncode != 0:
        raise RefusedError(f"读取 git 冲突中的{'本机' if stage == 2 else '服务器'}版本失败：{display}")
    src = read_yaml(Path(display), display=f"{display}（{'本机' if stage == 2 else '服务器'}版本）", raw=p.stdout)
    rec = validate(Notice, src) if src.ok else None
    if rec is None:
        raise DataError(f"git 冲突中的{'本机' if stage == 2 else '服务器'}版本有误，无法自动改号", diagnostics=src.diagnostics)
    return rec


def renumber(ws: Workspace, ref: str, when: dt.date) -> Renumbered:
    """Move one of two notices sharing a number to the next free number (see module doc)."""
    as_path = Path(ref)
    if as_path.suffix.lower() == ".yaml" and as_path.is_file():
        return _renumber_file(ws, as_path, when)
    parsed = _parse_ref(ref)
    if parsed is None:
        raise UsageError(f"无法识别“{ref}”：请写冲突中的文号（如 2026-3），或重号的记录文件路径")
    year, number = parsed
    return _renumber_conflict(ws, year, number, when)


def _renumber_conflict(ws: Workspace, year: int, number: int, when: dt.date) -> Renumbered:
    path = notice_path(ws.root, year, number)
    repo_probe = gitsync.git(ws.root, "rev-parse", "--show-toplevel")
    if repo_probe.returncode != 0:
        raise RefusedError(f"{display_path(path)} 不在 git 仓库中，没有合并冲突可处理；两个文件重号时请写要改号的文件路径")
    top = Path(repo_probe.stdout.decode().strip()).resolve()
    repo = gitsync.Repo(top, top / ".git", "", "")
    rel = repo.rel(path)
    stages = gitsync.git(top, "ls-files", "-u", "--", rel).stdout.decode().split("\n")
    have = {int(line.split()[2]) for line in stages if line.strip()}
    if not {2, 3} <= have:
        raise RefusedError(
            f"{display_path(path)} 没有处于 git 合并冲突中（git status 可查看）；"
            "两个文件重号时请写要改号的那个文件的路径"
        )
    ours, theirs = _version(repo, 2, rel, display_path(path)), _version(repo, 3, rel, display_path(path))
    if ours.sent and theirs.sent:
        raise RefusedError(f"两份 {ours.doc_number} 都已登记送达，不能改号；请作废其中一份（lufa notice void）并重新下达")
    move, keep = (theirs, ours) if ours.sent else (ours, theirs)
    folder = notices_dir(ws.root) / str(year)
    merge_tree = gitsync.git(top, "ls-tree", "--name-only", "MERGE_HEAD", "--", repo.rel(folder) + "/").stdout.decode().split()
    taken = _numbers_on_disk(folder, year) | {number}
    taken |= {int(m[1]) for n in merge_tree if (m := re.fullmatch(rf"{year}-(\d+)\.yaml", Path(n).name))}
    new_number = max(taken) + 1
    moved = renumbered(move, move.model_copy(update={"number": new_number, "doc_number": _doc_number(ws, move, new_number)}), when)
    new_path = notice_path(ws.root, year, new_number)
    if not create_exclusive(new_path, notice_yaml(moved)):
        raise RefusedError(f"{display_path(new_path)} 已存在，请重试")
    atomic_write(path, notice_yaml(keep), overwrite=True)
    gitsync.git(top, "add", "--", rel, repo.rel(new_path))
    return Renumbered(moved, new_path, move, keep, next_step="合并冲突已解决（已 git add），请 git commit 完成合并并 git push。")


def _renumber_file(ws: Workspace, path: Path, when: dt.date) -> Renumbered:
    rec, src = read_record(path, Notice, display_path(path))
    if rec is None:
        raise DataError("记录有误，无法改号", diagnostics=src.diagnostics)
    folder = kind_dir(ws.root, rec.year, rec.kind)
    others = []
    for p in sorted(folder.glob("*.yaml")):
        if p.resolve() == path.resolve():
            continue
        other, _ = read_record(p, Notice, display_path(p))
        if other is not None and other.number == rec.number and other.year == rec.year:
            others.append(other)
    if not others:
        raise RefusedError(f"{rec.doc_number} 没有重号，无需改号（{display_path(path)}）")
    if rec.sent:
        raise RefusedError(f"{rec.doc_number}（{display_path(path)}）已登记送达，文号不能再改；请改另一份")
    new_number = max(_numbers_on_disk(folder, rec.year) | {rec.number}) + 1
    moved = renumbered(rec, rec.model_copy(update={"number": new_number, "doc_number": _doc_number(ws, rec, new_number)}), when)
    new_path = notice_path(ws.root, rec.year, new_number, rec.kind)
    if not create_exclusive(new_path, notice_yaml(moved)):
        raise RefusedError(f"{display_path(new_path)} 已存在，请重试")
    path.unlink()
    return Renumbered(moved, new_path, rec, others[0], next_step="")


def _doc_number(ws: Workspace, n: Notice, number: int) -> str:
    from lufa_cli.records.notices import format_number

    kind = next((k for k in ws.settings.notice_kinds if k.id == n.kind), None)
    if kind is None:
        raise RefusedError(f"文书种类“{n.kind}”不在 settings.yaml 的 notice_kinds 中，无法生成新文号")
    return format_number(kind, n.year, number)
