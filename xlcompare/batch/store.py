"""What the batch needs of a history, as a protocol: the pipeline, freshness and refresh ask
a `HistoryStore`; `sqlite_store.SqliteHistory` is the one implementation (and the only module
that imports sqlite3), so a shared or server-side history can take its place.

A store deals in packed readings (bytes, readers.packing) and plain rows; it knows nothing of
how a workbook is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Protocol

from xlcompare.messages import Message

__all__ = ["FileState", "HistoryStore", "StoredFigure"]


class FileState:
    """What the history knows of one file; a failed file's `message` (a Message, rendered
    in the language of whoever reads it later) and `code` say why."""

    __slots__ = ("path", "size", "mtime_ns", "sha256", "status", "message", "reading", "code")

    def __init__(self, path: str, size: int, mtime_ns: int, sha256: str, status: str,
                 message: Message | None, reading: bytes | None, code: str | None = None
                 ) -> None:
        self.path, self.size, self.mtime_ns, self.sha256 = path, size, mtime_ns, sha256
        self.status, self.message, self.reading, self.code = status, message, reading, code


class StoredFigure:
    __slots__ = ("indicator_id", "name", "target", "completed", "rate", "status")

    def __init__(self, indicator_id: str | None, name: str, target: float | None,
                 completed: float | None, rate: float | None, status: str | None) -> None:
        self.indicator_id, self.name, self.target = indicator_id, name, target
        self.completed, self.rate, self.status = completed, rate, status


class HistoryStore(Protocol):
    """One folder's history: files seen (with their packed readings), station reports and
    their figures, and a few named values (the code that made the readings, outputs)."""

    @property
    def path(self) -> Path:
        """Where it lives, for messages."""
        ...

    def __enter__(self) -> HistoryStore: ...

    def __exit__(self, kind: object, *_: object) -> None: ...

    def get(self, key: str) -> str | None: ...

    def put(self, key: str, value: str) -> None: ...

    def files(self) -> dict[str, FileState]: ...

    def readings(self, paths: set[str]) -> Iterator[tuple[str, bytes]]: ...

    def by_hash(self, sha256: str) -> FileState | None: ...

    def put_files(self, states: Iterable[FileState]) -> None: ...

    def hashes(self) -> dict[str, str]: ...

    def forget_missing(self, present: set[str]) -> None: ...

    def record_report(self, station: str, cutoff: date, content_hash: str,
                      sources: list[str], expected: float | None,
                      figures: Iterable[StoredFigure]) -> None: ...

    def previous(self, station: str, cutoff: date
                 ) -> tuple[date, float | None, list[StoredFigure]] | None: ...
