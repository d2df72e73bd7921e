"""The records cache: same output with and without it, never trusted when it is not sound."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import pickle
import re
import shutil
import stat
import sys
import time
from pathlib import Path

import pytest

from conftest import snapshot
from lufa_cli.workspace import cache as rcache
from lufa_cli.workspace import validation

AS_OF = ("--as-of", "2026-11-28")
HOUR_AGO = time.time() - 3600


def _age(folder: Path, when: float = HOUR_AGO) -> None:
    """Files written by a test are 'racy' (too new to cache): make them an hour old."""
    for p in folder.rglob("*"):
        if p.is_file():
            os.utime(p, (when, when))


def _records(run, ws: Path) -> None:
    for unit, date in (("司法局", "2026-04-13"), ("张良镇", "2026-05-11"), ("公安局", "2026-06-08")):
        r = run("inspect", "record", unit, "--date", date, "--office", "jiandu", "--item", "3.3", "--deduction", "2",
                "--finding", "执法记录仪未全程开启", *AS_OF, cwd=ws)
        assert r.code == 0, r.text
    r = run("notice", "issue", "--inspection", "2026-04-13-sifaju", "--date", "2026-09-03", cwd=ws)
    assert r.code == 0, r.text
    r = run("notice", "issue", "张良镇", "--finding", "案卷未按立卷规范装订", "--date", "2026-10-09", cwd=ws)
    assert r.code == 0, r.text
    r = run("rectify", "feedback", "2", "--date", "2026-10-20", cwd=ws)
    assert r.code == 0, r.text


def _corrupt(data: Path) -> list[Path]:
    """Some bad records next to the good ones; returns the files that must be read on every run."""
    notices = data / "records" / "notices" / "2026"
    good = (notices / "2026-0001.yaml").read_text(encoding="utf-8")
    bad_yaml = data / "records" / "inspections" / "2026" / "2026-07-06-sifaju.yaml"
    bad_yaml.write_text("id: 2026-07-06-sifaju\nunit: sifaju\n\tdate: 2026-07-06\n", encoding="utf-8")
    typo = notices / "2026-0003.yaml"
    typo.write_text(good.replace("number: 1\n", "number: 3\n").replace("rectify_days:", "rectfy_days:"), encoding="utf-8")
    # valid files whose problems only the cross-file checks find (they need the file's positions)
    (notices / "2026-0004.yaml").write_text(good.replace("number: 1\n", "number: 4\n").replace("unit: sifaju", "unit: nosuch"), encoding="utf-8")
    (notices / "2026-0006.yaml").write_text(good.replace("number: 1\n", "number: 6\n").replace("deadline: 2026-10-08", "deadline: 2026-10-09"), encoding="utf-8")
    (notices / "2026-0007.yaml").write_text(good, encoding="utf-8")  # number 1 again, in the wrong file
    return [bad_yaml, typo]


class _Reads(list):
    """The names of the record files parsed while it is active (`data`: the data files')."""

    def __enter__(self) -> _Reads:
        self.real = validation.read_yaml
        self.data: list[str] = []

        def spy(path, **kw):
            (self if "records" in Path(path).parts else self.data).append(Path(path).name)
            return self.real(path, **kw)

        validation.read_yaml = spy
        return self

    def __exit__(self, *exc: object) -> None:
        validation.read_yaml = self.real


def _cache_files(home: Path) -> list[Path]:
    return sorted((home / "lufa").glob("records-*.cache")) if (home / "lufa").is_dir() else []


COMMANDS = [
    ("check",),
    ("check", "--format", "json"),
    ("rectify", "overdue", *AS_OF),
    ("score", "report", "--year", "2026", *AS_OF, "--format", "json"),
    ("notice", "list", "--format", "json"),
]


@pytest.mark.parametrize("corrupted", [False, True], ids=["clean", "corrupted"])
def test_output_is_identical_with_and_without_cache(ws, run, monkeypatch, _private_cache_home, corrupted) -> None:
    data = ws / "data"
    _records(run, ws)
    always_read = _corrupt(data) if corrupted else []
    _age(data)
    problems = json.loads(run("--no-cache", "check", "--format", "json", cwd=ws).out)["problems"]
    # files a message points into (at a line): their positions must be read, cached or not
    reported = {Path(p["path"]).name for p in problems if p["line"] and "records" in p["path"]}
    reported |= {Path(m).name for p in problems for m in re.findall(r"(\S+\.yaml):\d+:\d+", p["message"])}
    if corrupted:
        assert reported >= {"2026-0004.yaml", "2026-0006.yaml", "2026-0007.yaml"}
    for args in COMMANDS:
        for f in _cache_files(_private_cache_home):
            f.unlink()
        plain = run("--no-cache", *args, cwd=ws)
        assert _cache_files(_private_cache_home) == []
        cold = run(*args, cwd=ws)
        assert len(_cache_files(_private_cache_home)) == 1
        with _Reads() as reads:
            warm = run(*args, cwd=ws)
        for other in (cold, warm):
            assert (other.code, other.out, other.err) == (plain.code, plain.out, plain.err), args
        # the warm run parsed only the files that cannot be cached, and those it had to report on
        assert set(reads) == {p.name for p in always_read} | reported, args
    if corrupted:
        r = run("check", cwd=ws)
        assert r.code == 1
        assert "2026-07-06-sifaju.yaml:3:1: 错误：缩进里有制表符(Tab)" in r.err
        assert "2026-0003.yaml" in r.err and "未知的键“rectfy_days”，是否想写“rectify_days”？" in r.err
        assert "2026-0004.yaml:" in r.err and "单位编号“nosuch”不在名册中" in r.err
        assert "2026-0006.yaml:" in r.err and "警告：整改期限 2026-10-09" in r.err
        assert "文号重复：鲁政行监字〔2026〕1号" in r.err


def test_no_cache_option_and_variable_write_nothing(ws, run, monkeypatch, _private_cache_home) -> None:
    _records(run, ws)
    _age(ws / "data")
    shutil.rmtree(_private_cache_home / "lufa", ignore_errors=True)
    assert run("--no-cache", "check", cwd=ws).code == 0
    monkeypatch.setenv("LUFA_NO_CACHE", "1")
    assert run("check", cwd=ws).code == 0
    assert not (_private_cache_home / "lufa").exists()
    monkeypatch.setenv("LUFA_NO_CACHE", "0")  # "0" means the cache is on
    assert run("check", cwd=ws).code == 0
    assert len(_cache_files(_private_cache_home)) == 1


def _edit_same_size(path: Path, old: str, new: str) -> None:
    assert len(old.encode()) == len(new.encode())
    text = path.read_text(encoding="utf-8")
    assert old in text
    st = path.stat()
    path.write_text(text.replace(old, new), encoding="utf-8")
    assert path.stat().st_size == st.st_size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000))  # one microsecond later


def test_an_edit_of_the_same_size_is_seen(ws, run, _private_cache_home) -> None:
    _records(run, ws)
    _age(ws / "data")
    before = run("rectify", "overdue", *AS_OF, "--format", "json", cwd=ws)
    assert run("rectify", "overdue", *AS_OF, "--format", "json", cwd=ws).out == before.out  # warm
    notice = ws / "data" / "records" / "notices" / "2026" / "2026-0001.yaml"
    _edit_same_size(notice, "deadline: 2026-10-08", "deadline: 2026-10-07")
    r = run("check", cwd=ws)
    assert "2026-0001.yaml:" in r.err and "警告：整改期限 2026-10-07" in r.err
    assert r.err == run("--no-cache", "check", cwd=ws).err


@pytest.mark.skipif(os.name == "nt", reason="ctime is the creation time on Windows")
def test_an_edit_that_restores_the_mtime_is_seen(ws, run) -> None:
    _records(run, ws)
    _age(ws / "data")
    assert run("check", cwd=ws).code == 0  # fills the cache
    notice = ws / "data" / "records" / "notices" / "2026" / "2026-0001.yaml"
    st = notice.stat()
    notice.write_text(notice.read_text(encoding="utf-8").replace("deadline: 2026-10-08", "deadline: 2026-10-07"), encoding="utf-8")
    os.utime(notice, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime: the ctime changed
    r = run("check", cwd=ws)
    assert "警告：整改期限 2026-10-07" in r.err


def test_a_file_changed_just_now_is_not_cached(ws, run, _private_cache_home) -> None:
    _records(run, ws)
    _age(ws / "data")
    notice = ws / "data" / "records" / "notices" / "2026" / "2026-0002.yaml"
    os.utime(notice)  # now: on a coarse clock a second edit could keep this mtime
    assert run("check", cwd=ws).code == 0
    body = _cache_files(_private_cache_home)[0].read_bytes()
    assert b"2026-0001.yaml" in body and b"2026-0002.yaml" not in body


def _sign(home: Path, body: bytes) -> bytes:
    key = (home / "lufa" / "key").read_bytes()
    return rcache.MAGIC + hmac.new(key, body, hashlib.sha256).hexdigest().encode() + b"\n" + body


def _body(file: Path) -> bytes:
    return file.read_bytes()[len(rcache.MAGIC) + 65:]


BREAKAGES = {
    "truncated": lambda home, raw: raw[: len(raw) // 2],
    "empty": lambda home, raw: b"",
    "one byte flipped": lambda home, raw: raw[:-40] + bytes([raw[-40] ^ 1]) + raw[-39:],
    "not ours": lambda home, raw: b"\x80\x04\x95garbage pickle" * 10,
    "other lufa version": lambda home, raw: _sign(home, _body_of(raw).replace(b"|lufa ", b"|lufa 9", 1)),
    "other data folder": lambda home, raw: _sign(home, _body_of(raw).replace(b'"root":"', b'"root":"/elsewhere', 1)),
    "signed, not a pickle": lambda home, raw: _sign(home, _header_of(raw) + b"garbage"),
    "signed, not a dict": lambda home, raw: _sign(home, _header_of(raw) + pickle.dumps(["x"])),
    "signed, entries not models": lambda home, raw: _sign(home, _header_of(raw) + pickle.dumps(
        {rel: (key, "oops") for rel, (key, _) in pickle.loads(_body_of(raw)[len(_header_of(raw)):]).items()})),
    "signed, a class that is gone": lambda home, raw: _sign(home, _header_of(raw) + _gone()),
}


def _body_of(raw: bytes) -> bytes:
    return raw[len(rcache.MAGIC) + 65:]


def _header_of(raw: bytes) -> bytes:
    """The JSON line (fingerprint, data folder) the pickle follows."""
    body = _body_of(raw)
    return body[: body.index(b"\n") + 1]


class _Gone:
    """Pickled, then its module renamed in the bytes: a class the unpickling process cannot find."""


def _gone() -> bytes:
    raw = pickle.dumps({"x": _Gone()})
    assert _Gone.__module__.encode() in raw
    return raw.replace(_Gone.__module__.encode(), b"x" * len(_Gone.__module__))


@pytest.mark.parametrize("how", list(BREAKAGES))
def test_a_broken_cache_is_ignored_and_rebuilt(ws, run, monkeypatch, _private_cache_home, how) -> None:
    _records(run, ws)
    _age(ws / "data")
    plain = run("--no-cache", "rectify", "overdue", *AS_OF, "--format", "json", cwd=ws)
    assert run("check", cwd=ws).code == 0
    [file] = _cache_files(_private_cache_home)
    good = file.read_bytes()
    file.write_bytes(BREAKAGES[how](_private_cache_home, good))
    with _Reads() as reads:
        r = run("rectify", "overdue", *AS_OF, "--format", "json", cwd=ws)
    assert (r.code, r.out, r.err) == (plain.code, plain.out, plain.err)
    assert len(reads) == 5  # every record file read again
    assert file.read_bytes() == good  # and the cache written anew


@pytest.mark.skipif(os.name == "nt", reason="FIFOs and /dev/zero are POSIX")
@pytest.mark.parametrize("what", ["cache", "key"])
@pytest.mark.parametrize("how", ["fifo", "/dev/zero"])
def test_a_cache_or_key_that_is_no_regular_file_neither_hangs_nor_fills_memory(ws, run, _private_cache_home, what, how) -> None:
    """A FIFO or a link to /dev/zero in place of the cache or its key is ignored like a corrupt one
    (a real process, time- and memory-bounded: reading either without read_file's guards hangs or
    fills memory)."""
    import resource
    import subprocess

    _records(run, ws)
    _age(ws / "data")
    plain = run("--no-cache", "check", cwd=ws)
    assert run("check", cwd=ws).code == 0
    [file] = _cache_files(_private_cache_home)
    target = file if what == "cache" else _private_cache_home / "lufa" / "key"
    target.unlink()
    if how == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")

    def bounded() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "COLUMNS": "120"}
    r = subprocess.run([sys.executable, "-m", "lufa_cli", "check"], cwd=ws, env=env, capture_output=True, text=True,
                       timeout=60, preexec_fn=bounded)
    assert (r.returncode, r.stdout, r.stderr) == (plain.code, plain.out, plain.err)
    if what == "cache":
        assert stat.S_ISREG(os.lstat(file).st_mode)  # written anew in its place


def test_a_key_that_changed_invalidates_the_cache(ws, run, monkeypatch, _private_cache_home) -> None:
    _records(run, ws)
    _age(ws / "data")
    assert run("check", cwd=ws).code == 0
    (_private_cache_home / "lufa" / "key").write_bytes(os.urandom(32))
    with _Reads() as reads:
        assert run("check", cwd=ws).code == 0
    assert len(reads) == 5


class _Payload:
    """A pickle that would create a file when unpickled."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (Path.touch, (self.target,))


@pytest.mark.parametrize("key", ["other key", "no key"])
def test_a_pickle_not_signed_with_this_users_key_is_never_unpickled(ws, run, tmp_path, _private_cache_home, key) -> None:
    """The cache is a pickle: only a file carrying the HMAC of this user's key is unpickled."""
    _records(run, ws)
    _age(ws / "data")
    plain = run("--no-cache", "check", "--format", "json", cwd=ws)
    assert run("check", cwd=ws).code == 0
    [file] = _cache_files(_private_cache_home)
    raw = file.read_bytes()
    target = tmp_path / "ran"
    body = _header_of(raw) + pickle.dumps(_Payload(target))
    signer = os.urandom(32)
    file.write_bytes(rcache.MAGIC + hmac.new(signer, body, hashlib.sha256).hexdigest().encode() + b"\n" + body)
    if key == "no key":
        (_private_cache_home / "lufa" / "key").unlink()
    r = run("check", "--format", "json", cwd=ws)
    assert (r.code, r.out, r.err) == (plain.code, plain.out, plain.err)
    assert not target.exists()


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_a_folder_others_may_write_to_is_made_private(ws, run, _private_cache_home) -> None:
    folder = _private_cache_home / "lufa"
    folder.mkdir()
    folder.chmod(0o777)
    _records(run, ws)
    assert (folder.stat().st_mode & 0o777) == 0o700


def test_cache_folder_follows_the_platform() -> None:
    if os.name == "nt":
        assert rcache.cache_folder({"LOCALAPPDATA": r"C:\Users\a\AppData\Local"}) == Path(r"C:\Users\a\AppData\Local\lufa\Cache")
    elif sys.platform != "darwin":
        assert rcache.cache_folder({"XDG_CACHE_HOME": "/x/cache", "HOME": "/h"}) == Path("/x/cache/lufa")
        assert rcache.cache_folder({"XDG_CACHE_HOME": "relative", "HOME": "/h"}) == Path("/h/.cache/lufa")
        assert rcache.cache_folder({"HOME": "/h"}) == Path("/h/.cache/lufa")
        assert rcache.cache_folder({}) is None


def test_a_cached_file_that_changed_unseen_is_read_afresh(ws, run, monkeypatch, _private_cache_home) -> None:
    """A file system that keeps size and times across an edit: the message a cached record needs
    reads the file again, finds it differs, and the whole load is redone without the cache."""
    _records(run, ws)
    notice = ws / "data" / "records" / "notices" / "2026" / "2026-0001.yaml"
    notice.write_text(notice.read_text(encoding="utf-8").replace("deadline: 2026-10-08", "deadline: 2026-10-09"), encoding="utf-8")
    _age(ws / "data")
    monkeypatch.setattr(rcache, "_file_key", lambda st: (st.st_size, 0, 0, 0))  # blind to times and inode
    assert "警告：整改期限 2026-10-09" in run("check", cwd=ws).err  # cached with its warning
    notice.write_text(notice.read_text(encoding="utf-8").replace("deadline: 2026-10-09", "deadline: 2026-10-08"), encoding="utf-8")
    redone: list[bool] = []

    class Spy(rcache.RecordCache):
        def __init__(self, *args, ignore_old: bool = False) -> None:
            if args[1] is not None and args[1].name.startswith("records-"):  # not the registers' cache
                redone.append(ignore_old)
            super().__init__(*args, ignore_old=ignore_old)

    monkeypatch.setattr(rcache, "RecordCache", Spy)
    r = run("check", cwd=ws)
    assert redone == [False, True]
    assert r.code == 0 and "整改期限" not in r.err, r.err
    plain = run("--no-cache", "check", cwd=ws)
    assert (r.out, r.err) == (plain.out, plain.err)


def test_writing_commands_leave_the_data_as_without_cache(ws, run, _private_cache_home) -> None:
    """inspect amend reads through the cache and rewrites the file: the next run sees the new file."""
    _records(run, ws)
    _age(ws / "data")
    assert run("check", cwd=ws).code == 0
    r = run("inspect", "amend", "2026-05-11-zhangliang-zhen", "--item", "5", "--deduction", "1", "--finding", "新问题", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    before = snapshot(ws / "data")
    r = run("inspect", "show", "2026-05-11-zhangliang-zhen", "--format", "json", cwd=ws)
    assert r.code == 0 and "新问题" in r.out
    assert r.out == run("--no-cache", "inspect", "show", "2026-05-11-zhangliang-zhen", "--format", "json", cwd=ws).out
    assert snapshot(ws / "data") == before
    assert json.loads(r.out)


REGISTER_COMMANDS = [
    ("check",),
    ("check", "--format", "json"),
    ("register", "penalty", "list", *AS_OF, "--format", "json"),
    ("register", "staff", "list", *AS_OF, "--format", "csv"),
    ("register", "overdue", *AS_OF),
    ("inspect", "prefill", "司法局", "--date", "2026-11-28", "--format", "csv"),
    ("status", *AS_OF, "--format", "json"),
]


@pytest.mark.parametrize("corrupted", [False, True], ids=["clean", "corrupted"])
def test_registers_output_is_identical_with_and_without_cache(ws, run, _private_cache_home, corrupted) -> None:
    """The registers go through a cache file of their own: same output, and a warm run parses
    only the files that cannot be cached or that a message points into."""
    from test_registers import _year

    _year(ws, run)
    folder = ws / "data" / "records" / "registers"
    always_read: set[str] = set()
    reported: set[str] = set()
    if corrupted:
        good = (folder / "penalty/2026/sifaju-2026-001.yaml").read_text(encoding="utf-8")
        (folder / "penalty/2026/sifaju-2026-007.yaml").write_text(good.replace("unit: sifaju", "unt: sifaju"), encoding="utf-8")
        (folder / "penalty/2026/sifaju-2026-008.yaml").write_text(good, encoding="utf-8")  # valid alone; its case number is taken
        always_read, reported = {"sifaju-2026-007.yaml"}, {"sifaju-2026-008.yaml"}
    _age(ws / "data")
    for args in REGISTER_COMMANDS:
        for f in (_private_cache_home / "lufa").glob("*.cache") if (_private_cache_home / "lufa").is_dir() else []:
            f.unlink()
        plain = run("--no-cache", *args, cwd=ws)
        cold = run(*args, cwd=ws)
        assert sorted(p.name[:10] for p in (_private_cache_home / "lufa").glob("registers-*.cache")) == ["registers-"]
        with _Reads() as reads:
            warm = run(*args, cwd=ws)
        for other in (cold, warm):
            assert (other.code, other.out, other.err) == (plain.code, plain.out, plain.err), args
        registers_read = {n for n in reads if n.startswith("sifaju-")}
        assert registers_read == always_read | reported, args
    if corrupted:
        r = run("check", cwd=ws)
        assert "sifaju-2026-007.yaml:2:1: 错误：未知的键“unt”，是否想写“unit”？" in r.err and "案号“鲁司罚〔2026〕1号”重复登记" in r.err


def test_a_register_entry_edited_after_caching_is_seen(ws, run, _private_cache_home) -> None:
    from test_registers import _year

    _year(ws, run)
    _age(ws / "data")
    path = ws / "data/records/registers/penalty/2026/sifaju-2026-004.yaml"
    assert '"received": null' in run("register", "penalty", "show", "sifaju-2026-004", *AS_OF, "--format", "json", cwd=ws).out  # cached now
    r = run("register", "penalty", "amend", "sifaju-2026-004", "--received", "2026-05-20", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    before = snapshot(ws / "data")
    warm = run("register", "penalty", "show", "sifaju-2026-004", *AS_OF, "--format", "json", cwd=ws)
    assert '"received": "2026-05-20"' in warm.out
    assert warm.out == run("--no-cache", "register", "penalty", "show", "sifaju-2026-004", *AS_OF, "--format", "json", cwd=ws).out
    assert snapshot(ws / "data") == before and path.is_file()


DATA_COMMANDS = [("check",), ("plan", "week", "--date", "2026-04-13"), ("status", *AS_OF, "--format", "json")]


@pytest.mark.parametrize("warned", [False, True], ids=["clean", "warning"])
def test_data_files_are_cached_with_the_same_output(ws, run, _private_cache_home, warned) -> None:
    """units.yaml, schedule.yaml, … go through a cache file of their own: a warm run parses none of them,
    unless a message points into one (the settings' warning about the empty contact name)."""
    settings = ws / "data" / "settings.yaml"
    if warned:
        settings.write_text(settings.read_text(encoding="utf-8").replace("  name: 张三", '  name: ""', 1), encoding="utf-8")
    _age(ws / "data")
    for args in DATA_COMMANDS:
        plain = run("--no-cache", *args, cwd=ws)
        assert not (_private_cache_home / "lufa").exists() or not list((_private_cache_home / "lufa").glob("data-*"))
        cold = run(*args, cwd=ws)
        assert [p.name[:5] for p in (_private_cache_home / "lufa").glob("data-*.cache")] == ["data-"]
        with _Reads() as reads:
            warm = run(*args, cwd=ws)
        for other in (cold, warm):
            assert (other.code, other.out, other.err) == (plain.code, plain.out, plain.err), args
        assert reads.data == (["settings.yaml"] if warned else []), args
        if warned:
            assert "settings.yaml:22:9: 警告：contact.name（联系人）未填写" in warm.err
        for f in (_private_cache_home / "lufa").glob("*.cache"):
            f.unlink()


def test_a_data_file_edited_after_caching_is_seen(ws, run, _private_cache_home) -> None:
    _age(ws / "data")
    assert run("check", cwd=ws).code == 0  # fills the cache
    schedule = ws / "data" / "schedule.yaml"
    schedule.write_text(schedule.read_text(encoding="utf-8").replace("sifaju", "sifaj", 1), encoding="utf-8")
    r = run("check", cwd=ws)
    plain = run("--no-cache", "check", cwd=ws)
    assert r.code == 1 and "单位编号“sifaj”不在名册 units.yaml 中" in r.err
    assert (r.code, r.out, r.err) == (plain.code, plain.out, plain.err)


def test_a_data_file_changed_during_the_run_stops_it(ws, tmp_path, _private_cache_home) -> None:
    """A message about a cached file needs its lines; when the file changed meanwhile, the command
    stops with a message (exit 6) instead of pointing at lines that are no longer there."""
    from lufa_cli.errors import ExitCode
    from lufa_cli.workspace.cache import StaleCache, cache_file, data_cache_file
    from lufa_cli.workspace.loader import load_workspace

    data = ws / "data"
    _age(data)
    file = data_cache_file(cache_file(data, os.environ))
    load_workspace(data, cache=file)
    ws_, _ = load_workspace(data, cache=file)
    assert ws_ is not None and getattr(ws_.sources["schedule"], "deferred", False)  # from the cache
    schedule = data / "schedule.yaml"
    schedule.write_text(schedule.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(StaleCache) as caught:
        ws_.sources["schedule"].pos(("slots", 0))
    assert caught.value.exit_code == ExitCode.EXTERNAL
    assert str(caught.value).startswith("文件 ") and "在本次运行期间被修改（另一个程序正在写入？）：未做任何修改，请重新运行" in str(caught.value)


def test_equal_submodels_are_shared_only_when_equal_in_type_too() -> None:
    """The cache pickles equal frozen models once; 2 and 2.0 (and 1 and True) are equal in Python
    but print differently, so they are never merged."""
    import io

    from lufa_cli.model.data import Strict

    class Atom(Strict):
        x: float | bool | int
        name: str = ""

    global _Atom
    _Atom = Atom  # pickled by reference: findable as test_records_cache._Atom
    Atom.__qualname__ = "_Atom"
    # a class is shared until one of its models holds something else than texts, ints, dates
    items = [Atom(x=2), Atom(x=1), Atom(x=True), Atom(x=2), Atom(x=2, name="甲"), Atom(x=2.0), Atom(x=0.0), Atom(x=-0.0), Atom(x=2)]
    buf = io.BytesIO()
    rcache._Pickler(buf).dump(items)
    back = pickle.loads(buf.getvalue())
    assert [(type(a.x), repr(a.x), a.name) for a in back] == [(type(a.x), repr(a.x), a.name) for a in items]
    assert back[0] is back[3] and back[1] is not back[2]  # equal ones shared; 1 and True not
    assert back[5] is not back[0] and back[6] is not back[7]  # floats never: 2 == 2.0 and 0.0 == -0.0
    assert back[0].model_fields_set == {"x"} and back[4].model_fields_set == {"x", "name"}


def test_times_past_2262_are_cached(ws, run, _private_cache_home) -> None:
    """A modification time past 2262 (more nanoseconds than a signed 64-bit number holds) is
    a key like any other."""
    _records(run, ws)
    _age(ws / "data")
    far = 10_500_000_000  # 2302
    os.utime(ws / "data" / "checklist.yaml", (far, far))
    os.utime(ws / "data" / "records" / "notices" / "2026" / "2026-0001.yaml", (far, far))
    plain = run("--no-cache", "check", cwd=ws)
    assert plain.code == 0, plain.text
    for _ in range(2):  # cold, then warm
        r = run("check", cwd=ws)
        assert (r.code, r.out, r.err) == (plain.code, plain.out, plain.err)


@pytest.mark.skipif(os.name == "nt" or sys.platform == "darwin", reason="a folder name that is not UTF-8 (Linux)")
def test_a_data_folder_whose_name_is_not_utf8(ws, run, tmp_path, _private_cache_home) -> None:
    odd = Path(os.fsdecode(os.fsencode(str(tmp_path)) + b"/ws-\xff"))
    shutil.copytree(ws, odd)
    _age(odd / "data")
    plain = run("--no-cache", "check", cwd=odd)
    for _ in range(2):
        r = run("check", cwd=odd)
        assert (r.code, r.out, r.err) == (plain.code, plain.out, plain.err)
    assert list((_private_cache_home / "lufa").glob("data-*.cache"))


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_a_data_folder_moved_out_and_linked_back_is_refused_warm_too(ws, run, tmp_path, _private_cache_home) -> None:
    """Moving data/ out of the workspace and linking it back keeps every file's size, times and
    inode: the cache must still apply read_file's inside-the-workspace rule to their folders."""
    _records(run, ws)
    _age(ws / "data")
    assert run("check", cwd=ws).code == 0  # fills the caches
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    os.replace(ws / "data", outside / "data")
    (ws / "data").symlink_to(outside / "data")
    from lufa_cli.reading import fsio

    fsio._CONTAINED.clear()  # remembered per process; the runs here share one (a real lufa starts afresh)
    plain = run("--no-cache", "check", cwd=ws)
    assert plain.code == 1 and "经符号链接指向工作区之外" in plain.err, plain.text
    r = run("check", cwd=ws)
    assert (r.code, r.out, r.err) == (plain.code, plain.out, plain.err)


def test_an_old_json_cache_is_removed_when_the_new_one_is_written(ws, run, _private_cache_home) -> None:
    _age(ws / "data")
    assert run("check", cwd=ws).code == 0
    [new] = (_private_cache_home / "lufa").glob("data-*.cache")
    old = new.with_suffix(".json")
    old.write_text('{"format": "the cache of lufa 0.1.0"}', encoding="utf-8")
    new.unlink()
    assert run("check", cwd=ws).code == 0
    assert new.is_file() and not old.exists()
