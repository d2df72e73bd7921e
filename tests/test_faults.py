"""Faults: processes killed at random points, read-only folders, a full disk.

(a) `notice issue` and `inspect record` subprocesses are killed with SIGKILL at
random moments; afterwards every record parses, `lufa check` passes with no
warning, notice numbers on disk are exactly 1..N and the next notice gets N+1.
(b) a read-only output folder or a locked record file: Chinese message, exit 6,
nothing changed. (c) a full disk: 磁盘空间不足, exit 6, no new or partial file.
"""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import types
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import REPO, snapshot
from lufa_cli.reading import fsio
from lufa_cli.reading.yamlsrc import read_yaml

AS_OF = ("--as-of", "2026-11-28")
ISSUE_DATE = ("--date", "2026-11-02")


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "COLUMNS": "120"}
    env.pop("LUFA_DATA", None)
    return env


def _lufa(ws: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "lufa_cli", *args], cwd=ws, env=_env(),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def _issue(i: int) -> tuple[str, ...]:
    return ("notice", "issue", "司法局", "--finding", f"第{i}次下达：执法记录仪未全程开启", *ISSUE_DATE)


def _record(i: int) -> tuple[str, ...]:
    # the same unit and day each time: --again (a second visit that day is otherwise refused)
    return ("inspect", "record", "司法局", "--date", "2026-04-13", "--again", "--item", "3.3", "--deduction", "2",
            "--finding", f"第{i}次检查：执法记录仪未全程开启", *AS_OF)


# --- (a) SIGKILL at random points -----------------------------------------------------------


def test_sigkill_at_random_points_loses_no_number_and_leaves_no_half_file(ws) -> None:
    rng = random.Random(20261128)
    # one complete run of each, to learn how long a run takes on this machine
    start = time.monotonic()
    for args in (_issue(0), _record(0)):
        p = _lufa(ws, *args)
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    full = (time.monotonic() - start) / 2
    window = max(0.6, full * 1.2)
    killed = 0
    for i in range(1, 21):
        procs = [_lufa(ws, *_issue(i)), _lufa(ws, *_record(i))]
        time.sleep(rng.uniform(0, window))
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
                killed += 1
        for p in procs:
            p.communicate(timeout=120)
            assert p.returncode in (0, -signal.SIGKILL), p.returncode
    assert killed > 0, "no process was killed: the kill window is too late"

    records = ws / "data" / "records"
    # every record file present is complete: it parses, strictly and with PyYAML
    files = sorted(p for p in records.rglob("*.yaml") if not p.name.startswith("."))
    for f in files:
        assert yaml.safe_load(f.read_text(encoding="utf-8")) is not None, f
        src = read_yaml(f)
        assert src.ok, [d.format() for d in src.diagnostics]
    # every document present is a complete .docx (zip) file
    for doc in (ws / "output").rglob("*.docx"):
        if not doc.name.startswith("."):
            with zipfile.ZipFile(doc) as z:
                assert z.testzip() is None, doc
    # notice numbers: exactly 1..N, file names matching
    notices = sorted(p for p in (records / "notices" / "2026").glob("*.yaml") if not p.name.startswith("."))
    numbers = sorted(yaml.safe_load(p.read_text(encoding="utf-8"))["number"] for p in notices)
    n = len(numbers)
    assert numbers == list(range(1, n + 1)), numbers
    assert [p.name for p in notices] == [f"2026-{k:04d}.yaml" for k in range(1, n + 1)]
    # leftover temp files (if any) are ignored by check; check passes with no warning
    check = subprocess.run([sys.executable, "-m", "lufa_cli", "check"], cwd=ws, env=_env(), capture_output=True, timeout=120)
    err = check.stderr.decode()
    assert check.returncode == 0, err
    assert "文号不连续" not in err and "警告" not in err, err
    # the next notice continues with N + 1
    p = _lufa(ws, *_issue(99))
    _, err_b = p.communicate(timeout=120)
    assert p.returncode == 0, err_b.decode()
    assert f"鲁政行监字〔2026〕{n + 1}号" in err_b.decode()
    assert (records / "notices" / "2026" / f"2026-{n + 1:04d}.yaml").is_file()


# --- (b) read-only folders and locked files ----------------------------------------------------


def _denied(path: object) -> PermissionError:
    return PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))


def make_read_only(folder: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """chmod 0o555 when that works; as root (chmod not enforced) refuse writes in-process."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o555)
    if not os.access(folder, os.W_OK):
        return "chmod"
    folder.chmod(0o755)
    root = folder.resolve()

    def inside(p: object) -> bool:
        try:
            Path(os.fspath(p)).resolve().relative_to(root)
        except (TypeError, ValueError):
            return False
        return True

    real_link, real_replace, real_mkstemp = os.link, os.replace, tempfile.mkstemp

    def link(src, dst, *a, **k):
        if inside(dst):
            raise _denied(dst)
        return real_link(src, dst, *a, **k)

    def replace(src, dst, *a, **k):
        if inside(dst):
            raise _denied(dst)
        return real_replace(src, dst, *a, **k)

    def mkstemp(*a, **k):
        if k.get("dir") is not None and inside(k["dir"]):
            raise _denied(k["dir"])
        return real_mkstemp(*a, **k)

    monkeypatch.setattr(os, "link", link)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    return "simulated"


@pytest.fixture
def restore_modes(ws):
    yield
    for p in ws.rglob("*"):
        if p.is_dir():
            p.chmod(0o755)


def test_read_only_output_folder_for_a_document(ws, run, monkeypatch, restore_modes) -> None:
    make_read_only(ws / "ro", monkeypatch)
    before = snapshot(ws)
    r = run("plan", "week", "--date", "2026-04-13", "--format", "docx", "-o", "ro/检查安排.docx", cwd=ws)
    assert r.code == 6, r.text
    assert "没有写入权限" in r.err and "检查安排.docx" in r.err, r.err
    assert snapshot(ws) == before


def test_read_only_output_folder_for_a_notice_takes_no_number(ws, run, monkeypatch, restore_modes) -> None:
    make_read_only(ws / "output" / "notices" / "2026", monkeypatch)
    before = snapshot(ws)
    r = run("notice", "issue", "司法局", "--finding", "执法记录仪未全程开启", *ISSUE_DATE, cwd=ws)
    assert r.code == 6, r.text
    assert "没有写入权限" in r.err, r.err
    assert snapshot(ws) == before, "a read-only output folder must not cost a notice number"


def test_read_only_records_folder(ws, run, monkeypatch, restore_modes) -> None:
    (ws / "data" / "records" / "inspections").mkdir(parents=True)
    make_read_only(ws / "data" / "records" / "inspections", monkeypatch)
    before = snapshot(ws)
    r = run("inspect", "record", "司法局", "--date", "2026-04-13", "--item", "3.3", "--deduction", "2", "--finding", "x", *AS_OF, cwd=ws)
    assert r.code == 6, r.text
    assert "没有写入权限" in r.err, r.err
    assert snapshot(ws) == before


def test_record_file_held_open_by_another_program(ws, run, monkeypatch) -> None:
    """On Windows os.replace fails while WPS holds the file: retry, then say so; old content kept."""
    assert run("notice", "issue", "司法局", "--finding", "执法记录仪未全程开启", *ISSUE_DATE, cwd=ws).code == 0
    target = (ws / "data" / "records" / "notices" / "2026" / "2026-0001.yaml").resolve()
    real_replace = os.replace

    def replace(src, dst, *a, **k):
        if Path(os.fspath(dst)).resolve() == target:
            raise _denied(dst)
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(fsio.time, "sleep", lambda s: None)
    before = snapshot(ws)
    r = run("rectify", "feedback", "1", "--date", "2026-11-20", cwd=ws)
    assert r.code == 6, r.text
    assert "2026-0001.yaml" in r.err and "原有文件未改动" in r.err, r.err
    assert snapshot(ws) == before


# --- (c) full disk -------------------------------------------------------------------------------


class _FullDiskFile:
    """A file whose write stores half the data, then fails with ENOSPC."""

    def __init__(self, real) -> None:
        self._real = real

    def write(self, data) -> int:
        self._real.write(bytes(data[: len(data) // 2]))
        self._real.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str):
        return getattr(self._real, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> bool:
        self._real.close()
        return False


def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file written through lufa_cli.fsio hits a full disk (only fsio sees the fake)."""
    fake_os = types.SimpleNamespace(**{n: getattr(os, n) for n in dir(os) if not n.startswith("__")})
    fake_os.fdopen = lambda fd, *a, **k: _FullDiskFile(os.fdopen(fd, *a, **k))
    monkeypatch.setattr(fsio, "os", fake_os)


def _prepare_inspection(ws, run) -> None:
    r = run("inspect", "record", "司法局", "--date", "2026-04-13", "--item", "3.3", "--deduction", "2", "--finding", "原有问题", *AS_OF, cwd=ws)
    assert r.code == 0, r.text


def _prepare_selfcheck(ws, run) -> None:
    assert run("selfcheck", "record", "司法局", "--date", "2026-03-20", *AS_OF, cwd=ws).code == 0


FULL_DISK = [
    ("notice-issue", None, ("notice", "issue", "司法局", "--finding", "执法记录仪未全程开启", *ISSUE_DATE)),
    ("inspect-record", None, ("inspect", "record", "司法局", "--date", "2026-04-13", "--item", "3.3", "--deduction", "2", "--finding", "x", *AS_OF)),
    ("inspect-amend-existing", _prepare_inspection, ("inspect", "amend", "2026-04-13-sifaju", "--note", "补充说明", *AS_OF)),
    ("selfcheck-overwrite", _prepare_selfcheck, ("selfcheck", "record", "司法局", "--date", "2026-03-25", "--force", *AS_OF)),
    ("plan-week-docx", None, ("plan", "week", "--date", "2026-04-13", "--format", "docx", "-o", "检查安排.docx")),
    ("score-report-json", None, ("score", "report", "--year", "2026", "--format", "json", "-o", "得分.json", *AS_OF)),
]


@pytest.mark.parametrize(("prepare", "args"), [(p, a) for _, p, a in FULL_DISK], ids=[i for i, _, _ in FULL_DISK])
def test_full_disk(ws, run, monkeypatch, prepare, args) -> None:
    if prepare is not None:
        prepare(ws, run)
    before = snapshot(ws)
    full_disk(monkeypatch)
    r = run(*args, cwd=ws)
    assert r.code == 6, r.text
    assert "磁盘空间不足" in r.err, r.err
    assert snapshot(ws) == before, "a new or partial file was left, or an old one changed"


# --- (d) the disk fills up between a notice's record and its document -----------------------------


def test_full_disk_between_record_and_document_says_what_happened_in_order(ws, run, monkeypatch) -> None:
    from lufa_cli.render import documents

    real = documents.atomic_write

    def document_hits_full_disk(path, data, **kw):
        with monkeypatch.context() as m:
            full_disk(m)
            return real(path, data, **kw)

    monkeypatch.setattr(documents, "atomic_write", document_hits_full_disk)
    r = run("notice", "issue", "司法局", "--finding", "执法记录仪未全程开启", *ISSUE_DATE, cwd=ws)
    assert r.code == 8, r.text
    doc = (ws / "output" / "notices" / "2026" / "鲁政行监字〔2026〕1号-司法局.docx").resolve()
    assert r.err == (
        "错误：已占用文号 鲁政行监字〔2026〕1号，文书记录已写入 data/records/notices/2026/2026-0001.yaml；"
        f"但 Word 文档没有生成：无法写入 {doc}：磁盘空间不足。"
        "这份文书已经下达，不要重新下达：排除上述问题后运行 lufa notice render 2026-1 生成文档\n"
    ), r.err
    assert (ws / "data" / "records" / "notices" / "2026" / "2026-0001.yaml").is_file()
    assert not doc.exists() and not [p for p in doc.parent.iterdir()], "no partial document"
    # what the message says to do finishes it
    monkeypatch.setattr(documents, "atomic_write", real)
    r = run("notice", "render", "2026-1", cwd=ws)
    assert r.code == 0 and r.err == f"已生成 鲁政行监字〔2026〕1号 的文档及送达回证：{doc.relative_to(ws.resolve())}\n", r.err
    with zipfile.ZipFile(doc) as z:
        assert z.testzip() is None
    r = run("check", cwd=ws)
    assert r.code == 0 and "警告" not in r.text, r.text


def test_full_disk_at_the_receipt_leaves_neither_document(ws, run, monkeypatch) -> None:
    from lufa_cli.render import documents

    real = documents.atomic_write

    def receipt_hits_full_disk(path, data, **kw):
        if not Path(path).stem.endswith("送达回证"):
            return real(path, data, **kw)
        with monkeypatch.context() as m:
            full_disk(m)
            return real(path, data, **kw)

    monkeypatch.setattr(documents, "atomic_write", receipt_hits_full_disk)
    r = run("notice", "issue", "司法局", "--finding", "执法记录仪未全程开启", *ISSUE_DATE, cwd=ws)
    assert r.code == 8 and "但 Word 文档没有生成" in r.err and "送达回证.docx：磁盘空间不足" in r.err, r.text
    assert not [p for p in (ws / "output" / "notices" / "2026").iterdir()], "no notice without its slip"
    monkeypatch.setattr(documents, "atomic_write", real)
    assert run("notice", "render", "2026-1", cwd=ws).code == 0
    assert len(list((ws / "output" / "notices" / "2026").iterdir())) == 2


# --- (d) every operating-system reason is Chinese ---------------------------------------------------

OS_REASONS = [
    (errno.ENOENT, "文件或目录不存在"),
    (errno.EISDIR, "这是一个目录，不是文件"),
    (errno.ENOTDIR, "路径中的某一级不是目录"),
    (errno.EEXIST, "文件已存在"),
    (errno.EACCES, "没有写入权限（目录只读，或文件正被 Word/WPS 等程序占用，请关闭后重试）"),
    (errno.EPERM, "没有写入权限（目录只读，或文件正被 Word/WPS 等程序占用，请关闭后重试）"),
    (errno.EROFS, "没有写入权限（所在磁盘或目录是只读的）"),
    (errno.ENOSPC, "磁盘空间不足"),
    (errno.EFBIG, "文件超过了系统允许的大小"),
    (errno.ELOOP, "符号链接层数过多（可能指向自身）"),
    (errno.ENAMETOOLONG, "文件名或路径过长"),
    (errno.EIO, "磁盘读写出错"),
    (errno.EDQUOT, "磁盘配额已用完"),
    (12345, "操作系统错误（错误号 12345）"),
]


@pytest.mark.parametrize(("code", "reason"), OS_REASONS, ids=[errno.errorcode.get(c, str(c)) for c, _ in OS_REASONS])
def test_os_reasons_are_chinese(code, reason) -> None:
    assert fsio.os_reason(OSError(code, os.strerror(code))) == reason


def test_permission_reason_names_the_access() -> None:
    denied = PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    assert fsio.os_reason(denied, doing="读取") == "没有读取权限"
    with pytest.raises(fsio.ReadRefused) as info:
        raise fsio.ReadRefused.from_os(denied)
    assert info.value.reason == "无法读取：没有读取权限"


def test_file_too_large_is_a_chinese_reason(ws) -> None:
    """A real file-size limit (RLIMIT_FSIZE, as a quota or FAT32 gives): EFBIG in Chinese, exit 6, nothing left."""
    import resource

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    before = snapshot(ws)
    r = subprocess.run([sys.executable, "-m", "lufa_cli", "plan", "week", "--date", "2026-04-13", "--format", "docx", "-o", "检查安排.docx"],
                       cwd=ws, env=_env(), capture_output=True, text=True, preexec_fn=limit, timeout=120)
    assert r.returncode == 6, r.stderr
    assert "错误：无法写入 检查安排.docx：文件超过了系统允许的大小；原有文件未改动" in r.stderr, r.stderr
    assert "File too large" not in r.stderr
    assert snapshot(ws) == before


def test_a_stray_os_error_is_chinese_not_internal(ws, run, monkeypatch) -> None:
    """An OSError from a path no lower layer expected (here: ordering the listed records) is exit 6 in Chinese."""
    from lufa_cli.records import store

    def order(entry):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(ws / "data" / "records" / "inspections"))

    monkeypatch.setattr(store, "_NAME_ORDER", order)
    (ws / "data" / "records" / "inspections" / "2026").mkdir(parents=True)
    r = run("check", cwd=ws)
    assert r.code == 6, r.text
    assert "错误：文件操作失败：" in r.err and "records/inspections：没有访问权限" in r.err, r.err
    assert "Permission denied" not in r.err and "程序内部错误" not in r.err


# --- (e) the one reading function: bounded while reading, no special files -----------------------


def test_limit_is_enforced_on_what_is_read_not_on_st_size(tmp_path) -> None:
    environ = Path("/proc/self/environ")
    assert environ.stat().st_size == 0  # what stat says about it
    with pytest.raises(fsio.ReadRefused) as info:
        fsio.read_file(environ, limit=16)
    assert info.value.reason == "文件过大（超过上限 0 MB）"
    assert fsio.read_file(environ, limit=1 << 20)  # within the limit it is read


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/null"])
def test_devices_are_refused_before_reading(path) -> None:
    with pytest.raises(fsio.ReadRefused) as info:
        fsio.read_file(path)
    assert info.value.reason == "不是普通文件（是设备、管道或套接字），已拒绝读取"


def test_a_fifo_is_refused_without_blocking(tmp_path) -> None:
    fifo = tmp_path / "units.yaml"
    os.mkfifo(fifo)
    start = time.monotonic()
    src = read_yaml(fifo, display="units.yaml")
    assert time.monotonic() - start < 2
    assert [d.format() for d in src.diagnostics] == ["units.yaml: 错误：不是普通文件（是设备、管道或套接字），已拒绝读取"]


def test_a_symlink_inside_the_workspace_is_read(ws, run) -> None:
    """Containment refuses links out of the workspace, not links within it."""
    (ws / "data" / "shared").mkdir()
    os.replace(ws / "data" / "settings.yaml", ws / "data" / "shared" / "settings.yaml")
    (ws / "data" / "settings.yaml").symlink_to(Path("shared") / "settings.yaml")
    r = run("check", cwd=ws)
    assert r.code == 0, r.text


def test_a_symlinked_records_folder_inside_the_workspace_is_read(ws, run) -> None:
    """A year folder linked within the workspace counts like any other (rglob would skip it silently)."""
    r = run("selfcheck", "record", "司法局", "--date", "2026-03-20", "--as-of", "2026-11-28", cwd=ws)
    assert r.code == 0, r.text
    year = ws / "data" / "records" / "selfchecks" / "2026"
    os.replace(year, ws / "data" / "records" / "selfchecks-2026")
    year.symlink_to(Path("..") / "selfchecks-2026")
    r = run("selfcheck", "missing", "--year", "2026", "--format", "json", "--as-of", "2026-11-28", cwd=ws)
    assert r.code == 0, r.text
    assert "sifaju" not in {row["id"] for row in json.loads(r.out)}


def test_an_unreadable_records_folder_is_an_error_not_an_empty_list(tmp_path, monkeypatch) -> None:
    from lufa_cli.errors import ExternalError
    from lufa_cli.records import store

    (tmp_path / "records" / "inspections").mkdir(parents=True)

    def scandir(top):  # a folder it may not list (chmod does not stop root, who runs CI)
        raise PermissionError(13, "Permission denied", str(top))

    monkeypatch.setattr(store.os, "scandir", scandir)
    with pytest.raises(ExternalError) as exc:
        store.record_files(tmp_path, "inspections")
    assert exc.value.message == f"无法读取目录 {tmp_path / 'records' / 'inspections'}：没有读取权限"


@pytest.mark.parametrize("private_join", [True, False], ids=["pathlib's one-name join", "joinpath"])
def test_listing_is_path_order_deep_trees_included(tmp_path, monkeypatch, private_join) -> None:
    """record_files walks folder by folder in name order (no recursion: a deep tree is fine), with or
    without CPython's private one-name join, and gives what sorting every path gives."""
    import pathlib

    from lufa_cli.records import store

    assert hasattr(tmp_path, "_make_child_relpath") == store._FAST_CHILD  # every CPython this project supports, ≤ 3.12
    if not private_join:
        for cls in type(tmp_path).__mro__:
            if "_make_child_relpath" in vars(cls):
                monkeypatch.delattr(cls, "_make_child_relpath")
        assert not store._fast_child_works()  # the feature test sees it gone
        monkeypatch.setattr(store, "_FAST_CHILD", False)
    import inspect

    top = tmp_path / "records" / "inspections"
    deep = top.joinpath(*["d"] * 300)  # deeper than the recursion limit set below (a path well under PATH_MAX)
    deep.mkdir(parents=True)
    (deep / "x.yaml").write_text("a: 1\n", encoding="utf-8")
    limit = sys.getrecursionlimit()
    for rel in ("2026/b.yaml", "2026/a.yaml", "2026.yaml/c.yaml", "2025/z.yaml", "a.yaml", "2026/.hidden.yaml", "2026/n.txt", ".git/q.yaml"):
        (top / rel).parent.mkdir(parents=True, exist_ok=True)
        (top / rel).write_text("a: 1\n", encoding="utf-8")
    sys.setrecursionlimit(len(inspect.stack()) + 100)
    try:
        got = store.record_files(tmp_path, "inspections")
    finally:
        sys.setrecursionlimit(limit)
    want = sorted(pathlib.Path(d, f) for d, dirs, files in os.walk(top) for f in files + dirs if f.endswith(".yaml") and not f.startswith("."))
    assert got == want and [str(p) for p in got] == [str(p) for p in want]
    assert deep / "x.yaml" in got and top / "2026.yaml" in got and top / ".git" / "q.yaml" in got
