"""Case-file review records: ``data/records/reviews/2026/2026-R001.yaml``, one file per reviewed file.

The number is the next free one of its year, taken by creating the file exclusively, so two
processes never share a number (with `sync:` in settings.yaml it is taken on the shared remote,
as a notice's number is, so two clerks never share one either); a number is never reused while its file exists, and `lufa check`
reports gaps (a deleted review) and the same case file reviewed twice in a year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lufa_cli.errors import DataError, Diagnostic, RefusedError
from lufa_cli.model.reviews import REVIEW_ID, CaseStandard, Review
from lufa_cli.reading.fsio import create_exclusive
from lufa_cli.reading.yamlsrc import dump
from lufa_cli.records.store import record_files, records_dir
from lufa_cli.workspace.loader import PathDisplay, display_path
from lufa_cli.workspace.validation import read_record
from lufa_cli.workspace.workspace import Workspace

HEADER = "案卷评查记录（lufa review record 生成；可手工修改，改后请运行 lufa check）"
Problem = tuple[tuple, str]


def review_path(data_root: Path, review_id: str) -> Path:
    return records_dir(data_root) / "reviews" / review_id[:4] / f"{review_id}.yaml"


def review_yaml(r: Review) -> str:
    data = r.model_dump(mode="python")
    for f in data["findings"]:
        if f["count"] == 1:
            del f["count"]
        if not f["description"]:
            del f["description"]
    return dump(data, header=HEADER)


def require_standard(ws: Workspace) -> CaseStandard:
    if ws.case_standard is None:
        raise DataError(
            f"数据目录中没有案卷评查标准 case-standard.yaml（{display_path(ws.root)}）；"
            "可从新建的工作区（lufa init 新目录）复制一份，按本地标准修改后再用"
        )
    return ws.case_standard


def review_problems(ws: Workspace, standard: CaseStandard, review: Review, *, as_of: dt.date | None = None) -> list[Problem]:
    """Everything wrong with one review against the roster and the standard."""
    out: list[Problem] = []
    if ws.unit(review.unit) is None:
        out.append((("unit",), f"单位编号“{review.unit}”不在名册 units.yaml 中"))
    items = {i.id: i for i in standard.items()}
    for n, f in enumerate(review.findings):
        item = items.get(f.item)
        if item is None:
            out.append((("findings", n, "item"), f"评查项目“{f.item}”不在案卷评查标准 case-standard.yaml 中（可用：{'、'.join(items)}）"))
            continue
        problem = item.deduction_problem(f.deduction, what="评查项目")
        if problem:
            out.append((("findings", n, "deduction"), problem))
    if as_of is not None and review.date > as_of:
        out.append((("date",), f"评查日期 {review.date} 晚于今天（{as_of}），不能记录将来的评查"))
    return out


@dataclass
class ReviewSet:
    reviews: list[Review] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)


def load_reviews(ws: Workspace, show: Callable[[Path], str] | None = None) -> ReviewSet:
    """Read and check every review record; all problems collected."""
    show = show or PathDisplay()
    rs = ReviewSet()
    files = record_files(ws.root, "reviews")
    if files and ws.case_standard is None:
        rs.diagnostics.append(Diagnostic(display_path(ws.root / "case-standard.yaml"), 0, 0, f"有 {len(files)} 份案卷评查记录，但数据目录中没有评查标准 case-standard.yaml"))
        return rs
    cases: dict[tuple[int, str], str] = {}
    per_year: dict[int, list[int]] = {}
    for path in files:
        if m := REVIEW_ID.match(path.stem):  # numbers taken, even by a file that does not read
            per_year.setdefault(int(m[1]), []).append(int(m[2]))
        rec, src = read_record(path, Review, show(path))
        if rec is not None:
            for loc, message in review_problems(ws, ws.case_standard, rec):  # type: ignore[arg-type]
                src.error(loc, message)
            if rec.id != path.stem or path.parent.name != rec.id[:4]:
                src.error(("id",), f"评查编号“{rec.id}”与文件 {path.parent.name}/{path.name} 不一致（应为 reviews/{rec.id[:4]}/{rec.id}.yaml）")
            elif rec.date.year != int(rec.id[:4]):
                src.error(("date",), f"评查日期 {rec.date} 不在编号 {rec.id} 的年度内")
            key = (rec.date.year, rec.case)
            if key in cases:
                src.error(("case",), f"案卷 {rec.case} 在 {rec.date.year} 年已由 {cases[key]} 评查过（同一案卷重复评查？）", severity="warning")
            cases.setdefault(key, rec.id)
            rs.paths[rec.id] = path
            if src.ok:
                rs.reviews.append(rec)
        rs.diagnostics.extend(src.diagnostics)
    for year, numbers in sorted(per_year.items()):
        missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
        if missing:
            rs.diagnostics.append(Diagnostic(
                display_path(records_dir(ws.root) / "reviews" / str(year)), 0, 0,
                f"{year} 年评查编号不连续，缺少第 {'、'.join(map(str, missing))} 号（记录被删除？）", "warning",
            ))
    rs.reviews.sort(key=lambda r: (r.date, r.id))
    return rs


def require_reviews(ws: Workspace) -> ReviewSet:
    rs = load_reviews(ws)
    if not rs.ok:
        raise DataError("案卷评查记录有误，请先修改（lufa check 可列出全部问题）", diagnostics=rs.diagnostics)
    return rs


def reviews_for_scores(ws: Workspace) -> list[Review]:
    """The reviews that count toward scores: none without a standard, else every one (errors refused)."""
    if ws.case_standard is None:
        return []
    return require_reviews(ws).reviews


def write_new_review(ws: Workspace, review: Review) -> tuple[Review, Path]:
    """Write `review` under the next free number of its year; never overwrites."""
    ws.require_writable()
    year = review.date.year
    folder = reviews_dir(ws.root, year)
    taken = [int(m[2]) for p in folder.glob(f"{year}-R*.yaml") if (m := REVIEW_ID.match(p.stem))]
    n = max(taken, default=0) + 1
    for _ in range(10_000):
        rec = review.model_copy(update={"id": f"{year}-R{n:03d}"})
        path = review_path(ws.root, rec.id)
        if create_exclusive(path, review_yaml(rec)):
            return rec, path
        n += 1
    raise RefusedError("无法分配评查编号：同一年度已超过一万份")  # pragma: no cover


def publish_review(repo, data_root: Path, review: Review) -> tuple[Review, Path, str]:
    """Several clerks: take the next review number of the year on the shared remote (gitsync.publish),
    so two clerks never write the same 2026-R00N: (review, path, commit); the local branch is not moved."""
    from lufa_cli.records import gitsync

    year = review.date.year
    made: dict[int, Review] = {}

    def make(n: int, tip: str) -> dict[Path, bytes]:
        rec = review.model_copy(update={"id": f"{year}-R{n:03d}"})
        made[n] = rec
        return {review_path(data_root, rec.id): review_yaml(rec).encode("utf-8")}

    n, commit = gitsync.publish(repo, reviews_dir(data_root, year), year, make, infix="R",
                                message=f"lufa: 案卷评查 {year}年第{{n}}号（{review.unit}，{review.case}）")
    rec = made[n]
    return rec, review_path(data_root, rec.id), commit


def reviews_dir(data_root: Path, year: int) -> Path:
    return records_dir(data_root) / "reviews" / str(year)


def find_review(rs: ReviewSet, ref: str) -> Review:
    from lufa_cli.errors import UsageError

    ref = ref.strip()
    hits = [r for r in rs.reviews if r.id == ref] or [r for r in rs.reviews if ref in (r.id, r.case) or ref in r.id]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise UsageError(f"“{ref}”对应多份评查记录：{'、'.join(r.id for r in hits[:10])}，请写完整编号")
    raise UsageError(f"没有编号为“{ref}”的评查记录（lufa review list 可列出全部记录）")

