"""Atomic, non-clobbering file writes and safe output names."""

from __future__ import annotations

import errno
import os
import re
import tempfile
import time
from pathlib import Path

from lufa_cli.errors import ExternalError, RefusedError

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)}
_MAX_NAME_BYTES = 240
_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read once: mkstemp creates 0600 files, records must be as readable as any file  # ext4 allows 255; leave room for a suffix such as "-2"


def safe_filename(name: str, *, default: str = "文档") -> str:
    """Return `name` made safe as one file name on Windows and Linux."""
    cleaned = _FORBIDDEN.sub("_", name).strip().rstrip(". ")
    stem, dot, ext = cleaned.rpartition(".")
    base = stem if dot else cleaned
    if base.split(".")[0].upper() in _RESERVED:
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
    if exc.errno == errno.ENOSPC:
        why = "磁盘空间不足"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "没有写入权限（目录只读，或文件正被 Word/WPS 等程序占用，请关闭后重试）"
    else:
        why = exc.strerror or str(exc)
    return ExternalError(f"无法写入 {path}：{why}；原有文件未改动")


def atomic_write(path: Path, data: bytes | str, *, overwrite: bool = False) -> Path:
    """Write `data` to `path` atomically: temp file in the same folder, fsync, rename.

    Without `overwrite`, an existing file is never replaced (RefusedError).
    On any failure the previous content (or absence) of `path` is unchanged.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    path = Path(path)
    if not overwrite and path.exists():
        raise RefusedError(f"文件已存在：{path}（如确需覆盖，请加 --force）")
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
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
                raise RefusedError(f"文件已存在：{path}（如确需覆盖，请加 --force）") from None
            except OSError:  # file systems without hard links
                if path.exists():
                    raise RefusedError(f"文件已存在：{path}（如确需覆盖，请加 --force）") from None
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


def ensure_writable_dir(folder: Path) -> Path:
    """Create `folder` if needed and prove a file can be created in it (before taking a number)."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".lufa-probe-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise os_error(folder, exc) from exc
    return folder
