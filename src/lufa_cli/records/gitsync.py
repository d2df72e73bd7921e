"""Numbers made final on the shared git remote (several clerks, one number sequence).

When ``settings.yaml`` has a ``sync`` section, a numbered record is not final
until the shared remote has accepted it. Taking a number is then:

1. ``git fetch`` the shared branch;
2. read the highest number of the year from the fetched tree (not from the
   working tree, which may be behind);
3. build a commit on top of the fetched tip holding exactly the new record
   (through a private index file, so the clerk's own index and working tree
   are not touched), and ``git push`` it without force;
4. a refused push means another clerk took a number meanwhile: go back to 1;
5. only after a successful push is the local branch fast-forwarded (which
   writes the record into the working tree) and the number reported final.

A process killed anywhere before the push has taken no number (its commit is
an unreferenced object that ``git gc`` removes); killed after the push, the
number is taken and the record arrives with the next ``git pull``/``lufa sync``.
Everything goes through the git command line the clerk already has.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lufa_cli.errors import ExitCode, ExternalError, LufaError, RefusedError

MAX_ATTEMPTS = 50


class OfflineError(LufaError):
    """The shared remote could not be reached: no number can be made final."""

    exit_code = ExitCode.OFFLINE


@dataclass(frozen=True)
class Repo:
    top: Path  # the working tree's top folder
    git_dir: Path
    remote: str
    branch: str

    @property
    def tracking(self) -> str:
        return f"refs/remotes/{self.remote}/{self.branch}"

    def rel(self, path: Path) -> str:
        """`path` as git names it: relative to the top folder, with forward slashes."""
        return PurePosixPath(Path(os.path.realpath(path)).relative_to(self.top).as_posix()).as_posix()


def _env() -> dict[str, str]:
    env = {**os.environ, "LC_ALL": "C", "LANGUAGE": "C", "GIT_TERMINAL_PROMPT": "0"}
    env.pop("GIT_INDEX_FILE", None)
    return env


def git(cwd: Path, *args: str, env: dict[str, str] | None = None, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, env=env or _env(), input=input, capture_output=True, check=False)
    except FileNotFoundError:
        raise ExternalError("找不到 git 命令：多人共用文号（settings.yaml 的 sync）需要安装 git 并加入 PATH") from None


def _out(p: subprocess.CompletedProcess[bytes]) -> str:
    return p.stdout.decode("utf-8", "replace").strip()


def _err(p: subprocess.CompletedProcess[bytes]) -> str:
    text = (p.stderr or p.stdout).decode("utf-8", "replace").strip().splitlines()
    return text[-1] if text else f"git 退出码 {p.returncode}"


def open_repo(data_root: Path, remote: str, branch: str) -> Repo:
    """The repository holding `data_root`, checked fit for taking a final number."""
    p = git(data_root, "rev-parse", "--show-toplevel", "--absolute-git-dir")
    if p.returncode != 0:
        raise RefusedError(
            f"settings.yaml 设置了 sync（多人共用文号），但数据目录 {data_root} 不在 git 仓库中；"
            "请先 git clone 共用仓库，或删除 settings.yaml 中的 sync 一节改为单机使用"
        )
    top, git_dir = (Path(os.path.realpath(x)) for x in _out(p).splitlines())
    repo = Repo(top, git_dir, remote, branch)
    if git(top, "remote", "get-url", remote).returncode != 0:
        raise RefusedError(f"git 仓库没有名为“{remote}”的远程仓库（settings.yaml 的 sync.remote）；用 git remote -v 查看，或 git remote add {remote} 地址")
    head = git(top, "symbolic-ref", "--quiet", "--short", "HEAD")
    if head.returncode != 0:
        raise RefusedError(f"git 处于“分离头指针”状态（detached HEAD），不能下达文书；请先 git switch {branch}")
    if _out(head) != branch:
        raise RefusedError(f"当前在 git 分支“{_out(head)}”上，共用文号的分支是“{branch}”（settings.yaml 的 sync.branch）；请先 git switch {branch}")
    for marker, what in (("MERGE_HEAD", "合并（merge）"), ("rebase-merge", "变基（rebase）"), ("rebase-apply", "变基（rebase）"),
                         ("CHERRY_PICK_HEAD", "拣选（cherry-pick）"), ("REVERT_HEAD", "撤销（revert）")):
        if (git_dir / marker).exists():
            raise RefusedError(f"git 正在进行{what}，尚未完成；请先解决冲突并完成（git status 可查看），再下达文书")
    return repo


NOTICE_OFFLINE = "文号要在服务器上确定，现在不能下达；联网后重试，或加 --provisional 先出临时文书（不能打印，联网后用 lufa sync 定号）"


def fetch(repo: Repo, *, offline: str = NOTICE_OFFLINE) -> str:
    """Fetch the shared branch; the commit id of its tip. `offline`: what the clerk can do without the server."""
    p = git(repo.top, "fetch", "--quiet", "--no-tags", repo.remote, f"+refs/heads/{repo.branch}:{repo.tracking}")
    if p.returncode != 0:
        raise OfflineError(f"连不上共用的 git 服务器（{repo.remote}）：{_err(p)}。{offline}")
    tip = git(repo.top, "rev-parse", "--verify", "--quiet", f"{repo.tracking}^{{commit}}")
    if tip.returncode != 0:
        raise RefusedError(f"服务器上没有分支“{repo.branch}”；请先在一台电脑上 git push {repo.remote} {repo.branch}")
    return _out(tip)


def require_in_step(repo: Repo, tip: str, folders: Sequence[Path], *, what: str = "文书记录", then: str = "下达") -> None:
    """The local branch holds nothing the server lacks, and nothing uncommitted sits in `folders`
    (`what` names them, `then` is what the clerk retries)."""
    if git(repo.top, "merge-base", "--is-ancestor", "HEAD", tip).returncode != 0:
        raise RefusedError(
            f"本地分支有尚未推送到服务器的提交；请先 git pull --rebase {repo.remote} {repo.branch} 再 git push，然后重新{then}"
        )
    rels = [repo.rel(f) for f in folders if f.exists()]
    if rels:
        st = git(repo.top, "status", "--porcelain", "--untracked-files=all", "--", *rels)
        lines = [ln[3:] for ln in _out(st).splitlines() if ln.strip()]
        if lines:
            raise RefusedError(
                f"{what}目录中有未提交的文件，可能是别人的记录或手工修改："
                + "、".join(lines[:5]) + ("等" if len(lines) > 5 else "")
                + f"；请先 git add/commit/push 或移走它们（git status 可查看），再{then}"
            )


def file_state(repo: Repo, path: Path) -> str:
    """"clean", "modified" or "untracked": how git sees one file of the working tree."""
    st = git(repo.top, "status", "--porcelain", "--untracked-files=all", "--", repo.rel(path))
    line = _out(st)
    if not line:
        return "clean"
    return "untracked" if line.startswith("??") else "modified"


def numbers_on(repo: Repo, tip: str, folder: Path, year: int, infix: str = "") -> list[int]:
    """Numbers of `year` present in the tree of commit `tip` under `folder` (notices/YEAR/2026-0003.yaml;
    with `infix` "R", reviews/YEAR/2026-R001.yaml)."""
    p = git(repo.top, "ls-tree", "--name-only", tip, "--", repo.rel(folder) + "/")
    pattern = re.compile(rf"^{year}-{re.escape(infix)}(\d{{3,}})\.yaml$" if infix else rf"^{year}-(\d{{4,}})\.yaml$")
    out = []
    for line in _out(p).splitlines():
        m = pattern.match(PurePosixPath(line).name)
        if m:
            out.append(int(m.group(1)))
    return out


def files_citing(repo: Repo, tip: str, folder: Path, needle: str) -> list[tuple[str, bytes]]:
    """(git path, bytes) of the files under `folder` in commit `tip` that contain the line `needle`."""
    p = git(repo.top, "grep", "-l", "-F", "-e", needle, tip, "--", repo.rel(folder) + "/")
    out = []
    for line in _out(p).splitlines():
        rel = line.split(":", 1)[1] if line.startswith(tip + ":") else line
        show = git(repo.top, "show", f"{tip}:{rel}")
        if show.returncode == 0:
            out.append((rel, show.stdout))
    return out


def file_at(repo: Repo, tip: str, path: Path) -> bytes | None:
    """The bytes of `path` in commit `tip`, or None when it is not there."""
    p = git(repo.top, "show", f"{tip}:{repo.rel(path)}")
    return p.stdout if p.returncode == 0 else None


def commit_on(repo: Repo, tip: str, files: dict[str, bytes], removed: Sequence[str], message: str) -> str:
    """A commit on top of `tip` adding `files` (git path → bytes) and removing `removed`; HEAD untouched."""
    index = repo.git_dir / f"lufa-index-{os.getpid()}"
    env = {**_env(), "GIT_INDEX_FILE": str(index)}
    try:
        steps = [git(repo.top, "read-tree", tip, env=env)]
        for rel, data in files.items():
            blob = git(repo.top, "hash-object", "-w", "--stdin", env=env, input=data)
            steps.append(blob)
            steps.append(git(repo.top, "update-index", "--add", "--cacheinfo", f"100644,{_out(blob)},{rel}", env=env))
        for rel in removed:
            steps.append(git(repo.top, "update-index", "--force-remove", "--", rel, env=env))
        tree = git(repo.top, "write-tree", env=env)
        steps.append(tree)
        bad = next((s for s in steps if s.returncode != 0), None)
        if bad is not None:
            raise ExternalError(f"git 写入失败：{_err(bad)}")
        c = git(repo.top, "commit-tree", _out(tree), "-p", tip, "-m", message, env=env)
        if c.returncode != 0:
            hint = "；请先设置 git config --global user.name 姓名 和 user.email 邮箱" if "identity" in _err(c).lower() or "user.email" in c.stderr.decode("utf-8", "replace") else ""
            raise ExternalError(f"git 提交失败：{_err(c)}{hint}")
        return _out(c)
    finally:
        index.unlink(missing_ok=True)


def push(repo: Repo, commit: str) -> bool:
    """Push `commit` as the new tip of the shared branch: True if accepted, False if someone was first."""
    p = git(repo.top, "push", "--porcelain", "--quiet", repo.remote, f"{commit}:refs/heads/{repo.branch}")
    if p.returncode == 0:
        git(repo.top, "update-ref", repo.tracking, commit)
        return True
    text = (p.stdout + p.stderr).decode("utf-8", "replace")
    if any(line.startswith("!") for line in text.splitlines()) and re.search(r"rejected|fetch first|non-fast-forward|stale info", text):
        return False
    raise OfflineError(f"推送到共用的 git 服务器（{repo.remote}）失败：{_err(p)}；没有占用文号")


def fast_forward(repo: Repo, commit: str) -> str | None:
    """Bring the local branch and working tree up to `commit`; None on success, else git's reason."""
    for _ in range(20):
        p = git(repo.top, "merge", "--ff-only", "--quiet", commit)
        if p.returncode == 0:
            return None
        if "index.lock" not in p.stderr.decode("utf-8", "replace"):
            return _err(p)
        import time

        time.sleep(0.1)  # another lufa process of this clone is updating the working tree
    return _err(p)


def publish(repo: Repo, folder: Path, year: int, make: Callable[[int, str], dict[Path, bytes]], *,
            removed: Sequence[Path] = (), message: str, infix: str = "") -> tuple[int, str]:
    """Take the next number of `year` on the remote; `make(n, tip)` gives the files of the record for number n
    drafted on the state of commit `tip` (it may refuse, e.g. when the findings were noticed meanwhile).

    Returns (number, commit); the local branch is not yet moved. Retries while another clerk's push comes first.
    """
    for _ in range(MAX_ATTEMPTS):
        tip = fetch(repo)
        n = max(numbers_on(repo, tip, folder, year, infix), default=0) + 1
        files = {repo.rel(path): data for path, data in make(n, tip).items()}
        commit = commit_on(repo, tip, files, [repo.rel(p) for p in removed], message.format(n=n))
        if push(repo, commit):
            return n, commit
    raise RefusedError(f"连续 {MAX_ATTEMPTS} 次推送都被别人抢先，没有占用文号；请稍后重试")


def bring_local(repo: Repo, commit: str, untracked: Sequence[Path] = ()) -> str | None:
    """Fast-forward the clerk's branch to the pushed `commit`; None on success, else git's reason.

    `untracked` are local files that `commit` also holds (a new inspection record shared with its
    notice): git refuses to overwrite them even when identical, so they step aside and come back
    from the commit; if the fast-forward fails they are put back as they were.
    """
    kept = {p: p.read_bytes() for p in untracked if p.is_file()}
    for p in kept:
        p.unlink()
    reason = fast_forward(repo, commit)
    if reason is not None:
        for p, data in kept.items():
            if not p.exists():
                p.write_bytes(data)
    return reason
