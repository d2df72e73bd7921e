"""Several clerks, one number sequence: numbers made final on a real (bare) git remote.

Every test here builds a bare repository and clones of it with the real git command line and
runs lufa as separate processes, as three clerks on three computers would.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from conftest import REPO, snapshot

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="需要 git")

SYNC = "\nsync:\n  remote: origin\n  branch: main\n"
DATE = ("--date", "2026-11-02")
GIT_ENV = {"GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "测试", "GIT_COMMITTER_EMAIL": "t@example.invalid"}


def _env(path_prefix: str | None = None) -> dict[str, str]:
    env = {**os.environ, **GIT_ENV, "PYTHONPATH": str(REPO / "src"), "COLUMNS": "200"}
    env.pop("LUFA_DATA", None)
    if path_prefix:
        env["PATH"] = path_prefix + os.pathsep + env["PATH"]
    return env


def lufa(cwd: Path, *args: str, path_prefix: str | None = None) -> subprocess.CompletedProcess[str]:
    p = subprocess.run([sys.executable, "-m", "lufa_cli", *args], cwd=cwd, env=_env(path_prefix),
                       capture_output=True, text=True, timeout=120)
    assert "Traceback" not in p.stderr, p.stderr
    return p


def git(cwd: Path, *args: str) -> str:
    p = subprocess.run(["git", *args], cwd=cwd, env=_env(), capture_output=True, text=True, check=True)
    return p.stdout


def _server(tmp_path: Path, *, sync: bool = True) -> Path:
    """A bare server repository holding a workspace (with `sync` on when asked)."""
    server = tmp_path / "server.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(server))
    seed = tmp_path / "seed"
    assert lufa(tmp_path, "init", str(seed), "--contact", "张三").returncode == 0
    if sync:
        with open(seed / "data" / "settings.yaml", "a", encoding="utf-8") as f:
            f.write(SYNC)
    git(seed, "init", "-q", "-b", "main")
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "工作区")
    git(seed, "push", "-q", str(server), "main")
    return server


def _clone(tmp_path: Path, server: Path, name: str) -> Path:
    git(tmp_path, "clone", "-q", str(server), name)
    return tmp_path / name


def _server_notices(server: Path, year: int = 2026) -> list[str]:
    out = git(server, "ls-tree", "--name-only", "main", f"data/records/notices/{year}/")
    return [Path(line).name for line in out.split()]


def _issue(clone: Path, text: str, *extra: str, path_prefix: str | None = None) -> subprocess.CompletedProcess[str]:
    return lufa(clone, "notice", "issue", "司法局", "--finding", text, *DATE, *extra, path_prefix=path_prefix)


def test_three_clones_ten_notices_each_at_once_number_one_to_thirty(tmp_path) -> None:
    server = _server(tmp_path)
    clones = [_clone(tmp_path, server, f"科员{i}") for i in range(3)]
    failures: list[str] = []

    def clerk(c: Path) -> None:
        for k in range(10):
            p = _issue(c, f"{c.name}第{k}份")
            if p.returncode != 0:
                failures.append(p.stderr)

    threads = [threading.Thread(target=clerk, args=(c,)) for c in clones]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert _server_notices(server) == [f"2026-{n:04d}.yaml" for n in range(1, 31)]
    texts = set()
    for c in clones:
        assert lufa(c, "sync").returncode == 0
        check = lufa(c, "check")
        assert check.returncode == 0, check.stdout + check.stderr
        assert "警告" not in check.stdout + check.stderr
        for f in sorted((c / "data/records/notices/2026").glob("*.yaml")):
            texts.add(yaml.safe_load(f.read_text(encoding="utf-8"))["findings"][0]["text"])
        assert git(c, "status", "--porcelain", "--untracked-files=all", "data") == ""
    assert len(texts) == 30  # every notice issued once, none lost or overwritten


def test_number_taken_on_top_of_the_server_not_of_a_clone_behind(tmp_path) -> None:
    server = _server(tmp_path)
    a, b = _clone(tmp_path, server, "a"), _clone(tmp_path, server, "b")
    assert _issue(a, "甲").returncode == 0
    p = _issue(b, "乙")  # b has not pulled: its working tree knows no notice
    assert p.returncode == 0, p.stderr
    assert "已下达 鲁政行监字〔2026〕2号（服务器已确认）" in p.stderr
    assert sorted(x.name for x in (b / "data/records/notices/2026").glob("*.yaml")) == ["2026-0001.yaml", "2026-0002.yaml"]
    assert (b / "output/notices/2026/鲁政行监字〔2026〕2号-司法局.docx").is_file()
    assert git(b, "log", "-1", "--format=%s") == "lufa: 行政执法监督意见书 2026年下达第2号（sifaju）\n"


def test_new_inspection_travels_with_its_notice(tmp_path) -> None:
    server = _server(tmp_path)
    a = _clone(tmp_path, server, "a")
    rec = lufa(a, "inspect", "record", "司法局", "--date", "2026-04-13", "--item", "3.3", "--deduction", "2",
               "--finding", "执法记录仪未全程开启")
    assert rec.returncode == 0, rec.stderr
    p = lufa(a, "notice", "issue", "--inspection", "2026-04-13-sifaju", *DATE)
    assert p.returncode == 0, p.stderr
    tree = git(server, "ls-tree", "-r", "--name-only", "main", "data/records")
    assert "data/records/inspections/2026/2026-04-13-sifaju.yaml" in tree.split()
    assert "data/records/notices/2026/2026-0001.yaml" in tree.split()
    assert git(a, "status", "--porcelain", "--untracked-files=all", "data") == ""


def test_offline_refuses_and_takes_no_number(tmp_path) -> None:
    server = _server(tmp_path)
    a = _clone(tmp_path, server, "a")
    git(a, "remote", "set-url", "origin", str(tmp_path / "不存在的服务器.git"))
    before = snapshot(a / "data")
    p = _issue(a, "甲")
    assert p.returncode == 9
    assert "连不上共用的 git 服务器（origin）" in p.stderr
    assert "加 --provisional 先出临时文书" in p.stderr
    assert snapshot(a / "data") == before
    assert not (a / "output").exists()


def test_provisional_offline_then_sync_fixes_the_number(tmp_path) -> None:
    server = _server(tmp_path)
    a, b = _clone(tmp_path, server, "a"), _clone(tmp_path, server, "b")
    url = git(a, "remote", "get-url", "origin").strip()
    git(a, "remote", "set-url", "origin", str(tmp_path / "断网.git"))
    p = _issue(a, "离线时发现的问题", "--provisional")
    assert p.returncode == 0, p.stderr
    assert "已保存临时文书（尚未定号，不能打印）" in p.stderr
    prov = list((a / "data/records/provisional").glob("*.yaml"))
    assert len(prov) == 1 and not (a / "output").exists()
    check = lufa(a, "check")
    assert "临时文书尚未定号" in check.stdout + check.stderr
    assert git(a, "status", "--porcelain", "--untracked-files=all") == ""  # git-ignored: never shared unnumbered
    assert _issue(b, "乙先下达").returncode == 0  # meanwhile another clerk takes number 1
    git(a, "remote", "set-url", "origin", url)
    s = lufa(a, "sync")
    assert s.returncode == 0, s.stderr
    assert "已定号为 鲁政行监字〔2026〕2号" in s.stdout + s.stderr
    assert not prov[0].exists()
    assert (a / "output/notices/2026/鲁政行监字〔2026〕2号-司法局.docx").is_file()
    assert _server_notices(server) == ["2026-0001.yaml", "2026-0002.yaml"]
    assert lufa(a, "check").returncode == 0


def test_provisional_needs_sync_settings(tmp_path) -> None:
    ws = tmp_path / "ws"
    assert lufa(tmp_path, "init", str(ws), "--contact", "张三").returncode == 0
    p = _issue(ws, "甲", "--provisional")
    assert p.returncode == 2
    assert "--provisional 只用于多人共用文号" in p.stderr


def test_killed_between_commit_and_push_takes_no_number(tmp_path) -> None:
    server = _server(tmp_path)
    a = _clone(tmp_path, server, "a")
    fake = tmp_path / "bin"
    fake.mkdir()
    real = shutil.which("git")
    (fake / "git").write_text(f'#!/bin/sh\nif [ "$1" = push ]; then kill -9 $PPID; sleep 5; exit 1; fi\nexec "{real}" "$@"\n')
    (fake / "git").chmod(0o755)
    before = snapshot(a / "data")
    p = _issue(a, "甲", path_prefix=str(fake))
    assert p.returncode == -9
    assert _server_notices(server) == []
    assert snapshot(a / "data") == before
    p = _issue(a, "乙")
    assert p.returncode == 0, p.stderr
    assert _server_notices(server) == ["2026-0001.yaml"]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("no-remote", "git 仓库没有名为“origin”的远程仓库"),
        ("detached", "git 处于“分离头指针”状态（detached HEAD）"),
        ("merge", "git 正在进行合并（merge），尚未完成"),
        ("ahead", "本地分支有尚未推送到服务器的提交"),
        ("stray", "文书记录目录中有未提交的文件"),
        ("branch", "当前在 git 分支“其他”上"),
    ],
)
def test_unfit_repository_refused_with_no_number_taken(tmp_path, setup, message) -> None:
    server = _server(tmp_path)
    a = _clone(tmp_path, server, "a")
    if setup == "no-remote":
        git(a, "remote", "remove", "origin")
    elif setup == "detached":
        git(a, "checkout", "-q", "--detach")
    elif setup == "merge":
        (a / ".git" / "MERGE_HEAD").write_text(git(a, "rev-parse", "HEAD"))
    elif setup == "ahead":
        (a / "备注.txt").write_text("本机的提交", encoding="utf-8")
        git(a, "add", "备注.txt")
        git(a, "commit", "-qm", "本机")
    elif setup == "stray":
        folder = a / "data/records/notices/2026"
        folder.mkdir(parents=True)
        (folder / "别人的草稿.txt").write_text("别人的记录\n", encoding="utf-8")
    elif setup == "branch":
        git(a, "switch", "-q", "-c", "其他")
    before = snapshot(a / "data")
    p = _issue(a, "甲")
    assert p.returncode == 3, p.stderr
    assert message in p.stderr
    assert snapshot(a / "data") == before
    assert _server_notices(server) == []


def test_not_a_git_repository_refused(tmp_path) -> None:
    ws = tmp_path / "ws"
    assert lufa(tmp_path, "init", str(ws), "--contact", "张三").returncode == 0
    with open(ws / "data" / "settings.yaml", "a", encoding="utf-8") as f:
        f.write(SYNC)
    before = snapshot(ws)
    p = _issue(ws, "甲")
    assert p.returncode == 3
    assert "不在 git 仓库中" in p.stderr
    assert snapshot(ws) == before


def _conflicted_pair(tmp_path: Path) -> tuple[Path, Path]:
    """Two offline clones that both issued number 1; `a` pulls `b` and stops on the add/add conflict."""
    server = _server(tmp_path, sync=False)
    a, b = _clone(tmp_path, server, "a"), _clone(tmp_path, server, "b")
    assert lufa(a, "notice", "issue", "司法局", "--finding", "甲的问题", *DATE).returncode == 0
    assert lufa(b, "notice", "issue", "财政局", "--finding", "乙的问题", *DATE).returncode == 0
    for c, who in ((a, "甲"), (b, "乙")):
        git(c, "add", "-A")
        git(c, "commit", "-qm", f"{who}下达")
    git(b, "push", "-q", "origin", "main")
    p = subprocess.run(["git", "pull", "-q", "--no-rebase", "origin", "main"], cwd=a, env=_env(), capture_output=True, text=True)
    assert p.returncode != 0 and "CONFLICT" in p.stdout + p.stderr
    return a, b


def test_renumber_resolves_an_add_add_conflict(tmp_path) -> None:
    a, _ = _conflicted_pair(tmp_path)
    check = lufa(a, "check")
    assert check.returncode == 1
    assert "可用 lufa notice renumber 2026-0001 解决" in check.stdout + check.stderr
    p = lufa(a, "notice", "renumber", "2026-1", "--date", "2026-11-03")
    assert p.returncode == 0, p.stderr
    out = p.stdout + p.stderr
    assert "已改号：鲁政行监字〔2026〕1号 → 鲁政行监字〔2026〕2号（鲁山县司法局" in out
    assert "保留原号：鲁政行监字〔2026〕1号（鲁山县财政局" in out
    assert "请 git commit 完成合并" in out
    assert git(a, "diff", "--name-only", "--diff-filter=U") == ""
    moved = yaml.safe_load((a / "data/records/notices/2026/2026-0002.yaml").read_text(encoding="utf-8"))
    assert moved["unit"] == "sifaju" and moved["doc_number"] == "鲁政行监字〔2026〕2号"
    assert moved["history"][-1] == {"event": "renumber", "date": __import__("datetime").date(2026, 11, 3),
                                    "note": "原文号 鲁政行监字〔2026〕1号（合并后重号，改用新号）"}
    docs = sorted(p.name for p in (a / "output/notices/2026").glob("*.docx"))
    assert docs == ["鲁政行监字〔2026〕1号-财政局.docx", "鲁政行监字〔2026〕2号-司法局.docx"]
    git(a, "commit", "-qm", "合并")
    assert lufa(a, "check").returncode == 0


def test_renumber_moves_the_one_not_yet_sent(tmp_path) -> None:
    server = _server(tmp_path, sync=False)
    a, b = _clone(tmp_path, server, "a"), _clone(tmp_path, server, "b")
    assert lufa(a, "notice", "issue", "司法局", "--finding", "甲的问题", *DATE).returncode == 0
    assert lufa(a, "notice", "sent", "1", "--date", "2026-11-03", "--note", "张某签收").returncode == 0
    assert lufa(b, "notice", "issue", "财政局", "--finding", "乙的问题", *DATE).returncode == 0
    for c in (a, b):
        git(c, "add", "-A")
        git(c, "commit", "-qm", "下达")
    git(b, "push", "-q", "origin", "main")
    subprocess.run(["git", "pull", "-q", "--no-rebase", "origin", "main"], cwd=a, env=_env(), capture_output=True)
    p = lufa(a, "notice", "renumber", "2026-1", "--date", "2026-11-04")
    assert p.returncode == 0, p.stderr
    assert "已改号：鲁政行监字〔2026〕1号 → 鲁政行监字〔2026〕2号（鲁山县财政局" in p.stdout + p.stderr


def test_renumber_refused_when_both_were_sent(tmp_path) -> None:
    server = _server(tmp_path, sync=False)
    a, b = _clone(tmp_path, server, "a"), _clone(tmp_path, server, "b")
    for c, unit in ((a, "司法局"), (b, "财政局")):
        assert lufa(c, "notice", "issue", unit, "--finding", "问题", *DATE).returncode == 0
        assert lufa(c, "notice", "sent", "1", "--date", "2026-11-03").returncode == 0
        git(c, "add", "-A")
        git(c, "commit", "-qm", "下达")
    git(b, "push", "-q", "origin", "main")
    subprocess.run(["git", "pull", "-q", "--no-rebase", "origin", "main"], cwd=a, env=_env(), capture_output=True)
    before = snapshot(a / "data")
    p = lufa(a, "notice", "renumber", "2026-1")
    assert p.returncode == 3
    assert "两份 鲁政行监字〔2026〕1号 都已登记送达，不能改号" in p.stderr
    assert snapshot(a / "data") == before


def test_renumber_a_duplicate_file(tmp_path) -> None:
    ws = tmp_path / "ws"
    assert lufa(tmp_path, "init", str(ws), "--contact", "张三").returncode == 0
    assert lufa(ws, "notice", "issue", "司法局", "--finding", "甲", *DATE).returncode == 0
    folder = ws / "data/records/notices/2026"
    dup = folder / "2026-0001-副本.yaml"
    data = (folder / "2026-0001.yaml").read_text(encoding="utf-8").replace("unit: sifaju", "unit: caizhengju")
    dup.write_text(data, encoding="utf-8")
    check = lufa(ws, "check")
    assert "lufa notice renumber 该文件路径" in check.stdout + check.stderr
    p = lufa(ws, "notice", "renumber", "data/records/notices/2026/2026-0001-副本.yaml", "--date", "2026-11-03")
    assert p.returncode == 0, p.stderr
    assert not dup.exists()
    assert sorted(x.name for x in folder.glob("*.yaml")) == ["2026-0001.yaml", "2026-0002.yaml"]
    assert lufa(ws, "check").returncode == 0


def test_renumber_refuses_a_sent_notice_and_a_notice_without_duplicate(tmp_path) -> None:
    ws = tmp_path / "ws"
    assert lufa(tmp_path, "init", str(ws), "--contact", "张三").returncode == 0
    assert lufa(ws, "notice", "issue", "司法局", "--finding", "甲", *DATE).returncode == 0
    before = snapshot(ws / "data")
    p = lufa(ws, "notice", "renumber", "data/records/notices/2026/2026-0001.yaml")
    assert p.returncode == 3 and "没有重号，无需改号" in p.stderr
    assert snapshot(ws / "data") == before
    assert lufa(ws, "notice", "sent", "1", "--date", "2026-11-03").returncode == 0
    again = lufa(ws, "notice", "sent", "1", "--date", "2026-11-04")
    assert again.returncode == 2 and "已登记送达" in again.stderr


def test_init_writes_gitattributes_and_ignores_provisional(tmp_path) -> None:
    ws = tmp_path / "ws"
    assert lufa(tmp_path, "init", str(ws), "--contact", "张三").returncode == 0
    assert "*.yaml text eol=lf" in (ws / ".gitattributes").read_text(encoding="utf-8")
    assert "data/records/provisional/" in (ws / ".gitignore").read_text(encoding="utf-8")
    assert not (ws / ".gitattributes").stat().st_mode & stat.S_IXUSR


def test_two_clerks_issuing_for_one_inspection_give_one_notice(tmp_path) -> None:
    server = _server(tmp_path)
    a = _clone(tmp_path, server, "a")
    rec = lufa(a, "inspect", "record", "司法局", "--date", "2026-04-13", "--item", "3.3", "--deduction", "2",
               "--finding", "执法记录仪未全程开启")
    assert rec.returncode == 0, rec.stderr
    git(a, "add", "-A")
    git(a, "commit", "-qm", "检查记录")
    git(a, "push", "-q", "origin", "main")
    b = _clone(tmp_path, server, "b")
    assert lufa(a, "notice", "issue", "--inspection", "2026-04-13-sifaju", *DATE).returncode == 0
    before = snapshot(b / "data")
    p = lufa(b, "notice", "issue", "--inspection", "2026-04-13-sifaju", *DATE)  # b has not pulled a's notice
    assert p.returncode == 2, p.stderr
    assert "检查记录 2026-04-13-sifaju 的问题已由 鲁政行监字〔2026〕1号 下达（服务器上别的科员刚下达）；没有占用文号" in p.stderr
    assert snapshot(b / "data") == before
    assert _server_notices(server) == ["2026-0001.yaml"]


def test_ladder_letters_and_kinds_numbered_on_the_server(tmp_path) -> None:
    server = _server(tmp_path)
    a, b = _clone(tmp_path, server, "a"), _clone(tmp_path, server, "b")
    assert lufa(a, "notice", "issue", "司法局", "--finding", "甲", "--date", "2026-06-01").returncode == 0
    assert lufa(b, "notice", "issue", "张良镇", "--finding", "乙", "--date", "2026-06-01").returncode == 0
    p = lufa(a, "rectify", "remind", "1", "--date", "2026-07-03")
    assert p.returncode == 0, p.stderr
    assert "催办：行政执法监督催办函 鲁政行监催字〔2026〕1号" in p.stderr
    p = lufa(b, "rectify", "remind", "2", "--date", "2026-07-03")  # b is behind: the number comes from the server
    assert p.returncode == 0 and "鲁政行监催字〔2026〕2号" in p.stderr, p.stderr
    # the step travelled with the letter: b, behind on notice 1, is refused from the server's state
    assert lufa(b, "sync").returncode == 0
    p = lufa(b, "rectify", "remind", "1", "--date", "2026-07-04")
    assert p.returncode == 2 and "鲁政行监字〔2026〕1号 已于 2026-07-03 催办，不能再催办" in p.stderr, p.stderr
    assert git(server, "ls-tree", "--name-only", "main", "data/records/letters/cuiban/2026/").split() == [
        "data/records/letters/cuiban/2026/2026-0001.yaml", "data/records/letters/cuiban/2026/2026-0002.yaml"]
    # a 决定书 takes its own sequence on the server
    p = lufa(a, "notice", "issue", "--kind", "jueding", "--follows", "鲁政行监字〔2026〕1号", "--date", "2026-07-21")
    assert p.returncode == 0 and "已下达 鲁政行监决字〔2026〕1号（接续 鲁政行监字〔2026〕1号）" in p.stderr, p.stderr
    assert git(server, "ls-tree", "--name-only", "main", "data/records/notices/2026/jueding/").split() == [
        "data/records/notices/2026/jueding/2026-0001.yaml"]
    for c in (a, b):
        assert git(c, "status", "--porcelain", "--untracked-files=all", "data/records/letters") == ""


def _review(clone: Path, case: str) -> subprocess.CompletedProcess[str]:
    return lufa(clone, "review", "record", "司法局", "--case", case, "--case-name", "某某案",
                "--reviewer", clone.name, "--date", "2026-11-20", "--defect", "1.3")


def test_two_clerks_reviewing_at_once_never_share_a_review_number(tmp_path) -> None:
    """Review numbers are final on the server too: 2026-R001 … R006, none written twice, none lost."""
    server = _server(tmp_path)
    clones = [_clone(tmp_path, server, f"评查{i}") for i in range(2)]
    failures: list[str] = []

    def clerk(c: Path, base: int) -> None:
        for k in range(3):
            p = _review(c, f"鲁司罚决字〔2026〕第{base + k}号")
            if p.returncode != 0:
                failures.append(p.stderr)

    threads = [threading.Thread(target=clerk, args=(c, 10 * i + 1)) for i, c in enumerate(clones)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    out = git(server, "ls-tree", "--name-only", "main", "data/records/reviews/2026/")
    assert [Path(line).name for line in out.split()] == [f"2026-R{n:03d}.yaml" for n in range(1, 7)]
    cases = set()
    for c in clones:
        assert lufa(c, "sync").returncode == 0
        check = lufa(c, "check")
        assert check.returncode == 0, check.stdout + check.stderr
        for f in (c / "data/records/reviews/2026").glob("*.yaml"):
            cases.add(yaml.safe_load(f.read_text(encoding="utf-8"))["case"])
        assert git(c, "status", "--porcelain", "--untracked-files=all", "data") == ""
    assert len(cases) == 6
    log = git(clones[0], "log", "--format=%s", "-1", "--", "data/records/reviews/2026/2026-R001.yaml")
    assert log.startswith("lufa: 案卷评查 2026年第1号（sifaju，鲁司罚决字〔2026〕第")


def test_a_review_offline_is_refused_and_writes_nothing(tmp_path) -> None:
    server = _server(tmp_path)
    a = _clone(tmp_path, server, "a")
    git(a, "remote", "set-url", "origin", str(tmp_path / "不存在的服务器.git"))
    before = snapshot(a / "data")
    p = _review(a, "鲁司罚决字〔2026〕第1号")
    assert p.returncode == 9, p.stderr
    assert "连不上共用的 git 服务器（origin）" in p.stderr
    assert "评查编号要在服务器上确定，现在不能登记；联网后重试，没有写入任何文件" in p.stderr
    assert "--provisional" not in p.stderr
    assert snapshot(a / "data") == before
