"""Bounded, contained file reads; atomic, non-clobbering writes; record locks; safe output names.

Every file lufa reads (data files, records, CSV sheets, templates) goes through
:func:`read_file`, and every operating-system failure is explained by :func:`os_reason`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import random
import re
import socket
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lufa_cli.errors import BusyError, ExternalError, RefusedError

MAX_BYTES = 8 * 1024 * 1024  # a data, record, sheet or text template file larger than this is refused

#: errno → the reason in Chinese; strerror is English (or the system's language) and never shown.
_REASONS = {
    errno.ENOENT: "文件或目录不存在",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.ENOTDIR: "路径中的某一级不是目录",
    errno.EEXIST: "文件已存在",
    errno.EACCES: "没有写入权限（目录只读，或文件正被 Word/WPS 等程序占用，请关闭后重试）",
    errno.EPERM: "没有写入权限（目录只读，或文件正被 Word/WPS 等程序占用，请关闭后重试）",
    errno.EROFS: "没有写入权限（所在磁盘或目录是只读的）",
    errno.ENOSPC: "磁盘空间不足",
    errno.EFBIG: "文件超过了系统允许的大小",
    errno.ELOOP: "符号链接层数过多（可能指向自身）",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.EMFILE: "同时打开的文件过多",
    errno.EIO: "磁盘读写出错",
    errno.EBUSY: "文件正被其他程序占用",
    errno.ETXTBSY: "文件正被其他程序占用",
    errno.EINVAL: "文件名或参数无效",
    errno.EXDEV: "不能跨磁盘移动文件",
    errno.ENXIO: "设备不存在或不可用",
    errno.ENODEV: "设备不存在或不可用",
    errno.EDQUOT: "磁盘配额已用完",
}


def os_reason(exc: OSError, *, doing: str = "写入") -> str:
    """The Chinese reason for an operating-system error (the one mapping every message uses).

    `doing` names the access a permission error denied: 写入 (the default), 读取 or 访问.
    """
    if exc.errno in (errno.EACCES, errno.EPERM) and doing != "写入":
        return f"没有{doing}权限"
    if isinstance(exc, FileExistsError):
        return _REASONS[errno.EEXIST]
    reason = _REASONS.get(exc.errno or 0)
    if reason is None and getattr(exc, "winerror", None) in (32, 33):  # ERROR_SHARING/LOCK_VIOLATION
        reason = _REASONS[errno.EBUSY]
    return reason or f"操作系统错误（错误号 {exc.errno}）"


class ReadRefused(Exception):
    """A file lufa will not read; `reason` is a Chinese phrase naming no path (the caller does)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @classmethod
    def from_os(cls, exc: OSError) -> ReadRefused:
        if exc.errno == errno.ENOENT:
            return cls("文件不存在")
        if exc.errno == errno.EISDIR:
            return cls(_REASONS[errno.EISDIR])
        return cls(f"无法读取：{os_reason(exc, doing='读取')}")


_CONTAINED: dict[tuple[str, str], bool] = {}


def _inside(path: str, root: Path) -> bool:
    """True when `path` (after every symlink) lies inside `root` (after every symlink)."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def folder_inside(folder: str, root: Path) -> bool:
    """True when `folder` (after following symlinks) lies in `root`; remembered per folder for the process."""
    key = (os.path.abspath(folder or "."), os.path.abspath(root))
    hit = _CONTAINED.get(key)
    if hit is None:
        hit = _CONTAINED[key] = _inside(folder or ".", root)
    return hit


_O_READ = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def read_file(path: Path | str, *, inside: Path | None = None, limit: int = MAX_BYTES, seen: list[os.stat_result] | None = None) -> bytes:
    """The bytes of one regular file, read with every guard lufa relies on; raises ReadRefused.

    - with `inside`, the file (after following symlinks, also in its folders) must lie in that
      folder: git stores symlinks, and a pulled record linked to /proc/self/environ must not
      be read;
    - devices, FIFOs, sockets and directories are refused before a byte is read (a FIFO is
      opened non-blocking, so opening it cannot hang);
    - at most `limit` bytes are read: st_size of /dev/zero, a FIFO or a /proc file is 0, so the
      limit is enforced on what is read, not on what stat says.

    With `inside` and `seen`, the file's lstat taken before it is opened is appended to `seen`
    (what the records cache keys the file by: workspace.cache).
    """
    text = os.fspath(path)
    if inside is not None:
        try:
            lst = os.lstat(text)
        except OSError as exc:
            raise ReadRefused.from_os(exc) from None
        link = stat.S_ISLNK(lst.st_mode)
        if seen is not None:
            seen.append(lst)
        if (link and not _inside(text, inside)) or not folder_inside(os.path.dirname(text), inside):
            raise ReadRefused(f"经符号链接指向工作区之外（{os.path.realpath(text)}），已拒绝读取")
    try:
        fd = os.open(text, _O_READ)
    except OSError as exc:
        raise ReadRefused.from_os(exc) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ReadRefused(_REASONS[errno.EISDIR])
        if not stat.S_ISREG(st.st_mode):
            raise ReadRefused("不是普通文件（是设备、管道或套接字），已拒绝读取")
        if st.st_size > limit:
            raise ReadRefused(f"文件过大（{st.st_size // 1024 // 1024} MB，上限 {limit // 1024 // 1024} MB）")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise ReadRefused(f"文件过大（超过上限 {limit // 1024 // 1024} MB）")
        return b"".join(chunks)
    except OSError as exc:
        raise ReadRefused.from_os(exc) from None
    finally:
        os.close(fd)

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {f"{p}{i}" for p in ("COM", "LPT") for i in [*range(1, 10), "¹", "²", "³"]}


def is_device_name(name: str) -> bool:
    """True for names Windows opens as a device whatever the folder: CON, PRN, AUX, NUL, COM1–9,
    LPT1–9, in any case, with or without an extension ("nul.txt", "Com1.tar.gz", "CON .docx")."""
    return name.split(".")[0].rstrip(" ").upper() in _RESERVED
_MAX_NAME_BYTES = 240
_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read once: mkstemp creates 0600 files, records must be as readable as any file  # ext4 allows 255; leave room for a suffix such as "-2"


def display_path(path: Path, cwd: Path | None = None) -> str:
    """`path` relative to the current folder when inside it, else as given (for messages)."""
    cwd = cwd or Path.cwd()
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)


def safe_filename(name: str, *, default: str = "文档") -> str:
    """Return `name` made safe as one file name on Windows and Linux."""
    cleaned = _FORBIDDEN.sub("_", name).strip().rstrip(". ")
    stem, dot, ext = cleaned.rpartition(".")
    base = stem if dot else cleaned
    if is_device_name(base):
        cleaned = "_" + cleaned
    while len(cleaned.encode("utf-8")) > _MAX_NAME_BYTES:
        # drop characters before the extension until it fits
        stem, dot, ext = cleaned.rpartition(".")
        if dot and len(ext) <= 8:
            cleaned = stem[:-1] + "." + ext
        else:
            cleaned = cleaned[:-1]
    return cleaned or default


def path_inside(folder: Path, name: str) -> Path:
    """`folder / safe_filename(name)`, guaranteed to stay inside `folder`."""
    target = (folder / safe_filename(name)).resolve()
    if folder.resolve() not in target.parents:
        raise RefusedError(f"输出文件名“{name}”会写到输出目录之外，已拒绝")
    return target


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def os_error(path: Path, exc: OSError) -> ExternalError:
    """The ExternalError for a failed write of `path`."""
    return ExternalError(f"无法写入 {path}：{os_reason(exc)}；原有文件未改动")


def exists_error(path: Path) -> RefusedError:
    """An existing `path` is refused; --force is suggested only where it would help (a file)."""
    if path.is_dir():
        return RefusedError(f"无法写入 {path}：这是一个目录，不是文件；请另选输出文件名")
    if path.exists() and not path.is_file():
        return RefusedError(f"无法写入 {path}：不是普通文件（是设备、管道或套接字）；请另选输出文件名")
    return RefusedError(f"文件已存在：{path}（如确需覆盖，请加 --force）")


def atomic_write(path: Path, data: bytes | str, *, overwrite: bool = False) -> Path:
    """Write `data` to `path` atomically: temp file in the same folder, fsync, rename.

    Without `overwrite`, an existing file is never replaced (RefusedError).
    On any failure the previous content (or absence) of `path` is unchanged.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    path = Path(path)
    if is_device_name(path.name):
        raise RefusedError(f"无法写入 {path}：“{path.name}”是 Windows 的设备名（CON、PRN、AUX、NUL、COM1–9、LPT1–9），请换一个文件名")
    if path.exists() and (not overwrite or not path.is_file()):
        raise exists_error(path)
    folder = path.parent
    try:
        make_dirs(folder)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise os_error(path, exc) from exc
    try:
        try:
            os.chmod(tmp, 0o666 & ~_UMASK)
        except OSError:  # pragma: no cover - e.g. file systems without modes
            pass
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            _replace_with_retry(tmp, path)
        else:
            # link() fails if the target appeared meanwhile: never clobber a
            # file another process created between our check and now.
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise exists_error(path) from None
            except OSError:  # file systems without hard links
                if path.exists():
                    raise exists_error(path) from None
                _replace_with_retry(tmp, path)
        _fsync_dir(folder)
    except OSError as exc:
        raise os_error(path, exc) from exc
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
    return path


def create_exclusive(path: Path, data: bytes | str) -> bool:
    """Create `path` with `data` only if it does not exist yet; atomic and complete.

    Returns False when the file already exists (another process won the race).
    The content is fully written to a temp file before the name appears, so a
    reader never sees a half-written record.
    """
    try:
        atomic_write(path, data, overwrite=False)
    except RefusedError:
        return False
    return True


def _replace_with_retry(src: str, dst: Path, attempts: int = 10) -> None:
    for i in range(attempts):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if i == attempts - 1:
                raise
            time.sleep(0.1)


def make_dirs(folder: Path) -> None:
    """`folder` and its parents; a file in the way is ENOTDIR (mkdir says EEXIST: misleading)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder)) from exc


def ensure_writable_dir(folder: Path) -> Path:
    """Create `folder` if needed and prove a file can be created in it (before taking a number)."""
    folder = Path(folder)
    try:
        make_dirs(folder)
        fd, probe = tempfile.mkstemp(prefix=".lufa-probe-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise os_error(folder, exc) from exc
    return folder


# --- record locks ------------------------------------------------------------------------
#
# Every read-modify-write of an existing record runs inside `record_lock(path)`. fcntl does not
# exist on Windows and advisory locks are unreliable on SMB shares, so the lock is a file created
# exclusively (O_CREAT|O_EXCL) beside the record, `.NAME.lock`, holding pid, host, time and a
# random token. A lock is broken when its holder is certainly dead (same host, pid gone) or when
# it is older than LOCK_STALE_SECONDS (README, 可靠性): a SIGKILLed lufa never blocks the clerk
# for long. Breaking is itself serialised by a second exclusive file, `.NAME.lock.break`, so two
# waiters that both find a stale lock cannot delete each other's fresh one.

LOCK_WAIT_SECONDS = 30.0  # how long a second lufa waits for the record before refusing
LOCK_STALE_SECONDS = 120.0  # a lock older than this is broken whoever holds it
_BREAK_STALE_SECONDS = 10.0  # breaking takes milliseconds; a .break file older than this was left by a killed process
HOST = socket.gethostname()


def lock_path(path: Path) -> Path:
    return Path(path).with_name(f".{Path(path).name}.lock")


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.GetLastError() == 5  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return True
    return True


def _read_lock(lock: Path) -> tuple[bytes, dict] | None:
    """(raw bytes, parsed holder) of a lock file, or None when there is none."""
    try:
        raw = lock.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        return b"", {}
    try:
        info = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        info = {}
    return raw, info if isinstance(info, dict) else {}


def _lock_age(lock: Path, info: dict) -> float:
    try:
        return time.time() - float(info["time"])
    except (KeyError, TypeError, ValueError):
        # an empty or torn lock (its writer was killed between create and write): judge by mtime
        try:
            return time.time() - lock.stat().st_mtime
        except OSError:
            return 0.0


def _stale(lock: Path, info: dict) -> bool:
    if _lock_age(lock, info) > LOCK_STALE_SECONDS:
        return True
    pid = info.get("pid")
    return info.get("host") == HOST and isinstance(pid, int) and pid != os.getpid() and not _pid_alive(pid)


def _break_stale(lock: Path, seen: bytes) -> None:
    """Delete `lock` if it still holds exactly `seen`; only one process breaks at a time."""
    breaker = lock.with_name(lock.name + ".break")
    try:
        fd = os.open(breaker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        try:
            if time.time() - breaker.stat().st_mtime > _BREAK_STALE_SECONDS:
                breaker.unlink()
        except OSError:
            pass
        return
    os.close(fd)
    try:
        current = _read_lock(lock)
        if current is not None and current[0] == seen:
            lock.unlink()
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            breaker.unlink()


def _holder(info: dict) -> str:
    when: Any = info.get("time")  # JSON: anything; float() decides
    try:
        since = dt.datetime.fromtimestamp(float(when)).strftime("%Y-%m-%d %H:%M:%S")
    except (TypeError, ValueError, OverflowError, OSError):
        since = "未知时间"
    return f"主机 {info.get('host', '未知')} 上的进程 {info.get('pid', '未知')}，自 {since} 起"


class RecordLock:
    """A held lock on one record file (see `record_lock`)."""

    def __init__(self, path: Path, lock: Path, token: str) -> None:
        self.path, self.lock, self.token = path, lock, token

    def held(self) -> bool:
        """Still ours? (False when another process broke it as stale.)"""
        current = _read_lock(self.lock)
        return current is not None and current[1].get("token") == self.token


@contextlib.contextmanager
def record_lock(path: Path, display: str | None = None) -> Iterator[RecordLock]:
    """Hold the lock of record `path` for a read-modify-write; waits up to LOCK_WAIT_SECONDS.

    Raises BusyError (exit 7) naming the record and the holder when it stays locked.
    """
    path = Path(path)
    lock = lock_path(path)
    token = f"{random.getrandbits(64):016x}"
    body = json.dumps({"pid": os.getpid(), "host": HOST, "time": time.time(), "token": token}).encode("utf-8")
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    delay = 0.01
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            current = _read_lock(lock)
            if current is None:
                continue  # released meanwhile: try again at once
            if _stale(lock, current[1]):
                _break_stale(lock, current[0])
                continue
            if time.monotonic() >= deadline:
                raise BusyError(
                    f"记录 {display or path} 正被另一个 lufa 进程修改（{_holder(current[1])}），"
                    f"等待 {LOCK_WAIT_SECONDS:g} 秒仍未完成，本次没有做任何修改；请稍后重试。"
                    f"锁文件 {lock.name} 超过 {LOCK_STALE_SECONDS:g} 秒或其进程已结束时会自动失效"
                ) from None
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.2)
            continue
        except OSError as exc:
            raise os_error(lock, exc) from exc
        try:
            try:
                os.write(fd, body)
            finally:
                os.close(fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                lock.unlink()
            raise os_error(path, exc) from exc
        break
    held = RecordLock(path, lock, token)
    try:
        yield held
    finally:
        if held.held():
            for i in range(10):  # on Windows a waiter reading the lock at this moment makes unlink fail
                try:
                    lock.unlink()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02 * (i + 1))
