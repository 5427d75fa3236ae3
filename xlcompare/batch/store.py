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

__all__ = ["REPORTS_KEY", "FileState", "HistoryStore", "ScopedHistory", "StoredFigure",
           "StoredReport"]

# the named value a store may change whenever it records a new report (SqliteHistory does):
# a summary's trends depend on reports that other folders of a shared history record, so a
# summary written before such a report is not current
REPORTS_KEY = "reports_version"


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
    __slots__ = ("indicator_id", "name", "target", "completed", "rate", "status", "source")

    def __init__(self, indicator_id: str | None, name: str, target: float | None,
                 completed: float | None, rate: float | None, status: str | None,
                 source: str | None = None) -> None:
        self.indicator_id, self.name, self.target = indicator_id, name, target
        self.completed, self.rate, self.status = completed, rate, status
        self.source = source  # where its row stands: "file\tsheet\tcell", the file relative


# one report of a station as the checks across reports need it: cut-off, contract start,
# figures
StoredReport = tuple[date, date | None, list[StoredFigure]]


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

    def forget_missing(self, present: set[str]) -> None:
        """Forget every file state whose path is not in `present` (`set()`: all of them)."""
        ...

    def record_report(self, station: str, cutoff: date, content_hash: str,
                      sources: list[str], expected: float | None,
                      figures: Iterable[StoredFigure], contract_start: date | None = None
                      ) -> None: ...

    def previous(self, station: str, cutoff: date
                 ) -> tuple[date, float | None, list[StoredFigure]] | None: ...

    def series(self, station: str) -> list[StoredReport]:
        """Every cut-off of the station, oldest first, each with its newest content."""
        ...

    def marks(self) -> dict[str, str]:
        """Flags an officer has marked 已核实: the flag's key → the note."""
        ...

    def mark(self, key: str, note: str) -> None: ...


class ScopedHistory:
    """One folder's view of a history that several folders share: the folder's files are
    stored under `scope` (`2024-03/`, the folder's path from the history's root) and seen
    here without it, and forgetting the files missing from the folder forgets only those
    under the scope, never a sibling month's. Reports and named values are the history's
    own (a station's previous report may come from any folder), and so is a known file's
    content (`by_hash`: a workbook copied from last month's folder is not read again)."""

    def __init__(self, store: HistoryStore, scope: str) -> None:
        self.store, self.scope = store, scope

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def notices(self) -> tuple[str, ...]:
        """The store's warnings met opening it, when it has any (SqliteHistory)."""
        return tuple(getattr(self.store, "notices", ()))

    def __enter__(self) -> ScopedHistory:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        return None  # the store is the caller's to close

    def _inside(self, path: str) -> str | None:
        return path[len(self.scope):] if path.startswith(self.scope) else None

    def get(self, key: str) -> str | None:
        return self.store.get(key)

    def put(self, key: str, value: str) -> None:
        self.store.put(key, value)

    def files(self) -> dict[str, FileState]:
        found = {}
        for path, state in self.store.files().items():
            rel = self._inside(path)
            if rel is not None:
                state.path = rel
                found[rel] = state
        return found

    def readings(self, paths: set[str]) -> Iterator[tuple[str, bytes]]:
        for path, reading in self.store.readings({self.scope + p for p in paths}):
            yield path[len(self.scope):], reading

    def by_hash(self, sha256: str) -> FileState | None:
        return self.store.by_hash(sha256)

    def put_files(self, states: Iterable[FileState]) -> None:
        scope = self.scope
        self.store.put_files(FileState(scope + s.path, s.size, s.mtime_ns, s.sha256, s.status,
                                       s.message, s.reading, s.code) for s in states)

    def hashes(self) -> dict[str, str]:
        return {rel: digest for path, digest in self.store.hashes().items()
                if (rel := self._inside(path)) is not None}

    def forget_missing(self, present: set[str]) -> None:
        scope = self.scope
        if not scope:
            self.store.forget_missing(present)
            return
        # the other folders' files stay: the store is told they are present
        others = {path for path in self.store.hashes() if not path.startswith(scope)}
        self.store.forget_missing(others | {scope + p for p in present})

    def record_report(self, station: str, cutoff: date, content_hash: str,
                      sources: list[str], expected: float | None,
                      figures: Iterable[StoredFigure], contract_start: date | None = None
                      ) -> None:
        scope = self.scope

        def scoped(figures: Iterable[StoredFigure]) -> Iterator[StoredFigure]:
            for f in figures:
                if scope and f.source:
                    f.source = scope + f.source
                yield f

        self.store.record_report(station, cutoff, content_hash,
                                 [scope + s for s in sources], expected, scoped(figures),
                                 contract_start)

    def previous(self, station: str, cutoff: date
                 ) -> tuple[date, float | None, list[StoredFigure]] | None:
        return self.store.previous(station, cutoff)

    def series(self, station: str) -> list[StoredReport]:
        return self.store.series(station)

    def marks(self) -> dict[str, str]:
        return self.store.marks()

    def mark(self, key: str, note: str) -> None:
        self.store.mark(key, note)
