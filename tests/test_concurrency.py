"""Every mutation is safe when two lufa run at once (real processes started together):
rewrites of existing records are serialised by a lock file beside the record, a lock left by a
killed process is broken, a finding is cited by one live notice only."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import yaml

from conftest import REPO, snapshot
from lufa_cli.reading import fsio

AS_OF = ("--as-of", "2026-11-28")
INSPECTION = Path("data/records/inspections/2026/2026-04-13-sifaju.yaml")
LOCK = INSPECTION.with_name(".2026-04-13-sifaju.yaml.lock")
NOTICES = Path("data/records/notices/2026")


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "COLUMNS": "200"}
    env.pop("LUFA_DATA", None)
    return env


# lufa with the critical step made slow (a sleep before the record is written or the number
# taken), so that processes started together really overlap there: without the locks these
# tests lose updates and issue duplicate notices every time
SLOW_LUFA = """
import sys, time
import lufa_cli.records.notices as notices, lufa_cli.records.rewrite as rewrite
def slow(f):
    def g(*a, **k):
        time.sleep(0.4)
        return f(*a, **k)
    return g
rewrite.atomic_write = slow(rewrite.atomic_write)
notices.take_number = slow(notices.take_number)
from lufa_cli.cli.app import main
main(sys.argv[1:])
"""


def _together(ws: Path, commands: list[tuple[str, ...]], script: str = SLOW_LUFA) -> list[tuple[int, str]]:
    """Start every command at once (lufa run by `script`); (exit code, stderr) of each, in order."""
    procs = [subprocess.Popen([sys.executable, "-c", script, *c], cwd=ws, env=_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for c in commands]
    out = []
    for p in procs:
        _, err = p.communicate(timeout=180)
        out.append((p.returncode, err.decode("utf-8")))
    return out


def _check_clean(ws: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "lufa_cli", "check"], cwd=ws, env=_env(), capture_output=True, timeout=180)
    err = r.stderr.decode("utf-8") + r.stdout.decode("utf-8")
    assert r.returncode == 0 and "数据无误" in err and "警告" not in err, err


def _inspection(ws: Path, run) -> None:
    r = run("inspect", "record", "司法局", "--date", "2026-04-13", "--item", "3.3", "--deduction", "2",
            "--finding", "执法记录仪未全程开启", *AS_OF, cwd=ws)
    assert r.code == 0, r.text


def _amend(i: int) -> tuple[str, ...]:
    return ("inspect", "amend", "2026-04-13-sifaju", "--item", "3.3", "--deduction", "0.5",
            "--finding", f"并发补充问题{i}", *AS_OF)


def _assert_six_amends_landed(ws: Path, results: list[tuple[int, str]]) -> None:
    for code, err in results:
        assert code == 0, err
    data = yaml.safe_load((ws / INSPECTION).read_text(encoding="utf-8"))
    assert [f["id"] for f in data["findings"]] == list(range(1, 8))
    assert sorted(f["description"] for f in data["findings"][1:]) == sorted(f"并发补充问题{i}" for i in range(6))
    assert len(data["amendments"]) == 6
    assert not (ws / LOCK).exists()
    assert not [p for p in (ws / INSPECTION).parent.iterdir() if p.name.startswith(".")]  # no lock or temp file left
    _check_clean(ws)


def test_six_concurrent_amends_all_land_with_distinct_finding_ids(ws, run) -> None:
    _inspection(ws, run)
    _assert_six_amends_landed(ws, _together(ws, [_amend(i) for i in range(6)]))


def test_void_and_feedback_at_once_both_land_or_one_is_refused(ws, run) -> None:
    for i in range(3):
        r = run("notice", "issue", "司法局", "--finding", f"问题{i}", "--date", "2026-11-02", cwd=ws)
        assert r.code == 0, r.text
    commands = []
    for n in (1, 2, 3):
        commands += [("notice", "void", f"2026-{n}", "--reason", "重复下达", "--date", "2026-11-20"),
                     ("rectify", "feedback", f"2026-{n}", "--date", "2026-11-20", "--doc", "鲁司文〔2026〕12号")]
    results = _together(ws, commands)
    for n in (1, 2, 3):
        (void_code, void_err), (fb_code, fb_err) = results[2 * n - 2], results[2 * n - 1]
        events = [e["event"] for e in yaml.safe_load((ws / NOTICES / f"2026-{n:04d}.yaml").read_text(encoding="utf-8"))["history"]]
        assert void_code == 0, void_err
        if fb_code == 0:  # feedback first, then the void: both events are in the record
            assert events == ["feedback", "void"], (n, events)
        else:  # the void first: the feedback is refused, with the reason
            assert fb_code == 2 and fb_err == f"错误：鲁政行监字〔2026〕{n}号 已作废，不能登记整改情况\n", fb_err
            assert events == ["void"], (n, events)
    _check_clean(ws)


def test_four_concurrent_issues_from_one_inspection_give_exactly_one_notice(ws, run) -> None:
    _inspection(ws, run)
    r = run("inspect", "amend", "2026-04-13-sifaju", "--item", "5", "--deduction", "1", "--finding", "处罚决定书未载明救济途径", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    results = _together(ws, [("notice", "issue", "--inspection", "2026-04-13-sifaju", "--date", "2026-11-02")] * 4)
    winners = [err for code, err in results if code == 0]
    assert len(winners) == 1, results
    assert "已下达 鲁政行监字〔2026〕1号：鲁山县司法局，2 条问题" in winners[0]
    for code, err in results:
        if code != 0:
            assert code == 2, err
            refused = ("错误：检查记录 2026-04-13-sifaju 没有需要下达意见书的问题（均已立行立改、已撤销或已下达）"
                       "；已下达的：鲁政行监字〔2026〕1号\n")
            # a process that read the records before the winner's notice existed got as far as the warning
            assert err in (refused, "警告：settings.yaml 的 contact.name（联系人）未填写，意见书末尾的联系人将为空\n" + refused), err
    assert [p.name for p in sorted((ws / NOTICES).iterdir())] == ["2026-0001.yaml"]
    notice = yaml.safe_load((ws / NOTICES / "2026-0001.yaml").read_text(encoding="utf-8"))
    assert [f["finding"] for f in notice["findings"]] == [1, 2]
    _check_clean(ws)


# --- locks left behind and locks held -------------------------------------------------------------

HOLDER = """
import sys, time
from pathlib import Path
from lufa_cli.reading.fsio import record_lock
lock = record_lock(Path(sys.argv[1]))
lock.__enter__()
print("locked", flush=True)
time.sleep(600)
"""


def _hold_lock(ws: Path, record: Path = INSPECTION) -> subprocess.Popen:
    """A real process that takes the record's lock and keeps it."""
    p = subprocess.Popen([sys.executable, "-c", HOLDER, str(ws / record)], env=_env(), stdout=subprocess.PIPE)
    assert p.stdout.readline() == b"locked\n"
    return p


def test_a_lock_left_by_a_killed_process_is_broken(ws, run) -> None:
    _inspection(ws, run)
    holder = _hold_lock(ws)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    left = json.loads((ws / LOCK).read_text(encoding="utf-8"))
    assert left["pid"] == holder.pid and left["host"] == socket.gethostname()
    # six processes find the dead lock at once: it is broken once, and all six amends land
    start = time.monotonic()
    _assert_six_amends_landed(ws, _together(ws, [_amend(i) for i in range(6)]))
    assert time.monotonic() - start < fsio.LOCK_WAIT_SECONDS


def _busy_message(ws: Path, wait: float) -> str:
    info = json.loads((ws / LOCK).read_text(encoding="utf-8"))
    since = dt.datetime.fromtimestamp(info["time"]).strftime("%Y-%m-%d %H:%M:%S")
    return (f"错误：记录 data/records/inspections/2026/2026-04-13-sifaju.yaml 正被另一个 lufa 进程修改"
            f"（主机 {info['host']} 上的进程 {info['pid']}，自 {since} 起），等待 {wait:g} 秒仍未完成，本次没有做任何修改；"
            "请稍后重试。锁文件 .2026-04-13-sifaju.yaml.lock 超过 120 秒或其进程已结束时会自动失效\n")


def test_a_live_lock_makes_the_second_process_wait_then_refuse(ws, run, monkeypatch) -> None:
    _inspection(ws, run)
    monkeypatch.setattr(fsio, "LOCK_WAIT_SECONDS", 0.5)
    holder = _hold_lock(ws)
    try:
        before = snapshot(ws)
        r = run("inspect", "amend", "2026-04-13-sifaju", "--note", "补充", *AS_OF, cwd=ws)
        assert r.code == 7, r.text
        assert r.err == _busy_message(ws, 0.5), r.err
        assert snapshot(ws) == before
        r = run("rectify", "feedback", "1", "--date", "2026-11-20", cwd=ws)  # other records are not blocked
        assert r.code == 2 and "没有 2026 年第 1 号文书" in r.err, r.err
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert run("inspect", "amend", "2026-04-13-sifaju", "--note", "补充", *AS_OF, cwd=ws).code == 0


def test_a_lock_from_another_computer_is_broken_only_when_older_than_the_timeout(ws, run, monkeypatch) -> None:
    _inspection(ws, run)
    monkeypatch.setattr(fsio, "LOCK_WAIT_SECONDS", 0.3)
    lock = ws / LOCK
    # another computer on the network share: its pid cannot be checked from here
    lock.write_text(json.dumps({"pid": 4242, "host": "另一台电脑", "time": time.time() - 5, "token": "x"}), encoding="utf-8")
    before = snapshot(ws)
    r = run("inspect", "amend", "2026-04-13-sifaju", "--note", "补充", *AS_OF, cwd=ws)
    assert r.code == 7 and r.err == _busy_message(ws, 0.3), r.err
    assert snapshot(ws) == before
    lock.write_text(json.dumps({"pid": 4242, "host": "另一台电脑", "time": time.time() - 121, "token": "x"}), encoding="utf-8")
    r = run("inspect", "amend", "2026-04-13-sifaju", "--note", "补充", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    assert not lock.exists()
    # an empty lock (its writer killed between creating and filling it) is judged by its age
    lock.write_bytes(b"")
    old = time.time() - 121
    os.utime(lock, (old, old))
    assert run("inspect", "amend", "2026-04-13-sifaju", "--note", "再补充", *AS_OF, cwd=ws).code == 0


# --- one live notice per finding, also across git clones ---------------------------------------------


def test_check_reports_a_finding_cited_by_two_live_notices_and_void_fixes_it(ws, run) -> None:
    _inspection(ws, run)
    assert run("notice", "issue", "--inspection", "2026-04-13-sifaju", "--date", "2026-11-02", cwd=ws).code == 0
    # what a git merge of two clones that each issued a notice for this inspection leaves
    first = (ws / NOTICES / "2026-0001.yaml").read_text(encoding="utf-8")
    second = first.replace("number: 1\n", "number: 2\n").replace("〔2026〕1号", "〔2026〕2号")
    (ws / NOTICES / "2026-0002.yaml").write_text(second, encoding="utf-8")
    line = second.splitlines().index("  finding: 1") + 1
    first_line = first.splitlines().index("  finding: 1") + 1
    r = run("check", cwd=ws)
    assert r.code == 1, r.text
    assert (f"data/records/notices/2026/2026-0002.yaml:{line}:12: 错误：检查记录 2026-04-13-sifaju 的第 1 条问题同时由两份有效的文书下达："
            f"鲁政行监字〔2026〕1号（data/records/notices/2026/2026-0001.yaml:{first_line}:12）和 "
            f"鲁政行监字〔2026〕2号（data/records/notices/2026/2026-0002.yaml:{line}:12）；一条问题只能有一份有效的意见书"
            "（常见于两台电脑分别下达后合并 git），请作废其中一份：lufa notice void 文号 --reason 重复下达") in r.err, r.err
    # other commands refuse; void is how it is fixed, so it still runs
    before = snapshot(ws)
    r = run("rectify", "feedback", "1", "--date", "2026-11-20", cwd=ws)
    assert r.code == 1, r.text
    assert snapshot(ws) == before
    r = run("notice", "void", "2", "--reason", "重复下达", "--date", "2026-11-03", cwd=ws)
    assert r.code == 0, r.text
    r = run("check", cwd=ws)
    assert r.code == 0 and "数据无误" in r.text, r.text


def test_two_reminders_at_once_give_one_letter(ws, run) -> None:
    assert run("notice", "issue", "司法局", "--finding", "执法记录仪未全程开启", "--date", "2026-06-01", cwd=ws).code == 0
    results = _together(ws, [("rectify", "remind", "2026-1", "--date", "2026-07-03")] * 3)
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2, 2], results
    refused = [err for code, err in results if code == 2]
    assert all(err == "错误：鲁政行监字〔2026〕1号 已于 2026-07-03 催办，不能再催办（按 催办 → 约谈 → 通报 → 移交线索 的顺序只能向后走，每步一次）\n"
               for err in refused), refused
    letters = sorted(p.name for p in (ws / "data/records/letters/cuiban/2026").glob("*.yaml"))
    assert letters == ["2026-0001.yaml"]
    history = yaml.safe_load((ws / NOTICES / "2026-0001.yaml").read_text(encoding="utf-8"))["history"]
    assert history == [{"event": "remind", "date": dt.date(2026, 7, 3), "doc": "鲁政行监催字〔2026〕1号"}]


def test_a_forced_replace_waits_for_the_lock_like_every_rewrite(ws, run, monkeypatch) -> None:
    """selfcheck record --force and plan spotcheck --save --force replace a record: under its lock."""
    monkeypatch.setattr(fsio, "LOCK_WAIT_SECONDS", 0.3)
    selfcheck = Path("data/records/selfchecks/2026/sifaju.yaml")
    spotcheck = Path("data/records/spotchecks/2026.yaml")
    assert run("selfcheck", "record", "司法局", "--date", "2026-03-20", *AS_OF, cwd=ws).code == 0
    assert run("plan", "spotcheck", "--year", "2026", "--count", "3", "--seed", "7", "--save", *AS_OF, cwd=ws).code == 0
    for record, command in ((selfcheck, ("selfcheck", "record", "司法局", "--date", "2026-03-25", "--force", *AS_OF)),
                            (spotcheck, ("plan", "spotcheck", "--year", "2026", "--count", "4", "--seed", "8", "--save", "--force", *AS_OF))):
        holder = _hold_lock(ws, record)
        try:
            before = snapshot(ws)
            r = run(*command, cwd=ws)
            assert r.code == 7, r.text
            assert f"错误：记录 {record.as_posix()} 正被另一个 lufa 进程修改" in r.err, r.err
            assert snapshot(ws) == before
        finally:
            holder.kill()
            holder.wait(timeout=30)
        r = run(*command, cwd=ws)
        assert r.code == 0, r.text


class _FakeKernel32:
    """What Windows answers about a pid (ctypes.windll.kernel32), for the stale-lock check."""

    def __init__(self, handle: int, exit_code: int) -> None:
        self.handle, self.exit_code, self.closed = handle, exit_code, []

    def OpenProcess(self, access, inherit, pid):  # the Win32 names
        assert access == 0x1000 and inherit is False
        return self.handle

    def GetExitCodeProcess(self, handle, ref):
        ref._obj.value = self.exit_code
        return 1

    def CloseHandle(self, handle):
        self.closed.append(handle)


def test_the_windows_pid_check_reads_open_process_and_exit_code(monkeypatch) -> None:
    """On Windows os.kill(pid, 0) would kill: the check asks OpenProcess/GetExitCodeProcess instead."""
    import ctypes as real
    import types

    def windows(kernel: _FakeKernel32, last_error: int) -> None:
        fake = types.SimpleNamespace(windll=types.SimpleNamespace(kernel32=kernel), GetLastError=lambda: last_error,
                                     c_ulong=real.c_ulong, byref=real.byref)
        monkeypatch.setitem(sys.modules, "ctypes", fake)
        monkeypatch.setattr(fsio.sys, "platform", "win32")

    def kill(*a):  # must never be called on Windows
        raise AssertionError("os.kill on Windows")

    monkeypatch.setattr(fsio.os, "kill", kill)
    for handle, code, error, alive in ((0, 0, 87, False),   # no such process (ERROR_INVALID_PARAMETER)
                                       (0, 0, 5, True),     # access denied: it exists (another user's)
                                       (42, 259, 0, True),  # STILL_ACTIVE
                                       (42, 1, 0, False)):  # exited, handle still open somewhere
        kernel = _FakeKernel32(handle, code)
        windows(kernel, error)
        assert fsio._pid_alive(4242) is alive, (handle, code, error)
        assert kernel.closed == ([handle] if handle else [])
    assert fsio._pid_alive(0) is False
