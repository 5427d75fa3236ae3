"""Watch a drop folder: as workbooks arrive, wait until each is complete, then rebuild the
summary. The history makes each rebuild cheap: only the new or changed files are read.

A file is complete when its size and mtime have not changed for `settle` seconds. A lock
file Excel, WPS or LibreOffice keeps beside a workbook that is open (`~$报表.xlsx`,
`.~lock.报表.xlsx#`) holds back that workbook only: the others are summarised, and the open
one is read once it is closed (its last reading stays meanwhile). A lock left for longer
than `stale_minutes` (Excel crashed, a colleague's laptop went to sleep) holds nothing back.
What is waited for, and a lock no longer waited for, is said once, in a line. Events are
debounced, so a dozen files copied at once cause one rebuild, not twelve. An output that
can never be written (its folder missing or read-only, a history that is not ours) stops
the watch with its error; one that is only busy (open in Excel) is tried again.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from xlcompare.batch import BatchResult, summarise
from xlcompare.batch.folder import scan
from xlcompare.errors import OutputError, notice
from xlcompare.files import SUFFIXES
from xlcompare.messages import Message
from xlcompare.paths import STATE_DIR

__all__ = ["STALE_LOCK_MINUTES", "Locks", "check_output", "find_locks", "watch"]

_CHANGES = {"created", "modified", "moved", "deleted", "closed"}
# a lock file untouched for this long is taken as left behind (Excel writes it once, when the
# workbook is opened, so an open workbook's lock grows old too: reading a workbook that is
# open costs nothing but a reread once it is saved)
STALE_LOCK_MINUTES = 60.0
# the errors a rebuild will meet again and again: the watch stops with them
_FOR_GOOD = {"output-folder-missing", "output-unwritable", "history-foreign", "history-symlink",
             "history-too-new", "history-unwritable"}


class Locks:
    """The lock files of a folder: the workbooks they hold back (relative path → the lock's
    name) and the stale ones no longer waited for (their paths)."""

    def __init__(self, held: dict[str, str], stale: list[Path]) -> None:
        self.held, self.stale = held, stale


def _owner(lock: str, names: set[str]) -> str | None:
    """The workbook among `names` (one folder's) that the lock file `lock` is kept for:
    `~$报表.xlsx` (Excel, WPS) and `.~lock.报表.xlsx#` (LibreOffice) hold `报表.xlsx`."""
    if lock.startswith(".~lock.") and lock.endswith("#"):
        wanted = lock[len(".~lock."):-1]
    elif lock.startswith("~$"):
        wanted = lock[2:]
    else:
        return None
    return wanted if wanted in names and wanted.lower().endswith(SUFFIXES) else None


def find_locks(folder: Path, stale_minutes: float = STALE_LOCK_MINUTES,
               now: float | None = None) -> Locks:
    """Which workbooks of `folder` are open in a spreadsheet application, by their locks."""
    now = time.time() if now is None else now
    held: dict[str, str] = {}
    stale: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d != STATE_DIR and not d.startswith(".")]
        names = set(filenames)
        for name in filenames:
            if not (name.startswith("~$") or name.startswith(".~lock.")):
                continue
            owner = _owner(name, names)
            if owner is None:
                continue  # nothing of ours to hold back (a lock of a Word file, of the output)
            path = Path(dirpath) / name
            try:
                age = now - path.stat().st_mtime
            except OSError:
                continue  # gone meanwhile: closed
            if age > stale_minutes * 60:
                stale.append(path)
                continue
            rel = os.path.relpath(os.path.join(dirpath, owner), folder).replace(os.sep, "/")
            held[rel] = name
    return Locks(held, stale)


def _snapshot(folder: Path, outputs: list[Path], held: Iterable[str]
              ) -> dict[str, tuple[int, int]]:
    skip = set(held)
    return {c.rel: (c.size, c.mtime_ns) for c in scan(folder, outputs)
            if not c.ignored and c.rel not in skip}


class _Waiting:
    """Says what the watch waits for, each thing once: a workbook open in Excel, a file
    still being copied, a stale lock no longer waited for."""

    def __init__(self, say: Callable[[str], None] | None, stale_minutes: float) -> None:
        self.say, self.stale_minutes = say, stale_minutes
        self.said: set[tuple[str, str]] = set()

    def tell(self, kind: str, key: str, line: Message) -> None:
        if self.say is not None and (kind, key) not in self.said:
            self.said.add((kind, key))
            self.say(line.text())

    def locks(self, locks: Locks) -> None:
        for rel, lock in locks.held.items():
            self.tell("open", rel, Message("cli.waiting-open", file=rel, lock=lock))
        for path in locks.stale:
            self.tell("stale", str(path), notice(Message(
                "stale-lock.minutes", lock=path.name, minutes=f"{self.stale_minutes:g}")))

    def copying(self, changed: Iterable[str]) -> None:
        for rel in changed:
            self.tell("copy", rel, Message("cli.waiting-copy", file=rel))


def _wait_until_settled(folder: Path, outputs: list[Path], settle: float,
                        stop: threading.Event, waiting: _Waiting) -> Locks | None:
    """Block until no file that is not held back changes for `settle` seconds; the locks
    then (None when stopped)."""
    locks = find_locks(folder, waiting.stale_minutes)
    waiting.locks(locks)
    before = _snapshot(folder, outputs, locks.held)
    while not stop.wait(settle):
        locks = find_locks(folder, waiting.stale_minutes)
        waiting.locks(locks)
        now = _snapshot(folder, outputs, locks.held)
        if now == before:
            return locks
        waiting.copying(rel for rel, seen in now.items() if before.get(rel) not in (None, seen))
        before = now
    return None


def check_output(output: str | Path) -> None:
    """Refuse at once an output that no rebuild could ever write: its folder is missing, is
    a file, or cannot be written."""
    target = Path(output)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(Message("output-folder-missing.choose", folder=str(folder)),
                          file=str(target))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(Message("output-unwritable.watch", folder=str(folder)),
                          file=str(target))


def watch(
    folder: str | Path,
    rebuild: Callable[[BatchResult], None],
    *,
    outputs: list[str | Path] = (),  # type: ignore[assignment]
    debounce: float = 1.0,
    settle: float = 1.0,
    stale_minutes: float = STALE_LOCK_MINUTES,
    stop: threading.Event | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
    **options: Any,
) -> None:
    """Summarise `folder` now and after every change, calling `rebuild(result)` each time
    (write the workbook there). Runs until `stop` is set (the CLI sets it on Ctrl-C), or a
    rebuild meets an error it would meet for ever (raised). `on_wait(line)` hears what is
    waited for."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    root = Path(folder)
    for output in outputs:
        check_output(output)
    own = [Path(p).resolve() for p in outputs]
    stop = stop or threading.Event()
    changed = threading.Event()
    changed.set()  # a first summary at start
    last_event = [0.0]
    waiting = _Waiting(on_wait, stale_minutes)

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            path = Path(str(event.src_path))
            if event.is_directory or event.event_type not in _CHANGES:
                return  # our own reading opens files too; only writes matter
            if STATE_DIR in path.parts or path.resolve() in own or path.name.startswith(".~xlcompare-"):
                return  # our own writes must not trigger another rebuild
            last_event[0] = time.monotonic()
            changed.set()

    observer = Observer()
    observer.schedule(Handler(), str(root), recursive=True)
    observer.start()
    try:
        while not stop.is_set():
            if not changed.wait(0.2):
                continue
            # debounce: wait for a quiet spell after the last event
            while not stop.is_set() and time.monotonic() - last_event[0] < debounce:
                stop.wait(0.1)
            changed.clear()
            locks = _wait_until_settled(root, own, settle, stop, waiting)
            if locks is None:
                break
            if changed.is_set() and time.monotonic() - last_event[0] < settle:
                continue  # more arrived while settling: go round again
            try:
                rebuild(summarise(root, outputs=own, hold=locks.held, **options))
            except OutputError as exc:
                if exc.code in _FOR_GOOD or on_error is None:
                    raise
                on_error(exc)
            except Exception as exc:  # noqa: BLE001 - a watcher must outlive one bad rebuild
                if on_error is None:
                    raise
                on_error(exc)
    finally:
        observer.stop()
        observer.join(timeout=5)
