"""One run at a time on a folder's history: an exclusive `flock` on `history.sqlite.lock`.

Three promises beyond taking turns:

- **Not inherited.** The descriptor is opened close-on-exec, and a process forked while the
  lock is held (a reading worker) closes its copy first thing (`os.register_at_fork`), so a
  run killed with SIGKILL or by the OOM killer releases the lock with its own death, whatever
  its children do. (flock belongs to the open file; a child keeping a copy kept it locked:
  the orphaned workers of a killed run held every later run off for good.)
- **Owned.** The holder writes who it is into the file (`pid=… start=… host=…`), the start
  time telling a reused pid apart.
- **A dead owner's lock is taken over.** When the lock is held but its owner is gone on this
  machine — some process it left behind still holds the descriptor, as older xlcompare's
  workers did — the stale file is unlinked under a short guard lock on its folder and a fresh
  one is locked in its place; the processes left behind keep a lock on a file no one opens
  again. An owner on another machine (a shared folder) is never judged gone: it is waited for.
  A lock file that names no owner (written by an older xlcompare) is judged by the kernel's
  lock table (/proc/locks), which names the process that took the lock.

Windows has no flock: there SQLite's own locking keeps the database whole and runs do not
take turns.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

from xlcompare.errors import OutputError, notice
from xlcompare.messages import Message

__all__ = ["FolderLock"]

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

# the descriptors of the locks this process holds, closed in every child it forks
_HELD: set[int] = set()


def _close_in_child() -> None:
    for fd in _HELD:
        with contextlib.suppress(OSError):
            os.close(fd)  # the child's copy only: the parent's lock stays
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


def _start_time(pid: int) -> str:
    """When `pid` started, in clock ticks since boot (Linux), or "-" where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "-"
    # the command name (field 2) may hold spaces and parentheses: fields after the last ")"
    fields = stat[stat.rfind(")") + 2:].split()
    return fields[19] if len(fields) > 19 else "-"


def _owner_line() -> str:
    pid = os.getpid()
    return f"pid={pid} start={_start_time(pid)} host={socket.gethostname()}\n"


def _parse_owner(text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in text.split() if "=" in part)


def _gone(pid: int, start: str = "-") -> bool:
    """True when no process `pid` (started at `start`, when known) lives on this machine."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # someone else's process: alive
        pass
    except OSError:
        return False
    try:  # a zombie is dead; a reused pid started at another time is another process
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat[stat.rfind(")") + 2:].split()[:1] == ["Z"]:
            return True
    except OSError:
        return False
    return start != "-" and _start_time(pid) not in ("-", start)


def _kernel_holder(fd: int) -> int | None:
    """The pid the kernel's lock table names for the flock on `fd`'s file (Linux)."""
    info = os.fstat(fd)
    device = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
    try:
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        parts = line.split()
        # "1: FLOCK  ADVISORY  WRITE 17621 fe:00:2269186 0 EOF" (a "->" marks a waiter)
        if len(parts) >= 6 and parts[1] == "FLOCK" and parts[5] == device:
            with contextlib.suppress(ValueError):
                return int(parts[4])
    return None


class FolderLock:
    """An exclusive lock on `path`, waited for up to `wait` seconds. `notice` says when a
    dead run's lock was taken over. Release with `release()` (or let the process end)."""

    def __init__(self, path: Path, wait: float) -> None:
        self.path = path
        self.fd: int | None = None
        self.notice: Message | None = None
        self._pid = os.getpid()
        if fcntl is not None:
            self.fd = self._acquire(wait)

    def _open(self) -> int:
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
        return os.open(self.path, flags, 0o666)

    def _acquire(self, wait: float) -> int:
        deadline = time.monotonic() + wait
        while True:
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                stale = self._stale_owner(fd)
                if stale is None:
                    os.close(fd)
                elif self._take_over(fd):  # closes fd
                    self.notice = notice(Message("history-lock-taken-over.gone",
                                                 path=str(self.path), owner=stale))
                    continue  # the stale file is gone: lock a fresh one
                if time.monotonic() >= deadline:
                    raise OutputError(Message("history-locked.another-run", path=str(self.path)),
                                      file=str(self.path)) from None
                time.sleep(0.1)
                continue
            except BaseException:
                os.close(fd)
                raise
            try:
                with self._guard():  # a takeover never sees this file half-owned
                    if not self._still_at_path(fd):
                        os.close(fd)  # taken over between open and flock: start again
                        continue
                    os.ftruncate(fd, 0)
                    os.pwrite(fd, _owner_line().encode(), 0)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.close(fd)
                raise
            _HELD.add(fd)
            return fd

    def _still_at_path(self, fd: int) -> bool:
        try:
            return os.stat(self.path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            return False

    @contextlib.contextmanager
    def _guard(self) -> Iterator[bool]:
        """A short exclusive lock on the lock's folder, around writing the owner and around
        a takeover; False where the file system has no locks on folders."""
        try:
            guard = os.open(self.path.parent, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            yield False
            return
        try:
            try:
                fcntl.flock(guard, fcntl.LOCK_EX)
            except OSError:
                yield False
                return
            yield True
        finally:
            os.close(guard)  # closing releases it

    def _stale_owner(self, fd: int) -> str | None:
        """Who held the lock, when that run is gone from this machine; else None."""
        try:
            owner = _parse_owner(os.pread(fd, 200, 0).decode("ascii", "replace"))
        except OSError:
            return None
        holder = _kernel_holder(fd)  # the process that took the lock, where the kernel says
        if holder is not None and not _gone(holder):
            return None
        if "pid" not in owner:  # an older xlcompare named no owner: the kernel's word only
            return f"pid {holder}" if holder is not None else None
        if owner.get("host", socket.gethostname()) != socket.gethostname():
            return None  # another machine's run: it cannot be checked from here
        try:
            pid = int(owner["pid"])
        except ValueError:
            return None
        return f"pid {pid}" if _gone(pid, owner.get("start", "-")) else None

    def _take_over(self, fd: int) -> bool:
        """Unlink the stale lock file `fd` is open on, if it is still the one at `path` and
        still names the same dead owner, under the folder's guard: two runs never both take
        it over, and a run that has just locked it (and is writing its name) is never robbed.
        Closes `fd`. False when nothing was taken over."""
        try:
            with self._guard() as guarded:
                if not guarded or not self._still_at_path(fd) or self._stale_owner(fd) is None:
                    return False
                os.unlink(self.path)
                return True
        except OSError:
            return False
        finally:
            os.close(fd)

    def release(self) -> None:
        """Closing the descriptor releases the lock; in a forked child (which closed its copy
        at the fork) there is nothing to release."""
        fd, self.fd = self.fd, None
        if fd is None or os.getpid() != self._pid:
            return
        _HELD.discard(fd)
        os.close(fd)
