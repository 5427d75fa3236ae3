"""The batch history: an SQLite file beside the workbooks (`FOLDER/.xlcompare/history.sqlite`).

It remembers, per file, what reading it gave (so a rerun re-reads only new or changed files),
and per station report (station, cut-off, content hash) the normalised figures, from which the
趋势 sheet shows each station's change since its previous cut-off. Schema version 3 (a file's
reading stored as zlib-compressed JSON, a failed file's code beside its message); see the
README for the tables.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

from xlcompare.batch.lock import FolderLock
from xlcompare.batch.store import FileState, StoredFigure
from xlcompare.errors import OutputError
from xlcompare.paths import PathArg

__all__ = ["HISTORY_NAME", "SCHEMA_VERSION", "SqliteHistory", "peek"]

HISTORY_NAME = "history.sqlite"  # in the folder's state folder (paths.STATE_DIR)

SCHEMA_VERSION = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path      TEXT PRIMARY KEY,   -- relative to the folder, '/'-separated
    size      INTEGER NOT NULL,
    mtime_ns  INTEGER NOT NULL,
    sha256    TEXT NOT NULL,
    status    TEXT NOT NULL,      -- read | failed
    message   TEXT,               -- why it failed
    reading   BLOB,               -- zlib-compressed JSON of what the file holds, when read
    seen_at   TEXT NOT NULL,
    code      TEXT                -- why it failed, as a code (codes.py); since version 3
);
CREATE TABLE IF NOT EXISTS reports (
    id           INTEGER PRIMARY KEY,
    station      TEXT NOT NULL,
    cutoff       TEXT NOT NULL,   -- ISO date
    content_hash TEXT NOT NULL,   -- sha256 over the sha256 of its files
    sources      TEXT NOT NULL,   -- JSON list of file paths
    expected     REAL,            -- expected progress at the cut-off
    recorded_at  TEXT NOT NULL,
    UNIQUE (station, cutoff, content_hash)
);
CREATE TABLE IF NOT EXISTS figures (
    report_id    INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    indicator_id TEXT,            -- NULL for a name the taxonomy does not know
    name         TEXT NOT NULL,
    target       REAL,
    completed    REAL,
    rate         REAL,
    status       TEXT,
    PRIMARY KEY (report_id, position)
);
CREATE INDEX IF NOT EXISTS reports_by_station ON reports (station, cutoff);
CREATE INDEX IF NOT EXISTS files_by_hash ON files (sha256);
"""


def peek(path: str | Path, key: str) -> str | None:
    """One value of the history's `meta` table, read-only and without taking the lock: the
    quick "is the summary current?" look, which must neither wait for a run in progress nor
    create a history. None when there is no such history or value."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as con:
            row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


class SqliteHistory:
    """The SQLite history of one folder. Use as a context manager; commits on success.
    `notices` are the warnings met opening it (a dead run's lock taken over), for the user."""

    def __init__(self, path: PathArg, wait: float = 120.0) -> None:
        self.path = Path(path)
        self.notices: list[str] = []
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # not inherited by the workers; a dead run's lock is taken over (lock.py)
            self._lock = FolderLock(self.path.with_name(self.path.name + ".lock"), wait)
        except OSError as exc:
            raise OutputError(f"cannot open the history database: {exc}", code="history-unreadable",
                              file=str(path)) from None
        if self._lock.notice:
            self.notices.append(self._lock.notice)
        try:
            self.db = sqlite3.connect(self.path, timeout=wait)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except BaseException:
            self._lock.release()  # a raw descriptor: nothing else would close it
            raise

    def _migrate(self) -> None:
        self.db.executescript(_SCHEMA)
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif int(row[0]) < SCHEMA_VERSION:
            # version 1 stored readings as JSON text, version 2 had no `code` column. Their
            # readings were made by other code, so the batch forgets them and reads those
            # files again (batch.CODE_KEY); the version moves on so that an older xlcompare
            # refuses what this one writes
            columns = {r[1] for r in self.db.execute("PRAGMA table_info(files)")}
            if "code" not in columns:
                self.db.execute("ALTER TABLE files ADD COLUMN code TEXT")
            self.db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                            (str(SCHEMA_VERSION),))
        elif int(row[0]) > SCHEMA_VERSION:
            raise OutputError(f"history schema {row[0]} is newer than this xlcompare "
                              f"understands ({SCHEMA_VERSION}); upgrade xlcompare or use --db",
                              code="history-too-new", file=str(self.path))

    def __enter__(self) -> SqliteHistory:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        if kind is None:
            self.db.commit()
        self.db.close()
        self._lock.release()

    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def files(self) -> dict[str, FileState]:
        """What is known of each file, without the stored readings (fetch those with
        `readings`, streamed, only for the files that are reused)."""
        rows = self.db.execute(
            "SELECT path, size, mtime_ns, sha256, status, message, NULL, code FROM files")
        return {r[0]: FileState(*r) for r in rows}

    def readings(self, paths: set[str]) -> Iterator[tuple[str, bytes]]:
        """(path, stored reading) for each of `paths` that was read, one at a time."""
        for path, reading in self.db.execute(
                "SELECT path, reading FROM files WHERE status = 'read'"):
            if path in paths:
                yield path, reading

    def by_hash(self, sha256: str) -> FileState | None:
        """A known, readable file with this content, so a renamed or touched file is not
        read again."""
        row = self.db.execute(
            "SELECT path, size, mtime_ns, sha256, status, message, reading, code FROM files"
            " WHERE sha256 = ? AND status = 'read' LIMIT 1", (sha256,)).fetchone()
        return FileState(*row) if row else None

    def put_files(self, states: Iterable[FileState]) -> None:
        now = datetime.now().isoformat(timespec="seconds")
        self.db.executemany(
            "INSERT OR REPLACE INTO files (path, size, mtime_ns, sha256, status, message,"
            " reading, seen_at, code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(s.path, s.size, s.mtime_ns, s.sha256, s.status, s.message, s.reading, now, s.code)
             for s in states])

    def hashes(self) -> dict[str, str]:
        """path → sha256 of every known file (without loading the stored readings)."""
        return dict(self.db.execute("SELECT path, sha256 FROM files"))

    def forget_missing(self, present: set[str]) -> None:
        gone = [p for (p,) in self.db.execute("SELECT path FROM files") if p not in present]
        self.db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in gone])

    def record_report(self, station: str, cutoff: date, content_hash: str,
                      sources: list[str], expected: float | None,
                      figures: Iterable[StoredFigure]) -> None:
        """One station report; recording the same station, cut-off and content again is a
        no-op (and `figures`, which may be a generator, is then never consumed)."""
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO reports (station, cutoff, content_hash, sources, expected,"
            " recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
            (station, cutoff.isoformat(), content_hash, json.dumps(sources, ensure_ascii=False),
             expected, datetime.now().isoformat(timespec="seconds")))
        if cursor.rowcount == 0:
            return
        report_id = cursor.lastrowid
        self.db.executemany(
            "INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(report_id, n, f.indicator_id, f.name, f.target, f.completed, f.rate, f.status)
             for n, f in enumerate(figures)])

    def previous(self, station: str, cutoff: date) -> tuple[date, float | None,
                                                            list[StoredFigure]] | None:
        """The station's latest report before `cutoff` (its newest content), or None."""
        row = self.db.execute(
            "SELECT id, cutoff, expected FROM reports WHERE station = ? AND cutoff < ?"
            " ORDER BY cutoff DESC, recorded_at DESC, id DESC LIMIT 1",
            (station, cutoff.isoformat())).fetchone()
        if row is None:
            return None
        figures = [StoredFigure(*r) for r in self.db.execute(
            "SELECT indicator_id, name, target, completed, rate, status FROM figures"
            " WHERE report_id = ? ORDER BY position", (row[0],))]
        return date.fromisoformat(row[1]), row[2], figures

