"""A cache of validated record files, so that a second run does not parse them again.

Reading, parsing and validating 35,000 record files is most of what `lufa check` does
at province scale; the files rarely change between two runs. Like beancount's loader
cache, a file's validated record is kept, keyed by what the file system says about the
file (path, size, mtime_ns, and on POSIX ctime_ns and inode), in one cache file per data
folder. Everything that relates a record to other files (roster, numbering, deadlines,
duplicates) is *not* cached: those checks run on every load, on cached and fresh records
alike. Only files that were read without any diagnostic are cached, so a broken file is
always read and reported afresh.

The cache never decides an answer on its own:

* Its format is JSON of plain data (no pickle: loading it cannot run code), and every
  record in it is validated again by its Pydantic model when the cache is loaded.
* The file carries an HMAC-SHA256 of its body under a random per-user key kept next to
  it (0600). A truncated, corrupt, edited or copied cache file, one written by another
  lufa, Python or Pydantic version, one for another data folder, or one whose key is
  gone, fails the check and is ignored; the run reads the files and writes a new cache.
* The folder is private: created 0700, and on POSIX not used at all unless it belongs to
  the current user and nobody else may write to it.
* A file changed less than `RACY_SECONDS` before it was read is not cached (git's
  "racy" rule): on a file system with coarse timestamps a second edit within the same
  tick would keep size and mtime.
* A message about a cached file needs its lines and positions: the file is then read
  again, and unless it still gives the cached record without any diagnostic the whole
  load is redone without the cache (`StaleCache`).

Where: ``%LOCALAPPDATA%\\lufa\\Cache`` on Windows, ``~/Library/Caches/lufa`` on macOS,
``$XDG_CACHE_HOME/lufa`` (default ``~/.cache/lufa``) elsewhere; one file per data folder,
named by a hash of the folder's absolute path. Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel, ValidationError

from lufa_cli import __version__
from lufa_cli.reading.yamlsrc import MAX_BYTES, Source
from lufa_cli.records.store import M, read_record

CACHE_FORMAT = 1  # bump when what a record file validates to changes without a version bump
MAGIC = b"lufa-records-cache\n"
RACY_SECONDS = 3
_DIGEST_LEN = 64  # hex SHA-256


class StaleCache(Exception):
    """A cached file no longer reads as it was cached: redo the load without the cache."""


def cache_folder(env: Mapping[str, str]) -> Path | None:
    """The per-user cache folder for lufa (platformdirs' user_cache_dir), or None when unknown."""
    if os.name == "nt":
        base = env.get("LOCALAPPDATA")
        return Path(base) / "lufa" / "Cache" if base else None
    if sys.platform == "darwin":
        home = env.get("HOME")
        return Path(home) / "Library" / "Caches" / "lufa" if home else None
    xdg = env.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "lufa"
    home = env.get("HOME")
    return Path(home) / ".cache" / "lufa" if home else None


def cache_file(data_root: Path, env: Mapping[str, str]) -> Path | None:
    """The cache file of the data folder `data_root` (not created here)."""
    folder = cache_folder(env)
    if folder is None:
        return None
    digest = hashlib.sha256(os.fsencode(os.path.abspath(data_root))).hexdigest()[:32]
    return folder / f"records-{digest}.json"


def registers_cache_file(records_cache: Path | None) -> Path | None:
    """The registers' cache file next to the records cache `records_cache` (same folder, key and format).

    A file of its own: the registers are loaded by other commands than the records, and a cache
    file holds what one load read (`RecordCache.save`), so sharing one would evict the other."""
    return records_cache.with_name("registers-" + records_cache.name.removeprefix("records-")) if records_cache is not None else None


def _private_folder(folder: Path) -> bool:
    """Create `folder` 0700 if needed; True when it is safe to read and write the cache there."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.stat(folder)
    except OSError:
        return False
    if os.name == "nt":
        return True  # %LOCALAPPDATA% is per-user by its ACL
    if st.st_uid != os.getuid():
        return False
    if st.st_mode & 0o022:
        try:
            os.chmod(folder, 0o700)
        except OSError:
            return False
    return True


def _key(folder: Path) -> bytes | None:
    """The per-user HMAC key, created (0600, exclusively) on first use."""
    import secrets
    import tempfile

    path = folder / "key"
    for _ in range(2):
        try:
            key = path.read_bytes()
            return key if len(key) == 32 else None
        except FileNotFoundError:
            pass
        except OSError:
            return None
        try:
            fd, tmp = tempfile.mkstemp(prefix=".key.", dir=folder)  # 0600
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(secrets.token_bytes(32))
                os.link(tmp, path)  # never replaces a key another process made meanwhile
            finally:
                os.unlink(tmp)
        except FileExistsError:
            continue
        except OSError:
            return None
    return None


_FINGERPRINT: list[str] = []


def _fingerprint() -> str:
    """What the validated records depend on besides the file: versions and this package's code."""
    if not _FINGERPRINT:
        _FINGERPRINT.append(_compute_fingerprint())
    return _FINGERPRINT[0]


def _compute_fingerprint() -> str:
    import pydantic

    package = Path(__file__).resolve().parent.parent
    code = hashlib.sha256()
    for sub in ("reading", "model"):
        for p in sorted((package / sub).glob("*.py")):
            st = p.stat()
            code.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns};".encode())
    py = ".".join(map(str, sys.version_info[:3]))
    return f"{CACHE_FORMAT}|lufa {__version__}|python {py}|pydantic {pydantic.VERSION}|{code.hexdigest()[:16]}"


def _file_key(st: os.stat_result) -> tuple[int, int, int, int]:
    if os.name == "nt":  # st_ctime is the creation time there
        return (st.st_size, st.st_mtime_ns, 0, st.st_ino)
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class _CachedSource(Source):
    """The Source of a cached record: lines and positions are read only when a message needs them."""

    def __init__(self, show: Callable[[Path], str], path: Path, model: type[BaseModel], record: BaseModel, key: tuple) -> None:
        super().__init__(path="")
        self._file: tuple | None = (show, path, model, record, key)

    @property
    def deferred(self) -> bool:
        """True while the file's lines and positions have not been read."""
        return self._file is not None

    def _materialize(self) -> None:
        if self._file is None:
            return
        show, path, model, record, key = self._file
        self._file = None
        self.path = show(path)
        fresh, src = read_record(path, model, self.path)
        try:
            same = _file_key(os.lstat(path)) == key
        except OSError:
            same = False
        if not same or src.diagnostics or fresh != record:
            raise StaleCache(str(path))
        self.data, self.positions, self.key_positions, self.lines = src.data, src.positions, src.key_positions, src.lines

    def pos(self, loc: Any, *, key: bool = False) -> tuple[int, int]:
        self._materialize()
        return super().pos(loc, key=key)

    def error(self, loc: Any, message: str, *, key: bool = False, severity: str = "error") -> None:
        self._materialize()
        super().error(loc, message, key=key, severity=severity)


class RecordCache:
    """Read record files through the cache of one data folder.

    `read` gives `read_record`'s results; `save` writes what this run read. With
    `file=None`, or a folder that is not private, nothing is cached.
    """

    def __init__(self, data_root: Path, file: Path | None, *, ignore_old: bool = False) -> None:
        self.root = str(data_root)
        self.file = file
        self.key: bytes | None = None
        self.old: dict[str, tuple[tuple, str, BaseModel]] = {}  # relative path → (file key, model name, record)
        self.new: dict[str, tuple[tuple, str, BaseModel]] = {}
        self.changed = False
        self.started_ns = time.time_ns()
        if file is not None and _private_folder(file.parent):
            self.key = _key(file.parent)
        if self.key is not None and not ignore_old:
            self.old = self._load()

    @property
    def active(self) -> bool:
        return self.key is not None

    def _relative(self, path: Path) -> str | None:
        text = str(path)
        prefix = self.root + os.sep
        return text[len(prefix):] if text.startswith(prefix) else None

    def read(self, path: Path, model: type[M], show: Callable[[Path], str], *, inside: Path | None = None) -> tuple[M | None, Source]:
        """`read_record(path, model, show(path), inside=inside)`, from the cache when the file is unchanged."""
        rel = self._relative(path) if self.key is not None else None
        if rel is None:
            return read_record(path, model, show(path), inside=inside)
        try:
            st = os.lstat(path)
        except OSError:
            return read_record(path, model, show(path), inside=inside)  # it reports the problem
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            return read_record(path, model, show(path), inside=inside)  # symlinks, devices, FIFOs: never cached
        key = _file_key(st)
        hit = self.old.get(rel)
        if hit is not None and hit[0] == key and hit[1] == model.__name__:
            self.new[rel] = hit
            rec = cast(M, hit[2])  # the entry was validated by a model of this name
            return rec, _CachedSource(show, path, model, rec, key)
        rec, src = read_record(path, model, show(path), inside=inside)
        racy = st.st_mtime_ns >= self.started_ns - RACY_SECONDS * 1_000_000_000
        if rec is not None and not src.diagnostics and not racy:
            self.new[rel] = (key, model.__name__, rec)
            self.changed = True
        return rec, src

    def save(self) -> None:
        """Write the entries of this run (only when they differ from the cache that was read)."""
        if self.key is None or self.file is None:
            return
        if not self.changed and self.new.keys() == self.old.keys():
            return
        import hmac
        import tempfile

        lists: dict[str, list] = {kind: [] for kind in KINDS.values()}
        for rel, (key, name, rec) in self.new.items():
            lists[KINDS[name]].append((rel, key, rec))
        try:
            # model_construct: the records are validated already; only serialised here
            body = _body_model().model_construct(fingerprint=_fingerprint(), root=self.root, **lists).model_dump_json().encode()
        except (ValueError, TypeError):  # e.g. text Pydantic cannot serialise: no cache rather than a wrong one
            return
        digest = hmac.new(self.key, body, hashlib.sha256).hexdigest().encode()
        try:
            fd, tmp = tempfile.mkstemp(prefix=".records.", suffix=".tmp", dir=self.file.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(MAGIC + digest + b"\n")
                    fh.write(body)
                os.replace(tmp, self.file)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            pass  # a cache that cannot be written costs time on the next run, nothing else

    def _load(self) -> dict[str, tuple[tuple, str, BaseModel]]:
        import hmac
        import json

        assert self.key is not None and self.file is not None
        head = len(MAGIC) + _DIGEST_LEN + 1
        try:
            with open(self.file, "rb") as fh:
                header, body = fh.read(head), fh.read()  # two reads: the body is not copied again
        except OSError:
            return {}
        if not header.startswith(MAGIC) or len(header) < head or header[-1:] != b"\n":
            return {}
        digest = hmac.new(self.key, body, hashlib.sha256).hexdigest().encode()
        if not hmac.compare_digest(digest, header[len(MAGIC):-1]):
            return {}
        try:
            # cheap checks before validating every record
            meta = json.loads(body[: body.index(b',"inspections":')] + b"}")
        except ValueError:
            return {}
        if meta.get("fingerprint") != _fingerprint() or meta.get("root") != self.root:
            return {}
        try:
            data = _body_model().model_validate_json(body)
        except ValidationError:
            return {}
        out: dict[str, tuple[tuple, str, BaseModel]] = {}
        for name, kind in KINDS.items():
            for rel, key, rec in getattr(data, kind):
                out[rel] = (key, name, rec)
        return out


_BODY: Any = None
KINDS = {"Inspection": "inspections", "SelfCheck": "selfchecks", "SpotCheck": "spotchecks", "Notice": "notices",
         "PenaltyFiling": "penalty", "NormativeFiling": "normative", "Training": "training", "Staff": "staff"}


def _body_model() -> Any:
    """The model of the cache body (built on first use: only commands that read records pay for it)."""
    global _BODY
    if _BODY is None:
        from lufa_cli.model.notices import Notice
        from lufa_cli.model.records import Inspection, SelfCheck, SpotCheck
        from lufa_cli.model.registers import NormativeFiling, PenaltyFiling, Staff, Training

        FileKey = tuple[int, int, int, int]

        class Body(BaseModel):
            fingerprint: str
            root: str
            inspections: list[tuple[str, FileKey, Inspection]] = []
            selfchecks: list[tuple[str, FileKey, SelfCheck]] = []
            spotchecks: list[tuple[str, FileKey, SpotCheck]] = []
            notices: list[tuple[str, FileKey, Notice]] = []
            penalty: list[tuple[str, FileKey, PenaltyFiling]] = []
            normative: list[tuple[str, FileKey, NormativeFiling]] = []
            training: list[tuple[str, FileKey, Training]] = []
            staff: list[tuple[str, FileKey, Staff]] = []

        _BODY = Body
    return _BODY
