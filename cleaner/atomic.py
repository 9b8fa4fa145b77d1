"""Outputs that appear whole or not at all, and the temporary names that make them so.

Every output file (or directory of record files) is written under a temporary name beside its
final one and renamed into place only when it is complete, so that an output under its final
name is always a complete one: what ``--resume`` relies on. A temporary name carries the host
and process that made it (``.NAME.cleaner-PID-HOST-TOKEN.tmp``): the process removes its own on
every way out (an error, Ctrl-C, SIGTERM), and a later run removes those whose process it can
prove is dead (a kill -9, a power cut). Files and directories are created with the user's umask,
as every Unix tool does. A write that fails becomes an `OutputError` naming the output.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import IO

from cleaner.compression import STREAM_BUFFER_BYTES
from cleaner.errors import CleanerError

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows: runs on one -o are then not serialised
    fcntl = None  # type: ignore[assignment]


def _host_name() -> str:
    """This machine's name, as `socket.gethostname` says it, without importing `socket` where
    `os.uname` says it: `socket`, `hashlib` and `secrets` took 10 ms of every start-up."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


#: This host in the names of temporary files, so that a dead process's files are told from
#: those of a live process of another host sharing the directory.
_HOST = f"{zlib.crc32(_host_name().encode('utf-8')):08x}"[:6]
_TEMP = re.compile(r"\.cleaner-(?P<pid>\d+)-(?P<host>[0-9a-f]{6})-[0-9a-f]{8}\.(?:tmp|old)$")
_DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
LOCK_NAME = ".cleaner.lock"
"""The lock file of an output directory, present only while a run writes into it."""


class OutputError(CleanerError):
    """An output could not be written. `disk_full` errors stop a batch: every later write would
    fail the same way."""

    def __init__(self, name: str, error: OSError) -> None:
        self.name = name
        self.disk_full = error.errno in _DISK_FULL
        reason = error.strerror or str(error)
        advice = (
            "free some space on its disk or write elsewhere, then run again"
            if self.disk_full
            else "check that its directory exists and is writable, then run again"
        )
        super().__init__(
            f"{name}: cannot write: {reason}; nothing was left under that name: {advice}"
        )


class OutputBusy(CleanerError):
    """Another run holds the lock of an output directory."""


def temp_path(path: Path, kind: str = "tmp") -> Path:
    """A new temporary name beside `path`, naming this process (and host) as its maker."""
    token = os.urandom(4).hex()
    return path.with_name(f".{path.name}.cleaner-{os.getpid()}-{_HOST}-{token}.{kind}")


def _process_is_dead(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists, but belongs to someone else
        return False
    return False


def remove_stale(directory: Path) -> int:
    """Remove the temporary files and directories in `directory` that a process of this host
    left when it died; return how many. Those of live processes (or other hosts) stay."""
    removed = 0
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return 0
    for entry in entries:
        found = _TEMP.search(entry.name)
        if found is None or found["host"] != _HOST or not _process_is_dead(int(found["pid"])):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            Path(entry.path).unlink(missing_ok=True)
        removed += 1
    return removed


class Sink:
    """A binary output stream whose failed writes raise `OutputError` naming the output (a
    reader that went away stays a `BrokenPipeError`, which a pipe stage ends on quietly)."""

    __slots__ = ("_handle", "name")

    def __init__(self, handle: IO[bytes], name: str) -> None:
        self._handle = handle
        self.name = name

    def write(self, data: bytes) -> int:
        """Write all of `data`: a buffered file may write only part of a big block when its
        disk fills up, and report the rest's failure only on the next call."""
        left = memoryview(data)
        try:
            while left:
                left = left[self._handle.write(left) or 0 :]
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(self.name, exc) from None
        return len(data)

    @classmethod
    def create(cls, path: Path, name: str) -> Sink:
        """A new file at `path` (a part of the output `name`), to be closed with `close`."""
        try:
            return cls(path.open("wb", buffering=STREAM_BUFFER_BYTES), name)
        except OSError as exc:
            raise OutputError(name, exc) from None

    def flush(self) -> None:
        try:
            self._handle.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(self.name, exc) from None

    def close(self) -> None:
        try:
            self._handle.close()
        except OSError as exc:
            raise OutputError(self.name, exc) from None


def make_directory(path: Path, name: str | None = None) -> None:
    """`path` and its parents, made if missing; a failure names the output `name`."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(name or str(path), exc) from None


class AtomicFile:
    """A file written under a temporary name and renamed to `path` when the block ends without
    error and without `discard`; otherwise the temporary file is removed and `path` (which may
    hold an earlier output) is left as it was."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.discarded = False
        self._tmp = temp_path(path)
        self._handle: IO[bytes] | None = None

    def __enter__(self) -> Sink:
        make_directory(self.path.parent, str(self.path))
        try:
            fd = os.open(self._tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except OSError as exc:
            raise OutputError(str(self.path), exc) from None
        except BaseException:
            # Interrupted (Ctrl-C) as the file was made, before the block could remove it: a
            # file of this name can only be this one's.
            self._tmp.unlink(missing_ok=True)
            raise
        try:
            self._handle = os.fdopen(fd, "wb", buffering=STREAM_BUFFER_BYTES)
            return Sink(self._handle, str(self.path))
        except BaseException:
            if self._handle is None:
                os.close(fd)
            self._tmp.unlink(missing_ok=True)
            raise

    def discard(self) -> None:
        """Leave no output: the block's end removes what was written."""
        self.discarded = True

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._handle is not None
        try:
            try:
                self._handle.close()
            except OSError as exc:
                if kind is None:
                    raise OutputError(str(self.path), exc) from None
            if kind is None and not self.discarded:
                try:
                    os.replace(self._tmp, self.path)
                except OSError as exc:
                    raise OutputError(str(self.path), exc) from None
        finally:
            self._tmp.unlink(missing_ok=True)


class AtomicDirectory:
    """A directory filled under a temporary name that takes the place of `path` when the block
    ends without error and without `discard`.

    An earlier `path` is renamed aside, the new one renamed in, and only then the old one
    removed: at every instant `path` is the complete old directory, the complete new one, or
    absent (and ``--resume`` then writes it again).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.discarded = False
        self.tmp = temp_path(path)

    def __enter__(self) -> Path:
        make_directory(self.path.parent, str(self.path))
        try:
            os.mkdir(self.tmp, 0o777)
        except OSError as exc:
            raise OutputError(str(self.path), exc) from None
        except BaseException:
            shutil.rmtree(self.tmp, ignore_errors=True)  # interrupted, as AtomicFile's
            raise
        return self.tmp

    def discard(self) -> None:
        self.discarded = True

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if kind is None and not self.discarded:
                self._replace()
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def _replace(self) -> None:
        aside = temp_path(self.path, "old")
        try:
            had_old = os.path.lexists(self.path)
            if had_old:
                os.rename(self.path, aside)
            os.rename(self.tmp, self.path)
        except OSError as exc:
            raise OutputError(str(self.path), exc) from None
        if had_old:
            if aside.is_dir() and not aside.is_symlink():
                shutil.rmtree(aside, ignore_errors=True)
            else:
                aside.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file, so that no half-written file remains."""
    with AtomicFile(path) as handle:
        handle.write(data)


@contextmanager
def directory_lock(directory: Path) -> Iterator[None]:
    """Hold the lock of output directory `directory` for the block, or raise `OutputBusy`.

    The lock is a lock file locked with flock(2), which the kernel releases however the holder
    ends (kill -9 included). The file is removed on release; a run that locked a file removed
    under it sees that (the path no longer names what it locked) and tries again.
    """
    if fcntl is None:  # pragma: no cover
        yield
        return
    make_directory(directory)
    path = directory / LOCK_NAME
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise OutputError(str(path), exc) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise OutputBusy(
                f"{directory}: another cleaner run (process {holder}) is writing into this "
                "output directory; wait for it to finish, or choose another --output-dir"
            ) from None
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # locked a file its holder removed on release: lock the new one
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        yield
    finally:
        Path(path).unlink(missing_ok=True)
        os.close(fd)
