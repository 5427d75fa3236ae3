"""Watch a drop folder: as workbooks arrive, wait until each is complete, then rebuild the
summary. The history makes each rebuild cheap: only the new or changed files are read.

A file is complete when its size and mtime have not changed for `settle` seconds and no
Excel/WPS lock file (`~$name`, `.~lock.name#`) sits beside it. Events are debounced, so a
dozen files copied at once cause one rebuild, not twelve.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from xlcompare.batch import BatchResult, summarise
from xlcompare.batch.folder import scan
from xlcompare.files import SUFFIXES
from xlcompare.paths import STATE_DIR

__all__ = ["watch"]

_CHANGES = {"created", "modified", "moved", "deleted", "closed"}


def _snapshot(folder: Path, outputs: list[Path]) -> dict[str, tuple[int, int]]:
    return {str(c.path): (c.size, c.mtime_ns) for c in scan(folder, outputs) if not c.ignored}


def _locked(folder: Path) -> bool:
    """Excel or WPS still has a workbook open for writing in the folder."""
    for path in folder.rglob("*"):
        name = path.name
        if STATE_DIR in path.parts:
            continue
        if (name.startswith("~$") and name.endswith(SUFFIXES)) or name.startswith(".~lock."):
            return True
    return False


def _wait_until_settled(folder: Path, outputs: list[Path], settle: float,
                        stop: threading.Event) -> bool:
    """Block until no file changes for `settle` seconds and no lock file is present."""
    before = _snapshot(folder, outputs)
    while not stop.wait(settle):
        now = _snapshot(folder, outputs)
        if now == before and not _locked(folder):
            return True
        before = now
    return False


def watch(
    folder: str | Path,
    rebuild: Callable[[BatchResult], None],
    *,
    outputs: list[str | Path] = (),  # type: ignore[assignment]
    debounce: float = 1.0,
    settle: float = 1.0,
    stop: threading.Event | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    **options: Any,
) -> None:
    """Summarise `folder` now and after every change, calling `rebuild(result)` each time
    (write the workbook there). Runs until `stop` is set (the CLI sets it on Ctrl-C)."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    root = Path(folder)
    own = [Path(p).resolve() for p in outputs]
    stop = stop or threading.Event()
    changed = threading.Event()
    changed.set()  # a first summary at start
    last_event = [0.0]

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
            if not _wait_until_settled(root, own, settle, stop):
                break
            if changed.is_set() and time.monotonic() - last_event[0] < settle:
                continue  # more arrived while settling: go round again
            try:
                rebuild(summarise(root, outputs=own, **options))
            except Exception as exc:  # noqa: BLE001 - a watcher must outlive one bad rebuild
                if on_error is None:
                    raise
                on_error(exc)
    finally:
        observer.stop()
        observer.join(timeout=5)
