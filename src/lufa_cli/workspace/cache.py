"""A cache of validated files, so that a second run does not parse them again.

Reading, parsing and validating 35,000 record files is most of what `lufa check` does
at province scale; the files rarely change between two runs. Like beancount's loader
cache, a file's validated model is kept, keyed by what the file system says about the
file (path, size, mtime_ns, and on POSIX ctime_ns and inode). There is one cache file for
the record files of a data folder, one for its registers and one for its data files
(units.yaml, schedule.yaml, …). Everything that relates a file to other files (roster,
numbering, deadlines, duplicates, the cross-file rules of the data files) is *not*
cached: those checks run on every load, on cached and fresh models alike. Only files
that were read without any diagnostic are cached, so a broken file is always read and
reported afresh.

The cache never decides an answer on its own:

* The file carries an HMAC-SHA256 of its body under a random per-user key kept next to
  it (0600), and nothing in it is looked at before that check passes. A truncated,
  corrupt, edited or copied cache file, or one whose key is gone, fails the check and is
  ignored; the run reads the files and writes a new cache. Only a process holding the
  key (lufa, run by this user) can write a file that passes.
* Then the header must name this lufa, Python and Pydantic version, a digest of the
  reading and model code, and this data folder; otherwise the cache is ignored.
* Only then is the body unpickled: the models as this lufa validated them when it read
  the files (a pickle of validated models, as beancount keeps its entries). They are not
  validated again: the HMAC has shown they are what this user's lufa wrote. An entry that
  is not a model of the kind asked for is ignored, and any failure to unpickle drops the
  whole cache.
* The folder is private: created 0700, and on POSIX not used at all unless it belongs to
  the current user and nobody else may write to it.
* A file changed less than `RACY_SECONDS` before it was read is not cached (git's
  "racy" rule): on a file system with coarse timestamps a second edit within the same
  tick would keep size and mtime.
* A message about a cached file needs its lines and positions: the file is then read
  again, and unless it still gives the cached model without any diagnostic the whole
  load is redone without the cache (`StaleCache`).

Where: ``%LOCALAPPDATA%\\lufa\\Cache`` on Windows, ``~/Library/Caches/lufa`` on macOS,
``$XDG_CACHE_HOME/lufa`` (default ``~/.cache/lufa``) elsewhere; files named by a hash of
the data folder's absolute path. Deleting the folder is always safe.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import operator
import os
import pickle
import stat
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from lufa_cli import __version__
from lufa_cli.errors import ExitCode, LufaError
from lufa_cli.reading.fsio import ReadRefused, folder_inside, read_file
from lufa_cli.reading.yamlsrc import MAX_BYTES, Source
from lufa_cli.workspace.validation import M, read_record

CACHE_FORMAT = 2  # bump when what a file validates to, or the cache's layout, changes without a version bump
MAGIC = b"lufa-records-cache\n"
RACY_SECONDS = 3
CACHE_MAX_BYTES = 1 << 30  # a cache file larger than this is not read (35,000 record files make ~13 MB)
_DIGEST_LEN = 64  # hex SHA-256


class StaleCache(LufaError):
    """A cached file no longer reads as it was cached: the loaders redo the load without the cache.

    Raised past them only when a file changed while the command ran (a message about it was
    needed after the load): then the run stops and says so."""

    exit_code = ExitCode.EXTERNAL

    def __init__(self, path: str) -> None:
        super().__init__(f"文件 {path} 在本次运行期间被修改（另一个程序正在写入？）：未做任何修改，请重新运行")


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
    return folder / f"records-{digest}.cache"


def registers_cache_file(records_cache: Path | None) -> Path | None:
    """The registers' cache file next to the records cache `records_cache` (same folder, key and format).

    A file of its own: the registers are loaded by other commands than the records, and a cache
    file holds what one load read (`RecordCache.save`), so sharing one would evict the other."""
    return records_cache.with_name("registers-" + records_cache.name.removeprefix("records-")) if records_cache is not None else None


def data_cache_file(records_cache: Path | None) -> Path | None:
    """The data files' cache file (units.yaml, schedule.yaml, …) next to the records cache `records_cache`."""
    return records_cache.with_name("data-" + records_cache.name.removeprefix("records-")) if records_cache is not None else None


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
        try:  # read_file: a FIFO or /dev/zero put in its place neither hangs nor fills memory
            key = read_file(path, limit=64)
            return key if len(key) == 32 else None
        except ReadRefused:
            if os.path.lexists(path):
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
    # the code that turns a file into a model, and this module, which pickles and unpickles it
    files = [*sorted((package / "reading").glob("*.py")), *sorted((package / "model").glob("*.py")),
             package / "workspace" / "validation.py", Path(__file__).resolve()]
    for p in files:
        st = p.stat()
        code.update(f"{p.parent.name}/{p.name}:{st.st_size}:{st.st_mtime_ns};".encode())
    py = ".".join(map(str, sys.version_info[:3]))
    return f"{CACHE_FORMAT}|lufa {__version__}|python {py}|pydantic {pydantic.VERSION}|{code.hexdigest()[:16]}"


def _file_key(st: os.stat_result) -> str:
    """What the file system says about a file, as one text (one object per file in the cache, not
    a tuple of four ints; any size: times after 2262 and 64-bit or 128-bit inodes fit)."""
    if os.name == "nt":  # st_ctime is the creation time there
        return f"{st.st_size} {st.st_mtime_ns} 0 {st.st_ino}"
    return f"{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}"


_NO_POSITIONS: dict = {}
_NO_LINES: list[str] = []


class _CachedSource(Source):
    """The Source of a cached record: lines and positions are read only when a message needs them."""

    def __init__(self, show: Callable[[Path], str], path: Path, model: type[BaseModel], record: BaseModel, key: str,
                 inside: Path | None) -> None:
        # not Source.__init__: made for every cached file (35,000 at province scale), so the
        # empty positions and lines are shared until _materialize sets the file's own
        self.path, self.data, self.cells = "", None, False
        self.positions = self.key_positions = _NO_POSITIONS
        self.lines = _NO_LINES
        self.diagnostics = []
        self._file: tuple | None = (show, path, model, record, key, inside)

    @property
    def deferred(self) -> bool:
        """True while the file's lines and positions have not been read."""
        return self._file is not None

    def _materialize(self) -> None:
        if self._file is None:
            return
        show, path, model, record, key, inside = self._file
        self._file = None
        self.path = show(path)
        fresh, src = read_record(path, model, self.path, inside=inside)
        try:
            same = _file_key(os.lstat(path)) == key
        except OSError:
            same = False
        if not same or src.diagnostics or fresh != record:
            raise StaleCache(self.path)
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
        self.prefix = self.root + os.sep  # a file's key in the cache is its path below the data folder
        self.file = file
        self.key: bytes | None = None
        self.old: dict[str, tuple[str, BaseModel]] = {}  # relative path → (file key, validated model)
        self.new: dict[str, tuple[str, BaseModel]] = {}
        self._inside: dict[str, bool] = {}  # folder → it lies inside `_inside_of`
        self._inside_of: Path | None = None
        self.changed = False
        self.started_ns = time.time_ns()
        if file is not None and _private_folder(file.parent):
            self.key = _key(file.parent)
        if self.key is not None and not ignore_old:
            self.old = self._load()

    @property
    def active(self) -> bool:
        return self.key is not None

    def read(self, path: Path, model: type[M], show: Callable[[Path], str], *, inside: Path | None = None) -> tuple[M | None, Source]:
        """`read_record(path, model, show(path), inside=inside)`, from the cache when the file is unchanged."""
        text = str(path)
        if self.key is None or not text.startswith(self.prefix):
            return read_record(path, model, show(path), inside=inside)
        rel = text[len(self.prefix):]
        hit = self.old.get(rel)
        if hit is None and inside is not None:
            # not in the cache: read_file's own lstat, taken before the file is opened, is its key
            seen: list[os.stat_result] = []
            rec, src = read_record(path, model, show(path), inside=inside, seen=seen)
            if not seen:
                return rec, src
            st = seen[0]
        else:
            try:
                st = os.lstat(text)
            except OSError:
                return read_record(path, model, show(path), inside=inside)  # it reports the problem
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
                return read_record(path, model, show(path), inside=inside)  # symlinks, devices, FIFOs: never cached
            if hit is not None and hit[0] == _file_key(st) and type(hit[1]) is model and (inside is None or self._folder_inside(text, inside)):
                self.new[rel] = hit
                rec = hit[1]
                return rec, _CachedSource(show, path, model, rec, hit[0], inside)
            rec, src = read_record(path, model, show(path), inside=inside)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            return rec, src  # symlinks, devices, FIFOs: never cached
        key = _file_key(st)
        racy = st.st_mtime_ns >= self.started_ns - RACY_SECONDS * 1_000_000_000
        if rec is not None and not src.diagnostics and not racy:
            self.new[rel] = (key, rec)
            self.changed = True
        return rec, src

    def _folder_inside(self, text: str, inside: Path) -> bool:
        """read_file's rule for the folders of a file that is itself no symlink (checked by the
        caller): its folder, symlinks followed, lies in the workspace. Once per folder: a data
        folder moved elsewhere and linked back keeps every file's size, times and inode."""
        if inside is not self._inside_of:  # every loader passes one workspace folder: remembered for it
            self._inside, self._inside_of = {}, inside
        folder = text.rpartition(os.sep)[0]
        ok = self._inside.get(folder)
        if ok is None:
            ok = self._inside[folder] = folder_inside(folder, inside)
        return ok

    def save(self) -> None:
        """Write the entries of this run (only when they differ from the cache that was read)."""
        if self.key is None or self.file is None:
            return
        if not self.changed and self.new.keys() == self.old.keys():
            return
        import hmac
        import io
        import json
        import tempfile

        out = io.BytesIO()
        # ensure_ascii: a folder name that is not valid UTF-8 (surrogate escapes) is written escaped
        out.write(json.dumps({"fingerprint": _fingerprint(), "root": self.root}, separators=(",", ":")).encode() + b"\n")
        try:
            _Pickler(out).dump(self.new)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):  # no cache rather than a wrong one
            return
        body = out.getbuffer()
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
            with contextlib.suppress(FileNotFoundError):
                self.file.with_suffix(".json").unlink()  # the same folder's cache as lufa ≤ 0.1.0 wrote it (JSON)
        except OSError:
            pass  # a cache that cannot be written costs time on the next run, nothing else

    def _load(self) -> dict[str, tuple[str, BaseModel]]:
        import hmac
        import json

        assert self.key is not None and self.file is not None
        head = len(MAGIC) + _DIGEST_LEN + 1
        try:  # read_file: a FIFO or /dev/zero put in its place neither hangs nor fills memory
            whole = read_file(self.file, limit=CACHE_MAX_BYTES)
        except ReadRefused:
            return {}
        header, body = whole[:head], memoryview(whole)[head:]  # the body is not copied
        if not header.startswith(MAGIC) or len(header) < head or header[-1:] != b"\n":
            return {}
        digest = hmac.new(self.key, body, hashlib.sha256).hexdigest().encode()
        if not hmac.compare_digest(digest, header[len(MAGIC):-1]):
            return {}  # not written by this user's lufa: nothing in it is looked at
        end = whole.find(b"\n", head) - head
        if end < 0:
            return {}
        try:
            meta = json.loads(bytes(body[:end]))
        except ValueError:
            return {}
        if not isinstance(meta, dict) or meta.get("fingerprint") != _fingerprint() or meta.get("root") != self.root:
            return {}
        try:
            data = pickle.loads(body[end + 1:])
        except Exception:  # a class renamed since, a truncated pickle, …: read the files instead
            return {}
        if not isinstance(data, dict):
            return {}
        return {rel: v for rel, v in data.items() if isinstance(rel, str) and isinstance(v, tuple) and len(v) == 2 and isinstance(v[1], BaseModel)}


_new = object.__new__
_setattr = object.__setattr__


def _model(cls: type[BaseModel], state: dict, fields_set: frozenset, extra: Any, private: Any) -> BaseModel:
    """A validated model back from the cache, as pydantic's own unpickling makes it (`BaseModel.__setstate__`)."""
    obj = _new(cls)
    _setattr(obj, "__dict__", state)
    _setattr(obj, "__pydantic_fields_set__", set(fields_set))
    _setattr(obj, "__pydantic_extra__", extra)
    _setattr(obj, "__pydantic_private__", private)
    return obj


_ATOMS = frozenset({str, int, bool, type(None), dt.date})  # not float: -0.0 == 0.0, but they print differently


class _Pickler(pickle.Pickler):
    """Pickles models as `_model` calls: one C-level table look-up and one call per model when
    saving, no `__setstate__` per model when loading, and each distinct set of fields once.
    (Texts and dates the reader shares between records, reading.yamlsrc, are pickled once each.)"""

    def __init__(self, file: Any) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        sets: dict[frozenset, frozenset] = {}
        same: dict[tuple, BaseModel] = {}
        shareable: set[type] = set()  # frozen classes, until one of their models holds a list, a model or a float
        atoms_only = _ATOMS.issuperset
        getitem = operator.getitem

        def reduce(obj: BaseModel) -> tuple:
            cls = type(obj)
            state = obj.__dict__
            fields = frozenset(obj.__pydantic_fields_set__)
            fields = sets.setdefault(fields, fields)
            if cls in shareable:
                values = tuple(state.values())
                types = tuple(map(type, values))
                if atoms_only(types):
                    # a frozen model of texts, numbers and dates (a notice's contact, a case): equal
                    # ones are pickled once and shared when loaded, as the reader shares texts
                    # (the values' types are part of the key: 1 == 1.0 == True, but they print differently)
                    first = same.setdefault((cls, fields, tuple(state), values, types), obj)
                    if first is not obj:
                        return getitem, ((first,), 0)
                else:
                    shareable.discard(cls)
            private = obj.__pydantic_private__
            if private:
                from pydantic_core import PydanticUndefined

                private = {k: v for k, v in private.items() if v is not PydanticUndefined}
            return _model, (cls, state, fields, obj.__pydantic_extra__, private)

        table: dict[type, Callable] = {}
        todo = [BaseModel]
        while todo:  # every model class: the table is looked up by exact type
            for sub in todo.pop().__subclasses__():
                if sub not in table:
                    table[sub] = reduce
                    todo.append(sub)
                    if sub.model_config.get("frozen"):
                        shareable.add(sub)
        self.dispatch_table = table
